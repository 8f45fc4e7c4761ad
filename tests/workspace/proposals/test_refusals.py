"""Only the rep decides; a stale or malformed decision is refused with its reason and changes nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.proposals.helpers import (
    allow_customer_pricing,
    proposals,
    ready_room,
    set_line,
)


def _state(priced: PricedWorld) -> Any:
    snapshot = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]
    return snapshot["lines"], snapshot["computed"].get("proposals"), snapshot["terms"]


async def test_refused_decisions_change_nothing(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(set_line("qty", 150))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
        proposal = proposals(rep)[0]
        base = f"/api/rooms/{priced.room_id}/proposals/{proposal['id']}"
        before = _state(priced)
        refusals = [
            (priced.customer, "accept", {"revision": proposal["revision"]}, 403, "the rep decides"),
            (priced.customer, "decline", {"revision": proposal["revision"]}, 403, "the rep decides"),
            (priced.legal, "accept", {"revision": proposal["revision"]}, 403, "may not decide"),
            (priced.rep, "accept", {"revision": proposal["revision"] - 1}, 409, "changed since you saw it"),
            (priced.rep, "accept", {}, 400, "revision"),
            (priced.rep, "accept", {"revision": proposal["revision"], "value": 3}, 400, "unknown field"),
            (priced.rep, "counter", {"revision": proposal["revision"], "value": -5}, 400, ""),
            (priced.rep, "counter", {"revision": proposal["revision"], "value": "many"}, 400, "number"),
            (priced.rep, "counter", {"revision": proposal["revision"]}, 400, "'value' is required"),
            (priced.outsider, "accept", {"revision": proposal["revision"]}, 404, ""),
        ]
        for api, decision, body, status, reason in refusals:
            answer = api.http.post(f"{base}/{decision}", json=body)
            assert answer.status_code == status, (decision, body, answer.text)
            assert reason in answer.json()["detail"]
        missing = priced.rep.http.post(f"/api/rooms/{priced.room_id}/proposals/nope/accept", json={"revision": 1})
        assert missing.status_code == 404
        assert _state(priced) == before
        assert proposals(rep) == [proposal]
        # The customer sees the proposal as the rep's to decide, and the list says the same.
        listed = priced.customer.http.get(f"/api/rooms/{priced.room_id}/proposals").json()["proposals"]
        assert [p["id"] for p in listed] == [proposal["id"]] and "id" not in listed[0]["by"]


async def test_a_bad_room_setting_is_refused(priced: PricedWorld) -> None:
    answer = priced.rep.http.patch(f"/api/rooms/{priced.room_id}", json={"customer_changes": "sometimes"})
    assert answer.status_code == 400 and "'propose' or 'direct'" in answer.json()["detail"]
    refused = priced.customer.http.patch(f"/api/rooms/{priced.room_id}", json={"customer_changes": "direct"})
    assert refused.status_code == 403
    assert priced.rep.http.get(f"/api/rooms/{priced.room_id}").json()["customer_changes"] == "propose"
