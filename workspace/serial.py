"""Per-room serial runs of one derivation, debounced: a burst of edits gives one run, and a change that
arrives during a run gives exactly one more run after it (never two at once for a room)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class SerialRuns:
    def __init__(self, run: Callable[[str], Awaitable[None]], debounce_seconds: float) -> None:
        self._run = run
        self._debounce = debounce_seconds
        self._scheduled: set[str] = set()
        self._running: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    def schedule(self, room_id: str) -> None:
        """Run for `room_id` soon (on the running loop)."""
        if room_id in self._scheduled:
            return
        self._scheduled.add(room_id)
        asyncio.get_running_loop().call_later(self._debounce, self._start, room_id)

    def _start(self, room_id: str) -> None:
        self._scheduled.discard(room_id)
        if room_id in self._running:
            self._again.add(room_id)  # the running pass may have read the document before this change
            return
        task = asyncio.ensure_future(self._run(room_id))
        self._running[room_id] = task
        task.add_done_callback(lambda _: self._finished(room_id))

    def _finished(self, room_id: str) -> None:
        self._running.pop(room_id, None)
        if room_id in self._again:
            self._again.discard(room_id)
            self._start(room_id)

    def idle(self, room_id: str) -> bool:
        """Whether nothing is scheduled or running for `room_id`."""
        return room_id not in self._scheduled and room_id not in self._running and room_id not in self._again

    async def stop(self) -> None:
        """Wait for the runs in progress."""
        if self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)
