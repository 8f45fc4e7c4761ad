"""Gathering the insights' inputs from the records that already exist: rooms and their reps, the activity
record, approval requests, exports, accepted invitations, and the system's timings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

import approvals
from workspace.activity.models import RoomEvent
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.auth.models import User
from workspace.exports.models import ExportRow
from workspace.insights.history import RoomHistory
from workspace.insights.models import SystemTiming
from workspace.insights.report import Timing
from workspace.rooms.models import Invitation, Membership, Room, RoomRole

_CUSTOMER_ROLES = (RoomRole.CUSTOMER.value, RoomRole.VIEWER.value)
_VENDOR_ROLES = (RoomRole.REP.value, RoomRole.LEGAL.value, RoomRole.APPROVER.value)
# Events that change what the contract says (an accepted proposal changes the accepted values).
_DEAL_CHANGES = ("change.deal", "change.lines", "change.terms", "proposal.accepted")


@dataclass(frozen=True)
class Scope:
    """Which rooms: opened in [start, end) (either open-ended when None), of one rep (None: every rep)."""

    start: datetime | None = None
    end: datetime | None = None
    rep_id: int | None = None


def _reps(db: Session, rooms: list[Room]) -> dict[str, int]:
    """Each room's rep: its member with the rep role (the first one), else who opened it."""
    found = {room.id: room.created_by for room in rooms}
    rows = db.execute(
        select(Membership.room_id, Membership.user_id)
        .where(Membership.room_id.in_(found), Membership.role == RoomRole.REP.value)
        .order_by(Membership.created_at.desc())
    )
    for room_id, user_id in rows:  # oldest last: it wins
        found[room_id] = user_id
    return found


def histories(db: Session, scope: Scope) -> list[RoomHistory]:
    stmt = select(Room)
    if scope.start is not None:
        stmt = stmt.where(Room.created_at >= scope.start)
    if scope.end is not None:
        stmt = stmt.where(Room.created_at < scope.end)
    rooms = list(db.scalars(stmt))
    reps = _reps(db, rooms)
    if scope.rep_id is not None:
        rooms = [room for room in rooms if reps[room.id] == scope.rep_id]
    ids = [room.id for room in rooms]
    moments: dict[str, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    events = db.execute(
        select(RoomEvent.room_id, RoomEvent.at, RoomEvent.last_at, RoomEvent.kind, RoomEvent.actor_role,
               RoomEvent.audience).where(RoomEvent.room_id.in_(ids)).order_by(RoomEvent.at)
    )  # fmt: skip
    for room_id, at, last_at, kind, role, audience in events:
        mine = moments[room_id]
        if role in _CUSTOMER_ROLES:
            mine["customer"].append(at)
        elif role in _VENDOR_ROLES and audience == "everyone":
            mine["vendor"].append(at)
        if kind in _DEAL_CHANGES:
            mine["changes"].append(last_at)
        if kind == "proposal.countered":
            mine["counters"].append(at)
    accepted = db.execute(
        select(Invitation.room_id, Invitation.accepted_at)
        .where(Invitation.room_id.in_(ids), Invitation.accepted_at.is_not(None))
    )  # fmt: skip
    for room_id, accepted_at in accepted:
        if accepted_at is not None:  # the query asks for accepted ones; the column may be empty
            moments[room_id]["customer"].append(accepted_at)
    exports = db.execute(
        select(ExportRow.room_id, ExportRow.created_at).where(ExportRow.room_id.in_(ids))
        .order_by(ExportRow.created_at)
    )  # fmt: skip
    for room_id, exported_at in exports:
        moments[room_id]["exports"].append(exported_at)
    requests: dict[str, list[approvals.Request]] = defaultdict(list)
    rows = db.execute(
        select(ApprovalRequestRow.room_id, ApprovalRequestRow.data)
        .where(ApprovalRequestRow.room_id.in_(ids)).order_by(ApprovalRequestRow.created_at)
    )  # fmt: skip
    for room_id, data in rows:
        requests[room_id].append(approvals.request_from_plain(data))
    found = []
    for room in rooms:
        mine = moments[room.id]
        found.append(RoomHistory(
            room_id=room.id, title=room.title, rep_id=reps[room.id], opened_at=room.created_at,
            customer_acts=tuple(sorted(mine["customer"])), vendor_says=tuple(sorted(mine["vendor"])),
            deal_changes=tuple(sorted(mine["changes"])), counters=tuple(sorted(mine["counters"])),
            requests=tuple(requests[room.id]), exports=tuple(mine["exports"]),
        ))  # fmt: skip
    return found


def timings(db: Session, room_ids: list[str]) -> list[Timing]:
    rows = db.execute(
        select(SystemTiming.kind, SystemTiming.room_id, SystemTiming.ms, SystemTiming.runs)
        .where(SystemTiming.room_id.in_(room_ids))
    )  # fmt: skip
    return [Timing(kind, room_id, ms, runs) for kind, room_id, ms, runs in rows]


def names(db: Session) -> dict[int, str]:
    """The vendor's people by id (reps and approvers are named in the report)."""
    rows = db.execute(select(User.id, User.name).where(User.role != "customer"))
    return {user_id: name for user_id, name in rows}
