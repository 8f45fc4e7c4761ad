"""Table: how long the system itself took for one of its jobs (pricing a room, routing an approval request,
generating a contract), written as it happens. Everything else the insights read already exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime


class SystemTiming(Base):
    """One measured run. Pricing runs on every edit, so a burst keeps a sample of its runs: `runs` says how
    many runs this row stands for (1 for routing and export, which are measured every time)."""

    __tablename__ = "system_timings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "pricing" | "routing" | "export"
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    ms: Mapped[float] = mapped_column(Float)
    runs: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_system_timings_room_id_kind", "room_id", "kind"), Index("ix_system_timings_at", "at"))
