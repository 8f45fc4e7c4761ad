"""The room's activity feed (every event the caller's role may see) and the bell (unread events of the
rooms a person is a member of, not their own, and the latest of them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workspace.activity.events import Audience
from workspace.activity.models import ReadMarker, RoomEvent
from workspace.activity.views import event_view
from workspace.auth.principal import Principal
from workspace.errors import InvalidInput
from workspace.rooms.access import member_role_for
from workspace.rooms.models import Membership, Room
from workspace.storage.base import utcnow

# The bell counts to this and says "99+": counting further would cost a scan of every unread event.
UNREAD_CAP = 100


def visible(stmt: Select[Any], *, internal: bool) -> Select[Any]:
    """A customer (or read-only guest) never gets an internal event."""
    return stmt if internal else stmt.where(RoomEvent.audience == Audience.EVERYONE.value)


def activity(db: Session, room_id: str, *, internal: bool, before: int | None, limit: int) -> dict[str, Any]:
    """The room's events, newest first, older than `before`."""
    stmt = visible(select(RoomEvent).where(RoomEvent.room_id == room_id), internal=internal)
    if before is not None:
        stmt = stmt.where(RoomEvent.id < before)
    rows = list(db.scalars(stmt.order_by(RoomEvent.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "events": [event_view(row, internal=internal) for row in rows],
        "next_before": rows[-1].id if more else None,
    }


@dataclass(frozen=True)
class _Membership:
    room_id: str
    title: str
    internal: bool


def _memberships(db: Session, principal: Principal) -> list[_Membership]:
    rows = db.execute(
        select(Room.id, Room.title, Membership.role)
        .join(Membership, Membership.room_id == Room.id)
        .where(Membership.user_id == principal.user_id)
    )
    found = []
    for room_id, title, stored in rows:
        role = member_role_for(principal, stored)
        if role is not None:
            found.append(_Membership(room_id, title, role.is_internal))
    return found


def _others(stmt: Select[Any], user_id: int) -> Select[Any]:
    return stmt.where((RoomEvent.actor_id.is_(None)) | (RoomEvent.actor_id != user_id))


def notifications(db: Session, principal: Principal, limit: int) -> dict[str, Any]:
    """For the bell: per room the unread count (capped) and the newest event id, and the latest items."""
    markers = {
        room_id: up_to
        for room_id, up_to in db.execute(
            select(ReadMarker.room_id, ReadMarker.up_to).where(ReadMarker.user_id == principal.user_id)
        )
    }
    rooms: list[dict[str, Any]] = []
    items: list[tuple[RoomEvent, _Membership]] = []
    for member in _memberships(db, principal):
        mine = visible(select(RoomEvent.id).where(RoomEvent.room_id == member.room_id), internal=member.internal)
        read_up_to = markers.get(member.room_id, 0)
        unread_ids = _others(mine.where(RoomEvent.id > read_up_to), principal.user_id).limit(UNREAD_CAP)
        unread = db.scalar(select(func.count()).select_from(unread_ids.subquery())) or 0
        latest_id = db.scalar(mine.order_by(RoomEvent.id.desc()).limit(1)) or 0
        rooms.append({"room_id": member.room_id, "title": member.title, "unread": unread,
                      "unread_capped": unread >= UNREAD_CAP, "read_up_to": read_up_to,
                      "latest_id": latest_id})  # fmt: skip
        latest = visible(select(RoomEvent).where(RoomEvent.room_id == member.room_id), internal=member.internal)
        for row in db.scalars(_others(latest, principal.user_id).order_by(RoomEvent.id.desc()).limit(limit)):
            items.append((row, member))
    items.sort(key=lambda item: item[0].id, reverse=True)
    return {
        "unread": sum(room["unread"] for room in rooms),
        "rooms": rooms,
        "items": [_item(row, member, markers.get(member.room_id, 0)) for row, member in items[:limit]],
    }


def _item(row: RoomEvent, member: _Membership, read_up_to: int) -> dict[str, Any]:
    view = event_view(row, internal=member.internal)
    return {**view, "room_id": member.room_id, "room_title": member.title, "unread": row.id > read_up_to}


def mark_read(db: Session, user_id: int, room_id: str, up_to: int) -> int:
    """Move the person's read marker of the room forward to event `up_to` (never back); return the marker."""
    newest = db.scalar(select(func.max(RoomEvent.id)).where(RoomEvent.room_id == room_id)) or 0
    if up_to > newest:
        raise InvalidInput(f"'up_to' is past this room's newest event ({newest})")
    marker = db.get(ReadMarker, (user_id, room_id))
    if marker is None:
        db.add(ReadMarker(user_id=user_id, room_id=room_id, up_to=up_to, read_at=utcnow()))
        return up_to
    if up_to > marker.up_to:
        marker.up_to = up_to
        marker.read_at = utcnow()
    return marker.up_to
