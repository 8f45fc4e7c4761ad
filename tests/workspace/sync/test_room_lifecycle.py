"""Rooms in memory: compaction while people type, unloading when empty, reloading on return."""

from __future__ import annotations

import asyncio

from pycrdt import Map
from sqlalchemy import func, select

from tests.conftest import World
from tests.support.yclient import YClient, replica, wait_until
from workspace.sync.documents import DocName
from workspace.sync.models import DocSnapshot, DocUpdate


def _log_count(world: World) -> int:
    with world.server.services.sessions() as db:
        return db.execute(
            select(func.count()).select_from(DocUpdate).where(DocUpdate.room_id == world.room_id)
        ).scalar_one()


def _has_snapshot(world: World) -> bool:
    with world.server.services.sessions() as db:
        return db.get(DocSnapshot, (world.room_id, "shared")) is not None


async def _loaded(world: World) -> bool:
    async def check() -> bool:
        return world.server.services.rooms.loaded(world.room_id, DocName.SHARED) is not None

    return await world.server.acall(check())


async def test_the_log_is_compacted_while_clients_edit(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(compact_after_updates=5))
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:
        # The deal map takes any plain value from the rep (threads in `comments` are the server's).
        deal = rep.doc.get("deal", type=Map)
        for i in range(23):
            await rep.edit(lambda doc, i=i: deal.__setitem__(f"k{i}", i))
        await buyer.wait_for(lambda: {f"k{i}" for i in range(23)} <= set(buyer.doc.get("deal", type=Map)))
        await wait_until(lambda: _log_count(world) < 5, 10, "compaction")
        assert _has_snapshot(world)
    async with YClient(world.ws(), world.legal.bearer) as late:
        assert {f"k{i}" for i in range(23)} <= set(late.doc.get("deal", type=Map))


async def test_an_empty_room_unloads_after_compacting_and_reloads_whole(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(room_idle_unload_seconds=0.2))
    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("kept", "yes"))
        assert await _loaded(world)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while await _loaded(world):
        assert loop.time() < deadline, "the empty room was not unloaded"
        await asyncio.sleep(0.05)  # poll the server until the deadline
    assert _log_count(world) == 0 and _has_snapshot(world)
    async with YClient(world.ws(), world.customer.bearer) as buyer:
        assert buyer.doc.get("deal", type=Map)["kept"] == "yes"
        assert buyer.doc.get("deal", type=Map)["title"] == "Deal"


async def test_many_clients_arriving_at_once_share_one_load(make_server) -> None:  # type: ignore[no-untyped-def]
    # Twelve sockets of one person: more than one person may hold by default (see test_seats).
    world = World(make_server(max_connections_per_person=12))
    registry = world.server.services.registry
    loads_before = registry.get_sample_value("dealroom_room_loads_total") or 0
    clients = [YClient(world.ws(), world.rep.bearer) for _ in range(12)]
    await asyncio.gather(*(client.connect() for client in clients))
    assert registry.get_sample_value("dealroom_room_loads_total") == loads_before + 1
    server = replica(await world.server.doc_state(world.room_id))
    assert all(replica(client.doc) == server for client in clients)
    await asyncio.gather(*(client.close() for client in clients))


async def test_an_idle_rooms_guard_twin_is_dropped_and_rebuilt_on_the_next_write(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(guard_idle_seconds=0.2))

    async def twin_built() -> bool:
        room = world.server.services.rooms.loaded(world.room_id, DocName.SHARED)
        return room is not None and room.guard.is_built

    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.customer.bearer) as buyer:
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("a", 1))
        await buyer.wait_for(lambda: "a" in buyer.doc.get("deal", type=Map))
        assert await world.server.acall(twin_built())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while await world.server.acall(twin_built()):
            assert loop.time() < deadline, "the idle twin was not dropped"
            await asyncio.sleep(0.05)  # poll the server until the deadline
        # The rebuilt twin knows everything: the customer still cannot write `computed`...
        await buyer.edit(lambda doc: doc.get("computed", type=Map).__setitem__("total", "0"))
        await buyer.wait_closed()
        assert buyer.close_code == 4403
        # ...and the rep's next edit, which builds on everything before, is accepted.
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("b", 2))
        async with YClient(world.ws(), world.legal.bearer) as late:
            await late.wait_for(lambda: "b" in late.doc.get("deal", type=Map))
        assert not rep.closed.is_set()
