"""A harness that throws messages at a live server's room socket and checks, after each one, that the walls held.

`Fuzz` holds one live server, one person of every room role, and two rooms that no message may change (each
watched by a connected observer). Each generated example gets a room of its own, seeded with content (so that
a failing example replays the same way), and for each message sent `Fuzz.check` asserts:

- the server answered (a sync step 1 sent after it is answered) or closed with a 44xx code and a reason; nothing
  else, and no hang;
- refused: the stored document and its log are byte for byte what they were, and nobody was sent anything;
- taken: the document changed only where the sender's role may write (the server's own `computed` aside), holds
  only what its sections hold, and every other connection got the same;
- the other rooms are untouched, the server answers `/healthz`, and a fresh client joins and edits the room.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from pycrdt import Array, Map, XmlElement, XmlFragment, XmlText
from sqlalchemy import select

from clauses.library import Clause, ClauseVersion
from clauses.samples_library import sample_library
from tests.support.accounts import Api, add_member, add_user, sign_in
from tests.support.room_checks import (
    holds_only_its_schema,
    nothing_hidden,
    strict_awareness,
    strip,
    view,
    within_the_role,
    without_computed,
)
from tests.support.server import LiveServer
from tests.support.yclient import YClient, wait_until
from workspace.auth.models import User
from workspace.auth.principal import principal_for
from workspace.clause_library.blocks import clause_element
from workspace.errors import DealroomError
from workspace.rooms.models import RoomRole
from workspace.rooms.service import create_room
from workspace.sync import protocol
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.guard import WriteContext
from workspace.sync.models import DocSnapshot, DocUpdate
from workspace.sync.wire import read_state_vector

PEOPLE: dict[RoomRole, tuple[str, str]] = {
    RoomRole.REP: ("rep@example.test", "rep"),
    RoomRole.LEGAL: ("legal@example.test", "legal"),
    RoomRole.APPROVER: ("manager@example.test", "sales_manager"),  # an approver in every room by their job
    RoomRole.CUSTOMER: ("buyer@customer.test", "customer"),
    RoomRole.VIEWER: ("viewer@customer.test", "customer"),
}
OUTSIDER = "other@else.test"


def person_name(role: RoomRole) -> str:
    """The name each person of the fuzz goes by."""
    return f"Fuzz {role.value}"


@functools.cache
def _payment() -> tuple[Clause, ClauseVersion]:
    clause = sample_library().get("payment")
    assert clause is not None and clause.latest_published is not None
    return clause, clause.latest_published


def payment_clause() -> XmlElement:
    """The sample library's payment clause, as the editor inserts it."""
    return clause_element(*_payment())


def seed(name: DocName, initial: bytes | None, room_id: str) -> bytes:
    """What a room holds before an example: for the shared document a deal (its title names the room), an unlocked
    and a locked line, terms with a heading, a library clause and free text, a comment; for the internal one a
    note."""
    doc = doc_from_updates(name, [initial] if initial else [])
    state = doc.get_state()
    with doc.transaction():
        if name is DocName.INTERNAL:
            doc.get("notes", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("Floor 80k.")]))
            return doc.get_update(state)
        doc.get("deal", type=Map).update({"startDate": "2027-01-01", "title": f"Room {room_id}"})
        lines = doc.get("lines", type=Array)
        for line_id, locked in (("a", False), ("b", True)):
            lines.append(Map({"id": line_id, "sku": "X", "qty": 1, "discountPct": 0, "locked": locked, "note": ""}))
        terms = doc.get("terms", type=XmlFragment)
        terms.children.append(XmlElement("heading", {"level": 1}, [XmlText("Terms")]))  # type: ignore[arg-type]
        terms.children.append(payment_clause())
        terms.children.append(XmlElement("paragraph", {}, [XmlText("Free text.")]))
        doc.get("comments", type=Map)["t1"] = {"text": "Can we start in January?", "by": "buyer"}
    return doc.get_update(state)


@dataclass
class Target:
    """One document of one room, as one person reaches it, and a rep watching it."""

    room_id: str
    name: DocName
    role: RoomRole
    rights: WriteContext
    witness: YClient
    edits: int = 0


