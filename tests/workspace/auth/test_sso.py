"""Single sign-on against a real OpenID Connect provider (npm oidc-provider, started by the tests): sign-in
with just-in-time accounts, who is refused and why, replayed states, sign-out at the provider, and the
admins' "SSO required" policy. The ID token checks (signature, audience, expiry, nonce) also run against
tokens built here, with keys of our own."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey
from sqlalchemy import func, select, update

from tests.support.accounts import PASSWORD, add_user, sign_in
from tests.support.idp import BoundServer, IdentityProvider, location, query, require_idp, sso_server, to_callback
from tests.support.server import LiveServer
from workspace.audit.models import AuditEvent
from workspace.auth.models import BrowserSession, User
from workspace.auth.oidc import OidcClient, RelyingParty, verify_id_token
from workspace.auth.secrets import digest
from workspace.auth.sso_errors import SsoError
from workspace.auth.sso_models import SsoLogin
from workspace.auth.sso_routes import STATE_COOKIE, safe_next
from workspace.auth.throttle import Throttle
from workspace.errors import ConfigurationError
from workspace.settings import load_settings


def _claims(email: str, name: str, role: str | None) -> dict[str, Any]:
    claims: dict[str, Any] = {"email": email, "email_verified": True, "name": name}
    if role is not None:
        claims["dealroom_role"] = role
    return claims


ACCOUNTS = {
    "nina": _claims("Nina.New@Example.test", "Nina New", "rep"),
    "lou": _claims("LEGAL@example.test", "Lou at the IdP", "legal"),
    "fay": _claims("fay@example.test", "Fay Finance", "admin"),
    "gone": _claims("gone@example.test", "Gus Gone", "rep"),
    "norole": _claims("norole@example.test", "Nora Norole", None),
    "ceo": _claims("ceo@example.test", "Cee Oh", "chief"),
    "buyer": _claims("buyer@customer.test", "Bo Buyer", "rep"),
    "unverified": {**_claims("rep@example.test", "Someone Else", "rep"), "email_verified": False},
}


@pytest.fixture(scope="module")
def idp() -> Iterator[IdentityProvider]:
    require_idp()
    provider = IdentityProvider(ACCOUNTS).start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(database_url: str, idp: IdentityProvider) -> Iterator[BoundServer]:
    """A Dealroom server with single sign-on at `idp` (its own client, registered for its own URL)."""
    server = sso_server(database_url, idp)
    yield server
    server.stop()


@pytest.fixture
def browser(sso: BoundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sso.url, timeout=10) as http:
        yield http


def _finish(browser: httpx.Client, callback: str) -> httpx.Response:
    """Visit the callback; on success the browser echoes the CSRF cookie like the app's script does."""
    answer = browser.get(callback)
    if "dealroom_csrf" in browser.cookies:
        browser.headers["X-CSRF-Token"] = browser.cookies["dealroom_csrf"]
    return answer


def _sign_in(browser: httpx.Client, server: LiveServer, account: str, next_path: str = "/") -> httpx.Response:
    return _finish(browser, to_callback(browser, server.url, account, next_path=next_path))


def _user(server: LiveServer, email: str) -> User | None:
    with server.services.sessions() as db:
        return db.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()


def _events(server: LiveServer, kind: str) -> list[dict[str, Any]]:
    with server.services.sessions() as db:
        return [e.data for e in db.execute(select(AuditEvent).where(AuditEvent.kind == kind)).scalars()]


def _refused(answer: httpx.Response, reason: str) -> None:
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/signin?sso_error={reason}"
    assert "dealroom_session" not in answer.headers.get("set-cookie", "")


# --- signing in ----------------------------------------------------------------------------------


def test_the_sign_in_page_learns_whether_single_sign_on_is_set_up(sso: BoundServer, server: LiveServer) -> None:
    on = httpx.get(sso.url + "/api/sso", timeout=10).json()
    assert on == {"configured": True, "required_for_internal": False, "login_url": "/api/sso/login"}
    off = httpx.get(server.url + "/api/sso", timeout=10).json()
    assert off == {"configured": False, "required_for_internal": False, "login_url": None}
    assert location(httpx.get(server.url + "/api/sso/login", timeout=10)).endswith("/signin?sso_error=not_configured")


