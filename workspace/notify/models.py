"""Table: what is waiting to be mailed to whom, per room (the mail digest, `workspace.notify.digest`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class DigestItem(Base):
    """One line of a coming mail: "Rita Rep mentioned you in a question: …" and the link that opens it. Sent
    items are kept (with `sent_at`): the newest one says when the person last got mail about the room."""

    __tablename__ = "mail_digest_items"
    __table_args__ = (Index("ix_mail_digest_items_person_room", "user_id", "room_id", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
