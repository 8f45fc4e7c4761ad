"""Table: the room templates admins keep (one per deal type, edited in place; `revision` refuses stale writes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class RoomTemplate(Base):
    __tablename__ = "room_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    deal_type: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(500), default="")
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)  # clause ids, in the order of the terms
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {sku, qty, discountPct}
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": revision}
