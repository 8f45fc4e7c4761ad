"""Internal threads live in the internal document and never reach a customer: not over their websocket, not in
the snapshot, not in the threads list, not by id."""

from __future__ import annotations

from pycrdt import Map

from tests.conftest import World
from tests.support.yclient import YClient
from tests.workspace.threads.helpers import furnish, snapshot, threads_url

SECRET = "Floor is 18% on PLAT-ENT; do not go lower"


async def test_an_internal_thread_about_a_line_never_reaches_the_customer(world: World) -> None:
    await furnish(world)
    async with (
        YClient(world.ws(), world.customer.bearer) as buyer,
        YClient(world.ws(doc="internal"), world.legal.bearer) as legal,
    ):
        body = {"kind": "note", "visibility": "internal", "anchor": {"type": "line", "lineId": "l1"}, "text": SECRET}
        opened = world.rep.http.post(threads_url(world), json=body)
        assert opened.status_code == 201, opened.text
        internal = opened.json()
        assert internal["visibility"] == "internal"
        # The vendor's people see it live in the internal document...
        await legal.wait_for(lambda: internal["id"] in legal.doc.get("comments", type=Map))
        # ...and an external question about the same line reaches the customer live, after it.
        question = {"kind": "question", "anchor": {"type": "line", "lineId": "l1"}, "text": "Is 5% the best?"}
        external = world.customer.http.post(threads_url(world), json=question).json()
        reply = world.rep.http.post(threads_url(world, internal["id"], "messages"), json={"text": SECRET + " (2)"})
        assert reply.status_code == 201
        await buyer.wait_for(lambda: external["id"] in buyer.doc.get("comments", type=Map))
        frames = b"".join(buyer.received)
        assert SECRET.encode() not in frames and internal["id"].encode() not in frames

    as_customer = world.customer.http.get(threads_url(world)).json()["threads"]
    assert [t["id"] for t in as_customer] == [external["id"]]
    as_rep = world.rep.http.get(threads_url(world)).json()["threads"]
    assert {t["id"] for t in as_rep} == {internal["id"], external["id"]}
    customer_snapshot = world.customer.http.get(f"/api/rooms/{world.room_id}/snapshot")
    assert SECRET not in customer_snapshot.text and "internal" not in customer_snapshot.json()
    assert SECRET in str(snapshot(world)["internal"]["comments"])
    # A customer who learns the id gets what a wrong id gets.
    for action in ("messages", "resolve", "reopen"):
        body = {"text": "peek"} if action == "messages" else None
        answer = world.customer.http.post(threads_url(world, internal["id"], action), json=body)
        assert answer.status_code == 404, action
    # The customer cannot open the internal document's socket at all.
    sneaky = YClient(world.ws(doc="internal"), world.customer.bearer)
    await sneaky.connect(handshake=False)
    await sneaky.wait_closed()
    assert sneaky.close_code == 4403 and not sneaky.synced.is_set()
    assert all(SECRET.encode() not in frame for frame in sneaky.received)
