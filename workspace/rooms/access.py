"""A person's role in a room: their membership, or what their company role implies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from workspace.auth.models import UserRole
from workspace.auth.principal import Principal
from workspace.errors import NotFound
from workspace.rooms.models import Membership, Room, RoomRole
from workspace.sync.guard import WriteContext

# Internal people see every deal of the company in the role their job gives them; reps see only
# the rooms they are members of (their own deals), customers only the rooms they were invited to.
_IMPLIED: dict[UserRole, RoomRole] = {
    UserRole.ADMIN: RoomRole.REP,
    UserRole.LEGAL: RoomRole.LEGAL,
    UserRole.SALES_MANAGER: RoomRole.APPROVER,
    UserRole.VP_SALES: RoomRole.APPROVER,
    UserRole.FINANCE: RoomRole.APPROVER,
}


@dataclass(frozen=True)
class RoomAccess:
    room: Room
    role: RoomRole

    def write_context(self) -> WriteContext:
        return WriteContext(
            role=self.role,
            customer_may_edit_pricing=self.room.customer_may_edit_pricing,
            customer_deal_fields=frozenset(self.room.customer_deal_fields or ()),
            customer_changes_direct=self.room.customer_changes == "direct",
        )


def implied_role(principal: Principal) -> RoomRole | None:
    """The role a person has in every room by their job, without being a member."""
    return _IMPLIED.get(principal.role)


def member_role_for(principal: Principal, stored: str) -> RoomRole | None:
    role = RoomRole(stored)
    # A customer account never gets an internal role, whatever a row says.
    return role if principal.is_internal or not role.is_internal else None


def role_in(db: Session, principal: Principal, room: Room) -> RoomRole | None:
    membership = db.get(Membership, (room.id, principal.user_id))
    if membership is not None:
        return member_role_for(principal, membership.role)
    return implied_role(principal)


def room_access(db: Session, principal: Principal, room_id: str) -> RoomAccess:
    """The caller's access to a room; NotFound when it does not exist or is not theirs."""
    room = db.get(Room, room_id)
    role = role_in(db, principal, room) if room is not None else None
    if room is None or role is None:
        raise NotFound("no such room, or it is not yours")
    return RoomAccess(room, role)
