"""Deal rooms over HTTP: who may create, list, read and change them; invitations; snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from tests.conftest import World
from tests.support.accounts import PASSWORD, add_user, sign_in
from workspace.auth.secrets import digest
from workspace.rooms.models import Invitation
from workspace.storage.base import utcnow

NEW_PASSWORD = "a-long-new-password"


def _titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200
    return sorted(room["title"] for room in response.json()["rooms"])


def _staff(world: World, email: str, role: str):  # type: ignore[no-untyped-def]
    add_user(world.server.services.sessions, email, role)
    return sign_in(world.server.url, email)


def _invite(world: World, email: str = "new@customer.test", name: str = "Nia New") -> str:
    response = world.rep.http.post(f"/api/rooms/{world.room_id}/invitations", json={"email": email, "name": name})
    assert response.status_code == 201, response.text
    return response.json()["token"]


@pytest.fixture
def browser(world: World) -> Iterator[httpx.Client]:
    """A browser that is not signed in: the invitee's."""
    with httpx.Client(base_url=world.server.url, timeout=10) as http:
        yield http


def _accept(browser: httpx.Client, token: str, password: str = NEW_PASSWORD, name: str | None = None) -> httpx.Response:
    body = {"password": password} | ({"name": name} if name else {})
    return browser.post(f"/api/invitations/{token}/accept", json=body)


# --- create --------------------------------------------------------------------------------------


def test_a_rep_creates_a_room_and_becomes_its_rep(world: World) -> None:
    response = world.rep.http.post("/api/rooms", json={"title": " Globex expansion ", "customer_name": "Globex"})
    assert response.status_code == 201
    room = response.json()
    assert room["title"] == "Globex expansion" and room["customer_name"] == "Globex"
    assert room["role"] == "rep" and room["customer_may_edit_pricing"] is False
    detail = world.rep.http.get(f"/api/rooms/{room['id']}").json()
    assert detail["members"] == [{"id": world.rep.user_id, "name": "Rita Rep", "role": "rep"}]


def test_an_admin_creates_rooms(world: World) -> None:
    admin = _staff(world, "admin@example.test", "admin")
    assert admin.http.post("/api/rooms", json={"title": "A", "customer_name": "B"}).status_code == 201


@pytest.mark.parametrize("role", ["customer", "legal", "sales_manager", "vp_sales", "finance"])
def test_other_roles_cannot_create_rooms(world: World, role: str) -> None:
    api = {"customer": world.customer, "legal": world.legal}.get(role) or _staff(world, f"{role}@example.test", role)
    response = api.http.post("/api/rooms", json={"title": "Mine", "customer_name": "Me"})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "Mine" not in _titles(world.legal.http.get("/api/rooms"))


@pytest.mark.parametrize("body", [{"customer_name": "C"}, {"title": "", "customer_name": "C"}, {"title": "T"}])
def test_creating_a_room_needs_a_title_and_customer(world: World, body: dict[str, str]) -> None:
    response = world.rep.http.post("/api/rooms", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


# --- list and read -------------------------------------------------------------------------------


def test_each_user_lists_only_the_rooms_they_may_see(world: World) -> None:
    assert _titles(world.rep.http.get("/api/rooms")) == ["Deal", "Other deal"]
    assert _titles(world.customer.http.get("/api/rooms")) == ["Deal"]
    assert _titles(world.outsider.http.get("/api/rooms")) == ["Other deal"]
    legal = world.legal.http.get("/api/rooms").json()["rooms"]
    assert {room["role"] for room in legal} == {"legal"} and len(legal) == 2
    manager = _staff(world, "manager@example.test", "sales_manager").http.get("/api/rooms").json()["rooms"]
    assert {room["role"] for room in manager} == {"approver"} and len(manager) == 2
    other_rep = _staff(world, "rep2@example.test", "rep")
    assert _titles(other_rep.http.get("/api/rooms")) == []  # reps see their own deals only


def test_search_matches_title_or_customer_case_insensitively(world: World) -> None:
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "OTHER"})) == ["Other deal"]
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "cust"})) == ["Deal"]
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "deal"})) == ["Deal", "Other deal"]
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "nothing like it"})) == []
    assert _titles(world.customer.http.get("/api/rooms", params={"q": "other"})) == []


