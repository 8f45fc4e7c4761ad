"""Approval requests end to end (story 4): submit, route, decide, smart re-approval, recall, the inbox."""

from __future__ import annotations

from typing import Any

from pycrdt import Array

from tests.conftest import PricedWorld
from tests.support.accounts import Api, add_user, sign_in
from tests.support.yclient import YClient, wait_until
from tests.workspace.approval_policy.test_preview import _line, _with_policy


def _approvers(priced: PricedWorld) -> tuple[Api, Api]:
    sessions = priced.server.services.sessions
    add_user(sessions, "manager@example.test", "sales_manager", "Mo Manager")
    add_user(sessions, "vp@example.test", "vp_sales", "Vi VP")
    return sign_in(priced.server.url, "manager@example.test"), sign_in(priced.server.url, "vp@example.test")


async def _set_discount(priced: PricedWorld, discount: int, first: bool = False) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        if first:
            await rep.edit(_line(discount))
        else:
            await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", discount))

        def stored() -> bool:
            lines = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]["lines"]
            return bool(lines) and lines[0]["discountPct"] == discount

        await wait_until(stored, 10, "the edit to be committed")


def _submit(priced: PricedWorld) -> Any:
    return priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals")


def _decide(api: Api, request: dict[str, Any], step: str, decision: str = "approve", version: str | None = None) -> Any:
    body = {"decision": decision, "comment": "ok", "fingerprint": version or request["fingerprint"]}
    return api.http.post(f"/api/approvals/{request['request_id']}/steps/{step}/decision", json=body)


async def test_story_4_routing_decisions_and_smart_re_approval(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await _set_discount(priced, 32, first=True)
    submitted = _submit(priced)
    assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    assert [(s["id"], s["order"], s["state"]) for s in request["steps"]] == [
        ("discount-over-20", 1, "pending"),
        ("discount-over-30", 2, "pending"),
    ]
    assert _submit(priced).status_code == 409  # the same version twice

    # The manager has it in the inbox; the VP's turn comes after.
    inbox = manager.http.get("/api/approvals/inbox").json()["items"]
    assert [(i["request_id"], i["step_id"]) for i in inbox] == [(request["request_id"], "discount-over-20")]
    assert vp.http.get("/api/approvals/inbox").json()["items"] == []
    assert _decide(vp, request, "discount-over-30").status_code == 409  # out of order
    assert _decide(priced.customer, request, "discount-over-20").status_code == 403
    assert _decide(priced.rep, request, "discount-over-20").status_code == 403
    assert _decide(manager, request, "discount-over-20", version="0" * 32).status_code == 409  # stale version

    approved = _decide(manager, request, "discount-over-20")
    assert approved.status_code == 200 and approved.json()["steps"][0]["state"] == "approved"
    assert _decide(manager, request, "discount-over-20").status_code == 200  # the same decision again: idempotent
    assert _decide(manager, request, "discount-over-20", decision="reject").status_code == 409
    done = _decide(vp, request, "discount-over-30").json()
    assert done["state"] == "approved"

    # Lowered to 25%: the VP step is gone and the manager's approval of 32% still counts.
    await _set_discount(priced, 25)
    lowered = _submit(priced).json()
    assert [s["id"] for s in lowered["steps"]] == ["discount-over-20"]
    assert lowered["state"] == "approved", "no needless re-approval"

    # Raised to 35% after approval: both are asked again.
    await _set_discount(priced, 35)
    raised = _submit(priced).json()
    assert raised["state"] == "pending"
    assert [(s["id"], s["state"]) for s in raised["steps"]] == [
        ("discount-over-20", "pending"),
        ("discount-over-30", "pending"),
    ]
    assert priced.customer.http.post(f"/api/approvals/{raised['request_id']}/recall").status_code == 403
    recalled = priced.rep.http.post(f"/api/approvals/{raised['request_id']}/recall").json()
    assert recalled["state"] == "recalled"
    assert manager.http.get("/api/approvals/inbox").json()["items"] == []


async def test_a_version_that_needs_nothing_cannot_be_submitted(priced: PricedWorld) -> None:
    _with_policy(priced)
    await _set_discount(priced, 5, first=True)
    response = _submit(priced)
    assert response.status_code == 400 and response.json()["detail"] == "this version needs no approval"


async def test_the_room_shows_where_approval_stands_and_customers_see_no_approvers(priced: PricedWorld) -> None:
    from pycrdt import Map

    _with_policy(priced)
    manager, vp = _approvers(priced)
    await _set_discount(priced, 32, first=True)

    def status(client: YClient) -> str | None:
        return (client.doc.get("computed", type=Map).get("approval") or {}).get("status")

    async with (
        YClient(priced.ws(), priced.customer.bearer) as buyer,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await buyer.wait_for(lambda: status(buyer) == "needs_approval", what="needs approval")
        request = _submit(priced).json()
        await buyer.wait_for(lambda: status(buyer) == "pending", what="pending")

        def waiting_on(client: YClient) -> list[str]:
            shown = (client.doc.get("computed", type=Map).get("approvals") or {}).get("request") or {}
            return [step["id"] for step in shown.get("steps", []) if step["state"] == "pending"]

        await internal.wait_for(lambda: waiting_on(internal) == ["discount-over-20", "discount-over-30"])
        assert _decide(manager, request, "discount-over-20").status_code == 200
        await internal.wait_for(lambda: waiting_on(internal) == ["discount-over-30"], what="the manager's approval")
        assert _decide(vp, request, "discount-over-30").status_code == 200
        await buyer.wait_for(lambda: status(buyer) == "approved", what="approved")
        assert buyer.doc.get("computed", type=Map)["approval"]["label"] == "Approved"
    assert not any(b"Mo Manager" in frame or b"vp_sales" in frame or b"comment" in frame for frame in buyer.received)
