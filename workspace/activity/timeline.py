"""The room's timeline: its change events grouped into sessions (one person, no pause of 15 minutes or
more), newest first, a page at a time. In a session, the changes of one subject (a clause, a line's field,
a deal field) are one entry: when first and last, how many edits. The grouping is pure (`group`); `page`
reads the rows it needs (plain columns, no ORM objects: a page of 20 sessions may read 2,000 rows) and
groups them (bench/timeline.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import String, Text, cast, select, type_coerce
from sqlalchemy.orm import Session

from workspace.activity.events import Audience
from workspace.activity.labels import label
from workspace.activity.models import RoomEvent

SESSION_GAP = timedelta(minutes=15)
# Rows one page reads at most: a session longer than this (hours of edits without a pause) is cut and goes on
# in the next page, so a page costs the same in any room.
MAX_SCAN = 2000
# Subjects one session lists at most (the rest are counted in `more_subjects`).
MAX_SUBJECTS = 50
_CHUNK = 500


class Row(NamedTuple):
    """A change event as the timeline reads it (`subject` as stored JSON text)."""

    id: int
    actor_id: int | None
    actor_name: str | None
    actor_role: str | None
    at: datetime
    last_at: datetime
    kind: str
    subject: str
    edits: int
    audience: str


# The two times are read as the driver gives them and parsed by `_when` (SQLite: ISO text, parsed in C; PostgreSQL:
# datetimes): the column type's own conversion cost more than the rest of a page together.
_COLUMNS = (RoomEvent.id, RoomEvent.actor_id, RoomEvent.actor_name, RoomEvent.actor_role,
            type_coerce(RoomEvent.at, String), type_coerce(RoomEvent.last_at, String), RoomEvent.kind,
            cast(RoomEvent.subject, Text), RoomEvent.edits, RoomEvent.audience)  # fmt: skip


def _when(value: str | datetime) -> datetime:
    """A stored time: naive UTC from SQLite's text (made aware only for the few the page shows), aware from
    PostgreSQL. One page reads one database, so its times compare with each other."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _iso(value: datetime) -> str:
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


@dataclass
class SubjectChanges:
    """Every change of one subject within a session."""

    kind: str
    subject: str
    audience: str
    newest_id: int
    at: datetime
    until: datetime
    edits: int = 0

    def view(self, *, internal: bool) -> dict[str, Any]:
        what = json.loads(self.subject)
        view = {"id": self.newest_id, "at": _iso(self.at), "until": _iso(self.until), "kind": self.kind,
                "what": what, "label": label(self.kind, what), "edits": self.edits}  # fmt: skip
        if internal:
            view["audience"] = self.audience
        return view


@dataclass
class WorkSession:
    """One person's run of changes."""

    first: Row
    start: datetime
    end: datetime
    oldest_id: int
    edits: int = 0
    subjects: dict[tuple[str, str], SubjectChanges] = field(default_factory=dict)

    @classmethod
    def of(cls, row: Row) -> WorkSession:
        return cls(row, row.at, row.last_at, row.id)

    def takes(self, row: Row) -> bool:
        return row.actor_id == self.first.actor_id and self.start - row.last_at < SESSION_GAP

    def add(self, row: Row) -> None:
        self.start = min(self.start, row.at)
        self.end = max(self.end, row.last_at)
        self.oldest_id = row.id
        self.edits += row.edits
        found = self.subjects.get((row.kind, row.subject))
        if found is None:
            found = self.subjects[(row.kind, row.subject)] = SubjectChanges(
                row.kind, row.subject, row.audience, row.id, row.at, row.last_at
            )
        found.at = min(found.at, row.at)
        found.until = max(found.until, row.last_at)
        found.edits += row.edits

    def view(self, *, internal: bool) -> dict[str, Any]:
        first = self.first
        server = first.actor_id is None and first.actor_name is None
        person = None if server else {"id": first.actor_id, "name": first.actor_name}
        changes = list(self.subjects.values())  # newest first: rows come newest first
        return {
            "person": person,
            "role": first.actor_role,
            "from": _iso(self.start),
            "to": _iso(self.end),
            "edits": self.edits,
            "changes": [change.view(internal=internal) for change in changes[:MAX_SUBJECTS]],
            "more_subjects": max(0, len(changes) - MAX_SUBJECTS),
        }


def group(rows: Iterable[Row]) -> list[WorkSession]:
    """Group change events, newest first (by id), into sessions."""
    sessions: list[WorkSession] = []
    for row in rows:
        if not sessions or not sessions[-1].takes(row):
            sessions.append(WorkSession.of(row))
        sessions[-1].add(row)
    return sessions


def _rows(db: Session, room_id: str, internal: bool, before: int | None) -> Iterator[Row]:
    """The room's change events, newest first, read in chunks, at most MAX_SCAN of them."""
    read = 0
    while read < MAX_SCAN:
        stmt = select(*_COLUMNS).where(RoomEvent.room_id == room_id, RoomEvent.kind.startswith("change."))
        if not internal:
            stmt = stmt.where(RoomEvent.audience == Audience.EVERYONE.value)
        if before is not None:
            stmt = stmt.where(RoomEvent.id < before)
        found = db.connection().execute(stmt.order_by(RoomEvent.id.desc()).limit(min(_CHUNK, MAX_SCAN - read)))
        chunk = [Row(i, a, n, r, _when(at), _when(last), k, s, e, au) for i, a, n, r, at, last, k, s, e, au in found]
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
        if not sessions or not sessions[-1].takes(row):
            if len(sessions) == limit:  # the next session begins: the last one is complete
                more = True
                break
            sessions.append(WorkSession.of(row))
        sessions[-1].add(row)
    else:
        more = scanned >= MAX_SCAN  # cut by the scan limit: the rest comes with the next page
    return {
        "sessions": [session.view(internal=internal) for session in sessions],
        "next_before": sessions[-1].oldest_id if more and sessions else None,
    }