def test_a_first_sign_in_creates_a_rep_with_a_working_session(sso: BoundServer, browser: httpx.Client) -> None:
    answer = _sign_in(browser, sso, "nina", next_path="/rooms/abc?tab=terms")
    assert answer.status_code == 303 and answer.headers["location"] == "/rooms/abc?tab=terms"
    cookies = {h.split("=", 1)[0]: h.lower() for h in answer.headers.get_list("set-cookie")}
    assert "httponly" in cookies["dealroom_session"] and "samesite=lax" in cookies["dealroom_session"]
    assert "httponly" not in cookies["dealroom_csrf"]  # the page's script echoes it, as after a password sign-in
    me = browser.get("/api/me").json()
    assert me["email"] == "nina.new@example.test" and me["name"] == "Nina New" and me["role"] == "rep"
    # A rep may work at once: create a room (a cookie write, so the CSRF header counts too).
    assert browser.post("/api/rooms", json={"title": "Deal", "customer_name": "Acme"}).status_code == 201
    user = _user(sso, "nina.new@example.test")
    assert user is not None and user.password_hash is None
    assert _events(sso, "user.provisioned") == [
        {"user_id": me["id"], "email": "nina.new@example.test", "role": "rep", "via": "sso"}
    ]
    # The state cookie is gone; the second sign-in matches the account made by the first.
    assert STATE_COOKIE not in browser.cookies
    with httpx.Client(base_url=sso.url, timeout=10) as again:
        assert _sign_in(again, sso, "nina").status_code == 303
        assert again.get("/api/me").json()["id"] == me["id"]


def test_an_existing_internal_user_is_matched_by_email_in_any_case_and_takes_the_providers_role(
    sso: BoundServer, browser: httpx.Client
) -> None:
    legal_id = add_user(sso.services.sessions, "legal@example.test", "legal", "Lou Legal")
    finance_id = add_user(sso.services.sessions, "fay@example.test", "finance", "Fay Finance")
    assert _sign_in(browser, sso, "lou").status_code == 303
    assert browser.get("/api/me").json() == {"id": legal_id, "email": "legal@example.test", "name": "Lou Legal",
                                             "role": "legal"}  # fmt: skip
    with httpx.Client(base_url=sso.url, timeout=10) as fay:
        assert _sign_in(fay, sso, "fay").status_code == 303
        assert fay.get("/api/me").json()["role"] == "admin"
    changed = {"user_id": finance_id, "from": "finance", "to": "admin", "via": "sso"}
    assert _events(sso, "user.role_changed") == [changed]
    assert _events(sso, "user.provisioned") == []


def test_a_deactivated_person_is_refused(sso: BoundServer, browser: httpx.Client) -> None:
    add_user(sso.services.sessions, "gone@example.test", "rep")
    with sso.services.sessions.begin() as db:
        db.execute(update(User).where(User.email == "gone@example.test").values(is_active=False))
    _refused(_sign_in(browser, sso, "gone"), "deactivated")
    assert browser.get("/api/me").status_code == 401


@pytest.mark.parametrize(("account", "reason"), [("norole", "no_role"), ("ceo", "no_role"), ("unverified", "no_email")])
def test_a_person_without_a_dealroom_role_or_verified_email_is_refused_and_gets_no_account(
    sso: BoundServer, browser: httpx.Client, account: str, reason: str
) -> None:
    _refused(_sign_in(browser, sso, account), reason)
    assert _user(sso, str(ACCOUNTS[account]["email"])) is None
    assert browser.get("/api/me").status_code == 401


def test_a_customer_accounts_email_is_refused(sso: BoundServer, browser: httpx.Client) -> None:
    add_user(sso.services.sessions, "buyer@customer.test", "customer", "Bo Buyer")
    _refused(_sign_in(browser, sso, "buyer"), "customer")
    user = _user(sso, "buyer@customer.test")
    assert user is not None and user.role == "customer"


def test_cancelling_at_the_provider_says_so(sso: BoundServer, browser: httpx.Client) -> None:
    _refused(_finish(browser, to_callback(browser, sso.url, None)), "cancelled")


# --- states --------------------------------------------------------------------------------------


