"""Tables of deal rooms, memberships (a role per room) and invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class RoomRole(StrEnum):
    """What a person may do in one room. See `workspace.sync.guard` for the write rules."""

    REP = "rep"  # owns the deal: edits everything commercial
    LEGAL = "legal"  # edits terms, comments and internal notes
    APPROVER = "approver"  # reads; comments and internal notes only
    CUSTOMER = "customer"  # external: terms, comments, and what the rep opened to them
    VIEWER = "viewer"  # external, read-only

    @property
    def is_internal(self) -> bool:
        return self in {RoomRole.REP, RoomRole.LEGAL, RoomRole.APPROVER}


class CustomerChanges(StrEnum):
    """How a room takes a customer's change to pricing or a clause (`workspace.proposals`)."""

    PROPOSE = "propose"  # a proposal the rep accepts, counters or declines; approvals and export ignore it till then
    DIRECT = "direct"  # accepted as the customer makes it


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_may_edit_pricing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Keys of the shared `deal` map the customer may write (the rep opens them one by one).
    customer_deal_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    customer_changes: Mapped[str] = mapped_column(String(16), default=CustomerChanges.PROPOSE.value)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The price book version this room prices against; None until the first quote pins the
    # newest. The rep moves it to a newer version explicitly.
    price_book_version: Mapped[int | None] = mapped_column(Integer)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "customer_name": self.customer_name,
            "customer_may_edit_pricing": self.customer_may_edit_pricing,
            "customer_deal_fields": list(self.customer_deal_fields or []),
            "customer_changes": self.customer_changes,
            "price_book_version": self.price_book_version,
            "created_at": self.created_at.isoformat(),
        }


class Membership(Base):
    __tablename__ = "memberships"

    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Invitation(Base):
    """A single-use, expiring link that lets a customer into one room. Only its hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default=RoomRole.CUSTOMER.value)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
