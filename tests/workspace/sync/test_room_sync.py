"""Two or more real clients in one room: handshake, updates, awareness, keep-alive."""

from __future__ import annotations

import asyncio

from pycrdt import Array, Map, Text, XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.marks import add_mark
from tests.support.yclient import YClient


async def test_a_new_client_receives_the_room_in_its_handshake(world: World) -> None:
    async with YClient(world.ws(), world.rep.bearer) as client:
        assert client.synced.is_set()
        assert client.doc.get("deal", type=Map)["title"] == "Deal"


async def test_an_edit_reaches_the_other_client_and_the_snapshot(world: World) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:

        def add_clause(doc):  # type: ignore[no-untyped-def]
            doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("Net 30.")]))

        await buyer.edit(add_clause)
        await rep.wait_for(lambda: "Net 30." in str(rep.doc.get("terms", type=XmlFragment)), what="the clause")
    snapshot = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()
    assert snapshot["shared"]["terms"] == "<paragraph>Net 30.</paragraph>"


async def test_rep_edits_lines_and_deal(world: World) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:
        await rep.edit(lambda doc: doc.get("lines", type=Array).append(Map({"id": "a", "sku": "X", "qty": 3})))
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("termMonths", 36))
        await buyer.wait_for(
            lambda: len(buyer.doc.get("lines", type=Array)) == 1 and buyer.doc.get("deal", type=Map)["termMonths"] == 36
        )


async def test_awareness_is_relayed_with_the_server_stamped_identity_and_removed_on_leave(world: World) -> None:
    rep = YClient(world.ws(), world.rep.bearer)
    await rep.connect()
    async with YClient(world.ws(), world.customer.bearer) as buyer:
        await rep.set_awareness({"user": {"name": "I am the CEO", "color": "#f00"}, "cursor": None})
        rep_id = rep.doc.client_id
        await buyer.wait_for(lambda: rep_id in buyer.awareness, what="the rep's presence")
        assert buyer.awareness[rep_id]["user"] == {
            "name": "Rita Rep",
            "color": "#f00",
            "id": world.rep.user_id,
            "role": "rep",
        }
        # A late joiner gets the states of those already there.
        async with YClient(world.ws(), world.legal.bearer) as late:
            await late.wait_for(lambda: rep_id in late.awareness, what="initial awareness")
        await rep.close()
        await buyer.wait_for(lambda: rep_id not in buyer.awareness, what="the rep's removal")


async def test_a_client_cannot_overwrite_another_clients_presence(world: World) -> None:
    from workspace.sync import protocol

    async with (
        YClient(world.ws(), world.rep.bearer) as rep,
        YClient(world.ws(), world.customer.bearer) as buyer,
        YClient(world.ws(), world.legal.bearer) as witness,
    ):
        await rep.set_awareness({"user": {"name": "x"}}, clock=1)
        await witness.wait_for(lambda: rep.doc.client_id in witness.awareness)
        # The buyer forges the rep's removal, then announces itself on the same connection: once the
        # witness sees the buyer, the server has handled (and must have dropped) the forgery.
        await buyer.send_raw(protocol.awareness([protocol.AwarenessEntry(rep.doc.client_id, 99, None)]))
        await buyer.set_awareness({"user": {"name": "b"}})
        await witness.wait_for(lambda: buyer.doc.client_id in witness.awareness, what="the buyer's presence")
        assert rep.doc.client_id in witness.awareness, "a forged removal reached another client"
        assert witness.awareness[rep.doc.client_id]["user"]["name"] == "Rita Rep"


async def test_query_awareness_answers_with_everyone_present(world: World) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:
        await rep.set_awareness({"user": {"name": "r"}})
        await buyer.wait_for(lambda: rep.doc.client_id in buyer.awareness)
        buyer.awareness.clear()
        await buyer.send_raw(b"\x03")
        await buyer.wait_for(lambda: rep.doc.client_id in buyer.awareness, what="query answer")


