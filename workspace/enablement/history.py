"""What a rep has sold: the products of their deals that were approved or exported, read from the rooms'
versions (a version is kept at each submission, decision and export, with its priced lines)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.approval_policy.models import ApprovalRequestRow
from workspace.exports.models import ExportRow
from workspace.record.models import RoomVersion
from workspace.rooms.models import Membership, Room, RoomRole


def room_reps(db: Session, room: Room) -> list[int]:
    """The room's reps: its members as rep, else whoever opened it."""
    reps = db.execute(
        select(Membership.user_id).where(Membership.room_id == room.id, Membership.role == RoomRole.REP.value)
    ).scalars().all()  # fmt: skip
    return list(reps) or [room.created_by]


def sold_before(db: Session, reps: list[int], except_room: str) -> frozenset[str]:
    """The SKUs of every approved or exported version of the other rooms these reps hold."""
    rooms = select(Membership.room_id).where(
        Membership.user_id.in_(reps), Membership.role == RoomRole.REP.value, Membership.room_id != except_room
    )
    closed: set[tuple[str, str]] = set()
    approved = select(ApprovalRequestRow.room_id, ApprovalRequestRow.fingerprint).where(
        ApprovalRequestRow.room_id.in_(rooms), ApprovalRequestRow.state == "approved"
    )
    exported = select(ExportRow.room_id, ExportRow.fingerprint).where(ExportRow.room_id.in_(rooms))
    for query in (approved, exported):
        closed.update((room_id, fingerprint) for room_id, fingerprint in db.execute(query))
    if not closed:
        return frozenset()
    skus: set[str] = set()
    versions = select(RoomVersion.room_id, RoomVersion.fingerprint, RoomVersion.plain).where(
        RoomVersion.room_id.in_({room_id for room_id, _ in closed}), RoomVersion.number.is_not(None)
    )
    for room_id, fingerprint, plain in db.execute(versions):
        if (room_id, fingerprint) in closed:
            skus.update(str(line.get("sku", "")).upper() for line in (plain or {}).get("lines", []) if line.get("sku"))
    return frozenset(skus)
