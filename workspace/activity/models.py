"""Tables: the room's events (changes, approvals, exports, invitations, ...) and each person's read marker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime

# Like the update log: SQLite auto-increments only an INTEGER PRIMARY KEY, PostgreSQL gets a BIGINT.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class RoomEvent(Base):
    """One thing that happened in a room. A change event spans `at`..`last_at`: consecutive edits of one
    person on the same subject are folded into it (`edits` counts them), see `workspace.activity.recorder`."""

    __tablename__ = "room_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # None for the server's own events; name and role are kept as they were then.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(16))  # "everyone" | "internal"
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(String(500))
    edits: Mapped[int] = mapped_column(Integer, default=1)

    # Every read is "this room's events, newest first, before a cursor": one index serves the timeline, the
    # feed and the bell's counts on SQLite and PostgreSQL alike (bench/timeline.py).
    # SQLite's AUTOINCREMENT: an id is never used again, also after the newest row was deleted (an extended
    # event is written anew under a new id, and read markers compare ids).
    __table_args__ = (Index("ix_room_events_room_id_id", "room_id", "id"), {"sqlite_autoincrement": True})


class ReadMarker(Base):
    """The newest event of a room a person has seen in the bell."""

    __tablename__ = "room_read_markers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    up_to: Mapped[int] = mapped_column(EventId, default=0)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)
