"""A client whose network dies sends no close: the server notices the silence and drops it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from tests.conftest import World
from tests.support.yclient import YClient, wait_until

TIMEOUT = 1.0  # DEALROOM_CLIENT_TIMEOUT_SECONDS for these tests (30 s in production)


@contextlib.asynccontextmanager
async def renewing(client: YClient, state: dict[str, object], every: float = TIMEOUT / 4) -> AsyncIterator[None]:
    """Renew the client's awareness like y-protocols does (every 15 s in a browser), so it stays alive."""

    async def renew() -> None:
        clock = 1
        while True:
            await client.set_awareness(state, clock=clock)
            clock += 1
            await asyncio.sleep(every)

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def people_here(world: World) -> int:
    rooms = {room["id"]: room for room in world.rep.http.get("/api/rooms").json()["rooms"]}
    return int(rooms[world.room_id]["people_here"])


async def test_a_client_that_goes_silent_is_closed_and_its_presence_removed_for_everyone(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(client_timeout_seconds=TIMEOUT))
    loop = asyncio.get_running_loop()
    async with (
        YClient(world.ws(), world.rep.bearer) as rep,
        YClient(world.ws(), world.customer.bearer) as buyer,
        renewing(rep, {"user": {"name": "r"}}),
    ):
        await buyer.set_awareness({"user": {"name": "b"}})
        await rep.wait_for(lambda: buyer.doc.client_id in rep.awareness, what="the buyer's presence")
        assert people_here(world) == 2

        # The phone's network is gone: it neither reads nor sends, and no close frame ever comes.
        buyer.ws.transport.pause_reading()
        went_silent = loop.time()
        await rep.wait_for(lambda: buyer.doc.client_id not in rep.awareness, timeout=TIMEOUT + 5, what="the removal")
        gone_after = loop.time() - went_silent
        assert gone_after <= TIMEOUT + 2, f"presence stayed {gone_after:.1f} s"
        assert gone_after >= TIMEOUT / 2, f"presence removed after {gone_after:.2f} s, before the timeout"

        # The server let go of the socket too: the room counts one person, and a newcomer sees only the rep.
        await wait_until(lambda: people_here(world) == 1, 5, "the room to count only the rep")
        async with YClient(world.ws(), world.rep.bearer) as late:  # another tab
            await late.wait_for(lambda: rep.doc.client_id in late.awareness, what="the rep's presence")
            assert buyer.doc.client_id not in late.awareness
        # The rep, who kept talking, is still connected.
        assert not rep.closed.is_set()
        # Had the phone been only slow, it would find the socket closed with a reason, and reconnect.
        buyer.ws.transport.resume_reading()
        await buyer.wait_closed(timeout=5)
        assert buyer.close_code == 1000
        assert "nothing received for 1 s" in buyer.close_reason
