"""Edits by real Yjs clients land in the room's record: who, in which role, when, and what they touched."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map

from tests.conftest import PricedWorld
from tests.support.yclient import YClient, wait_until
from tests.workspace.activity.support import add_line, append_block, clause_block, paragraph, set_text_at

BUYER = "Bo Buyer"


def _timeline(api: Any, room_id: str, **params: Any) -> dict[str, Any]:
    response = api.http.get(f"/api/rooms/{room_id}/timeline", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _changes(page: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [change for s in page["sessions"] if (s["person"] or {}).get("name") == name for change in s["changes"]]


def _quote_named(client: YClient) -> bool:
    quote = client.doc.get("computed", type=Map).get("quote") or {}
    return any(line.get("name") for line in quote.get("lines", []))


async def test_a_customer_edit_shows_in_the_reps_timeline_with_who_and_what(priced: PricedWorld) -> None:
    priced.rep.http.patch(f"/api/rooms/{priced.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(add_line("PLAT-PRO", 20, line_id="seats"))
        await rep.edit(append_block(clause_block("liability", "Limitation of liability", "Liability is capped.")))
        await rep.wait_for(lambda: _quote_named(rep), what="the priced line")
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.wait_for(lambda: _quote_named(buyer), what="the quote")
        await buyer.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 25))
        for n in range(5):  # five keystrokes in the clause: one change, five edits
            await buyer.edit(set_text_at(0, 1, 0, "x" * (n + 1)))

    def recorded() -> bool:
        changes = _changes(_timeline(priced.rep, priced.room_id), BUYER)
        return len(changes) == 2 and sum(change["edits"] for change in changes) == 6

    await wait_until(recorded, 10, "the record of one quantity and five keystrokes")
    page = _timeline(priced.rep, priced.room_id)
    newest = page["sessions"][0]
    assert newest["person"]["name"] == BUYER and newest["role"] == "customer"
    labels = {change["label"]: change for change in newest["changes"]}
    assert "Quantity of Platform Professional" in labels
    clause = labels["Clause 'Limitation of liability'"]
    assert clause["edits"] == 5 and clause["what"]["clause_id"] == "liability"
    assert labels["Quantity of Platform Professional"]["what"]["line_id"] == "seats"
    # The rep's own session comes after (older): a line added and the terms' blocks.
    assert page["sessions"][1]["person"]["name"] == "Rita Rep"


async def test_internal_notes_are_recorded_for_the_vendor_only(priced: PricedWorld) -> None:
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as notes:
        await notes.edit(append_block(paragraph("walk-away price 40"), root="notes"))
    await wait_until(lambda: _changes(_timeline(priced.rep, priced.room_id), "Rita Rep"), 10, "the record")
    assert _changes(_timeline(priced.rep, priced.room_id), "Rita Rep")[0]["label"] == "Internal notes"
    as_customer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/timeline")
    assert as_customer.json() == {"sessions": [], "next_before": None}
    feed = priced.customer.http.get(f"/api/rooms/{priced.room_id}/activity").json()
    assert feed["events"] == [] and "walk-away" not in as_customer.text


async def test_a_refused_update_leaves_no_trace_in_the_record(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(add_line("PLAT-PRO", 20, line_id="seats"))
    await wait_until(lambda: bool(_changes(_timeline(priced.rep, priced.room_id), "Rita Rep")), 10, "the rep's line")
    before = priced.rep.http.get(f"/api/rooms/{priced.room_id}/activity").json()
    # The room does not let the customer edit pricing: the guard refuses the update and closes.
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 99))
        await buyer.wait_closed()
        assert buyer.close_code == 4403
    await priced.server.acall(priced.server.services.activity.flush())
    assert priced.rep.http.get(f"/api/rooms/{priced.room_id}/activity").json() == before
