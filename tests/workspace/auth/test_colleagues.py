"""Admins add colleagues with a role and invite them by mail; the colleague chooses a password with the link;
roles change; every step is on the audit trail."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from tests.conftest import PricedWorld
from tests.support.accounts import add_user, sign_in
from tests.support.idp import BoundServer
from tests.workspace.auth.test_sso import idp, sso  # noqa: F401 - fixtures: a server with single sign-on
from workspace.auth.models import User

NEW = {"email": "Nia@Example.test", "name": "Nia New", "role": "finance"}


def _people(priced: PricedWorld) -> dict[str, dict]:  # type: ignore[type-arg]
    return {p["email"]: p for p in priced.admin.http.get("/api/users").json()["users"]}


def test_an_invited_colleague_chooses_a_password_and_signs_in(priced: PricedWorld) -> None:
    added = priced.admin.http.post("/api/users", json=NEW)
    assert added.status_code == 201, added.text
    assert added.json()["user"]["role"] == "finance"
    token = added.json()["invitation_url"].rsplit("/", 1)[1]
    assert _people(priced)["nia@example.test"]["active"] is True
    assert _people(priced)["nia@example.test"]["invited"] is True
    with httpx.Client(base_url=priced.server.url) as anonymous:
        shown = anonymous.get(f"/api/welcome/{token}")
        assert shown.json() == {"email": "nia@example.test", "name": "Nia New", "role": "finance"}
        assert anonymous.post(f"/api/welcome/{token}/accept", json={"password": "short"}).status_code == 400
        accepted = anonymous.post(f"/api/welcome/{token}/accept", json={"password": "a-long-enough-one"})
        assert accepted.status_code == 200, accepted.text
        assert anonymous.get("/api/me").json()["email"] == "nia@example.test"
        assert anonymous.post(f"/api/welcome/{token}/accept", json={"password": "another-long-one"}).status_code == 409
    credentials = {"email": "nia@example.test", "password": "a-long-enough-one"}
    signed = httpx.post(f"{priced.server.url}/api/session", json=credentials)
    assert signed.status_code == 200
    assert _people(priced)["nia@example.test"]["invited"] is False
    kinds = [e["kind"] for e in priced.admin.http.get("/api/audit?kind=user.").json()["events"]]
    assert kinds == ["user.joined", "user.invited", "user.added"]


def test_a_new_invitation_replaces_the_old_link(priced: PricedWorld) -> None:
    added = priced.admin.http.post("/api/users", json=NEW).json()
    old = added["invitation_url"].rsplit("/", 1)[1]
    again = priced.admin.http.post(f"/api/users/{added['user']['id']}/invitation")
    assert again.status_code == 201
    with httpx.Client(base_url=priced.server.url) as anonymous:
        assert anonymous.get(f"/api/welcome/{old}").status_code == 409
        assert anonymous.get(f"/api/welcome/{again.json()['invitation_url'].rsplit('/', 1)[1]}").status_code == 200
        assert anonymous.get("/api/welcome/col_nothing").status_code == 404
    rep_id = _people(priced)["rep@example.test"]["id"]
    assert priced.admin.http.post(f"/api/users/{rep_id}/invitation").status_code == 409  # has a password


def test_bad_colleagues_are_refused_and_nothing_is_added(priced: PricedWorld) -> None:
    before = len(_people(priced))
    assert priced.admin.http.post("/api/users", json={**NEW, "role": "customer"}).status_code == 400
    assert priced.admin.http.post("/api/users", json={**NEW, "role": "king"}).status_code == 400
    assert priced.admin.http.post("/api/users", json={**NEW, "email": "not-an-email"}).status_code == 400
    assert priced.admin.http.post("/api/users", json={**NEW, "name": "x" * 201}).status_code == 400
    assert priced.admin.http.post("/api/users", json={**NEW, "extra": True}).status_code == 400
    taken = priced.admin.http.post("/api/users", json={**NEW, "email": "REP@example.test"})
    assert taken.status_code == 409
    assert len(_people(priced)) == before


def test_roles_change_through_patch_and_only_admins_manage_people(priced: PricedWorld) -> None:
    people = _people(priced)
    rep, admin = people["rep@example.test"], people["admin@example.test"]
    changed = priced.admin.http.patch(f"/api/users/{rep['id']}", json={"role": "sales_manager"})
    assert changed.status_code == 200 and changed.json()["role"] == "sales_manager"
    assert priced.admin.http.patch(f"/api/users/{rep['id']}", json={"role": "customer"}).status_code == 400
    assert priced.admin.http.patch(f"/api/users/{admin['id']}", json={"role": "rep"}).status_code == 400
    assert _people(priced)["admin@example.test"]["role"] == "admin"
    events = priced.admin.http.get("/api/audit?kind=user.role_changed").json()["events"]
    assert [(e["data"]["before"], e["data"]["after"]) for e in events] == [("rep", "sales_manager")]
    legal = sign_in(priced.server.url, "legal@example.test")
    assert legal.http.post("/api/users", json=NEW).status_code == 403
    assert legal.http.patch(f"/api/users/{rep['id']}", json={"role": "admin"}).status_code == 403
    assert legal.http.get("/api/audit").status_code == 403
    assert priced.customer.http.get("/api/audit").status_code == 403
    assert priced.admin.http.get("/api/audit?kind=x;drop").status_code == 400
    assert priced.admin.http.get("/api/audit?limit=0").status_code == 400
    legal.http.close()


def test_while_single_sign_on_is_required_an_invitation_sets_no_password(sso: BoundServer) -> None:  # noqa: F811
    add_user(sso.services.sessions, "admin@example.test", "admin", "Ada Admin")
    admin = sign_in(sso.url, "admin@example.test")
    assert admin.http.put("/api/sso/settings", json={"required_for_internal": True}).status_code == 200
    token = admin.http.post("/api/users", json=NEW).json()["invitation_url"].rsplit("/", 1)[1]
    with httpx.Client(base_url=sso.url) as anonymous:
        refused = anonymous.post(f"/api/welcome/{token}/accept", json={"password": "a-long-enough-one"})
        assert refused.status_code == 403 and refused.json()["error"] == "sso_required"
        assert anonymous.get("/api/me").status_code == 401
    with sso.services.sessions() as db:
        assert db.execute(select(User.password_hash).where(User.email == "nia@example.test")).scalar_one() is None
    admin.http.close()
