"""What changed since a member last looked, and who changed it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.record.models import RoomVersion
from workspace.record.store import SEEN

# Versions taken for approvals are by approvers, whose names would tell a customer where approval stands.
_NOT_FOR_CUSTOMERS = ("decided",)


def who_changed_since(db: Session, room_id: str, since: datetime, customer: bool) -> list[dict[str, Any]]:
    """Who changed the room after `since`, as far as the record knows: the authors of the versions taken
    since then (a submit, an export, a saved or restored version), earliest first, each once. Customers are not
    told of approvers. The one place to ask: the activity record (every change with its author) answers this
    exactly once it exists; point this function at it."""
    rows = db.execute(
        select(RoomVersion.created_by, RoomVersion.created_by_name, RoomVersion.created_by_role, RoomVersion.reason)
        .where(RoomVersion.room_id == room_id, RoomVersion.reason != SEEN, RoomVersion.created_at > since)
        .order_by(RoomVersion.created_at)
    ).all()  # fmt: skip
    shown: dict[object, dict[str, Any]] = {}
    for user_id, name, role, reason in rows:
        if customer and (reason in _NOT_FOR_CUSTOMERS or role == "approver"):
            continue
        if user_id is not None and user_id not in shown:
            shown[user_id] = {"id": user_id, "name": name, "role": role}
    return list(shown.values())