@dataclass
class Wall:
    """A room no message to another room may change, an observer on each of its documents (which also keeps them
    loaded: unloading compacts a log), and what it held at the start."""

    room_id: str
    observers: dict[DocName, YClient]
    rows: list[tuple[str, int, bytes]] = field(default_factory=list)
    docs: dict[DocName, bytes] = field(default_factory=dict)
    seen: dict[DocName, int] = field(default_factory=dict)


class Fuzz:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        sessions = server.services.sessions
        self.ids = {role: add_user(sessions, email, kind, person_name(role)) for role, (email, kind) in PEOPLE.items()}
        add_user(sessions, OUTSIDER, "customer", "Oz Outsider")
        self.people: dict[RoomRole, Api] = {role: sign_in(server.url, email) for role, (email, _) in PEOPLE.items()}
        self.outsider = sign_in(server.url, OUTSIDER)
        self.http = httpx.Client(base_url=server.url, timeout=10)
        self.walls: list[Wall] = []
        self.home = ""  # a room of the customer's own, beside the walls
        self.outsider_home = ""  # and one of the outsider's
        self._alive: asyncio.Task[None] | None = None

    # --- setting up ----------------------------------------------------------------------------------

    def fresh_room(
        self, pricing: bool = False, deal_fields: frozenset[str] = frozenset(), members: str = "customers"
    ) -> str:
        """A new room of the rep's, seeded, with the customer and the viewer as members ("customers"), the outsider
        alone ("outsider") or nobody else ("team": the internal roles see every room)."""
        with self.server.services.sessions.begin() as db:
            rep = db.get(User, self.ids[RoomRole.REP])
            assert rep is not None
            room = create_room(db, principal_for(rep), "Fuzzed deal", "Cust")
            room.customer_may_edit_pricing = pricing
            room.customer_deal_fields = sorted(deal_fields)
            db.flush()
            initial = db.execute(select(DocUpdate.payload).where(DocUpdate.room_id == room.id)).scalar_one()
            for name in DocName:
                db.add(DocUpdate(room_id=room.id, doc=name.value, payload=seed(name, initial, room.id)))
            room_id = room.id
        if members == "outsider":
            add_member(self.server.services.sessions, room_id, self.outsider.user_id, "customer")
        elif members == "customers":
            for role in (RoomRole.CUSTOMER, RoomRole.VIEWER):
                add_member(self.server.services.sessions, room_id, self.ids[role], role.value)
        return room_id

    async def build_walls(self) -> None:
        """Two rooms that must never change: one of the deal team's only, one that only the outsider is in (besides
        the team); each with observers connected, so that a message to another room that reached them would show.
        And a room of the customer's own and one of the outsider's, for the path test."""
        rep = self.people[RoomRole.REP]
        for observer, members in ((rep, "team"), (self.outsider, "outsider")):
            room_id = self.fresh_room(members=members)
            internal = YClient(self.ws(room_id, DocName.INTERNAL), rep.bearer, DocName.INTERNAL)
            observers = {DocName.SHARED: YClient(self.ws(room_id), observer.bearer), DocName.INTERNAL: internal}
            for client in observers.values():
                await client.connect()
            self.walls.append(Wall(room_id, observers))
        self.home = self.fresh_room()
        self.outsider_home = self.fresh_room(members="outsider")
        for wall in self.walls:
            await self.settle(wall.room_id)
            wall.rows = self.rows(wall.room_id)
            wall.docs = {name: await self.stored(wall.room_id, name) for name in DocName}
            wall.seen = {name: sync_messages(client) for name, client in wall.observers.items()}
        self._alive = asyncio.create_task(self._keep_alive())

    async def _keep_alive(self) -> None:
        """The observers send what a browser sends now and then (an empty presence), or the server would take them
        for gone after `client_timeout_seconds` of silence and close them."""
        while True:
            await asyncio.sleep(self.server.settings.client_timeout_seconds / 3)
            for wall in self.walls:
                for client in wall.observers.values():
                    await client.send_raw(protocol.KEEPALIVE)

    async def target(self, role: RoomRole, name: DocName, room_id: str, rights: WriteContext) -> Target:
        witness = YClient(self.ws(room_id, name), self.people[RoomRole.REP].bearer, doc=name)
        await witness.connect()
        return Target(room_id, name, role, rights, witness)

    async def connect(self, target: Target, person: Api | None = None) -> YClient:
        client = YClient(self.ws(target.room_id, target.name), (person or self.people[target.role]).bearer, target.name)
        await client.connect()
        assert client.synced.is_set(), (client.close_code, client.close_reason)
        return client

    async def close(self) -> None:
        if self._alive is not None:
            self._alive.cancel()
            await asyncio.gather(self._alive, return_exceptions=True)
        for wall in self.walls:
            for client in wall.observers.values():
                await client.close()
        for api in (*self.people.values(), self.outsider):
            api.http.close()
        self.http.close()

    def ws(self, room_id: str, name: DocName = DocName.SHARED) -> str:
        return self.server.ws_url(room_id, name.value)

    # --- what the server holds -----------------------------------------------------------------------

    async def stored(self, room_id: str, name: DocName) -> bytes:
        """The document as the server holds it now (in memory when loaded, else from the store)."""

        async def read() -> bytes:
            return (await self.server.services.rooms.current_doc(room_id, name)).get_update()

        return await self.server.acall(read())

    async def content(self, room_id: str) -> list[tuple[dict[int, int], dict[str, Any]]]:
        """What a room's documents hold, by content (encoded bytes differ between a loaded document and the same
        one read from its log after an unload): each one's state vector and view."""
        docs = [doc_from_updates(name, [await self.stored(room_id, name)]) for name in DocName]
        return [(read_state_vector(doc.get_state()), view(doc, name)) for doc, name in zip(docs, DocName, strict=True)]

    def rows(self, room_id: str, name: DocName | None = None) -> list[tuple[str, int, bytes]]:
        """The room's log and snapshot rows (of one document, or of both)."""
        with self.server.services.sessions() as db:
            found: list[tuple[str, int, bytes]] = []
            for table, key in ((DocUpdate, DocUpdate.id), (DocSnapshot, DocSnapshot.last_update_id)):
                query = select(table.doc, key, table.payload).where(table.room_id == room_id).order_by(key)
                if name is not None:
                    query = query.where(table.doc == name.value)
                found += [
                    (f"{table.__tablename__}:{doc}", number, payload) for doc, number, payload in db.execute(query)
                ]
            return found

    async def settle(self, room_id: str) -> None:
        """Wait until the server's own derivations of the room (prices, clause checks) and its writes of proposals
        have finished (a derivation no longer runs for a change it cannot be moved by, so it no longer gives the
        proposals' write time to land)."""
        deriver, proposals = self.server.services.deriver, self.server.services.proposals
        await wait_until(lambda: deriver.idle(room_id) and proposals.idle(room_id), 10, "the room to be at rest")

    # --- the checks ----------------------------------------------------------------------------------

    async def check(self, target: Target, client: YClient, frame: bytes, allow: frozenset[int] = frozenset()) -> str:
        """Send one message and check what became of it; return the outcome, for hypothesis' statistics. `allow`:
        close codes other than 44xx that this message may get."""
        await self.settle(target.room_id)
        before = await self.stored(target.room_id, target.name)
        other = DocName.INTERNAL if target.name is DocName.SHARED else DocName.SHARED
        other_before = await self.stored(target.room_id, other)
        rows = self.rows(target.room_id, target.name)
        seen = sync_messages(target.witness)
        heard = len(client.received)
        with contextlib.suppress(websockets.ConnectionClosed):
            await client.send_raw(frame)
        await processed(client)
        await self.settle(target.room_id)
        for message in client.received[heard:]:
            if message[0] == protocol.MessageType.AWARENESS:
                strict_awareness(message)  # what the server sends must be readable by a browser
        if client.closed.is_set():
            outcome = self._refused(client, allow)
            assert await self.stored(target.room_id, target.name) == before, "a refused message changed the document"
            assert self.rows(target.room_id, target.name) == rows, "a refused message changed the log"
            assert sync_messages(target.witness) == seen, "a refused message reached another client"
        else:
            outcome = await self._taken(target, frame, before, rows)
        other_after = await self.stored(target.room_id, other)
        assert without_computed(other_after, other) == without_computed(other_before, other), f"{other} changed"
        await self.walls_hold()
        await self.still_serves(target)
        return outcome

    @staticmethod
    def _refused(client: YClient, allow: frozenset[int]) -> str:
        code, reason = client.close_code, client.close_reason
        if code in allow:
            return f"closed {code}"
        assert code is not None and 4400 <= code < 4500, f"closed with {code} {reason!r}, not a 44xx refusal"
        assert reason, f"closed with {code} and no reason"
        if code == 4403:  # a permission refusal is also said in the y-websocket auth message
            assert client.denied and client.denied[-1].startswith(reason.removesuffix("...")), client.denied
        return f"refused {code}"

    async def _taken(self, target: Target, frame: bytes, before: bytes, rows: list[tuple[str, int, bytes]]) -> str:
        try:
            message = protocol.parse_message(frame)
        except DealroomError as error:
            raise AssertionError(f"the server took a message it cannot parse: {error.detail}") from None
        after = await self.stored(target.room_id, target.name)
        now = self.rows(target.room_id, target.name)
        assert now[: len(rows)] == rows, "a taken message rewrote the log instead of appending to it"
        if not isinstance(message, protocol.SyncUpdate):
            assert after == before and now == rows, f"a {type(message).__name__} changed the document"
            return f"taken: {type(message).__name__}"
        name = target.name
        mine = doc_from_updates(name, [before, message.update])  # the room as this update alone makes it
        within_the_role(view(doc_from_updates(name, [before]), name), view(mine, name), target.rights, name)
        stored = doc_from_updates(name, [after])
        assert without_computed(after, name) == strip(view(mine, name)), "the room holds more than the update made"
        holds_only_its_schema(stored, name)
        nothing_hidden([before], message.update, name)
        # Every other connection got what was stored (the server's own later writes included).
        await target.witness.wait_for(lambda: view(target.witness.doc, name) == view(stored, name), 10, "the witness")
        return "taken: an update" if now != rows else "taken: an update that changed nothing"

    async def walls_hold(self) -> None:
        for wall in self.walls:
            now = self.rows(wall.room_id)
            assert now == wall.rows, f"room {wall.room_id}'s log changed: {_summary(wall.rows)} -> {_summary(now)}"
            for name, held in wall.docs.items():
                assert await self.stored(wall.room_id, name) == held, f"room {wall.room_id}'s {name} document changed"
            for name, observer in wall.observers.items():
                assert sync_messages(observer) == wall.seen[name], f"room {wall.room_id}'s observer was sent a change"
                assert not observer.closed.is_set(), (observer.close_code, observer.close_reason)

    async def still_serves(self, target: Target) -> None:
        """The server is up, and a fresh, well-behaved client joins the room and edits it."""
        assert self.http.get("/healthz").status_code == 200
        target.edits += 1
        mark = f"fresh edit {target.edits} {secrets.token_hex(3)}"
        async with YClient(
            self.ws(target.room_id, target.name), self.people[RoomRole.REP].bearer, target.name
        ) as fresh:
            assert fresh.synced.is_set() and not fresh.closed.is_set(), (fresh.close_code, fresh.close_reason)
            for message in fresh.received:
                if message[0] == protocol.MessageType.AWARENESS:
                    strict_awareness(message)  # presence a newcomer is sent must be readable by a browser
            root = "terms" if target.name is DocName.SHARED else "notes"
            await fresh.edit(lambda d: d.get(root, type=XmlFragment).children.append(
                XmlElement("paragraph", {}, [XmlText(mark)])))  # fmt: skip
        witness = target.witness.doc
        await target.witness.wait_for(
            lambda: mark in str(witness.get(root, type=XmlFragment)), 10, "a fresh client's edit"
        )


def _summary(rows: list[tuple[str, int, bytes]]) -> list[tuple[str, int, int]]:
    return [(table, number, len(payload)) for table, number, payload in rows]


async def processed(client: YClient) -> None:
    """Wait until the server has handled everything `client` sent (or closed it): it handles a connection's
    messages in order, so the answer to a sync step 1 sent now comes after."""
    answers = answered(client)
    with contextlib.suppress(websockets.ConnectionClosed):
        await client.send_raw(protocol.sync_step1(client.doc.get_state()))
    await client.wait_for(lambda: client.closed.is_set() or answered(client) > answers, 20, "the server to answer")


def sync_messages(client: YClient) -> int:
    """How many document messages a client was sent (keepalives and presence aside)."""
    return sum(1 for message in client.received if message[0] == protocol.MessageType.SYNC)


def answered(client: YClient) -> int:
    """How many sync step 2 messages (answers to a step 1) a client was sent."""
    return sum(1 for message in client.received if message[:2] == b"\x00\x01")
