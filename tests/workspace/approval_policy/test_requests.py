"""Approval requests end to end (story 4): submit, route, decide, smart re-approval, recall, the inbox."""

from __future__ import annotations

import copy
from typing import Any

from pycrdt import Array, Map
from sqlalchemy import select

from tests.conftest import PricedWorld
from tests.support.accounts import Api, add_user, sign_in
from tests.support.yclient import YClient, wait_until
from tests.workspace.approval_policy.test_preview import _line, _with_policy
from workspace.audit.models import AuditEvent
from workspace.exports.gate import request_for
from workspace.pricing.samples import SAMPLE_PRICE_BOOK
from workspace.sync.documents import DocName

COVERED = {"needed": True, "status": "approved", "label": "Approved (covered)", "covered": True}
NEEDED = {"needed": True, "status": "needs_approval", "label": "Needs approval", "covered": False}


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


async def _edit_deal(priced: PricedWorld, key: str, value: Any) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__(key, value))

        def stored() -> bool:
            deal = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]["deal"]
            return bool(deal.get(key) == value)

        await wait_until(stored, 10, f"{key} to be committed")


def _badge(client: YClient) -> dict[str, Any]:
    """The room header's approval state: in the internal doc only."""
    return dict(client.doc.get("computed", type=Map).get("approval") or {})


def _standing(client: YClient) -> dict[str, Any]:
    return dict(client.doc.get("computed", type=Map).get("approvals") or {})


def _lines(client: YClient) -> list[Any]:
    return [line.get("discountPct") for line in client.doc.get("lines", type=Array).to_py() or []]


def _preview(priced: PricedWorld) -> Any:
    response = priced.rep.http.get(f"/api/rooms/{priced.room_id}/approvals/preview")
    assert response.status_code == 200, response.text
    return response.json()


