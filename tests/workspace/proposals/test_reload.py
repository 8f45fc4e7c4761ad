"""Pending proposals are part of the room: they outlive the room's unloading and are decided after it."""

from __future__ import annotations

from pycrdt import Array

from tests.conftest import PricedWorld
from tests.support.yclient import YClient, wait_until
from tests.workspace.proposals.helpers import allow_customer_pricing, proposals, ready_room, set_line
from workspace.sync.documents import DocName


async def test_a_proposal_outlives_the_room_unloading_and_is_declined_after(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    svc = priced.server.services
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(set_line("qty", 175))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
    key = (priced.room_id, DocName.SHARED)
    room = svc.rooms.loaded(*key)
    await wait_until(lambda: room is not None and not room.attached, 10, "everyone gone")
    await priced.server.acall(svc.rooms.unload(key))
    assert svc.rooms.loaded(priced.room_id, DocName.SHARED) is None
    listed = priced.rep.http.get(f"/api/rooms/{priced.room_id}/proposals").json()["proposals"]
    assert [(p["from"], p["to"], p["by"]["name"]) for p in listed] == [(100, 175, "Bo Buyer")]
    declined = priced.rep.http.post(
        f"/api/rooms/{priced.room_id}/proposals/{listed[0]['id']}/decline", json={"revision": listed[0]["revision"]}
    )
    assert declined.status_code == 200, declined.text
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.wait_for(lambda: buyer.doc.get("lines", type=Array)[0]["qty"] == 100, what="the accepted qty")
        await buyer.wait_for(lambda: proposals(buyer) == [], what="no proposal left")
