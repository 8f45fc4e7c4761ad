"""Hostile or broken traffic: oversized frames, text frames, garbage, floods, silent clients.

Each gets a clear close; the server stays healthy and other rooms are untouched.
"""

from __future__ import annotations

import asyncio

import httpx
from pycrdt import Map

from tests.conftest import World
from tests.support.yclient import YClient, wait_until
from workspace.sync import protocol


async def _assert_other_room_fine(world: World) -> None:
    async with YClient(world.ws(world.other_room_id), world.rep.bearer) as other:
        await other.edit(lambda d: d.get("deal", type=Map).__setitem__("k", "still fine"))
        assert httpx.get(f"{world.server.url}/healthz").status_code == 200

        def stored() -> bool:
            snapshot = world.rep.http.get(f"/api/rooms/{world.other_room_id}/snapshot").json()
            return bool(snapshot["shared"]["deal"].get("k") == "still fine")

        await wait_until(stored, 10, "the other room's edit to be stored")


async def _closed_after(world: World, payload: bytes | str, handshake: bool = True) -> YClient:
    client = YClient(world.ws(), world.customer.bearer)
    await client.connect(handshake=handshake)
    await client.send_raw(payload)
    await client.wait_closed()
    return client


async def test_oversized_message_is_refused_with_its_size(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_message_bytes=10_000))
    client = await _closed_after(world, b"\x00\x02" + b"\x80" * 10_100)
    assert (client.close_code, client.close_reason) == (4413, "message of 10102 bytes exceeds the limit of 10000 bytes")
    await _assert_other_room_fine(world)


async def test_a_message_well_over_the_limit_is_still_refused_with_a_reason(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_message_bytes=10_000))
    client = await _closed_after(world, b"\x00\x02" + b"\x80" * 60_000)
    assert (client.close_code, client.close_reason) == (4413, "message of 60002 bytes exceeds the limit of 10000 bytes")
    await _assert_other_room_fine(world)


async def test_huge_frame_is_cut_off_by_the_protocol_layer(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_message_bytes=10_000))
    client = await _closed_after(world, b"\x00" * 200_000)
    assert client.close_code == 1009  # "message too big", before the app buffers it
    await _assert_other_room_fine(world)


async def test_text_frame_is_refused(world: World) -> None:
    client = await _closed_after(world, "hello")
    assert (client.close_code, client.close_reason) == (1003, "text frames are not part of the protocol; send binary")
    await _assert_other_room_fine(world)


async def test_garbage_after_the_handshake_is_refused(world: World) -> None:
    client = await _closed_after(world, b"\x00\x02\x05\x01\x02\x03\x04\x05")
    assert client.close_code == 4400 and client.close_reason.startswith("malformed update: ")
    await _assert_other_room_fine(world)


async def test_unknown_message_type_is_refused(world: World) -> None:
    client = await _closed_after(world, b"\x09\x00")
    assert (client.close_code, client.close_reason) == (4400, "unknown message type 9")


async def test_update_before_the_handshake_is_refused(world: World) -> None:
    client = await _closed_after(world, protocol.sync_update(b"\x00\x00"), handshake=False)
    assert (client.close_code, client.close_reason) == (
        4400,
        "an update before the sync handshake; send sync step 1 first",
    )


async def test_a_flood_is_rate_limited(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(messages_per_second=5, message_burst=10))
    client = YClient(world.ws(), world.customer.bearer)
    await client.connect()
    for _ in range(30):
        if client.closed.is_set():
            break
        await client.send_raw(b"\x03")
    await client.wait_closed()
    assert (client.close_code, client.close_reason) == (4429, "more than 5 messages per second")
    await _assert_other_room_fine(world)


async def test_a_silent_client_is_closed_after_the_handshake_timeout(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(handshake_timeout_seconds=0.3))
    client = YClient(world.ws(), world.customer.bearer)
    await client.connect(handshake=False)
    await client.wait_closed()
    assert (client.close_code, client.close_reason) == (4408, "no sync handshake within 0.3 s")


async def test_room_connection_limit(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_connections_per_room=2, team_reserved_connections=0))
    async with YClient(world.ws(), world.rep.bearer), YClient(world.ws(), world.customer.bearer):
        third = YClient(world.ws(), world.rep.bearer)
        await third.connect(handshake=False)
        await third.wait_closed()
        assert (third.close_code, third.close_reason) == (4503, "this room already has 2 connections")
    await _assert_other_room_fine(world)


async def test_unknown_document_name(world: World) -> None:
    client = YClient(world.server.ws_url(world.room_id, "secret"), world.rep.bearer)
    await client.connect(handshake=False)
    await client.wait_closed()
    assert (client.close_code, client.close_reason) == (4404, "no such document: use 'shared' or 'internal'")


async def test_many_bad_clients_at_once_leave_the_server_healthy(make_server) -> None:  # type: ignore[no-untyped-def]
    # 20 sockets of one customer at once: more than one person may hold (test_seats.py), allowed here.
    world = World(make_server(max_connections_per_person=20))
    payloads: list[bytes | str] = [b"\xff\xff", "text", b"\x00\x02\x01", b"\x05", b"\x01\x01\x09"] * 4
    clients = await asyncio.gather(*(_closed_after(world, p) for p in payloads))
    assert all(c.close_code in (4400, 1003) for c in clients)
    await _assert_other_room_fine(world)