def _export(priced: PricedWorld) -> Any:
    return priced.rep.http.post(f"/api/rooms/{priced.room_id}/export", json={"format": "docx"})


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

    # What covers a later version is told from here on: the room follows live, on the internal doc.
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal:
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="approved")
        assert _badge(internal)["covered"] is False, "approved by a request for exactly this version"

        # Lowered to 25%: the VP step is gone and the manager's approval of 32% covers it. The room stays
        # approved with nobody asked and nothing submitted; the export gate agrees.
        await _set_discount(priced, 25)
        await internal.wait_for(lambda: _badge(internal) == COVERED, what="approved (covered)")
        standing = _standing(internal)
        assert standing["request"] is None and standing["needs"] == []
        assert [s["rule_id"] for s in standing["steps"]] == ["discount-over-20"]
        [cover] = standing["steps"][0]["covered_by"]
        given = approved.json()["steps"][0]["decisions"][0]
        assert (cover["request_id"], cover["step_id"], cover["decided_at"]) == (
            request["request_id"], "discount-over-20", given["at"],
        )  # fmt: skip
        assert cover["approver"]["name"] == "Mo Manager"
        assert [(f["fact"], f["approved_value"], f["value"]) for f in cover["approved"]] == [
            ("max_line_discount_pct", "32%", "25%")
        ]
        preview = _preview(priced)
        assert (preview["status"], preview["covered"], preview["request_id"]) == ("approved", True, None)
        assert preview["steps"][0]["covered_by"] == [cover] and preview["needs"] == []
        assert _export(priced).status_code == 200, _export(priced).text
        again = _submit(priced)
        assert again.status_code == 409 and "already approved" in again.json()["detail"], "no needless re-approval"

        # A fact no rule tests (the start date) changes the version, not what is approved.
        before = standing["fingerprint"]
        await _edit_deal(priced, "startDate", "2026-09-01")
        await internal.wait_for(lambda: _standing(internal)["fingerprint"] != before, what="the new version")
        assert _badge(internal) == COVERED and _export(priced).status_code == 200

        # Payment terms of 60 days need finance; the manager's step stays covered and is not asked again.
        add_user(priced.server.services.sessions, "finance@example.test", "finance", "Fi Finance")
        await _edit_deal(priced, "paymentTermsDays", 60)
        await internal.wait_for(lambda: _standing(internal)["needs"] == ["finance-terms"], what="finance only")
        assert _badge(internal) == {**NEEDED, "needed": True}
        covered_by = {s["rule_id"]: s["covered_by"] for s in _standing(internal)["steps"]}
        assert covered_by["finance-terms"] is None
        assert covered_by["discount-over-20"][0]["request_id"] == request["request_id"]
        assert [m["rule_id"] for m in _export(priced).json()["missing"]] == ["finance-terms"]
        partial = _submit(priced).json()
        assert {s["id"]: s["state"] for s in partial["steps"]} == {
            "discount-over-20": "approved", "finance-terms": "pending",
        }  # fmt: skip
        [carried] = next(s for s in partial["steps"] if s["id"] == "discount-over-20")["decisions"]
        assert carried["origin"] == request["request_id"]
        assert manager.http.get("/api/approvals/inbox").json()["items"] == [], "the manager is not asked again"
        priced.rep.http.post(f"/api/approvals/{partial['request_id']}/recall").raise_for_status()
        await _edit_deal(priced, "paymentTermsDays", 30)
        await internal.wait_for(lambda: _badge(internal) == COVERED, what="covered again")
        with priced.server.services.sessions() as db:  # the contract's record: the approvals that cover it
            on_record = request_for(db, priced.room_id, _standing(internal)["fingerprint"])
        assert on_record is not None and on_record.id == request["request_id"], "not the recalled request"

        # Raised to 35% after approval: nothing covers it, both are asked again.
        await _set_discount(priced, 35)
        await internal.wait_for(lambda: _standing(internal)["needs"] == ["discount-over-20", "discount-over-30"])
        assert _badge(internal) == NEEDED
        assert [s["covered_by"] for s in _standing(internal)["steps"]] == [None, None]
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

    # The log says when earlier approvals made the room approved, and by which: once per covering set.
    with priced.server.services.sessions() as db:
        covered = [e.data for e in db.execute(select(AuditEvent).where(AuditEvent.kind == "approval.covered")
                                              .order_by(AuditEvent.id)).scalars()]  # fmt: skip
    assert len(covered) == 2, covered
    assert covered[0]["covered_by"] == {
        "discount-over-20": [{"request_id": request["request_id"], "actor": given["actor"], "at": given["at"]}]
    }


async def test_a_version_that_needs_nothing_cannot_be_submitted(priced: PricedWorld) -> None:
    _with_policy(priced)
    await _set_discount(priced, 5, first=True)
    response = _submit(priced)
    assert response.status_code == 400 and response.json()["detail"] == "this version needs no approval"