def test_search_treats_percent_and_underscore_literally(world: World) -> None:
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "%"})) == []
    assert _titles(world.rep.http.get("/api/rooms", params={"q": "d_al"})) == []


def test_a_room_shows_the_callers_role_and_the_members(world: World) -> None:
    room = world.customer.http.get(f"/api/rooms/{world.room_id}").json()
    assert room["title"] == "Deal" and room["role"] == "customer"
    assert sorted((m["name"], m["role"]) for m in room["members"]) == [("Bo Buyer", "customer"), ("Rita Rep", "rep")]
    assert world.legal.http.get(f"/api/rooms/{world.room_id}").json()["role"] == "legal"


def test_someone_elses_room_is_404_not_403(world: World) -> None:
    for path in (f"/api/rooms/{world.room_id}", "/api/rooms/no-such-room"):
        response = world.outsider.http.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


# --- change --------------------------------------------------------------------------------------


def test_the_rep_changes_the_room(world: World) -> None:
    response = world.rep.http.patch(
        f"/api/rooms/{world.room_id}",
        json={"title": "Deal v2", "customer_may_edit_pricing": True, "customer_deal_fields": ["startDate", "billing"]},
    )
    assert response.status_code == 200
    room = world.customer.http.get(f"/api/rooms/{world.room_id}").json()
    assert room["title"] == "Deal v2" and room["customer_may_edit_pricing"] is True
    assert room["customer_deal_fields"] == ["billing", "startDate"]


@pytest.mark.parametrize(
    "body",
    [{"owner": 1}, {"customer_deal_fields": ["discount"]}, {"customer_deal_fields": "title"}, {"title": 5}],
)
def test_bad_changes_are_400_and_change_nothing(world: World, body: dict[str, object]) -> None:
    response = world.rep.http.patch(f"/api/rooms/{world.room_id}", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert world.rep.http.get(f"/api/rooms/{world.room_id}").json()["customer_deal_fields"] == []


def test_customer_may_edit_pricing_must_be_a_boolean(world: World) -> None:
    response = world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": "yes"})
    assert response.status_code == 400
    assert world.rep.http.get(f"/api/rooms/{world.room_id}").json()["customer_may_edit_pricing"] is False


def test_a_room_title_cannot_be_blanked(world: World) -> None:
    response = world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"title": "   "})
    assert response.status_code == 400
    assert world.rep.http.get(f"/api/rooms/{world.room_id}").json()["title"] == "Deal"


def test_only_the_rep_changes_the_room(world: World) -> None:
    body = {"customer_may_edit_pricing": True}
    assert world.customer.http.patch(f"/api/rooms/{world.room_id}", json=body).status_code == 403
    assert world.legal.http.patch(f"/api/rooms/{world.room_id}", json=body).status_code == 403
    assert world.outsider.http.patch(f"/api/rooms/{world.room_id}", json=body).status_code == 404
    assert world.rep.http.get(f"/api/rooms/{world.room_id}").json()["customer_may_edit_pricing"] is False


# --- invitations ---------------------------------------------------------------------------------


