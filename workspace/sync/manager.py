"""The room manager: loads room documents on first use, unloads them when idle, compacts logs.

Lifecycle: created and stopped by the app's lifespan. A document is loaded once even when many
clients arrive at the same moment; it is unloaded `room_idle_unload_seconds` after its last
connection leaves, after its log has been compacted.

With several workers (`placement` set, workspace/cluster/leases.py) a room is loaded only by the
worker that holds its lease: loading claims it (or raises RoomMoved), unloading its last document
releases it, and a lease lost (`drop`) closes the room's sockets at once so that they reconnect to
the room's new owner.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, Protocol

from pycrdt import Doc

from workspace.settings import Settings
from workspace.sync import closecodes
from workspace.sync.documents import DocName, doc_from_updates, merged_log
from workspace.sync.metrics import SyncMetrics
from workspace.sync.room import DealHeader, Peer, RoomDoc, WriteObserver, deal_header
from workspace.sync.store import UpdateStore

log = logging.getLogger(__name__)

Key = tuple[str, DocName]

MOVED_REASON = "this room moved to another server; reconnect"


class Placement(Protocol):
    """Which worker may load a room (workspace.cluster.leases.Leases)."""

    async def claim(self, room_id: str) -> None: ...

    async def release(self, room_id: str) -> None: ...


class RoomManager:
    def __init__(
        self,
        store: UpdateStore,
        settings: Settings,
        metrics: SyncMetrics,
        on_header_change: Callable[[str, DealHeader], Coroutine[Any, Any, None]] | None = None,
    ) -> None:
        # Told when a document is loaded and after each change a client made: the server derives
        # its own sections (prices, approvals) from the room's content then (see workspace.derive).
        self.on_client_change: Callable[[RoomDoc], None] = lambda room: None
        # Told when a document is loaded, and after every commit with who sent it (None: the server), before
        # `on_client_change`: what a change means can depend on who made it (see workspace.proposals).
        self.on_load: Callable[[RoomDoc], None] = lambda room: None
        self.on_commit: Callable[[RoomDoc, Peer | None], None] = lambda room, sender: None
        # Told when a room's deal title or customer name changes in its shared document, so
        # that the room list (a database table) follows what people typed in the room.
        self._on_header_change = on_header_change or _ignore_header
        self._headers_to_write: dict[str, DealHeader] = {}
        # Told of every accepted client update (workspace.activity records who changed what).
        self.write_observer: WriteObserver | None = None
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self._rooms: dict[Key, RoomDoc] = {}
        self._loading: dict[Key, asyncio.Future[RoomDoc]] = {}
        self._users: dict[Key, int] = {}
        self._unload_timers: dict[Key, asyncio.TimerHandle] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None
        # Several workers: the room's lease, claimed before a load and released after the last unload.
        self.placement: Placement | None = None

    async def start(self) -> None:
        self._sweeper = asyncio.create_task(self._sweep_guards(), name="dealroom-guard-sweeper")

    async def _sweep_guards(self) -> None:
        idle = self.settings.guard_idle_seconds
        while True:
            await asyncio.sleep(idle / 2)
            cutoff = time.monotonic() - idle
            for room in list(self._rooms.values()):
                if room.guard.is_built and room.guard.last_used < cutoff:
                    room.guard.release()

    def loaded(self, room_id: str, name: DocName) -> RoomDoc | None:
        return self._rooms.get((room_id, name))

    async def current_doc(self, room_id: str, name: DocName) -> Doc:
        """The document as it is now: the loaded one, or one built from the store (without loading
        the room: a read of the API must not keep a room in memory). Read it on the event loop."""
        room = self._rooms.get((room_id, name))
        if room is not None:
            return room.doc
        return doc_from_updates(name, (await self.store.load(room_id, name.value)).all_updates)

    def __iter__(self) -> Iterator[RoomDoc]:
        return iter(list(self._rooms.values()))

    async def acquire(self, room_id: str, name: DocName) -> RoomDoc:
        """Get the loaded document, loading it if needed; the caller must `release` it."""
        key = (room_id, name)
        self._users[key] = self._users.get(key, 0) + 1
        timer = self._unload_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        try:
            return await self._get(key)
        except BaseException:
            self.release(room_id, name)
            raise

    def release(self, room_id: str, name: DocName) -> None:
        key = (room_id, name)
        users = self._users.get(key, 0) - 1
        if users > 0:
            self._users[key] = users
            return
        self._users.pop(key, None)
        if key in self._rooms:
            loop = asyncio.get_running_loop()
            self._unload_timers[key] = loop.call_later(
                self.settings.room_idle_unload_seconds, lambda: self._spawn(self.unload(key))
            )

    async def _get(self, key: Key) -> RoomDoc:
        room = self._rooms.get(key)
        if room is not None:
            return room
        pending = self._loading.get(key)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._loading[key] = pending
            try:
                if self.placement is not None:
                    await self.placement.claim(key[0])
                room = await self._load(key)
            except BaseException as exc:
                pending.set_exception(exc)
                pending.exception()  # mark retrieved: the waiters re-raise it themselves
                raise
            finally:
                self._loading.pop(key, None)
            self._rooms[key] = room
            self.metrics.rooms_loaded.set(len(self._rooms))
            pending.set_result(room)
            return room
        return await asyncio.shield(pending)

    async def _load(self, key: Key) -> RoomDoc:
        room_id, name = key
        stored = await self.store.load(room_id, name.value)
        self.metrics.room_loads.inc()
        # Merged once, off the event loop, for both the document and the guard's layout.
        log = await asyncio.to_thread(merged_log, stored.all_updates)
        doc = doc_from_updates(name, log)
        room = RoomDoc(
            room_id, name, doc, self.store, list(stored.update_ids), self.settings.room_max_bytes,
            self.settings.max_items_per_update,
        )  # fmt: skip
        await room.guard.prepare(log)
        room.after_commit = self._after_commit
        room.write_observer = self.write_observer
        room.header = deal_header(room)
        self.maybe_compact(room)
        self.on_load(room)
        self.on_client_change(room)
        return room

    def _after_commit(self, room: RoomDoc, sender: Peer | None) -> None:
        self.maybe_compact(room)
        self.on_commit(room, sender)
        if sender is not None:
            self.on_client_change(room)
        header = deal_header(room)
        if header is not None and header != room.header:
            room.header = header
            # One writer per room, always writing the newest header: two renames in flight could
            # otherwise land in the wrong order.
            pending = room.room_id in self._headers_to_write
            self._headers_to_write[room.room_id] = header
            if not pending:
                self._spawn(self._write_headers(room.room_id))

    async def _write_headers(self, room_id: str) -> None:
        while room_id in self._headers_to_write:
            header = self._headers_to_write[room_id]
            try:
                await self._on_header_change(room_id, header)
            except Exception:
                log.exception("could not copy the deal title of room %s to the room list", room_id)
            if self._headers_to_write.get(room_id) is header:
                del self._headers_to_write[room_id]

    def maybe_compact(self, room: RoomDoc) -> None:
        if len(room.log_ids) >= self.settings.compact_after_updates and not room.compaction.locked():
            self._spawn(self._compact(room))

    async def _compact(self, room: RoomDoc) -> None:
        async with room.compaction:
            if not room.log_ids:
                return
            # The document and the ids are read together, with no await between: the snapshot
            # holds exactly the rows it will delete (an update still in flight is in neither).
            snapshot = room.doc.get_update()
            merged_ids = list(room.log_ids)
            try:
                await self.store.compact(room.room_id, room.name.value, snapshot, merged_ids)
            except Exception:
                log.exception("compaction of %s/%s failed; the log is intact", room.room_id, room.name.value)
                return
            del room.log_ids[: len(merged_ids)]  # commits only append, so the merged ids are a prefix
            self.metrics.compactions.inc()

    async def unload(self, key: Key) -> None:
        self._unload_timers.pop(key, None)
        room = self._rooms.get(key)
        if room is None or self._users.get(key):
            return
        await self._compact(room)
        if self._users.get(key):  # somebody arrived while we compacted: keep it
            return
        self._rooms.pop(key, None)
        self.metrics.rooms_loaded.set(len(self._rooms))
        await self._release_if_unused(key[0])

    async def _release_if_unused(self, room_id: str) -> None:
        if self.placement is None or any(loaded == room_id for loaded, _ in (*self._rooms, *self._loading)):
            return
        await self.placement.release(room_id)

    def drop(self, room_id: str) -> None:
        """This worker no longer holds the room (its lease was lost): forget its documents without a last
        compaction (the new owner compacts) and close their sockets, which reconnect to the new owner."""
        for name in DocName:
            key = (room_id, name)
            timer = self._unload_timers.pop(key, None)
            if timer is not None:
                timer.cancel()
            room = self._rooms.pop(key, None)
            if room is not None:
                room.close_all(closecodes.MOVED, MOVED_REASON)
        self.metrics.rooms_loaded.set(len(self._rooms))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        for timer in self._unload_timers.values():
            timer.cancel()
        self._unload_timers.clear()
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)


async def _ignore_header(room_id: str, header: DealHeader) -> None:
    return None
