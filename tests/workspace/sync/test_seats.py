"""Places in a room (issue 11.3): one account cannot fill a room, customers never take the places kept for the
room's own team, and a refused connection changes nothing.

Real y-websocket clients against a live server; the limits are the defaults unless a test says otherwise
(50 connections per room document, 8 per person, the last 10 kept for the team).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import websockets
from pycrdt import Map
from sqlalchemy import func, select

from tests.conftest import World
from tests.support.accounts import Api, add_member, add_user, sign_in
from tests.support.yclient import YClient, replica, wait_until
from workspace.sync import protocol
from workspace.sync.models import DocUpdate

TOO_MANY_CONNECTIONS = 4529
ROOM_FULL = 4503


def _per_person(count: int) -> str:
    return f"you already have {count} connections to this room, the most one person may have; close one to open another"


def _reserved(reserve: int, taken: int) -> str:
    return f"this room's last {reserve} places are kept for the deal team; it already has {taken} connections"


async def _join(world: World, api: Api, doc: str = "shared") -> YClient:
    """Open a socket and start the handshake; return once it is synced or was closed (refused)."""
    client = YClient(world.ws(doc=doc), api.bearer)
    await client.connect(handshake=False)
    with contextlib.suppress(websockets.ConnectionClosed):  # a refused socket may be closed already
        await client.send_raw(protocol.sync_step1(client.doc.get_state()))
    await wait_until(lambda: client.synced.is_set() or client.closed.is_set(), 10, "sync or refusal")
    return client


async def _join_many(world: World, api: Api, count: int) -> list[YClient]:
    return list(await asyncio.gather(*(_join(world, api) for _ in range(count))))


def _live(clients: list[YClient]) -> list[YClient]:
    return [c for c in clients if c.synced.is_set() and not c.closed.is_set()]


def _refusals(clients: list[YClient]) -> list[tuple[int, str]]:
    return [(c.close_code or 0, c.close_reason) for c in clients if c.closed.is_set()]


def _metric(world: World, name: str, **labels: str) -> float:
    return world.server.services.registry.get_sample_value(name, labels) or 0.0


def _customer(world: World, email: str) -> Api:
    user_id = add_user(world.server.services.sessions, email, "customer")
    add_member(world.server.services.sessions, world.room_id, user_id, "customer")
    return sign_in(world.server.url, email)


async def _sees(client: YClient, key: str) -> None:
    deal = client.doc.get("deal", type=Map)
    await client.wait_for(lambda: key in deal, what=f"the rep's edit {key!r}")


async def _present(client: YClient, client_id: int) -> None:
    await client.wait_for(lambda: client_id in client.awareness, what=f"the presence of {client_id}")


async def _close(clients: list[YClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients))


async def _open_connections(world: World, count: int) -> None:
    await wait_until(lambda: _metric(world, "dealroom_ws_connections") == count, 10, f"{count} open connections")


async def test_fifty_sockets_on_one_customer_token_get_one_persons_share(world: World) -> None:
    clients = await _join_many(world, world.customer, 50)
    try:
        live = _live(clients)
        assert len(live) == 8
        assert _refusals(clients) == [(TOO_MANY_CONNECTIONS, _per_person(8))] * 42
        # Nothing of the room went to a refused socket.
        assert all(c.received == [] for c in clients if c.closed.is_set())
        assert _metric(world, "dealroom_ws_refused_total", reason="too_many_connections") == 42
        assert _metric(world, "dealroom_ws_connections") == 8

        # The rep joins the room the customer tried to fill, and the customer's eight are live.
        rep = await _join(world, world.rep)
        assert rep.synced.is_set() and not rep.closed.is_set()
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("hello", "from the rep"))
        for client in live:
            await _sees(client, "hello")
        await rep.close()

        # A place the person gives up is theirs again.
        await live[0].close()
        await _open_connections(world, 7)
        again = await _join(world, world.customer)
        assert again.synced.is_set() and not again.closed.is_set()
        one_more = await _join(world, world.customer)
        assert (one_more.close_code, one_more.close_reason) == (TOO_MANY_CONNECTIONS, _per_person(8))
        await _close([again, one_more])
    finally:
        await _close(clients)


async def test_the_rep_legal_and_an_approver_join_a_room_customers_have_filled(world: World) -> None:
    add_user(world.server.services.sessions, "manager@example.test", "sales_manager", "Max Manager")
    manager = sign_in(world.server.url, "manager@example.test")
    customers = [world.customer, *(_customer(world, f"buyer{i}@customer.test") for i in range(2, 6))]
    sixth = _customer(world, "buyer6@customer.test")
    clients: list[YClient] = []
    try:
        # Five customer accounts, eight sockets each: the 40 places customers may have.
        for customer in customers:
            clients += await _join_many(world, customer, 8)
        assert len(_live(clients)) == 40
        # A sixth customer finds the room full for customers.
        late = await _join(world, sixth)
        assert (late.close_code, late.close_reason) == (ROOM_FULL, _reserved(10, 40))
        assert late.received == []
        clients.append(late)
        assert _metric(world, "dealroom_ws_refused_total", reason="reserved_for_team") == 1

        # The room's own team still gets in, and works with the customers.
        team = [await _join(world, api) for api in (world.rep, world.legal, manager)]
        clients += team
        assert all(c.synced.is_set() and not c.closed.is_set() for c in team)
        rep = team[0]
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("welcome", "all of you"))
        await _sees(clients[0], "welcome")
    finally:
        await _close(clients)
        for api in (*customers[1:], sixth, manager):
            api.http.close()


async def test_the_reserve_and_the_room_limit_at_their_edges(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_connections_per_room=6, team_reserved_connections=2, max_connections_per_person=3))
    colleague = _customer(world, "colleague@customer.test")
    clients = await _join_many(world, world.customer, 3)
    try:
        clients.append(await _join(world, colleague))
        assert len(_live(clients)) == 4
        # Four of six taken, two kept for the team: no fifth customer socket, whoever's it is.
        refused = [await _join(world, colleague), await _join(world, world.customer)]
        assert _refusals(refused) == [(ROOM_FULL, _reserved(2, 4)), (TOO_MANY_CONNECTIONS, _per_person(3))]
        # The team takes the last two places; then the room is full for everyone.
        rep, legal = await _join(world, world.rep), await _join(world, world.legal)
        clients += [rep, legal]
        assert len(_live(clients)) == 6
        full = await _join(world, world.rep)
        assert (full.close_code, full.close_reason) == (ROOM_FULL, "this room already has 6 connections")
        # The rep leaving does not hand the team's place to a customer.
        await rep.close()
        await _open_connections(world, 5)
        still = await _join(world, colleague)
        assert (still.close_code, still.close_reason) == (ROOM_FULL, _reserved(2, 5))
        # The internal document counts its own places: the rep's other tab opens it.
        internal = await _join(world, world.rep, doc="internal")
        assert internal.synced.is_set() and not internal.closed.is_set()
        await _close([*refused, full, still, internal])
        assert _metric(world, "dealroom_ws_refused_total", reason="room_full") == 1
        assert _metric(world, "dealroom_ws_refused_total", reason="reserved_for_team") == 2
        assert _metric(world, "dealroom_ws_refused_total", reason="too_many_connections") == 1
    finally:
        await _close(clients)
        colleague.http.close()


def _log_rows(world: World) -> int:
    with world.server.services.sessions() as db:
        return int(
            db.execute(
                select(func.count()).select_from(DocUpdate).where(DocUpdate.room_id == world.room_id)
            ).scalar_one()
        )


async def _settled(world: World) -> tuple[Any, ...]:
    """The room's stored and in-memory state, once it has stopped changing (derived writes are debounced)."""
    previous: tuple[Any, ...] | None = None
    while True:
        state = await world.server.doc_state(world.room_id)
        snapshot = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()
        current = (replica(state) if state is not None else None, snapshot, _log_rows(world))
        if current == previous:
            return current
        previous = current
        await asyncio.sleep(0.2)  # two reads this far apart must agree