def test_the_rep_invites_with_a_link_under_the_public_url(world: World) -> None:
    response = world.rep.http.post(
        f"/api/rooms/{world.room_id}/invitations", json={"email": "new@customer.test", "name": "Nia"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == f"http://testserver.local/invite/{body['token']}"
    assert world.rep.http.get(f"/invite/{body['token']}").status_code == 200  # the page the link opens


def test_customers_and_outsiders_cannot_invite(world: World) -> None:
    body = {"email": "friend@customer.test", "name": "Friend"}
    assert world.customer.http.post(f"/api/rooms/{world.room_id}/invitations", json=body).status_code == 403
    assert world.outsider.http.post(f"/api/rooms/{world.room_id}/invitations", json=body).status_code == 404


@pytest.mark.parametrize("body", [{"email": "not-an-email", "name": "N"}, {"email": "a@b.test"}])
def test_an_invitation_needs_an_email_and_a_name(world: World, body: dict[str, str]) -> None:
    assert world.rep.http.post(f"/api/rooms/{world.room_id}/invitations", json=body).status_code == 400


@pytest.mark.parametrize("email", ["legal@example.test", "REP@example.test"])
def test_inviting_an_internal_users_email_is_409(world: World, email: str) -> None:
    response = world.rep.http.post(f"/api/rooms/{world.room_id}/invitations", json={"email": email, "name": "X"})
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_accepting_creates_a_signed_in_customer_who_sees_only_that_room(world: World, browser) -> None:
    response = _accept(browser, _invite(world), name="Nia From Customer")
    assert response.status_code == 200
    assert response.json()["room_id"] == world.room_id
    assert response.json()["user"]["role"] == "customer"
    assert browser.cookies["dealroom_session"] and browser.cookies["dealroom_csrf"]
    me = browser.get("/api/me").json()
    assert (me["email"], me["name"], me["role"]) == ("new@customer.test", "Nia From Customer", "customer")
    assert _titles(browser.get("/api/rooms")) == ["Deal"]
    assert browser.get(f"/api/rooms/{world.other_room_id}").status_code == 404
    members = world.rep.http.get(f"/api/rooms/{world.room_id}").json()["members"]
    assert {"id": me["id"], "name": "Nia From Customer", "role": "customer"} in members
    # The new account signs in later with the password it chose.
    sign_in(world.server.url, "new@customer.test", NEW_PASSWORD).http.close()


def test_an_invitation_link_works_once(world: World, browser) -> None:
    token = _invite(world)
    first = _accept(browser, token)
    browser.cookies.clear()
    second = _accept(browser, token, password="another-long-password")
    assert first.status_code == 200
    assert second.status_code == 409
    assert "set-cookie" not in second.headers


def test_an_expired_invitation_is_refused(world: World, browser) -> None:
    token = _invite(world)
    with world.server.services.sessions.begin() as db:
        db.execute(
            update(Invitation)
            .where(Invitation.token_hash == digest(token))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    response = _accept(browser, token)
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]
    assert "set-cookie" not in response.headers


def test_an_unknown_invitation_is_404(world: World, browser) -> None:
    response = _accept(browser, "inv_does-not-exist")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_too_short_password_is_refused_and_leaves_the_link_usable(world: World, browser) -> None:
    token = _invite(world)
    short = _accept(browser, token, password="short")
    assert short.status_code == 400
    assert "at least 10" in short.json()["detail"]
    assert _accept(browser, token).status_code == 200


def test_an_existing_customer_accepts_with_their_own_password(world: World, browser) -> None:
    token = _invite(world, email="Other@Else.test", name="Oz")
    wrong = _accept(browser, token, password="not-their-password")
    assert wrong.status_code == 401
    assert world.outsider.http.get(f"/api/rooms/{world.room_id}").status_code == 404
    right = _accept(browser, token, password=PASSWORD)
    assert right.status_code == 200
    assert right.json()["user"]["id"] == world.outsider.user_id
    assert _titles(world.outsider.http.get("/api/rooms")) == ["Deal", "Other deal"]


# --- snapshot ------------------------------------------------------------------------------------


def test_a_new_rooms_snapshot_holds_its_deal_header(world: World) -> None:
    room_id = world.rep.http.post("/api/rooms", json={"title": "Initech", "customer_name": "Initech Inc"}).json()["id"]
    shared = world.rep.http.get(f"/api/rooms/{room_id}/snapshot").json()["shared"]
    assert shared["deal"]["title"] == "Initech"
    assert shared["deal"]["customerName"] == "Initech Inc"
    assert shared["deal"]["currency"] == "USD" and shared["deal"]["termMonths"] == 12
    assert shared["lines"] == [] and shared["terms"] == ""


def test_the_snapshot_shows_each_caller_what_they_may_see(world: World) -> None:
    path = f"/api/rooms/{world.room_id}/snapshot"
    assert set(world.customer.http.get(path).json()) == {"shared"}
    assert set(world.rep.http.get(path).json()) == {"shared", "internal"}
    assert set(world.legal.http.get(path).json()) == {"shared", "internal"}
    response = world.outsider.http.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
