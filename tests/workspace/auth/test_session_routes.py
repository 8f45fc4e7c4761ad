"""Signing in and out, the caller, CSRF, personal API tokens, and how bad request bodies are refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from tests.conftest import World
from tests.support.accounts import PASSWORD, add_user, sign_in
from tests.support.server import LiveServer
from workspace.auth.models import BrowserSession, User
from workspace.auth.signin_guard import ADDRESS_RATE
from workspace.rooms.models import Room
from workspace.storage.base import utcnow


def _client(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=10)


def _count(server: LiveServer, model: type) -> int:
    with server.services.sessions() as db:
        return db.execute(select(func.count()).select_from(model)).scalar_one()


def _set_cookie_headers(response: httpx.Response) -> dict[str, str]:
    """Set-Cookie headers by cookie name, lower-cased for attribute checks."""
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


@pytest.fixture
def anonymous(server: LiveServer) -> Iterator[httpx.Client]:
    with _client(server) as http:
        yield http


# --- sign in -------------------------------------------------------------------------------------


def test_sign_in_returns_the_user_and_sets_the_session_and_csrf_cookies(server: LiveServer, anonymous) -> None:
    user_id = add_user(server.services.sessions, "rep@example.test", "rep", "Rita Rep")
    response = anonymous.post("/api/session", json={"email": "rep@example.test", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"user": {"id": user_id, "email": "rep@example.test", "name": "Rita Rep", "role": "rep"}}
    cookies = _set_cookie_headers(response)
    assert "httponly" in cookies["dealroom_session"]
    assert "httponly" not in cookies["dealroom_csrf"]  # the page's script must read it
    assert "samesite=lax" in cookies["dealroom_session"]
    assert anonymous.cookies["dealroom_csrf"]
    # The cookie alone authenticates reads.
    assert anonymous.get("/api/me").json()["email"] == "rep@example.test"


def test_sign_in_ignores_the_case_of_the_email(server: LiveServer, anonymous) -> None:
    add_user(server.services.sessions, "rep@example.test", "rep")
    response = anonymous.post("/api/session", json={"email": " REP@Example.TEST ", "password": PASSWORD})
    assert response.status_code == 200


def test_wrong_password_and_unknown_email_are_refused_alike(server: LiveServer, anonymous) -> None:
    add_user(server.services.sessions, "rep@example.test", "rep")
    wrong = anonymous.post("/api/session", json={"email": "rep@example.test", "password": "not-the-password"})
    unknown = anonymous.post("/api/session", json={"email": "nobody@example.test", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "not_signed_in" and wrong.json()["detail"]
    assert "set-cookie" not in wrong.headers and "set-cookie" not in unknown.headers
    assert _count(server, BrowserSession) == 0
    assert anonymous.get("/api/me").status_code == 401


def test_a_deactivated_user_cannot_sign_in_and_loses_sessions_and_tokens(world: World) -> None:
    with world.server.services.sessions.begin() as db:
        db.execute(update(User).where(User.email == "rep@example.test").values(is_active=False))
    assert world.rep.http.get("/api/me").status_code == 401
    assert world.rep.http.get("/api/me", headers=world.rep.bearer).status_code == 401
    with _client(world.server) as http:
        response = http.post("/api/session", json={"email": "rep@example.test", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong email or password"


def test_an_expired_session_no_longer_works(world: World) -> None:
    with world.server.services.sessions.begin() as db:
        db.execute(update(BrowserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert world.customer.http.get("/api/me").status_code == 401
    assert world.customer.http.get("/api/me", headers=world.customer.bearer).status_code == 200


# --- sign out and the caller ---------------------------------------------------------------------


def test_sign_out_ends_the_session_even_for_a_kept_cookie(world: World) -> None:
    session_cookie = world.rep.http.cookies["dealroom_session"]
    response = world.rep.http.delete("/api/session")
    assert response.status_code == 204
    assert "dealroom_session" not in world.rep.http.cookies  # the browser is told to forget it
    with _client(world.server) as replay:  # someone who copied the cookie before sign-out
        replay.cookies.set("dealroom_session", session_cookie)
        assert replay.get("/api/me").status_code == 401
    # The API token is a separate credential and keeps working.
    assert world.rep.http.get("/api/me", headers=world.rep.bearer).status_code == 200


def test_sign_out_needs_the_csrf_header(world: World) -> None:
    response = world.rep.http.delete("/api/session", headers={"X-CSRF-Token": ""})
    assert response.status_code == 403
    assert world.rep.http.get("/api/me").status_code == 200


def test_me_describes_the_caller_and_needs_a_sign_in(world: World, anonymous) -> None:
    assert world.legal.http.get("/api/me").json() == {
        "id": world.legal.user_id,
        "email": "legal@example.test",
        "name": "Lou Legal",
        "role": "legal",
    }
    response = anonymous.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"] == "not_signed_in"


@pytest.mark.parametrize("header", ["Basic cmVwOnB3", "Bearer", "Bearer drt_not-a-real-token"])
def test_a_bad_authorization_header_is_401(server: LiveServer, anonymous, header: str) -> None:
    response = anonymous.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json()) >= {"error", "detail"}


def test_a_forged_session_cookie_is_not_signed_in(server: LiveServer, anonymous) -> None:
    anonymous.cookies.set("dealroom_session", "s_forged.signature")
    assert anonymous.get("/api/me").status_code == 401


# --- CSRF ----------------------------------------------------------------------------------------


def _room_count(server: LiveServer) -> int:
    return _count(server, Room)


@pytest.mark.parametrize("csrf", [None, "wrong-token"])
def test_a_cookie_write_without_the_right_csrf_header_is_refused(world: World, csrf: str | None) -> None:
    before = _room_count(world.server)
    del world.rep.http.headers["X-CSRF-Token"]
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    response = world.rep.http.post("/api/rooms", json={"title": "T", "customer_name": "C"}, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"
    assert _room_count(world.server) == before


def test_a_csrf_cookie_set_by_someone_else_does_not_pass(world: World) -> None:
    """Double submit must also match the session's own token, not just the cookie next to it."""
    with _client(world.server) as http:
        http.cookies.set("dealroom_session", world.rep.http.cookies["dealroom_session"])
        http.cookies.set("dealroom_csrf", "attacker-chosen")
        response = http.post(
            "/api/rooms", json={"title": "T", "customer_name": "C"}, headers={"X-CSRF-Token": "attacker-chosen"}
        )
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"