async def test_text_in_comments_is_refused_threads_go_through_the_api(world: World) -> None:
    # Threads are the server's: it sets their authors and states (POST /api/rooms/{id}/threads).
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:
        await buyer.edit(lambda doc: doc.get("comments", type=Map).__setitem__("t1", Text("Can we do net 45?")))
        await buyer.wait_closed()
        assert buyer.close_code == 4403 and "POST /api/rooms/{id}/threads" in buyer.denied[0]
        assert "t1" not in rep.doc.get("comments", type=Map)


async def test_keepalive_arrives_when_the_room_is_quiet(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server(keepalive_seconds=0.2)
    w = World(server)
    async with YClient(w.ws(), w.rep.bearer) as rep:
        count = len(rep.received)
        await rep.wait_for(lambda: len(rep.received) >= count + 2, timeout=5, what="two keep-alives")
        assert rep.received[-1] == b"\x01\x01\x00"


async def test_renaming_the_deal_in_the_room_renames_it_in_the_room_list(world: World) -> None:
    from tests.support.yclient import wait_until

    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("title", "  Deal — 3-year renewal "))

        def listed() -> bool:
            rooms = world.rep.http.get("/api/rooms").json()["rooms"]
            return any(room["title"] == "Deal — 3-year renewal" for room in rooms)

        await wait_until(listed, 10, "the room list to follow the new title")
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("title", "   "))  # blank: list keeps the name
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("customerName", "Cust Holdings"))
        await wait_until(
            lambda: world.rep.http.get(f"/api/rooms/{world.room_id}").json()["customer_name"] == "Cust Holdings",
            10,
            "the customer name",
        )
        assert world.rep.http.get(f"/api/rooms/{world.room_id}").json()["title"] == "Deal — 3-year renewal"


async def test_the_room_list_tells_who_is_here_and_when_the_deal_last_changed(world: World) -> None:
    before = {room["id"]: room for room in world.rep.http.get("/api/rooms").json()["rooms"]}
    assert before[world.room_id]["people_here"] == 0
    async with (
        YClient(world.ws(), world.rep.bearer) as rep,
        YClient(world.ws(), world.rep.bearer),  # a second tab of the same person
        YClient(world.ws(), world.customer.bearer) as buyer,
    ):
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("c", "hello"))
        await buyer.wait_for(lambda: "c" in buyer.doc.get("deal", type=Map))  # committed before it arrives
        rooms = {room["id"]: room for room in world.rep.http.get("/api/rooms").json()["rooms"]}
    assert rooms[world.room_id]["people_here"] == 2
    assert rooms[world.other_room_id]["people_here"] == 0
    assert rooms[world.room_id]["last_edit_at"] > before[world.room_id]["last_edit_at"]


async def test_an_edit_sent_just_before_leaving_is_kept_while_the_room_is_busy(world: World) -> None:
    """The client sends an edit and closes at once while the room broadcasts to it: sending to the
    leaving client fails, and the edit it sent before its close must still be stored and shown."""
    async with YClient(world.ws(), world.customer.bearer) as buyer:
        busy = buyer.doc.get("deal", type=Map)
        await buyer.edit(lambda doc: add_mark(doc, "typing: "))
        typed = buyer.doc.get("terms", type=XmlFragment).children[0].children[0]
        stop = asyncio.Event()

        async def chatter() -> None:
            while not stop.is_set():
                await buyer.edit(lambda doc: typed.insert(len(typed), "x"))  # the customer types in the terms
                await asyncio.sleep(0.001)

        noise = asyncio.create_task(chatter())
        try:
            for i in range(20):
                async with YClient(world.ws(), world.rep.bearer) as rep:
                    await rep.edit(lambda doc, i=i: doc.get("deal", type=Map).__setitem__(f"rep-{i}", i))
        finally:
            stop.set()
            await noise
        wanted = {f"rep-{i}" for i in range(20)}
        await buyer.wait_for(lambda: wanted <= set(busy), what="every edit sent before leaving")
    snapshot = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()
    assert wanted <= set(snapshot["shared"]["deal"])
