"""A room's stage, derived from the records that say what happened in it (never stored, so it cannot disagree).

- `draft`: no customer has acted in the room yet (no customer edit, message or proposal in its activity, no
  invitation accepted into it).
- `negotiating`: a customer has acted; no approval request is pending and the latest is not approved.
- `in_approval`: an approval request of the room is pending.
- `approved`: the room's latest approval request is approved.
- `exported`: a contract was exported from the room (its last stage, whatever happened since).

Approved and exported deals are closed: they count toward the rep's quota (`workspace.pricing.quotas`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals import Request, RequestState
from workspace.activity.models import RoomEvent
from workspace.approval_policy.requests import room_requests
from workspace.exports.models import ExportRow
from workspace.rooms.models import Invitation, RoomRole

_CUSTOMER_ROLES = (RoomRole.CUSTOMER.value, RoomRole.VIEWER.value)


class Stage(StrEnum):
    DRAFT = "draft"
    NEGOTIATING = "negotiating"
    IN_APPROVAL = "in_approval"
    APPROVED = "approved"
    EXPORTED = "exported"

    @property
    def closed(self) -> bool:
        """Whether a deal at this stage counts toward quota."""
        return self in (Stage.APPROVED, Stage.EXPORTED)


STAGES = tuple(Stage)


@dataclass(frozen=True)
class Progress:
    """What a room's records say: its stage, when a customer last acted, when it closed, and its requests."""

    stage: Stage
    last_customer_at: datetime | None
    closed_at: datetime | None  # the export, else the approval, of a closed deal
    requests: tuple[Request, ...]  # newest first


def stage_of(exported: bool, states: Sequence[RequestState], customer_acted: bool) -> Stage:
    """The stage of a room from its facts (`states` of its approval requests, newest first; see the module
    docstring)."""
    if exported:
        return Stage.EXPORTED
    if RequestState.PENDING in states:
        return Stage.IN_APPROVAL
    if states and states[0] is RequestState.APPROVED:
        return Stage.APPROVED
    return Stage.NEGOTIATING if customer_acted else Stage.DRAFT


def _approved_at(request: Request) -> datetime:
    return max((record.at for step in request.steps for record in step.decisions), default=request.submitted_at)


def read_progress(db: Session, room_ids: Collection[str]) -> dict[str, Progress]:
    """The progress of each room, in a few queries whatever the number of rooms."""
    if not room_ids:
        return {}
    exported = dict(db.execute(select(ExportRow.room_id, func.min(ExportRow.created_at))
                               .where(ExportRow.room_id.in_(room_ids)).group_by(ExportRow.room_id)).all())  # fmt: skip
    acted: dict[str, datetime] = dict(
        db.execute(
            select(RoomEvent.room_id, func.max(RoomEvent.last_at))
            .where(RoomEvent.room_id.in_(room_ids), RoomEvent.actor_role.in_(_CUSTOMER_ROLES))
            .group_by(RoomEvent.room_id)
        ).all()
    )
    accepted = db.execute(select(Invitation.room_id, func.max(Invitation.accepted_at))
                          .where(Invitation.room_id.in_(room_ids), Invitation.accepted_at.is_not(None))
                          .group_by(Invitation.room_id)).all()  # fmt: skip
    for room_id, at in accepted:
        if at is not None:
            acted[room_id] = max(at, acted[room_id]) if room_id in acted else at
    found: dict[str, Progress] = {}
    for room_id in room_ids:
        requests = tuple(request for _, request in room_requests(db, room_id))
        stage = stage_of(room_id in exported, [request.state for request in requests], room_id in acted)
        closed_at = exported.get(room_id) if stage is Stage.EXPORTED else None
        if stage is Stage.APPROVED:
            closed_at = _approved_at(requests[0])
        found[room_id] = Progress(stage, acted.get(room_id), closed_at, requests)
    return found