async def test_refused_connections_change_nothing(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(max_connections_per_room=4, team_reserved_connections=1, max_connections_per_person=2))
    colleague = _customer(world, "colleague@customer.test")
    rep = await _join(world, world.rep)
    buyers = await _join_many(world, world.customer, 2)
    try:
        await rep.set_awareness({"user": {"name": "Rita"}})
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("before", "kept"))
        for buyer in buyers:
            await _sees(buyer, "before")
            await _present(buyer, rep.doc.client_id)
        before = await _settled(world)
        presence = {id(b): dict(b.awareness) for b in buyers}

        # Refused sockets (one person's third, and a customer's reach for the team's place) try everything.
        attempts: list[YClient] = []
        for api in (world.customer, colleague, world.customer, colleague):
            client = YClient(world.ws(), api.bearer)
            await client.connect(handshake=False)
            with contextlib.suppress(websockets.ConnectionClosed):
                await client.send_raw(protocol.sync_step1(client.doc.get_state()))
                await client.edit(lambda doc: doc.get("deal", type=Map).__setitem__("refused", "written"))
                await client.edit(lambda doc: doc.get("deal", type=Map).__setitem__("before", "overwritten"))
                await client.set_awareness({"user": {"name": "Ghost"}})
            await client.wait_closed()
            attempts.append(client)
        assert sorted(_refusals(attempts)) == [
            (ROOM_FULL, _reserved(1, 3)),
            (ROOM_FULL, _reserved(1, 3)),
            (TOO_MANY_CONNECTIONS, _per_person(2)),
            (TOO_MANY_CONNECTIONS, _per_person(2)),
        ]
        assert all(c.received == [] for c in attempts)

        # The room, its log and its presence are as they were; the connections are the three.
        assert await _settled(world) == before
        assert {id(b): dict(b.awareness) for b in buyers} == presence
        assert _metric(world, "dealroom_ws_connections") == 3
        # ...and the room goes on working for those in it.
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("after", "seen"))
        for buyer in buyers:
            await _sees(buyer, "after")
            assert "refused" not in buyer.doc.get("deal", type=Map)
            assert not buyer.closed.is_set()
    finally:
        await _close([rep, *buyers])
        colleague.http.close()
