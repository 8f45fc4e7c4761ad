"""What changed since a member last looked, and who changed it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.activity.events import Audience
from workspace.activity.models import RoomEvent


def who_changed_since(db: Session, room_id: str, since: datetime, customer: bool,
                      viewer: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Who changed the room after `since`, from the activity record (every change with its author): the
    people whose edits of the terms, lines or deal came later, earliest first, each once, the `viewer`
    (who asks) left out. A customer is told only of changes everyone may see (never of internal notes, nor
    of approvers)."""
    query = (
        select(RoomEvent.actor_id, RoomEvent.actor_name, RoomEvent.actor_role)
        .where(RoomEvent.room_id == room_id, RoomEvent.last_at > since, RoomEvent.kind.like("change.%"),
               RoomEvent.actor_id.is_not(None))
        .order_by(RoomEvent.id)
    )  # fmt: skip
    if customer:
        query = query.where(RoomEvent.audience == Audience.EVERYONE.value)
    shown: dict[int, dict[str, Any]] = {}
    for user_id, name, role in db.execute(query).all():
        if user_id is None or user_id == viewer or user_id in shown or (customer and role == "approver"):
            continue
        shown[user_id] = {"id": user_id, "name": name, "role": role}
    return list(shown.values())
