"""A room's stage, read from the records that say it (the shared vocabulary of issue 14): never stored, so it
cannot disagree with them.

- `draft`: no customer has acted in the room yet (no customer edit, message or visit in its activity, no
  invitation accepted into it);
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
from workspace.rooms.models import Invitation, RoomRole

_CUSTOMER_ROLES = (RoomRole.CUSTOMER.value, RoomRole.VIEWER.value)  # as workspace/pipeline/stage.py reads them


def room_stage(db: Session, room_id: str) -> str:
    """The stage of one room, as `workspace.pipeline.stage.read_progress` finds it for many (one room's cards
    need only this, not the requests' contents)."""
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
    acted = select(RoomEvent.id).where(RoomEvent.room_id == room_id, RoomEvent.actor_role.in_(_CUSTOMER_ROLES))
    joined = select(Invitation.id).where(Invitation.room_id == room_id, Invitation.accepted_at.is_not(None))
    if db.execute(acted.limit(1)).first() is not None or db.execute(joined.limit(1)).first() is not None:
        return "negotiating"
    return "draft"
