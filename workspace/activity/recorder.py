"""Change events from the room documents, written off the event loop in batches.

Every accepted client update is described on the event loop (`capture.touched`, a few microseconds) and
queued; one task hands what has queued up to a worker thread, which writes it in one transaction, at most
once every `WRITE_EVERY` (nothing waits on it: the edit itself is durable and visible long before). A
typing person folds into one row rewrite per batch instead of one transaction per keystroke: the record's
transactions had cost more than the edits' own group commits and fought them for SQLite's one writer lock
(bench/sync_latency.py --saturate: 2 ms of CPU per edit). `flush` and `stop` write at once.

Consecutive edits of one person on the same subject are folded into one event: an event less than
`FOLD_WINDOW` old is extended (its `last_at`, its count of edits, the fields it touched) rather than
followed by another row, so a typed paragraph is one event, not one per keystroke, and who, when (first
and last edit) and what are all kept. An extended event is stored again under a new id (the old row
deleted in the same transaction): ids stay in the order of the last edit, so the feed's newest-first and
the bell's read marker see it as new.

The record is written after the document's commit; "nothing acknowledged is lost" is the document's
promise (the update log), and a record that cannot be written is logged, never a refused edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pycrdt import Doc
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from workspace.activity.capture import Touch, touched
from workspace.activity.events import MAX_SUMMARY, Actor
from workspace.activity.labels import change_summary
from workspace.activity.models import RoomEvent
from workspace.errors import NotFound
from workspace.pricebook.service import Catalog
from workspace.pricing.catalog import PriceBook
from workspace.rooms.models import Room
from workspace.storage.base import utcnow
from workspace.sync.guard import Change, WriteContext

if TYPE_CHECKING:
    from workspace.sync.room import RoomDoc

log = logging.getLogger(__name__)

# A pause longer than this starts a new event for the same person and subject: short enough that the
# timeline says when things happened, long enough that typing a paragraph is one row.
FOLD_WINDOW = timedelta(seconds=60)
MAX_ADDED = 20  # products named in one "lines added" event
# The most often the record is written: a second folds the five or so edits a typing person makes of one
# subject into one row rewrite (50 rooms x 4 typists at 5 edits/s: 200 rows/s, not 1,000), and nobody reading
# the timeline notices a second.
WRITE_EVERY = 1.0


class _Products:
    """Product names of the lines a batch touched, from each room's pinned price book (read in the writer's
    transaction: on the event loop, reading the room's quote cost more than the guard's whole check)."""

    def __init__(self, catalog: Catalog | None, db: Session) -> None:
        self._catalog = catalog
        self._db = db
        self._books: dict[str, PriceBook | None] = {}

    def name(self, room_id: str, sku: object) -> str | None:
        if self._catalog is None or not isinstance(sku, str):
            return None
        if room_id not in self._books:
            version = self._db.scalar(select(Room.price_book_version).where(Room.id == room_id))
            try:
                self._books[room_id] = self._catalog.book(self._db, version)
            except NotFound:  # no price book yet: the SKU names the line
                self._books[room_id] = None
        book = self._books[room_id]
        product = book.product(sku) if book is not None else None
        return product.name if product is not None else None

    def named(self, room_id: str, subject: dict[str, Any]) -> dict[str, Any]:
        """`subject` with the product of its line (or of each added line) named."""
        if "sku" in subject and "product" not in subject:
            return {**subject, "product": self.name(room_id, subject["sku"]) or subject["sku"]}
        if "added" in subject:
            added = [{**item, "product": self.name(room_id, item.get("sku")) or item.get("sku")}
                     for item in subject["added"] if isinstance(item, dict)]  # fmt: skip
            return {**subject, "added": added}
        return subject


# The rows deleted are this writer's own, never loaded into a session: nothing to synchronise.
_NO_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class _Queued:
    room_id: str
    actor: Actor | None
    touch: Touch
    at: datetime


@dataclass
class _Open:
    """The newest event of one person on one subject, while it may still be extended."""

    values: dict[str, Any]  # the row's columns that never change: room, actor, kind, audience, first edit
    last_at: datetime
    edits: int
    subject: dict[str, Any]
    id: int | None = None  # the stored row, once written

    def row(self) -> dict[str, Any]:
        """The row's columns as they stand now."""
        summary = change_summary(self.values["actor_name"], self.values["kind"], self.subject)[:MAX_SUMMARY]
        changing = {"last_at": self.last_at, "edits": self.edits, "subject": self.subject, "summary": summary}
        return {**self.values, **changing}


def _subject(touch: Touch) -> dict[str, Any]:
    return {**touch.subject, "fields": sorted(touch.fields)} if touch.fields else dict(touch.subject)


def _merged(subject: dict[str, Any], touch: Touch, named: dict[str, Any]) -> dict[str, Any]:
    """`subject` extended by a further `touch` (`named`: its subject with products named)."""
    merged = dict(subject)
    if touch.fields:
        merged["fields"] = sorted(set(subject.get("fields") or ()) | touch.fields)
    if "added" in named:
        merged["added"] = [*(subject.get("added") or ()), *named["added"]][:MAX_ADDED]
    return merged


