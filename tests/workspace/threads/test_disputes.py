"""Disputes: a fact the approval policy tests (`open_disputes`), and a gate on export that lists each one."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map

from approvals import derive_facts, load_policy_yaml, required_steps
from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.threads.helpers import threads_url

DESK_POLICY = """
version: 1
rules:
  - id: deal-desk-disputes
    name: Deal desk
    reason: The customer disputes a term or a price
    when: open_disputes > 0
    step: {approvers: {role: sales_manager}, order: 1, mode: any}
"""


def test_a_policy_can_route_open_disputes() -> None:
    policy = load_policy_yaml(DESK_POLICY)
    quote: dict[str, Any] = {"lines": [], "totals": {}}
    disputed = required_steps(policy, derive_facts(quote, {"open_disputes": 1}))
    assert [step.rule_id for step in disputed] == ["deal-desk-disputes"]
    assert "open disputes" in disputed[0].reason
    assert required_steps(policy, derive_facts(quote, {"open_disputes": 0})) == []


def _line(doc: Any) -> None:
    doc.get("lines", type=Array).append(
        Map({"id": "l1", "sku": "PLAT-ENT", "qty": 10, "discountPct": 5, "locked": False, "note": ""})
    )


def _export(priced: PricedWorld) -> Any:
    return priced.rep.http.post(f"/api/rooms/{priced.room_id}/export", json={"format": "docx"})


def _steps(client: YClient) -> list[str]:
    approvals = client.doc.get("computed", type=Map).get("approvals") or {}
    return [step["rule_id"] for step in approvals.get("steps", [])]


async def test_an_open_dispute_routes_to_the_deal_desk_and_blocks_export_until_resolved(priced: PricedWorld) -> None:
    put = priced.admin.http.put(
        "/api/approvals/policy", content=DESK_POLICY, headers={"Content-Type": "application/yaml"}
    )  # type: ignore[attr-defined]
    assert put.status_code == 200, put.text
    async with (
        YClient(priced.ws(), priced.rep.bearer) as rep,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await rep.edit(_line)
        await rep.wait_for(lambda: (rep.doc.get("computed", type=Map).get("quote") or {}).get("lines"), what="quote")
        assert _export(priced).status_code == 200, "nothing to approve, nothing disputed"

        body = {"kind": "dispute", "anchor": {"type": "line", "lineId": "l1"}, "text": "5% is not what we agreed"}
        dispute = priced.customer.http.post(threads_url(priced), json=body).json()
        await internal.wait_for(lambda: _steps(internal) == ["deal-desk-disputes"], what="the deal desk step")

        refused = _export(priced)
        assert refused.status_code == 409 and refused.json()["error"] == "disputes_open"
        [listed] = refused.json()["disputes"]
        assert (listed["kind"], listed["about"], listed["state"]) == ("dispute", "the pricing line PLAT-ENT", "open")
        assert listed["opened_by"]["name"] == "Bo Buyer" and listed["text"] == "5% is not what we agreed"

        # An answer does not settle it; only resolving does.
        priced.rep.http.post(threads_url(priced, dispute["id"], "messages"), json={"text": "We agreed 5%."})
        assert _export(priced).json()["disputes"][0]["state"] == "answered"
        assert priced.rep.http.post(threads_url(priced, dispute["id"], "resolve")).status_code == 200
        await internal.wait_for(lambda: _steps(internal) == [], what="the step to go")
        assert _export(priced).status_code == 200


async def test_internal_disputes_and_questions_do_not_block_export(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_line)
        await rep.wait_for(lambda: (rep.doc.get("computed", type=Map).get("quote") or {}).get("lines"), what="quote")
    for body in ({"kind": "dispute", "visibility": "internal", "anchor": {"type": "room"}, "text": "Legal objects"},
                 {"kind": "question", "anchor": {"type": "room"}, "text": "Start date?"}):  # fmt: skip
        assert priced.rep.http.post(threads_url(priced), json=body).status_code == 201
    assert _export(priced).status_code == 200
