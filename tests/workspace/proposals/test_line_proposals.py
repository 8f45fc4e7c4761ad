"""A customer's change to a line's quantity or discount is a proposal until the rep accepts, counters or declines
it; approvals, the fingerprint and export work on the accepted values only."""

from __future__ import annotations

from typing import Any

from pycrdt import Array

from approvals.samples import DEMO_POLICY_YAML
from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.proposals.helpers import (
    allow_customer_pricing,
    computed,
    net_total,
    proposals,
    ready_room,
    set_line,
)


def _qty(client: YClient) -> Any:
    return client.doc.get("lines", type=Array)[0]["qty"]


def _discount_steps(preview: dict[str, Any]) -> list[str]:
    return [step["rule_id"] for step in preview["steps"] if step["rule_id"].startswith("discount")]


def _post(priced: PricedWorld, who: str, proposal: dict[str, Any], decision: str, **body: Any) -> Any:
    api = getattr(priced, who)
    url = f"/api/rooms/{priced.room_id}/proposals/{proposal['id']}/{decision}"
    return api.http.post(url, json={"revision": proposal["revision"], **body})


async def test_a_customer_quantity_is_proposed_and_priced_beside_the_accepted_quote(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        accepted_total = net_total(computed(rep, "quote"))
        await buyer.edit(set_line("qty", 150))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal at the rep")
        await buyer.wait_for(lambda: len(proposals(buyer)) == 1, what="the proposal at the customer")
        shown = proposals(rep)[0]
        assert shown["kind"] == "line" and shown["subject"] == {"key": "line:a:qty", "line_id": "a", "field": "qty"}
        assert (shown["from"], shown["to"]) == (100, 150)
        assert shown["by"] == {"name": "Bo Buyer", "role": "customer"}
        # The quote prices what both sides see, and keeps the accepted figures beside it.
        await rep.wait_for(lambda: computed(rep, "quote_accepted") is not None, what="the accepted quote")
        assert net_total(computed(rep, "quote_accepted")) == accepted_total
        assert net_total(computed(rep, "quote")) != accepted_total
        answer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/quote").json()
        assert net_total(answer["accepted"]) == accepted_total and net_total(answer["quote"]) != accepted_total
        # Setting it back withdraws it.
        await buyer.edit(set_line("qty", 100))
        await rep.wait_for(lambda: proposals(rep) == [], what="the withdrawal")
        await rep.wait_for(lambda: computed(rep, "quote_accepted") is None, what="one quote again")


async def test_approval_facts_and_the_fingerprint_wait_for_the_rep_to_accept(priced: PricedWorld) -> None:
    answer = priced.admin.http.put(
        "/api/approvals/policy", content=DEMO_POLICY_YAML, headers={"Content-Type": "application/yaml"}
    )
    assert answer.status_code == 200, answer.text
    allow_customer_pricing(priced)
    preview = f"/api/rooms/{priced.room_id}/approvals/preview"
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        before = priced.rep.http.get(preview).json()
        assert _discount_steps(before) == []  # 10% needs nobody
        await buyer.edit(set_line("discountPct", 32))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
        during = priced.rep.http.get(preview).json()
        assert _discount_steps(during) == [] and during["fingerprint"] == before["fingerprint"]
        # Export refuses while a customer change is pending: the contract never holds an unaccepted value.
        export = priced.rep.http.post(f"/api/rooms/{priced.room_id}/export", json={"format": "docx"})
        assert export.status_code == 409 and export.json()["error"] == "proposals_pending"
        assert [p["to"] for p in export.json()["pending"]] == [32]
        accepted = _post(priced, "rep", proposals(rep)[0], "accept")
        assert accepted.status_code == 200, accepted.text
        await rep.wait_for(lambda: proposals(rep) == [], what="the accepted proposal gone")
        after = priced.rep.http.get(preview).json()
        assert _discount_steps(after) == ["discount-over-20", "discount-over-30"]
        assert after["fingerprint"] != before["fingerprint"]
        assert _qty(buyer) == 100  # accepting changes nothing in the document


async def test_decline_writes_the_accepted_value_back_to_every_screen(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        accepted_total = net_total(computed(buyer, "quote"))
        await buyer.edit(set_line("qty", 400))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
        await buyer.wait_for(lambda: len(proposals(buyer)) == 1, what="the proposal at the customer")
        declined = _post(priced, "rep", proposals(rep)[0], "decline")
        assert declined.status_code == 200, declined.text
        assert declined.json()["decision"] == "declined"
        await buyer.wait_for(lambda: _qty(buyer) == 100, what="the declined quantity restored at the customer")
        await buyer.wait_for(lambda: proposals(buyer) == [], what="no proposal left")
        await buyer.wait_for(lambda: net_total(computed(buyer, "quote")) == accepted_total, what="the quote back")
        assert computed(buyer, "quote_accepted") is None


async def test_a_counter_is_written_and_accepted_at_once(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(set_line("discountPct", 25))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
        await buyer.wait_for(lambda: len(proposals(buyer)) == 1, what="the proposal at the customer")
        countered = _post(priced, "rep", proposals(rep)[0], "counter", value=15)
        assert countered.status_code == 200, countered.text
        await buyer.wait_for(lambda: buyer.doc.get("lines", type=Array)[0]["discountPct"] == 15, what="the counter")
        await buyer.wait_for(lambda: proposals(buyer) == [], what="no proposal left")


async def test_a_room_set_to_direct_takes_customer_changes_as_today(priced: PricedWorld) -> None:
    allow_customer_pricing(priced, customer_changes="direct")
    room = priced.rep.http.get(f"/api/rooms/{priced.room_id}").json()
    assert room["customer_changes"] == "direct"
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(set_line("qty", 150))
        await rep.wait_for(lambda: "150" in str(computed(rep, "quote")), what="re-pricing")
        assert proposals(rep) == [] and computed(rep, "quote_accepted") is None


async def test_the_reps_own_change_is_accepted_at_once_and_counters_a_pending_proposal(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await rep.edit(set_line("qty", 120))
        await buyer.wait_for(lambda: _qty(buyer) == 120, what="the rep's change")
        await buyer.edit(set_line("qty", 200))
        await rep.wait_for(lambda: [p["from"] for p in proposals(rep)] == [120], what="a proposal from 120")
        await rep.edit(set_line("qty", 180))
        await rep.wait_for(lambda: proposals(rep) == [], what="the rep's edit settles it")
        await buyer.wait_for(lambda: _qty(buyer) == 180 and proposals(buyer) == [], what="settled for both")