def test_a_replayed_state_is_refused(sso: BoundServer, browser: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    callback = to_callback(browser, sso.url, "nina")
    state = query(callback)["state"]
    assert _finish(browser, callback).status_code == 303
    # The same callback again, even with the browser's state cookie put back as it was.
    browser.cookies.set(STATE_COOKIE, state, domain="127.0.0.1", path="/api/sso")
    with caplog.at_level(logging.INFO, logger="workspace.auth.sso_routes"):
        _refused(browser.get(callback), "state")
    assert "already used (a replayed callback)" in caplog.text
    with sso.services.sessions() as db:
        assert db.execute(select(func.count()).select_from(BrowserSession)).scalar_one() == 1


def test_an_unknown_state_or_another_browsers_state_is_refused(
    sso: BoundServer, browser: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="workspace.auth.sso_routes")
    browser.cookies.set(STATE_COOKIE, "made-up", domain="127.0.0.1", path="/api/sso")
    _refused(browser.get("/api/sso/callback", params={"state": "made-up", "code": "x"}), "state")
    assert "no sign-in was started with this state" in caplog.text
    # An attacker's finished sign-in, opened in a victim's browser (login CSRF): the victim never started it.
    with httpx.Client(timeout=10) as attacker:
        callback = to_callback(attacker, sso.url, "nina")
    with httpx.Client(timeout=10) as victim:
        _refused(victim.get(callback), "state")
        assert victim.get(sso.url + "/api/me").status_code == 401
    assert "not the one this browser started with" in caplog.text


def test_a_callback_naming_another_issuer_is_refused(sso: BoundServer, browser: httpx.Client) -> None:
    callback = to_callback(browser, sso.url, "nina")
    assert query(callback)["iss"] == sso.settings.oidc_issuer  # the provider names itself (RFC 9207)
    mixed_up = callback.replace("iss=", "iss=https%3A%2F%2Fevil.example.test&was=")
    _refused(browser.get(mixed_up), "provider_error")


def test_sign_ins_started_in_a_loop_are_slowed(sso: BoundServer, browser: httpx.Client) -> None:
    sso.app.state.sso_starts = Throttle(rate=0.001, burst=2)
    assert urlsplit(location(browser.get("/api/sso/login"))).netloc != urlsplit(sso.url).netloc
    assert urlsplit(location(browser.get("/api/sso/login"))).netloc != urlsplit(sso.url).netloc
    _refused(browser.get("/api/sso/login"), "busy")


def test_an_unreachable_provider_sends_the_browser_back_saying_so(make_server: Any) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        issuer = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening: connections are refused
        server = make_server(oidc_issuer=issuer, oidc_client_id="c", oidc_client_secret="s")
        _refused(httpx.get(server.url + "/api/sso/login", timeout=10), "unavailable")


def test_a_tampered_id_token_on_the_way_is_refused(
    sso: BoundServer, browser: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_exchange = OidcClient.exchange

    async def tampered(self: OidcClient, code: str, verifier: str) -> dict[str, Any]:
        tokens = await real_exchange(self, code, verifier)
        return {**tokens, "id_token": _tamper(tokens["id_token"])}

    monkeypatch.setattr(OidcClient, "exchange", tampered)
    _refused(_sign_in(browser, sso, "nina"), "token")
    assert _user(sso, "nina.new@example.test") is None


def _tamper(token: str) -> str:
    """The same token with another email in its payload (the provider's signature left as it was)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "ceo@example.test"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_real_id_token_verifies_and_fails_once_tampered(sso: BoundServer, browser: httpx.Client) -> None:
    """The provider's own token, exchanged here as Dealroom would, against the provider's published keys."""
    callback = to_callback(browser, sso.url, "nina")
    with sso.services.sessions() as db:
        login = db.get(SsoLogin, digest(query(callback)["state"]))
        assert login is not None
        nonce, verifier = login.nonce, login.code_verifier
    rp = RelyingParty.from_settings(sso.settings)
    assert rp is not None

    async def run() -> None:
        client = OidcClient(rp)
        tokens = await client.exchange(query(callback)["code"], verifier)
        claims = await client.verify(tokens["id_token"], nonce, tokens["access_token"])
        assert claims["email"] == "Nina.New@Example.test" and claims["aud"] == rp.client_id
        with pytest.raises(SsoError, match="signature does not verify"):
            await client.verify(_tamper(tokens["id_token"]), nonce, tokens["access_token"])
        with pytest.raises(SsoError, match="nonce differs"):
            await client.verify(tokens["id_token"], "another-nonce", tokens["access_token"])

    asyncio.run(run())


# --- signing out ---------------------------------------------------------------------------------


def test_signing_out_ends_the_session_and_signs_out_at_the_provider(sso: BoundServer, browser: httpx.Client) -> None:
    assert _sign_in(browser, sso, "nina").status_code == 303
    answer = browser.post("/api/sso/logout")
    assert answer.status_code == 200
    url = answer.json()["logout_url"]
    assert url.startswith(str(sso.settings.oidc_issuer) + "/session/end?")
    params = query(url)
    assert params["post_logout_redirect_uri"] == sso.url + "/signin" and params["id_token_hint"]
    assert browser.get("/api/me").status_code == 401  # the local session ended at once
    assert "dealroom_session" not in browser.cookies
    # At the provider: confirm, and land on Dealroom's sign-in page.
    page = browser.get(url)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
    action = re.search(r'action="([^"]+)"', page.text)
    assert page.status_code == 200 and xsrf and action, page.text[:500]
    done = browser.post(urljoin(url, action.group(1)), data={"xsrf": xsrf.group(1), "logout": "yes"})
    assert location(done) == sso.url + "/signin"
    # The provider's session is over too: signing in again asks for the login.
    start = location(browser.get("/api/sso/login"))
    assert "/interaction/" in location(browser.get(start))


def test_signing_out_of_a_password_session_stays_here(sso: BoundServer) -> None:
    add_user(sso.services.sessions, "rep@example.test", "rep")
    rep = sign_in(sso.url, "rep@example.test")
    assert rep.http.post("/api/sso/logout").json() == {"logout_url": None}
    assert rep.http.get("/api/me").status_code == 401
    rep.http.close()


# --- "SSO required" ------------------------------------------------------------------------------


def test_when_admins_require_single_sign_on_staff_cannot_use_passwords_but_customers_can(
    sso: BoundServer, browser: httpx.Client
) -> None:
    add_user(sso.services.sessions, "admin@example.test", "admin", "Ada Admin")
    add_user(sso.services.sessions, "rep@example.test", "rep", "Rita Rep")
    add_user(sso.services.sessions, "buyer@customer.test", "customer", "Bo Buyer")
    admin = sign_in(sso.url, "admin@example.test")
    rep = sign_in(sso.url, "rep@example.test")
    assert rep.http.put("/api/sso/settings", json={"required_for_internal": True}).status_code == 403
    answer = admin.http.put("/api/sso/settings", json={"required_for_internal": True})
    assert answer.status_code == 200 and answer.json()["required_for_internal"] is True
    assert answer.json()["updated_by"] == admin.user_id
    assert admin.http.get("/api/sso/settings").json()["required_for_internal"] is True
    assert httpx.get(sso.url + "/api/sso", timeout=10).json()["required_for_internal"] is True
    event = _events(sso, "sso.policy_changed")
    assert event == [{"required_for_internal": True, "was": False}]

    refused = httpx.post(sso.url + "/api/session", json={"email": "rep@example.test", "password": PASSWORD}, timeout=10)
    assert refused.status_code == 403
    assert refused.json()["error"] == "sso_required" and "single sign-on" in refused.json()["detail"]
    assert "dealroom_session" not in refused.headers.get("set-cookie", "")
    customer = httpx.post(sso.url + "/api/session", json={"email": "buyer@customer.test", "password": PASSWORD},
                          timeout=10)  # fmt: skip
    assert customer.status_code == 200
    # A wrong password is still just a wrong password (the policy tells nothing about who has an account).
    wrong = httpx.post(sso.url + "/api/session", json={"email": "rep@example.test", "password": "nope-nope-nope"},
                       timeout=10)  # fmt: skip
    assert wrong.status_code == 401
    # Single sign-on itself still works for staff.
    assert _sign_in(browser, sso, "nina").status_code == 303
    # And back.
    assert admin.http.put("/api/sso/settings", json={"required_for_internal": False}).status_code == 200
    again = httpx.post(sso.url + "/api/session", json={"email": "rep@example.test", "password": PASSWORD}, timeout=10)
    assert again.status_code == 200
    for api in (admin, rep):
        api.http.close()


def test_single_sign_on_cannot_be_required_without_a_provider(server: LiveServer) -> None:
    add_user(server.services.sessions, "admin@example.test", "admin")
    admin = sign_in(server.url, "admin@example.test")
    answer = admin.http.put("/api/sso/settings", json={"required_for_internal": True})
    assert answer.status_code == 409 and "identity provider" in answer.json()["detail"]
    assert admin.http.put("/api/sso/settings", json={"required": True}).status_code == 400
    assert admin.http.get("/api/sso/settings").json()["configured"] is False
    admin.http.close()


# --- the ID token checks, with keys of our own ---------------------------------------------------

ISSUER = "https://id.example.test"
CLIENT = "dealroom-client"
_KEY = RSAKey.generate_key(2048, parameters={"kid": "ours"}, private=True)
KEYS = KeySet([_KEY])
# Another key that claims our key's id: its signatures must not pass.
_IMPOSTOR = RSAKey.generate_key(2048, parameters={"kid": "ours"}, private=True)


def _token(key: RSAKey = _KEY, alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "u1", "exp": now + 300, "iat": now, "nonce": "n-1",
              "email": "rep@example.test"}  # fmt: skip
    claims.update(changes)
    return jwt.encode({"alg": alg, "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key)


def _verify(token: str, nonce: str = "n-1") -> dict[str, Any]:
    return verify_id_token(token, KEYS, issuer=ISSUER, client_id=CLIENT, nonce=nonce, algorithms=("RS256",))


def test_a_good_token_verifies() -> None:
    assert _verify(_token())["email"] == "rep@example.test"


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (lambda: _tamper(_token()), "signature does not verify"),
        (lambda: _token(_IMPOSTOR), "signature does not verify"),
        (lambda: _token(aud="another-app"), "issued for another application"),
        (lambda: _token(aud=["another-app", "third"]), "issued for another application"),
        (lambda: _token(exp=int(time.time()) - 3600), "has expired"),
        (lambda: _token(iss="https://evil.example.test"), "issued by another identity provider"),
        (lambda: _token(nonce="n-2"), "nonce differs"),
        (lambda: _token(nonce=None), "lacks the claim(s) nonce"),
        (lambda: _token(exp=None), "lacks the claim(s) exp"),
    ],
    ids=["tampered", "foreign-key", "audience", "audience-list", "expired", "issuer", "nonce", "no-nonce", "no-exp"],
)
def test_a_bad_token_is_refused_saying_why(token: Any, problem: str) -> None:
    with pytest.raises(SsoError) as refused:
        _verify(token())
    assert refused.value.reason == "token" and problem in refused.value.detail


def test_unsigned_and_shared_secret_tokens_are_refused() -> None:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = part({"alg": "none"}) + "." + _token().split(".")[1] + "."
    with pytest.raises(SsoError, match="algorithm is not accepted"):
        _verify(unsigned)
    secret = OctKey.import_key("client-secret-as-a-key-" * 2)
    with pytest.raises(SsoError):
        verify_id_token(jwt.encode({"alg": "HS256"}, {"iss": ISSUER}, secret), KeySet([_KEY, secret]), issuer=ISSUER,
                        client_id=CLIENT, nonce="n-1", algorithms=("RS256",))  # fmt: skip


# --- small parts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [("/rooms/1?x=2", "/rooms/1?x=2"), ("//evil.test", "/"), ("/\\evil.test", "/"), ("/\t/evil.test", "/"),
     ("https://evil.test", "/"), (None, "/"), ("", "/"), ("/ok#frag", "/ok#frag")],
)  # fmt: skip
def test_after_sign_in_only_a_path_of_this_site(given: str | None, expected: str) -> None:
    assert safe_next(given) == expected


def test_a_provider_needs_its_client_and_tls() -> None:
    with pytest.raises(ConfigurationError, match="CLIENT_ID"):
        load_settings({"DEALROOM_OIDC_ISSUER": "https://id.example.test"}, env_file=None)
    with pytest.raises(ConfigurationError, match="https"):
        load_settings({"DEALROOM_OIDC_ISSUER": "http://id.example.test", "DEALROOM_OIDC_CLIENT_ID": "c",
                       "DEALROOM_OIDC_CLIENT_SECRET": "s"}, env_file=None)  # fmt: skip
    settings = load_settings({"DEALROOM_OIDC_ISSUER": "http://127.0.0.1:9000", "DEALROOM_OIDC_CLIENT_ID": "c",
                              "DEALROOM_OIDC_CLIENT_SECRET": "s", "DEALROOM_OIDC_ROLE_CLAIM": "groups.role"},
                             env_file=None)  # fmt: skip
    assert settings.oidc_role_claim == "groups.role" and settings.oidc_scopes == "openid email profile"
