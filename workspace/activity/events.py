"""Recording one event of a room: the small API every part of the app calls (approvals, exports,
invitations, and later threads and proposals). Change events of the documents go through
`workspace.activity.recorder`, which folds keystrokes together; everything else is one call here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from workspace.activity.models import RoomEvent
from workspace.storage.base import utcnow

if TYPE_CHECKING:
    from workspace.services import Services

MAX_SUMMARY = 500


class Audience(StrEnum):
    """Who may see an event: everyone in the room, or only the vendor's people (never a customer)."""

    EVERYONE = "everyone"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Actor:
    """Who did it, as they were named and what role they had in the room at that moment."""

    id: int
    name: str
    role: str


def add(db: Session, room_id: str, kind: str, *, actor: Actor | None, audience: Audience,
        subject: dict[str, Any], summary: str, at: datetime | None = None) -> RoomEvent:  # fmt: skip
    """Add an event in the caller's transaction (it commits with the action it records)."""
    now = at or utcnow()
    event = RoomEvent(
        room_id=room_id, at=now, last_at=now, kind=kind, audience=audience.value, subject=subject,
        summary=summary[:MAX_SUMMARY], edits=1, actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else None, actor_role=actor.role if actor else None,
    )  # fmt: skip
    db.add(event)
    return event


async def record(services: Services, room_id: str, kind: str, *, actor: Actor | None, audience: Audience,
                 subject: dict[str, Any], summary: str) -> None:  # fmt: skip
    """Store one event in its own transaction, off the event loop (after the action it records committed)."""
    at = utcnow()

    def work() -> None:
        with services.sessions.begin() as db:
            add(db, room_id, kind, actor=actor, audience=audience, subject=subject, summary=summary, at=at)

    await run_in_threadpool(work)