@dataclass
class ChangeRecorder:
    """The rooms' write observer (see `workspace.sync.room.WriteObserver`) and the change events' writer."""

    sessions: sessionmaker[Session]
    catalog: Catalog | None = None  # names the products of lines; without it, their SKUs do
    window: timedelta = FOLD_WINDOW
    _queue: list[_Queued] = field(default_factory=list)
    _open: dict[tuple[str, int | None, str, str], _Open] = field(default_factory=dict)
    _wake: asyncio.Event | None = None
    _hurry: asyncio.Event | None = None  # set by `flush`: write what is queued without waiting
    _noted: int = 0  # changes queued so far
    _done: int = 0  # of those, how many the writer has handled (written, or failed and logged)
    _flushes: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)  # (changes to wait for, waiter)
    _task: asyncio.Task[None] | None = None
    written: int = 0  # events written or extended, for tests and benchmarks
    batches: int = 0  # transactions written, for tests and benchmarks

    # --- the rooms' side (event loop) -------------------------------------------------------------

    def describe(self, room: RoomDoc, changes: Sequence[Change], twin: Doc) -> list[Touch]:
        return touched(room.name, twin, changes)

    def committed(self, room: RoomDoc, context: WriteContext, described: object) -> None:
        """Queue the change events of a client update that is now durable."""
        if not isinstance(described, list) or not described:
            return
        actor = None
        if context.actor_id is not None:
            actor = Actor(context.actor_id, context.actor_name, context.role.value)
        now = utcnow()
        for touch in described:
            if isinstance(touch, Touch):
                self.note(room.room_id, actor, touch, now)

    def note(self, room_id: str, actor: Actor | None, touch: Touch, at: datetime) -> None:
        """Queue one change of `touch`'s subject by `actor` at `at` (written by the writer task)."""
        self._queue.append(_Queued(room_id, actor, touch, at))
        self._noted += 1
        self._ensure_running()
        assert self._wake is not None
        self._wake.set()

    # --- lifecycle ---------------------------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._hurry = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="dealroom-activity-writer")

    async def start(self) -> None:
        self._ensure_running()

    async def flush(self) -> None:
        """Return once everything queued so far is written (at once: a reader of the record calls this first, so
        that it reads its own writes, e.g. who changed the room since somebody last looked)."""
        target = self._noted
        if self._done >= target or self._task is None or self._task.done():
            return
        assert self._hurry is not None
        self._hurry.set()
        waiter = asyncio.get_running_loop().create_future()
        self._flushes.append((target, waiter))
        await waiter

    async def stop(self) -> None:
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for _, waiter in self._flushes:  # nobody is left to write: do not keep a reader waiting
            if not waiter.done():
                waiter.set_result(None)
        self._flushes = []

    async def _run(self) -> None:
        assert self._wake is not None and self._hurry is not None
        loop = asyncio.get_running_loop()
        last = -WRITE_EVERY
        while True:
            await self._wake.wait()
            wait = last + WRITE_EVERY - loop.time()
            if wait > 0 and not self._hurry.is_set():
                with contextlib.suppress(TimeoutError):  # the interval is up: write what gathered
                    await asyncio.wait_for(self._hurry.wait(), wait)
            self._wake.clear()
            self._hurry.clear()
            last = loop.time()
            batch, self._queue = self._queue, []
            if batch:
                try:
                    await asyncio.to_thread(self._write, batch)
                except Exception:
                    # The documents are safe; only these events are missing. Start folding afresh.
                    log.exception("could not record %d change events of the rooms", len(batch))
                    self._open.clear()
                self._done += len(batch)
                self._release_flushes()

    def _release_flushes(self) -> None:
        waiting = []
        for target, waiter in self._flushes:
            if self._done >= target:
                if not waiter.done():
                    waiter.set_result(None)
            else:
                waiting.append((target, waiter))
        self._flushes = waiting
        if waiting:
            assert self._hurry is not None
            self._hurry.set()  # a flush that came in during the write: its changes go at once too

    # --- the writer (one worker thread at a time) ----------------------------------------------------

    def _write(self, batch: list[_Queued]) -> None:
        with self.sessions.begin() as db:
            products = _Products(self.catalog, db)
            changed: dict[int, _Open] = {}
            for item in batch:
                actor = item.actor
                key = (item.room_id, actor.id if actor else None, item.touch.kind, item.touch.key)
                current = self._open.get(key)
                if current is not None and item.at - current.last_at < self.window:
                    current.last_at = item.at
                    current.edits += 1
                    current.subject = _merged(
                        current.subject, item.touch, products.named(item.room_id, item.touch.subject)
                    )
                else:
                    values = {
                        "room_id": item.room_id, "at": item.at, "kind": item.touch.kind,
                        "audience": item.touch.audience.value, "actor_id": actor.id if actor else None,
                        "actor_name": actor.name if actor else None, "actor_role": actor.role if actor else None,
                    }  # fmt: skip
                    subject = products.named(item.room_id, _subject(item.touch))
                    current = self._open[key] = _Open(values, item.at, 1, subject)
                changed[id(current)] = current
            events = list(changed.values())
            # An extended event is written anew under a new id: it is then the room's newest event again,
            # unread in the bell of whoever read it before and first in the feed (still one row). One delete
            # and one insert for the batch (statements, not the ORM's unit of work: a tenth of the time).
            stale = [current.id for current in events if current.id is not None]
            if stale:
                db.execute(delete(RoomEvent).where(RoomEvent.id.in_(stale)), execution_options=_NO_SYNC)
            inserted = db.scalars(
                insert(RoomEvent).returning(RoomEvent.id, sort_by_parameter_order=True),
                [current.row() for current in events],
            ).all()
        for current, row_id in zip(events, inserted, strict=True):
            current.id = row_id
        self.written += len(batch)
        self.batches += 1
        # Forget subjects nobody has edited for a window (measured in the events' own time).
        cutoff = max(item.at for item in batch) - self.window
        for key in [key for key, current in self._open.items() if current.last_at < cutoff]:
            del self._open[key]
