"""Measuring the system's own jobs as they run: `stopwatch` times a block; routing and export write their
timing in the transaction of what they time (`add`); pricing, which runs on every edit, goes through
`Timings.note`, which keeps a sample of each burst and writes it every `FLUSH_SECONDS` off the event loop."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from workspace.insights.models import SystemTiming
from workspace.storage.base import utcnow

log = logging.getLogger(__name__)

KINDS = ("pricing", "routing", "export")
# A room re-prices on every keystroke (tens of runs a second while someone types): write at most this
# often, and keep at most `SAMPLES` runs per room in each window, each standing for its share of the runs.
FLUSH_SECONDS = 10.0
SAMPLES = 8


@dataclass
class Elapsed:
    """Milliseconds a `stopwatch` block took (set when the block ends)."""

    ms: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Elapsed]:
    """Time a block with the monotonic clock."""
    elapsed = Elapsed()
    started = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed.ms = (time.perf_counter() - started) * 1000


def add(db: Session, kind: str, room_id: str | None, ms: float, at: datetime | None = None) -> None:
    """Record one run in the caller's transaction."""
    db.add(SystemTiming(kind=kind, room_id=room_id, at=at or utcnow(), ms=round(ms, 3), runs=1))


@dataclass
class _Window:
    runs: int = 0
    samples: list[tuple[datetime, float]] = field(default_factory=list)

    def keep(self, at: datetime, ms: float) -> None:
        # Reservoir sampling: every run of the window has the same chance to be one of the kept samples.
        self.runs += 1
        if len(self.samples) < SAMPLES:
            self.samples.append((at, ms))
            return
        slot = random.randrange(self.runs)
        if slot < SAMPLES:
            self.samples[slot] = (at, ms)

    def rows(self, kind: str, room_id: str | None) -> list[SystemTiming]:
        share, extra = divmod(self.runs, len(self.samples))
        return [
            SystemTiming(kind=kind, room_id=room_id, at=at, ms=round(ms, 3), runs=share + (1 if i < extra else 0))
            for i, (at, ms) in enumerate(self.samples)
        ]


class Timings:
    """The pricing runs of the process, kept until the next write (started and stopped in the lifespan)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._windows: dict[tuple[str, str | None], _Window] = {}
        self._task: asyncio.Task[None] | None = None

    def note(self, kind: str, room_id: str | None, ms: float) -> None:
        """A run took `ms` (called on the event loop); written within `FLUSH_SECONDS`."""
        self._windows.setdefault((kind, room_id), _Window()).keep(utcnow(), ms)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._later(), name="dealroom-timings-writer")

    async def _later(self) -> None:
        await asyncio.sleep(FLUSH_SECONDS)
        await self._write()

    async def flush(self) -> None:
        """Write what is kept now (a reader of the timings calls this first, to read what just ran)."""
        await self._write()

    async def _write(self) -> None:
        windows, self._windows = self._windows, {}
        rows = [row for (kind, room_id), window in windows.items() for row in window.rows(kind, room_id)]
        if not rows:
            return

        def work() -> None:
            with self._sessions.begin() as db:
                db.add_all(rows)

        try:
            await asyncio.to_thread(work)
        except Exception:  # a room deleted meanwhile, the database away: only these samples are lost
            log.exception("could not record %d timings of the system", len(rows))

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        self._task = None
        await self._write()
