"""Table: the versions of a room. Each keeps the shared document's state (Yjs update bytes) and a plain view
of it (deal fields, priced lines, totals, terms as blocks, fingerprint) so that any two compare without
rebuilding documents. A member's last-seen version is one hidden row per member ("seen"), replaced on each
visit; it has no number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class RoomVersion(Base):
    __tablename__ = "room_versions"
    __table_args__ = (
        UniqueConstraint("room_id", "number", name="uq_room_versions_room_id_number"),
        UniqueConstraint("room_id", "seen_by", name="uq_room_versions_room_id_seen_by"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)  # 1, 2, ... per room; None for a member's "seen" row
    label: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(16))
    seen_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_by_role: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[bytes] = mapped_column(LargeBinary)
    plain: Mapped[dict[str, Any]] = mapped_column(JSON)
