"""Reading and writing a room's versions. Numbers run 1, 2, ... per room: two snapshots at one moment cannot take
the same number (the room's row is locked while one is numbered, and a unique constraint stands behind it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only

from workspace.auth.models import User
from workspace.auth.principal import Principal
from workspace.record.models import RoomVersion
from workspace.rooms.access import implied_role
from workspace.rooms.models import Membership, Room

# Why a version was taken. "seen" rows are each member's last look: hidden from every list.
REASONS = ("submitted", "decided", "exported", "manual", "restored", "seen")
SEEN = "seen"
# What a customer is shown of the record: versions people chose to keep, the contracts, restores. Versions taken
# for approvals would tell them where approval stands.
CUSTOMER_REASONS = ("manual", "exported", "restored")
_TRIES = 5  # concurrent snapshots of one room each retry with the next number


@dataclass(frozen=True)
class Author:
    """Who a version is by: the person's id, name and role in the room (then)."""

    id: int | None
    name: str
    role: str


@dataclass(frozen=True)
class Snapshot:
    """A room's shared document as it is: its Yjs state, its plain view and its fingerprint."""

    state: bytes
    plain: dict[str, Any]
    fingerprint: str


def author_of(db: Session, room_id: str, user_id: int | None) -> Author:
    """The person and their role in the room (their membership, else what their job implies)."""
    user = db.get(User, user_id) if user_id is not None else None
    if user is None:
        return Author(None, "", "")
    membership = db.get(Membership, (room_id, user.id))
    if membership is not None:
        role = membership.role
    else:
        implied = implied_role(Principal(user_id=user.id, email=user.email, name=user.name, role=user.user_role))
        role = implied.value if implied is not None else ""
    return Author(user.id, user.name, role)


def add_version(
    db: Session, room_id: str, reason: str, label: str, author: Author, snapshot: Snapshot, now: datetime
) -> RoomVersion:
    """Keep `snapshot` as the room's next numbered version."""
    assert reason in REASONS and reason != SEEN
    # One number at a time per room: the room's row is locked until this transaction ends (PostgreSQL; SQLite
    # has one writer anyway), so the next snapshot reads the number this one takes. The retry covers the rest.
    db.execute(select(Room.id).where(Room.id == room_id).with_for_update())
    for attempt in range(_TRIES):
        last = db.execute(select(func.max(RoomVersion.number)).where(RoomVersion.room_id == room_id)).scalar()
        number = (last or 0) + 1
        row = _row(room_id, reason, label, author, snapshot, now, number=number)
        try:
            with db.begin_nested():
                db.add(row)
                db.flush()
            return row
        except IntegrityError:
            if attempt == _TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _row(room_id: str, reason: str, label: str, author: Author, snapshot: Snapshot, now: datetime,
         *, number: int | None = None, seen_by: int | None = None) -> RoomVersion:  # fmt: skip
    return RoomVersion(
        room_id=room_id, number=number, label=label, reason=reason, seen_by=seen_by, created_by=author.id,
        created_by_name=author.name, created_by_role=author.role, created_at=now, fingerprint=snapshot.fingerprint,
        state=snapshot.state, plain=snapshot.plain,
    )  # fmt: skip


def mark_seen(db: Session, room_id: str, author: Author, snapshot: Snapshot, now: datetime) -> None:
    """The member has seen the room as `snapshot` shows it: their one "seen" row, replaced."""
    assert author.id is not None
    row = seen_row(db, room_id, author.id)
    if row is None:
        try:
            with db.begin_nested():
                db.add(_row(room_id, SEEN, "", author, snapshot, now, seen_by=author.id))
                db.flush()
            return
        except IntegrityError:  # the same member's other tab got there first: replace theirs
            row = seen_row(db, room_id, author.id)
            assert row is not None
    row.state, row.plain, row.fingerprint, row.created_at = snapshot.state, snapshot.plain, snapshot.fingerprint, now


def seen_row(db: Session, room_id: str, user_id: int) -> RoomVersion | None:
    return db.execute(
        select(RoomVersion).where(RoomVersion.room_id == room_id, RoomVersion.seen_by == user_id)
    ).scalar_one_or_none()


def listed(db: Session, room_id: str, reasons: tuple[str, ...] | None = None) -> list[RoomVersion]:
    """The room's numbered versions, oldest first (without their states and views: a list needs neither)."""
    columns = (RoomVersion.id, RoomVersion.number, RoomVersion.label, RoomVersion.reason, RoomVersion.created_by,
               RoomVersion.created_by_name, RoomVersion.created_by_role, RoomVersion.created_at,
               RoomVersion.fingerprint)  # fmt: skip
    query = (
        select(RoomVersion)
        .options(load_only(*columns))
        .where(RoomVersion.room_id == room_id, RoomVersion.number.is_not(None))
        .order_by(RoomVersion.number)
    )
    if reasons is not None:
        query = query.where(RoomVersion.reason.in_(reasons))
    return list(db.execute(query).scalars())


def numbered(db: Session, room_id: str, number: int) -> RoomVersion | None:
    return db.execute(
        select(RoomVersion).where(RoomVersion.room_id == room_id, RoomVersion.number == number)
    ).scalar_one_or_none()


def customer_label(row: RoomVersion) -> str:
    """A neutral label for customers: never the team's own words, which may speak of approvals or margins."""
    if row.reason == "exported":
        return "Contract prepared"
    if row.reason == "restored":
        return "Earlier terms restored" if "terms" in row.label.lower() else "Earlier pricing restored"
    return "Saved version"


def version_view(row: RoomVersion, customer: bool) -> dict[str, Any]:
    """A version as the list shows it; customers get neutral labels and no reasons beyond their three."""
    return {
        "number": row.number,
        "label": customer_label(row) if customer else row.label,
        "reason": row.reason,
        "created_at": row.created_at.isoformat(),
        "created_by": {"id": row.created_by, "name": row.created_by_name, "role": row.created_by_role},
        **({} if customer else {"fingerprint": row.fingerprint}),
    }
