"""The room's timeline: its change events grouped into sessions (one person, no pause of 15 minutes or
more), newest first, a page at a time. The grouping is pure (`group`); `page` reads and groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.activity.events import Audience
from workspace.activity.models import RoomEvent
from workspace.activity.views import actor_view, event_view

SESSION_GAP = timedelta(minutes=15)
# Rows one page reads at most: a session longer than this (hours of edits without a pause) is cut and goes on
# in the next page, so a page costs the same in any room.
MAX_SCAN = 2000
_CHUNK = 500


@dataclass
class WorkSession:
    """One person's run of changes, newest first."""

    actor_id: int | None
    first: RoomEvent
    events: list[RoomEvent] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None

    def takes(self, row: RoomEvent) -> bool:
        assert self.start is not None
        return row.actor_id == self.actor_id and self.start - row.last_at < SESSION_GAP

    def add(self, row: RoomEvent) -> None:
        self.events.append(row)
        self.start = row.at if self.start is None else min(self.start, row.at)
        self.end = row.last_at if self.end is None else max(self.end, row.last_at)

    @property
    def oldest_id(self) -> int:
        return self.events[-1].id

    def view(self, *, internal: bool) -> dict[str, Any]:
        assert self.start is not None and self.end is not None
        return {
            "person": actor_view(self.first),
            "role": self.first.actor_role,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "edits": sum(row.edits for row in self.events),
            "changes": [_change(row, internal=internal) for row in self.events],
        }


def _change(row: RoomEvent, *, internal: bool) -> dict[str, Any]:
    view = event_view(row, internal=internal)
    for key in ("actor", "role", "summary"):  # the session says who
        view.pop(key)
    return view


def group(rows: Iterable[RoomEvent]) -> list[WorkSession]:
    """Group change events, newest first (by id), into sessions."""
    sessions: list[WorkSession] = []
    for row in rows:
        current = sessions[-1] if sessions else None
        if current is None or not current.takes(row):
            current = WorkSession(row.actor_id, row)
            sessions.append(current)
        current.add(row)
    return sessions


def _rows(db: Session, room_id: str, internal: bool, before: int | None) -> Iterable[RoomEvent]:
    """The room's change events, newest first, read in chunks, at most MAX_SCAN of them."""
    read = 0
    while read < MAX_SCAN:
        stmt = select(RoomEvent).where(RoomEvent.room_id == room_id, RoomEvent.kind.startswith("change."))
        if not internal:
            stmt = stmt.where(RoomEvent.audience == Audience.EVERYONE.value)
        if before is not None:
            stmt = stmt.where(RoomEvent.id < before)
        chunk = list(db.scalars(stmt.order_by(RoomEvent.id.desc()).limit(min(_CHUNK, MAX_SCAN - read))))
        yield from chunk
        read += len(chunk)
        if len(chunk) < _CHUNK:
            return
        before = chunk[-1].id


def page(db: Session, room_id: str, *, internal: bool, before: int | None, limit: int) -> dict[str, Any]:
    """`limit` sessions of changes older than event `before`, and the cursor of the next page (or None)."""
    sessions: list[WorkSession] = []
    more = False
    scanned = 0
    for scanned, row in enumerate(_rows(db, room_id, internal, before), start=1):  # noqa: B007 (read after)
        current = sessions[-1] if sessions else None
        if current is None or not current.takes(row):
            if len(sessions) == limit:  # the next session begins: the last one is complete
                more = True
                break
            current = WorkSession(row.actor_id, row)
            sessions.append(current)
        current.add(row)
    else:
        more = scanned >= MAX_SCAN  # cut by the scan limit: the rest comes with the next page
    return {
        "sessions": [session.view(internal=internal) for session in sessions],
        "next_before": sessions[-1].oldest_id if more and sessions else None,
    }
