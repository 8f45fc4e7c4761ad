"""A customer's edit of a clause block is a proposal with its word diff; a decline brings the accepted text back."""

from __future__ import annotations

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.proposals.helpers import (
    CLAUSE_TEXT,
    clause_text,
    proposals,
    ready_room,
    replace_words,
)


async def test_a_clause_edit_is_proposed_and_a_decline_restores_the_text(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(replace_words("twelve", "twenty-four"))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the clause proposal")
        shown = proposals(rep)[0]
        assert shown["kind"] == "clause" and shown["subject"]["clause_id"] == "liability"
        assert "twelve" in shown["from"] and "twenty-four" in shown["to"]
        assert {"op": "delete", "text": "twelve"} in shown["diff"] and {"op": "insert", "text": "twenty-four"} in shown[
            "diff"
        ]
        # More typing updates the same proposal.
        await buyer.edit(replace_words("claim", "first claim"))
        await rep.wait_for(lambda: "first claim" in proposals(rep)[0]["to"], what="the updated proposal")
        assert proposals(rep)[0]["id"] == shown["id"] and proposals(rep)[0]["revision"] > shown["revision"]
        latest = proposals(rep)[0]
        declined = priced.rep.http.post(
            f"/api/rooms/{priced.room_id}/proposals/{latest['id']}/decline", json={"revision": latest["revision"]}
        )
        assert declined.status_code == 200, declined.text
        await buyer.wait_for(lambda: clause_text(buyer) == CLAUSE_TEXT, what="the accepted text at the customer")
        await rep.wait_for(lambda: clause_text(rep) == CLAUSE_TEXT, what="the accepted text at the rep")
        await rep.wait_for(lambda: proposals(rep) == [], what="no proposal left")


async def test_accepting_a_clause_edit_keeps_it_and_a_counter_is_an_edit(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(replace_words("twelve", "eighteen"))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the clause proposal")
        await buyer.wait_for(lambda: len(proposals(buyer)) == 1, what="the proposal at the customer")
        shown = proposals(rep)[0]
        url = f"/api/rooms/{priced.room_id}/proposals/{shown['id']}"
        counter = priced.rep.http.post(f"{url}/counter", json={"revision": shown["revision"], "value": 3})
        assert counter.status_code == 422 and "editing it" in counter.json()["detail"]
        accepted = priced.rep.http.post(f"{url}/accept", json={"revision": shown["revision"]})
        assert accepted.status_code == 200, accepted.text
        await buyer.wait_for(lambda: proposals(buyer) == [], what="accepted")
        assert "eighteen" in clause_text(buyer)
        # The rep's own edit of a proposed clause settles it (the counter to a clause).
        await buyer.edit(replace_words("eighteen", "thirty-six"))
        await rep.wait_for(lambda: "thirty-six" in str(proposals(rep)), what="a second proposal")
        await rep.edit(replace_words("thirty-six", "twenty"))
        await rep.wait_for(lambda: proposals(rep) == [], what="the rep's edit settles it")
        await buyer.wait_for(lambda: "twenty" in clause_text(buyer) and proposals(buyer) == [], what="settled for both")
