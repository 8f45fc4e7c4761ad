"""One loaded document of one room: the authoritative Y doc, its guard, its connections.

Data flow of one client update (DESIGN.md): guard on the twin -> append to the log and commit ->
apply to the doc -> broadcast to the other connections that finished their handshake.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pycrdt import Doc, Map

from workspace.errors import DealroomError
from workspace.settings import Settings
from workspace.sync import closecodes, protocol
from workspace.sync.awareness import AwarenessRegistry
from workspace.sync.documents import DocName
from workspace.sync.guard import Change, Guard, WriteContext

if TYPE_CHECKING:
    from workspace.sync.store import UpdateStore

log = logging.getLogger(__name__)


class Peer(Protocol):
    """What a room needs of a connection."""

    def send(self, message: bytes) -> None: ...

    def close(self, code: int, reason: str) -> None: ...


class WriteObserver(Protocol):
    """Told of every accepted client update (the room's record of who changed what, workspace.activity)."""

    def describe(self, room: RoomDoc, changes: Sequence[Change], twin: Doc) -> object:
        """Say what the update changed, right after the guard took it (`twin` is as the update left it)."""
        ...

    def committed(self, room: RoomDoc, context: WriteContext, described: object) -> None:
        """The update is durable and applied; `described` is what `describe` said of it."""
        ...


class StoreFailed(DealroomError):
    """The update could not be committed; nothing of it was applied."""

    status = 503
    code = "store_failed"
    close_code = closecodes.INTERNAL_ERROR


@dataclass(frozen=True)
class DealHeader:
    """The deal's title and customer name as typed in the room; None where blank or not text."""

    title: str | None
    customer_name: str | None


def missing_from(doc: Doc, state_vector: bytes) -> bytes:
    """What a client holding `state_vector` lacks of `doc`. yrs can panic computing that difference (a
    divide by zero in its block lookup, seen once under fuzzing); pyo3 raises a panic as a BaseException,
    which would escape the connection's task. The whole document is then sent instead: a client skips what
    it already holds, so that costs bytes, never correctness."""
    try:
        return doc.get_update(state_vector)
    except (KeyboardInterrupt, SystemExit, asyncio.CancelledError):
        raise
    except BaseException:
        log.exception("the difference from a state vector of %d bytes failed: sending the whole document",
                      len(state_vector))  # fmt: skip
        return doc.get_update()


def _text(value: object) -> str | None:
    return value.strip()[:200] or None if isinstance(value, str) else None


_HEADER_KEYS = frozenset({"title", "customerName"})


def deal_header(room: RoomDoc) -> DealHeader | None:
    """The deal's title and customer name (None for the internal document). While a client's change is being
    committed (`RoomDoc.committing`) that left both alone, the header the room holds is still right: reading the
    document again (a Map object and two reads per keystroke) is spared."""
    if room.name is not DocName.SHARED:
        return None
    changes = room.committing
    if changes is not None and room.header is not None and not any(_moves_header(change) for change in changes):
        return room.header
    deal = room.doc.get("deal", type=Map)
    return DealHeader(_text(deal.get("title")), _text(deal.get("customerName")))


def _moves_header(change: Change) -> bool:
    return change.root == "deal" and (bool(change.path) or not change.keys.isdisjoint(_HEADER_KEYS))


class RoomDoc:
    def __init__(
        self,
        room_id: str,
        name: DocName,
        doc: Doc,
        store: UpdateStore,
        log_ids: list[int],
        max_bytes: int,
        max_items: int = Settings.max_items_per_update,
    ) -> None:
        self.room_id = room_id
        self.name = name
        self.doc = doc
        self.store = store
        # Log rows whose updates this document holds, oldest first: what compaction may delete.
        self.log_ids = log_ids
        self.attached: set[Peer] = set()  # every open connection, counted against the room limit
        self.synced: set[Peer] = set()  # connections past their handshake: they get broadcasts
        self.awareness = AwarenessRegistry()
        self._in_flight: dict[int, bytes] = {}
        self._ids = itertools.count()
        self.guard = Guard(name, self._accepted_updates, max_bytes, max_items)
        self.compaction = asyncio.Lock()
        # Told after each commit, with the connection that sent the change (None: the server made it).
        self.after_commit: Callable[[RoomDoc, Peer | None], None] = lambda room, sender: None
        self.header: DealHeader | None = None
        self.write_observer: WriteObserver | None = None
        # While `after_commit` runs for a client's update: what it changed (as the guard's observers saw it), so
        # that listeners skip work whose inputs it did not touch (workspace.derive). None otherwise.
        self.committing: tuple[Change, ...] | None = None

    def _accepted_updates(self) -> list[bytes]:
        return [self.doc.get_update(), *self._in_flight.values()]

    # --- the sync handshake ----------------------------------------------------------------

    def handshake(self, peer: Peer, state_vector: bytes) -> None:
        """Answer a sync step 1 with step 2 and, from then on, include the peer in broadcasts."""
        peer.send(protocol.sync_step2(missing_from(self.doc, state_vector)))
        if peer not in self.synced:
            self.synced.add(peer)
            present = self.awareness.present()
            if present:
                peer.send(protocol.awareness(present))

    # --- updates -------------------------------------------------------------------------

    async def receive_update(self, sender: Peer | None, update: bytes, context: WriteContext) -> bool:
        """Guard, store, apply and broadcast. Return False when the update changed nothing."""
        delta = self.guard.check(update, context)
        if delta is None:
            return False
        observed = self.guard.observed
        observer = self.write_observer
        described: object = None
        if observer is not None:
            try:  # read now: by the time the commit is back, other updates may have moved the twin on
                described = observer.describe(self, observed, self.guard.twin)
            except Exception:  # the record must never cost an accepted edit
                log.exception("could not describe a change to %s/%s for the record", self.room_id, self.name.value)
        await self.commit(sender, delta, observed)
        if observer is not None and described is not None:
            observer.committed(self, context, described)
        return True

    async def server_write(self, change: Callable[[Doc], None]) -> bool:
        """A change by the server itself (origin "server"), durable like any other before anyone
        sees it. Return False when it changed nothing."""
        delta = self.guard.local_change(change)
        if delta is None:
            return False
        await self.commit(None, delta)
        return True

    async def commit(self, sender: Peer | None, delta: bytes, changes: tuple[Change, ...] | None = None) -> None:
        """Make an already-guarded change durable, then visible. Shielded: when the connection that
        sent it is torn down meanwhile (its client left), a change already on its way to the store
        is still applied, so the stored log and the live document never disagree. `changes`: what the
        guard saw the change do, when known."""
        await asyncio.shield(self._commit(sender, delta, changes))

    async def _commit(self, sender: Peer | None, delta: bytes, changes: tuple[Change, ...] | None = None) -> None:
        key = next(self._ids)
        self._in_flight[key] = delta
        try:
            row_id = await self.store.append(self.room_id, self.name.value, delta)
        except Exception as exc:
            del self._in_flight[key]
            self.guard.rebuild()
            raise StoreFailed("the server could not store your change; reconnect to resync") from exc
        del self._in_flight[key]
        self.doc.apply_update(delta)
        self.log_ids.append(row_id)
        self.broadcast(protocol.sync_update(delta), exclude=sender)
        self.committing = changes
        try:
            self.after_commit(self, sender)
        finally:
            self.committing = None

    def broadcast(self, message: bytes, exclude: Peer | None = None) -> None:
        for peer in list(self.synced):
            if peer is not exclude:
                peer.send(message)

    # --- awareness -----------------------------------------------------------------------

    def update_awareness(self, peer: Peer, message: protocol.AwarenessUpdate, identity: dict[str, Any]) -> None:
        changed = self.awareness.apply(peer, message.entries, identity)
        if changed:
            self.broadcast(protocol.awareness(changed), exclude=peer)

    def close_all(self, code: int, reason: str) -> None:
        for peer in list(self.attached):
            peer.close(code, reason)

    def detach(self, peer: Peer) -> None:
        self.attached.discard(peer)
        self.synced.discard(peer)
        removals = self.awareness.remove_owner(peer)
        if removals:
            self.broadcast(protocol.awareness(removals))
