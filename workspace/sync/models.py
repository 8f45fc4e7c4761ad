"""Tables of the per-document update log and its compacted snapshot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT for a busy log.
UpdateId = BigInteger().with_variant(Integer(), "sqlite")


class DocUpdate(Base):
    """One accepted Yjs update, appended (and committed) before anyone sees it."""

    __tablename__ = "doc_updates"

    id: Mapped[int] = mapped_column(UpdateId, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    doc: Mapped[str] = mapped_column(String(16))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_doc_updates_room_doc_id", "room_id", "doc", "id"),)


class DocSnapshot(Base):
    """A document's log merged up to `last_update_id` (inclusive)."""

    __tablename__ = "doc_snapshots"

    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    doc: Mapped[str] = mapped_column(String(16), primary_key=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    last_update_id: Mapped[int] = mapped_column(UpdateId)
    compacted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