async def test_the_customer_sees_nothing_of_approvals_while_the_rep_follows_every_state(
    priced: PricedWorld,
) -> None:
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await _set_discount(priced, 32, first=True)

    def status(client: YClient) -> str | None:
        return _badge(client).get("status")

    async with (
        YClient(priced.ws(), priced.customer.bearer) as buyer,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await internal.wait_for(lambda: status(internal) == "needs_approval", what="needs approval")
        request = _submit(priced).json()
        await internal.wait_for(lambda: status(internal) == "pending", what="pending")

        def waiting_on(client: YClient) -> list[str]:
            shown = _standing(client).get("request") or {}
            return [step["id"] for step in shown.get("steps", []) if step["state"] == "pending"]

        await internal.wait_for(lambda: waiting_on(internal) == ["discount-over-20", "discount-over-30"])
        assert _decide(manager, request, "discount-over-20").status_code == 200
        await internal.wait_for(lambda: waiting_on(internal) == ["discount-over-30"], what="the manager's approval")
        rejected = _decide(vp, request, "discount-over-30", decision="reject")
        assert rejected.status_code == 200
        await internal.wait_for(lambda: status(internal) == "rejected", what="rejected")
        assert _badge(internal)["label"] == "Approval rejected"
        await _set_discount(priced, 25)  # covered by the manager's approval of 32%
        await internal.wait_for(lambda: _badge(internal) == COVERED, what="approved (covered)")
        await buyer.wait_for(lambda: _lines(buyer) == [25], what="the customer's copy of the last edit")
        assert "approval" not in buyer.doc.get("computed", type=Map)
    # Not in any frame the customer's socket received, not in what the customer may fetch.
    for frame in buyer.received:
        assert b"approv" not in frame.lower(), frame
        assert not any(word in frame for word in (b"Mo Manager", b"vp_sales", b"comment", b"covered", b"reject"))
    snapshot = priced.customer.http.get(f"/api/rooms/{priced.room_id}/snapshot")
    assert list(snapshot.json()) == ["shared"] and "approv" not in snapshot.text.lower()
    quote = priced.customer.http.get(f"/api/rooms/{priced.room_id}/quote")
    assert quote.status_code == 200 and "approv" not in quote.text.lower()
    assert priced.customer.http.get(f"/api/rooms/{priced.room_id}/approvals/preview").status_code == 403
    rep_snapshot = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()
    assert "approval" not in rep_snapshot["shared"]["computed"]
    assert rep_snapshot["internal"]["computed"]["approval"] == COVERED


async def test_approval_state_an_older_release_left_in_the_shared_doc_is_removed(priced: PricedWorld) -> None:
    _with_policy(priced)
    await _set_discount(priced, 32, first=True)
    rooms = priced.server.services.rooms
    stale = {"needed": True, "status": "rejected", "label": "Approval rejected"}

    async def plant() -> Any:
        room = await rooms.acquire(priced.room_id, DocName.SHARED)
        try:
            await room.server_write(lambda doc: doc.get("computed", type=Map).__setitem__("approval", stale))
            return room.doc.get("computed", type=Map).get("approval")
        finally:
            rooms.release(priced.room_id, DocName.SHARED)

    def shown() -> Any:
        return priced.customer.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]["computed"]

    assert await priced.server.acall(plant()) == stale, "stored as an older release would have"
    await _set_discount(priced, 33)  # the next derive deletes it (if loading the room has not already)
    await wait_until(lambda: "approval" not in shown(), 10, "the stale approval state to go")


async def test_nothing_approves_or_exports_a_quote_that_cannot_be_priced(priced: PricedWorld) -> None:
    """A room moved to a price book that dropped one of its products has no complete price: the room says
    so, submit and approve are refused with the reason, and so is the export."""
    _with_policy(priced)
    manager, _ = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(
            lambda doc: doc.get("lines", type=Array).append(
                Map({"id": "disk", "sku": "STORAGE", "qty": 4, "discountPct": 0, "locked": False, "note": ""})
            )
        )
    submitted = _submit(priced)
    assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    smaller = copy.deepcopy(SAMPLE_PRICE_BOOK)
    smaller["products"] = [p for p in smaller["products"] if p["sku"] != "STORAGE"]
    priced.admin.http.put("/api/pricebook", json=smaller).raise_for_status()
    priced.rep.http.post(f"/api/rooms/{priced.room_id}/pricebook/upgrade").raise_for_status()

    why = "the quote cannot be priced: STORAGE is not in the price book (version 2); fix the lines first"
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal:
        await internal.wait_for(lambda: _badge(internal).get("status") == "unpriceable", what="cannot be priced")
        assert _badge(internal)["label"] == "Cannot be priced"
        assert [p["line_id"] for p in _standing(internal)["pricing_problems"]] == ["disk"]
    preview = _preview(priced)
    assert preview["status"] == "unpriceable" and preview["pricing_problems"][0]["rule"] == "unknown_sku"
    decided = _decide(manager, request, "discount-over-20", version=preview["fingerprint"])
    assert decided.status_code == 409 and decided.json()["detail"] == why
    refused_submit, refused_export = _submit(priced), _export(priced)
    assert refused_submit.status_code == 409 and refused_submit.json()["detail"] == why
    assert refused_export.status_code == 409 and refused_export.json()["detail"] == why
    # Nothing was decided: the step still waits in the manager's inbox.
    inbox = manager.http.get("/api/approvals/inbox").json()["items"]
    assert [(i["request_id"], i["step_id"]) for i in inbox] == [(request["request_id"], "discount-over-20")]
