"""The update store: the durable log of every accepted update, and its compaction.

One writer thread owns every write to the log. Appends are grouped: whatever arrives while the
previous commit runs goes into the next transaction, so a busy server commits a batch per round
trip instead of a transaction per keystroke, and the event loop never waits on the database.
Compaction runs on the same thread, between batches, in one transaction: it writes the snapshot and
deletes exactly the rows that snapshot contains, so a crash at any point loses nothing. The snapshot
is the room's in-memory document, which already holds the merge: compaction costs one encode and one
short transaction, not a replay of the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pycrdt import merge_updates
from sqlalchemy import Engine, delete, insert, select, update

from workspace.storage.base import utcnow
from workspace.sync.models import DocSnapshot, DocUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredDoc:
    """What the database holds for one document: its snapshot and the log rows after it."""

    snapshot: bytes | None
    updates: list[bytes]
    update_ids: list[int] = field(default_factory=list)

    @property
    def all_updates(self) -> list[bytes]:
        return ([self.snapshot] if self.snapshot else []) + self.updates


@dataclass
class _Append:
    room_id: str
    doc: str
    payload: bytes
    done: asyncio.Future[int] | None
    row_id: int = 0


@dataclass
class _Compact:
    room_id: str
    doc: str
    snapshot: bytes
    merged_ids: list[int]
    done: asyncio.Future[int]


@dataclass
class BatchStats:
    """Figures of the last batches, for /metrics."""

    batches: int = 0
    appended: int = 0
    observers: list[Callable[[int, float], None]] = field(default_factory=list)


class UpdateStore:
    """Appends, loads and compacts the update logs of room documents."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stats = BatchStats()
        self._queue: asyncio.Queue[_Append | _Compact | None] = asyncio.Queue()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealroom-writer")
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dealroom-reader")
        self._task: asyncio.Task[None] | None = None
        # Test seam: called inside the compaction transaction at each step ("merged", "written").
        self.compaction_hook: Callable[[str], None] = lambda step: None
        self._sqlite = engine.dialect.name == "sqlite"
        marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._insert = (
            f"INSERT INTO {DocUpdate.__tablename__} (room_id, doc, payload, created_at) "
            f"VALUES ({marker}, {marker}, {marker}, {marker}) RETURNING id"
        )
        # The column's own conversion of a time (UTC; SQLite's text form), as SQLAlchemy would bind it.
        column_type = DocUpdate.__table__.c.created_at.type
        bind = column_type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
        self._created_at: Callable[[Any], Any] = bind or (lambda value: value)
        # Several workers: a compaction merges its snapshot into the stored one (under a row lock) instead of
        # replacing it, so a worker that still believes it holds a room can never drop what its new owner
        # compacted. One worker alone has nobody to race, and replaces.
        self.merge_on_compact = False

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dealroom-update-writer")

    async def stop(self) -> None:
        """Flush what is queued, then stop the writer."""
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)

    async def append(self, room_id: str, doc: str, payload: bytes) -> int:
        """Return the log row's id once `payload` is committed."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Append(room_id, doc, payload, done))
        return await done

    async def compact(self, room_id: str, doc: str, snapshot: bytes, merged_ids: list[int]) -> int:
        """Replace the snapshot with `snapshot`, which contains the old one and the rows `merged_ids`,
        and delete those rows, in one transaction; return the number of rows deleted."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Compact(room_id, doc, snapshot, merged_ids, done))
        return await done

    async def load(self, room_id: str, doc: str) -> StoredDoc:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self.load_sync, room_id, doc)

    # --- the writer ------------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = False
        while not stopping:
            item = await self._queue.get()
            batch: list[_Append | _Compact] = []
            if item is None:
                stopping = True
            else:
                batch.append(item)
            while not self._queue.empty():
                more = self._queue.get_nowait()
                if more is None:
                    stopping = True
                else:
                    batch.append(more)
            appends = [entry for entry in batch if isinstance(entry, _Append)]
            if appends:
                await self._commit_appends(loop, appends)
            for entry in batch:
                if isinstance(entry, _Compact):
                    await self._run_compaction(loop, entry)

    async def _commit_appends(self, loop: asyncio.AbstractEventLoop, appends: list[_Append]) -> None:
        started = loop.time()
        try:
            await loop.run_in_executor(self._writer, self._write_batch, appends)
        except Exception as exc:  # every waiter must learn that its update was not stored
            log.exception("committing %d updates failed", len(appends))
            for entry in appends:
                if entry.done is not None and not entry.done.done():
                    entry.done.set_exception(exc)
            return
        elapsed = loop.time() - started
        self.stats.batches += 1
        self.stats.appended += len(appends)
        for observer in self.stats.observers:
            observer(len(appends), elapsed)
        for entry in appends:
            if entry.done is not None and not entry.done.done():
                entry.done.set_result(entry.row_id)

    async def _run_compaction(self, loop: asyncio.AbstractEventLoop, entry: _Compact) -> None:
        try:
            merged = await loop.run_in_executor(
                self._writer, self.compact_sync, entry.room_id, entry.doc, entry.snapshot, entry.merged_ids
            )
        except Exception as exc:
            log.exception("compacting %s/%s failed", entry.room_id, entry.doc)
            if not entry.done.done():
                entry.done.set_exception(exc)
            return
        if not entry.done.done():
            entry.done.set_result(merged)

    def _write_batch(self, appends: list[_Append]) -> None:
        """One transaction for the batch, on the driver's own connection: the hottest write of the server
        (every accepted edit) skips SQLAlchemy's statement building, about 0.3 ms of CPU per commit."""
        created = self._created_at(utcnow())
        rows = [(a.room_id, a.doc, a.payload, created) for a in appends]
        raw = self.engine.raw_connection()
        try:
            cursor: Any = raw.cursor()  # the driver's own (sqlite3 or psycopg)
            if self._sqlite:
                cursor.execute("BEGIN IMMEDIATE")  # as the engine does: the write lock up front
                ids = []
                for row in rows:
                    cursor.execute(self._insert, row)
                    ids.append(cursor.fetchone()[0])
            else:  # psycopg: one pipelined round trip for the batch, a result per row, in order
                cursor.executemany(self._insert, rows, returning=True)
                ids = []
                while True:
                    ids.append(cursor.fetchone()[0])
                    if not cursor.nextset():
                        break
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.close()  # back to the pool
        for entry, row_id in zip(appends, ids, strict=True):
            entry.row_id = row_id

    # --- synchronous parts (writer or reader threads) ------------------------------------------

    def load_sync(self, room_id: str, doc: str) -> StoredDoc:
        with self.engine.begin() as conn:
            snapshot = conn.execute(
                select(DocSnapshot.payload).where(DocSnapshot.room_id == room_id, DocSnapshot.doc == doc)
            ).scalar_one_or_none()
            rows = conn.execute(
                select(DocUpdate.id, DocUpdate.payload)
                .where(DocUpdate.room_id == room_id, DocUpdate.doc == doc)
                .order_by(DocUpdate.id)
            ).all()
        # Unpacked by position: reading 10,000 rows by attribute name costs as much as fetching them.
        update_ids = [row_id for row_id, _ in rows]
        return StoredDoc(snapshot, [payload for _, payload in rows], update_ids)

    def compact_sync(self, room_id: str, doc: str, snapshot: bytes, merged_ids: list[int]) -> int:
        with self.engine.begin() as conn:
            if self.merge_on_compact:
                stored = conn.execute(
                    select(DocSnapshot.payload)
                    .where(DocSnapshot.room_id == room_id, DocSnapshot.doc == doc)
                    .with_for_update()
                ).scalar_one_or_none()
                if stored:
                    snapshot = merge_updates(stored, snapshot)
            values = {"payload": snapshot, "last_update_id": max(merged_ids, default=0), "compacted_at": utcnow()}
            updated = conn.execute(
                update(DocSnapshot).where(DocSnapshot.room_id == room_id, DocSnapshot.doc == doc).values(**values)
            )
            if updated.rowcount == 0:
                conn.execute(insert(DocSnapshot).values(room_id=room_id, doc=doc, **values))
            self.compaction_hook("written")
            # Delete exactly the merged rows: a row committed meanwhile is not in the snapshot.
            deleted = 0
            for start in range(0, len(merged_ids), 500):
                chunk = merged_ids[start : start + 500]
                deleted += conn.execute(delete(DocUpdate).where(DocUpdate.id.in_(chunk))).rowcount
            self.compaction_hook("deleted")
            return deleted