def test_a_bearer_write_needs_no_csrf_header(world: World, anonymous) -> None:
    before = _room_count(world.server)
    response = anonymous.post("/api/rooms", json={"title": "T", "customer_name": "C"}, headers=world.rep.bearer)
    assert response.status_code == 201
    assert _room_count(world.server) == before + 1


# --- personal API tokens -------------------------------------------------------------------------


def test_a_new_token_works_as_bearer(world: World, anonymous) -> None:
    response = world.customer.http.post("/api/tokens", json={"name": "laptop script"})
    assert response.status_code == 201
    token = response.json()["token"]
    me = anonymous.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "buyer@customer.test"


def test_listing_tokens_shows_only_ones_own_without_secrets(world: World) -> None:
    token = world.rep.http.post("/api/tokens", json={"name": "ci"}).json()["token"]
    listed = world.rep.http.get("/api/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["tests", "ci"]
    assert all(t["revoked"] is False for t in listed)
    assert token not in world.rep.http.get("/api/tokens").text
    assert world.rep.token not in world.rep.http.get("/api/tokens").text
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert [t["name"] for t in world.customer.http.get("/api/tokens").json()["tokens"]] == ["tests"]


def test_revoking_a_token_makes_it_401(world: World, anonymous) -> None:
    created = world.rep.http.post("/api/tokens", json={"name": "short-lived"}).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert anonymous.get("/api/me", headers=bearer).status_code == 200
    assert world.rep.http.delete(f"/api/tokens/{created['id']}").status_code == 204
    response = anonymous.get("/api/me", headers=bearer)
    assert response.status_code == 401
    assert response.json()["error"] == "not_signed_in"
    listed = {t["id"]: t for t in world.rep.http.get("/api/tokens").json()["tokens"]}
    assert listed[created["id"]]["revoked"] is True
    assert anonymous.get("/api/me", headers=world.rep.bearer).status_code == 200  # other tokens unaffected


def test_revoking_another_users_token_is_404_and_leaves_it_working(world: World, anonymous) -> None:
    created = world.customer.http.post("/api/tokens", json={"name": "mine"}).json()
    response = world.rep.http.delete(f"/api/tokens/{created['id']}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert world.rep.http.delete("/api/tokens/999999").status_code == 404
    assert anonymous.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 200


def test_a_token_needs_a_name(world: World) -> None:
    response = world.rep.http.post("/api/tokens", json={})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


# --- bad bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"email": "rep@example.test", ', "not valid JSON"),
        (b"", "must be a JSON object"),
        (b'["rep@example.test", "pw"]', "must be a JSON object"),
        (b'"rep@example.test"', "must be a JSON object"),
        (b'{"email": "rep@example.test"}', "'password' is required"),
        (b'{"password": "correct-horse-battery"}', "'email' is required"),
        (b'{"email": 42, "password": "correct-horse-battery"}', "'email' must be a str"),
        (b'{"email": "   ", "password": "correct-horse-battery"}', "'email' must not be empty"),
    ],
)
def test_bad_sign_in_bodies_are_400_with_a_reason(server: LiveServer, anonymous, content: bytes, detail: str) -> None:
    response = anonymous.post("/api/session", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_input"
    assert detail in body["detail"]
    assert _count(server, BrowserSession) == 0


def test_a_too_long_field_is_400(server: LiveServer, anonymous) -> None:
    response = anonymous.post("/api/session", json={"email": "a" * 400 + "@x.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "at most 320" in response.json()["detail"]


def test_an_oversized_body_is_413(world: World) -> None:
    big = {"title": "x" * (300 * 1024), "customer_name": "C"}
    before = _room_count(world.server)
    response = world.rep.http.post("/api/rooms", json=big)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large" and response.json()["detail"]
    assert _room_count(world.server) == before


def test_an_oversized_chunked_body_without_length_is_413(server: LiveServer, anonymous) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "'
        for _ in range(40):
            yield b"a" * 8192
        yield b'", "password": "x"}'

    response = anonymous.post("/api/session", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_sign_in_creates_one_session_per_browser(server: LiveServer) -> None:
    add_user(server.services.sessions, "legal@example.test", "legal")
    first = sign_in(server.url, "legal@example.test")
    second = sign_in(server.url, "legal@example.test")
    try:
        assert _count(server, BrowserSession) == 2
        first.http.delete("/api/session")
        assert first.http.get("/api/me").status_code == 401
        assert second.http.get("/api/me").status_code == 200  # signing out one browser keeps the other
    finally:
        first.http.close()
        second.http.close()


def test_password_guessing_is_slowed_down_per_account(server: LiveServer) -> None:
    add_user(server.services.sessions, "target@example.test", "rep")
    with httpx.Client(base_url=server.url) as client:
        codes = [
            client.post("/api/session", json={"email": "target@example.test", "password": f"guess-{i:04d}"}).status_code
            for i in range(12)
        ]
        assert codes[:10] == [401] * 10 and codes[-1] == 429
        limited = client.post("/api/session", json={"email": "target@example.test", "password": PASSWORD})
        assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
        # Another account from the same address is not locked out by it.
        add_user(server.services.sessions, "other@example.test", "rep")
        assert (
            client.post("/api/session", json={"email": "other@example.test", "password": PASSWORD}).status_code == 200
        )


def test_a_cross_site_form_cannot_sign_anyone_in(server: LiveServer) -> None:
    add_user(server.services.sessions, "victim@example.test", "rep")
    body = '{"email": "victim@example.test", "password": "' + PASSWORD + '"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = httpx.post(f"{server.url}/api/session", content=body, headers={"Content-Type": content_type})
        assert response.status_code == 400 and "application/json" in response.json()["detail"]
        assert "dealroom_session" not in response.cookies


def test_passwords_are_taken_exactly_as_typed(server: LiveServer) -> None:
    from workspace.auth import passwords
    from workspace.auth.models import User

    with server.services.sessions.begin() as db:
        db.add(
            User(
                email="spaces@example.test",
                name="S",
                role="rep",
                password_hash=passwords.hash_password("  padded pass  "),
            )
        )
    ok = httpx.post(f"{server.url}/api/session", json={"email": "spaces@example.test", "password": "  padded pass  "})
    trimmed = httpx.post(f"{server.url}/api/session", json={"email": "spaces@example.test", "password": "padded pass"})
    assert (ok.status_code, trimmed.status_code) == (200, 401)


def _sign_in_from(client: httpx.Client, address: str, email: str, password: str) -> int:
    """A sign-in as if from `address` (the test server trusts X-Forwarded-For from loopback, like a proxy)."""
    answer = client.post(
        "/api/session", json={"email": email, "password": password}, headers={"X-Forwarded-For": address}
    )
    return answer.status_code


def test_an_attacker_cannot_lock_the_owner_out(server: LiveServer) -> None:
    add_user(server.services.sessions, "legal-owner@example.test", "legal")
    with httpx.Client(base_url=server.url) as attacker, httpx.Client(base_url=server.url) as owner:
        # The owner signed in from their laptop last week: the browser is known.
        assert _sign_in_from(owner, "203.0.113.50", "legal-owner@example.test", PASSWORD) == 200
        codes = [_sign_in_from(attacker, "203.0.113.7", "legal-owner@example.test", f"guess-{i}") for i in range(12)]
        assert codes[:10] == [401] * 10 and codes[-1] == 429
        # The owner, from their own address, is not held to the attacker's budget.
        assert _sign_in_from(owner, "203.0.113.50", "legal-owner@example.test", PASSWORD) == 200
        # A guesser spread over 60 addresses exhausts the account's own budget...
        for i in range(60):
            _sign_in_from(attacker, f"198.51.100.{i + 1}", "legal-owner@example.test", f"spread-{i}")
        with httpx.Client(base_url=server.url) as new_device:
            locked = new_device.post(
                "/api/session",
                json={"email": "legal-owner@example.test", "password": PASSWORD},
                headers={"X-Forwarded-For": "192.0.2.9"},
            )
            assert locked.status_code == 429 and "new devices" in locked.json()["detail"]
        # ...but the browser the owner used before still gets in.
        assert _sign_in_from(owner, "192.0.2.10", "legal-owner@example.test", PASSWORD) == 200


def test_password_spraying_from_one_address_is_slowed(server: LiveServer) -> None:
    for i in range(40):
        add_user(server.services.sessions, f"sprayed-{i}@example.test", "rep")
    started = time.monotonic()
    with httpx.Client(base_url=server.url) as sprayer:
        codes = [_sign_in_from(sprayer, "203.0.113.66", f"sprayed-{i}@example.test", "Summer2026!") for i in range(40)]
    elapsed = time.monotonic() - started
    assert codes[:20] == [401] * 20
    # Past the burst of 20, one try every two seconds gets through; the rest wait.
    assert codes.count(401) <= 20 + int(elapsed * ADDRESS_RATE) + 1, (codes, elapsed)
    assert codes.count(429) >= 10
    # Someone else, elsewhere, signs in as usual.
    with httpx.Client(base_url=server.url) as colleague:
        assert _sign_in_from(colleague, "203.0.113.67", "sprayed-3@example.test", PASSWORD) == 200
