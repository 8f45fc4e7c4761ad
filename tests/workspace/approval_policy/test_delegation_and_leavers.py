"""Who else may decide: delegates for a date window, and the manager (or an admin) when an approver leaves.
Also what the inbox shows an approver: the room, who asks, and the facts against what was approved before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pycrdt import Map
from sqlalchemy import select

from tests.conftest import PricedWorld
from tests.support.accounts import Api, add_user, sign_in
from tests.support.smtp import smtp_server
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers, _decide, _set_discount, _submit
from workspace.audit.models import AuditEvent
from workspace.pricing.samples import SAMPLE_PRICE_BOOK


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def _delegate(api: Api, to: str, start: timedelta = timedelta(hours=-1), end: timedelta = timedelta(days=1),
              **extra: Any) -> Any:  # fmt: skip
    return api.http.post("/api/approvals/delegations",
                         json={"to": to, "starts_at": _iso(start), "ends_at": _iso(end), **extra})  # fmt: skip


def _inbox(api: Api) -> list[dict[str, Any]]:
    response = api.http.get("/api/approvals/inbox")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_the_inbox_shows_the_room_the_requester_and_what_changed_since_the_last_approval(
    priced: PricedWorld,
) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    first = _submit(priced).json()
    [item] = _inbox(manager)
    assert item["room_title"] == "Deal" and item["submitted_by"]["name"] == "Rita Rep"
    assert item["facts"] == [{"fact": "max_line_discount_pct", "label": "max line discount", "value": "25%",
                              "approved_value": None}]  # fmt: skip
    assert _decide(manager, first, "discount-over-20").status_code == 200

    await _set_discount(priced, 28)  # worse than approved: asked again, and the inbox shows the step up
    _submit(priced)
    [again] = _inbox(manager)
    assert again["facts"][0]["value"] == "28%" and again["facts"][0]["approved_value"] == "25%"

    # The rep's internal view names who it waits on and since when.
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal:

        def shown() -> dict[str, Any]:
            return dict(internal.doc.get("computed", type=Map).get("approvals") or {})

        await internal.wait_for(lambda: (shown().get("request") or {}).get("state") == "pending")
        step = shown()["request"]["steps"][0]
        approver = str(int(step["approvers"][0]))  # Y numbers are floats
        assert shown()["people"][approver]["name"] == "Mo Manager"
        assert step["since"] is not None


async def test_a_delegate_decides_within_the_window_and_not_after_it_is_revoked(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    add_user(priced.server.services.sessions, "dana@example.test", "sales_manager", "Dana Deputy")
    add_user(priced.server.services.sessions, "fin@example.test", "finance", "Fin Ance")
    dana, fin = sign_in(priced.server.url, "dana@example.test"), sign_in(priced.server.url, "fin@example.test")
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()
    # Dana is a sales manager too, so she is an approver herself; Fin is not, until the manager delegates.
    assert _inbox(fin) == []

    refused = [
        _delegate(manager, "fin@example.test", start=timedelta(days=2), end=timedelta(days=1)),  # ends first
        _delegate(manager, "fin@example.test", end=timedelta(days=120)),  # too long
        _delegate(manager, "nobody@example.test"),  # unknown
        _delegate(manager, "manager@example.test"),  # to oneself
        _delegate(manager, "fin@example.test", start=timedelta(days=-3), end=timedelta(days=-2)),  # in the past
        _delegate(manager, "fin@example.test", **{"from": "dana@example.test"}),  # for someone else: admins only
        _delegate(priced.customer, "fin@example.test"),  # customers have no approvals
        manager.http.post(
            "/api/approvals/delegations",
            json={"to": "fin@example.test", "starts_at": "tomorrow", "ends_at": "2099-01-01"},
        ),
    ]
    assert [r.status_code for r in refused] == [400, 400, 422, 400, 400, 403, 403, 400]
    assert "'ends_at' must be after 'starts_at'" in refused[0].json()["detail"]
    assert manager.http.get("/api/approvals/delegations").json()["delegations"] == [], "nothing was stored"

    later = _delegate(manager, "fin@example.test", start=timedelta(days=1), end=timedelta(days=3))
    assert later.status_code == 201 and later.json()["state"] == "scheduled"
    assert _inbox(fin) == [], "a delegation that has not started gives nothing yet"
    now = _delegate(manager, "fin@example.test")
    assert now.status_code == 201 and now.json()["state"] == "active"
    [item] = _inbox(fin)
    assert [who["name"] for who in item["on_behalf_of"]] == ["Mo Manager"]
    assert fin.http.get("/api/approvals/delegations").json()["delegations"][0]["from"]["name"] == "Mo Manager"

    # Revoked: Fin can no longer decide; only the one who gave it (or an admin) revokes.
    assert dana.http.delete(f"/api/approvals/delegations/{now.json()['id']}").status_code == 404
    assert manager.http.delete(f"/api/approvals/delegations/{now.json()['id']}").status_code == 204
    assert _inbox(fin) == []
    assert _decide(fin, request, "discount-over-20").status_code == 403

    again = _delegate(manager, "fin@example.test")
    decided = _decide(fin, request, "discount-over-20")
    assert again.status_code == 201 and decided.status_code == 200, decided.text
    record = decided.json()["steps"][0]["decisions"][0]
    assert decided.json()["state"] == "approved"
    assert record["actor"] != record["for_approvers"][0], "the record says who stood in for whom"
    assert _inbox(manager) == [] and _inbox(dana) == []


async def test_deactivating_an_approver_moves_their_steps_to_their_manager(make_server: Any) -> None:
    from tests.conftest import World

    with smtp_server() as (smtp_url, mailbox):
        world = World(make_server(smtp_url=smtp_url))
        sessions = world.server.services.sessions
        add_user(sessions, "admin@example.test", "admin", "Ada Admin")
        manager_id = add_user(sessions, "manager@example.test", "sales_manager", "Mo Manager")
        vp_id = add_user(sessions, "vp@example.test", "vp_sales", "Vi VP")
        admin = sign_in(world.server.url, "admin@example.test")
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        world.admin = admin  # type: ignore[attr-defined]
        manager, vp = sign_in(world.server.url, "manager@example.test"), sign_in(world.server.url, "vp@example.test")
        _with_policy(world)  # type: ignore[arg-type]
        await _set_discount(world, 25, first=True)  # type: ignore[arg-type]
        request = _submit(world).json()  # type: ignore[arg-type]
        assert [m["To"] for m in mailbox.wait_for(1)] == ["manager@example.test"]

        # Only admins manage people, and a bad request changes nothing.
        assert manager.http.patch(f"/api/users/{manager_id}", json={"active": False}).status_code == 403
        assert admin.http.patch(f"/api/users/{manager_id}", json={"active": "no"}).status_code == 400
        assert admin.http.patch(f"/api/users/{manager_id}", json={"boss": "x"}).status_code == 400
        assert admin.http.patch(f"/api/users/{manager_id}", json={"manager": "ghost@example.test"}).status_code == 422
        admin_id = admin.http.get("/api/me").json()["id"]
        assert admin.http.patch(f"/api/users/{admin_id}", json={"active": False}).status_code == 400
        assert manager.http.get("/api/me").status_code == 200
        assert [i["step_id"] for i in _inbox(manager)] == ["discount-over-20"]

        set_manager = admin.http.patch(f"/api/users/{manager_id}", json={"manager": "vp@example.test"})
        assert set_manager.status_code == 200 and set_manager.json()["manager_id"] is not None
        loop = admin.http.patch(f"/api/users/{vp_id}", json={"manager": "manager@example.test"})
        assert loop.status_code == 422 and "loop" in loop.json()["detail"]
        left = admin.http.patch(f"/api/users/{manager_id}", json={"active": False})
        assert left.status_code == 200 and left.json()["active"] is False
        assert left.json()["approvals_to"]["name"] == "Vi VP" and left.json()["requests"] == 1

        assert manager.http.get("/api/me").status_code == 401, "signed out everywhere at once"
        [item] = _inbox(vp)
        assert item["step_id"] == "discount-over-20"
        assert mailbox.wait_for(2)[-1]["To"] == "vp@example.test", "the new approver is told"
        decided = _decide(vp, request, "discount-over-20")
        assert decided.status_code == 200 and decided.json()["state"] == "approved"
        with sessions.begin() as db:
            kinds = list(db.execute(select(AuditEvent.kind).order_by(AuditEvent.id)).scalars())
        assert kinds[-3:] == ["approval.reassigned", "user.deactivated", "approval.decided"]


async def test_without_an_active_manager_an_admin_takes_over(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    assert _delegate(manager, "vp@example.test").status_code == 201
    await _set_discount(priced, 25, first=True)
    _submit(priced)
    manager_id = priced.admin.http.get("/api/users").json()["users"]
    manager_id = next(u["id"] for u in manager_id if u["email"] == "manager@example.test")
    assert priced.admin.http.patch(f"/api/users/{manager_id}", json={"active": False}).status_code == 200
    assert [i["step_id"] for i in _inbox(priced.admin)] == ["discount-over-20"]
    [delegation] = priced.admin.http.get("/api/approvals/delegations").json()["delegations"]
    assert delegation["state"] == "lapsed", "a leaver's delegation no longer applies"
    others = priced.admin.http.get("/api/users").json()["users"]
    vp_id = next(u["id"] for u in others if u["email"] == "vp@example.test")
    refused = priced.admin.http.patch(f"/api/users/{vp_id}", json={"manager": "manager@example.test"})
    assert refused.status_code == 422 and "deactivated" in refused.json()["detail"]
    listed = {u["email"]: u["active"] for u in priced.admin.http.get("/api/users").json()["users"]}
    assert listed["manager@example.test"] is False and "buyer@example.test" not in listed
