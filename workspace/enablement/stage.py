"""A room's stage, read from the records that say it (the shared vocabulary of issue 14): never stored, so it
cannot disagree with them.

- `draft`: no customer has acted in the room yet (no customer edit, message or visit in its activity);
- `negotiating`: a customer has acted; no approval request is pending and the latest is not approved;
- `in_approval`: an approval request of the room is pending;
- `approved`: the room's latest approval request is approved;
- `exported`: a contract was exported from the room."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.activity.models import RoomEvent
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.exports.models import ExportRow
from workspace.rooms.models import RoomRole


def room_stage(db: Session, room_id: str) -> str:
    if db.execute(select(ExportRow.id).where(ExportRow.room_id == room_id).limit(1)).first() is not None:
        return "exported"
    states = db.execute(
        select(ApprovalRequestRow.state)
        .where(ApprovalRequestRow.room_id == room_id)
        .order_by(ApprovalRequestRow.created_at.desc())
    ).scalars().all()  # fmt: skip
    if "pending" in states:
        return "in_approval"
    if states and states[0] == "approved":
        return "approved"
    acted = select(RoomEvent.id).where(RoomEvent.room_id == room_id, RoomEvent.actor_role == RoomRole.CUSTOMER.value)
    return "negotiating" if db.execute(acted.limit(1)).first() is not None else "draft"
