"""Creating rooms, changing their settings, inviting customers and accepting invitations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from pycrdt import Map
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workspace.auth import passwords
from workspace.auth.models import User, UserRole
from workspace.auth.principal import Principal
from workspace.auth.secrets import digest, new_token
from workspace.errors import Conflict, InvalidInput, NotFound, NotSignedIn, PermissionDenied
from workspace.pricebook.models import PriceBookVersion
from workspace.rooms.access import RoomAccess, room_access
from workspace.rooms.models import Invitation, Membership, Room, RoomRole
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName, new_doc
from workspace.sync.models import DocUpdate

# Deal fields a rep may open to the customer (keys of the shared `deal` map).
DEAL_FIELDS = ("title", "customerName", "currency", "termMonths", "startDate", "paymentTermsDays", "billing")


def initial_deal_update(title: str, customer_name: str) -> bytes:
    """The first update of a room's shared document: the deal's header fields."""
    doc = new_doc(DocName.SHARED)
    deal = doc.get("deal", type=Map)
    with doc.transaction(origin="server"):
        deal["title"] = title
        deal["customerName"] = customer_name
        deal["currency"] = "USD"
        deal["termMonths"] = 12
        deal["paymentTermsDays"] = 30
        deal["billing"] = "annual"
    return doc.get_update()


def create_room(db: Session, principal: Principal, title: str, customer_name: str) -> Room:
    if principal.role not in (UserRole.REP, UserRole.ADMIN):
        raise PermissionDenied("only reps and admins open deal rooms")
    room = Room(
        id=secrets.token_urlsafe(9),
        title=title,
        customer_name=customer_name,
        created_by=principal.user_id,
        customer_deal_fields=[],
    )
    # A room prices against the price book of the day it was opened, until the rep moves it.
    room.price_book_version = db.execute(select(func.max(PriceBookVersion.version))).scalar_one_or_none()
    db.add(room)
    db.flush()
    db.add(Membership(room_id=room.id, user_id=principal.user_id, role=RoomRole.REP.value))
    db.add(DocUpdate(room_id=room.id, doc=DocName.SHARED.value, payload=initial_deal_update(title, customer_name)))
    return room


def require_rep(access: RoomAccess) -> None:
    if access.role is not RoomRole.REP:
        raise PermissionDenied("only the room's rep may do this")


@dataclass(frozen=True)
class RoomChanges:
    title: str | None = None
    customer_name: str | None = None
    customer_may_edit_pricing: bool | None = None
    customer_deal_fields: list[str] | None = None
    customer_changes: str | None = None


def change_room(db: Session, principal: Principal, room_id: str, changes: RoomChanges) -> RoomAccess:
    access = room_access(db, principal, room_id)
    require_rep(access)
    room = access.room
    if changes.customer_deal_fields is not None:
        unknown = sorted(set(changes.customer_deal_fields) - set(DEAL_FIELDS))
        if unknown:
            raise InvalidInput(f"unknown deal field {unknown[0]!r}; known: {', '.join(DEAL_FIELDS)}")
        room.customer_deal_fields = sorted(set(changes.customer_deal_fields))
    if changes.title is not None:
        room.title = changes.title
    if changes.customer_name is not None:
        room.customer_name = changes.customer_name
    if changes.customer_may_edit_pricing is not None:
        room.customer_may_edit_pricing = changes.customer_may_edit_pricing
    if changes.customer_changes is not None:
        if changes.customer_changes not in ("propose", "direct"):
            raise InvalidInput("'customer_changes' must be 'propose' or 'direct'")
        room.customer_changes = changes.customer_changes
    return RoomAccess(room, access.role)


def invite(db: Session, principal: Principal, room_id: str, email: str, name: str, role: RoomRole, days: int) -> str:
    """Create an invitation and return its secret token (only its hash is stored)."""
    access = room_access(db, principal, room_id)
    require_rep(access)
    if role not in (RoomRole.CUSTOMER, RoomRole.VIEWER):
        raise InvalidInput("invitations are for customers ('customer' or 'viewer')")
    existing = db.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()
    if existing is not None and existing.user_role.is_internal:
        raise Conflict("this email belongs to an internal account; add it as a member instead")
    token = new_token("inv")
    db.add(
        Invitation(
            room_id=room_id,
            email=email.lower(),
            name=name,
            role=role.value,
            token_hash=digest(token),
            created_by=principal.user_id,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return token


def describe_invitation(db: Session, token: str) -> dict[str, object]:
    """What the invitation page shows before anyone types a password: the deal, who invited, and
    whether the link can still be used."""
    invitation = db.execute(select(Invitation).where(Invitation.token_hash == digest(token))).scalar_one_or_none()
    if invitation is None:
        raise NotFound("no such invitation: check the link, or ask for a new one")
    room = db.get(Room, invitation.room_id)
    inviter = db.get(User, invitation.created_by)
    if invitation.accepted_at is not None:
        status = "used"
    elif invitation.expires_at <= utcnow():
        status = "expired"
    else:
        status = "open"
    account = db.execute(select(User.id).where(func.lower(User.email) == invitation.email)).first()
    return {
        "status": status,
        "room_title": room.title if room else "",
        "customer_name": room.customer_name if room else "",
        "invited_by": inviter.name if inviter else "",
        "email": invitation.email,
        "name": invitation.name,
        "has_account": account is not None,
        "expires_at": invitation.expires_at.isoformat(),
    }


def accept_invitation(db: Session, token: str, name: str | None, password: str) -> tuple[User, str]:
    """Turn an invitation into a membership (and a customer account on first visit)."""
    invitation = db.execute(
        select(Invitation).where(Invitation.token_hash == digest(token)).with_for_update()
    ).scalar_one_or_none()
    if invitation is None:
        raise NotFound("no such invitation")
    if invitation.accepted_at is not None:
        raise Conflict("this invitation has already been used")
    if invitation.expires_at <= utcnow():
        raise Conflict("this invitation has expired; ask for a new one")
    user = db.execute(select(User).where(func.lower(User.email) == invitation.email)).scalar_one_or_none()
    if user is None:
        user = User(
            email=invitation.email,
            name=name or invitation.name,
            role=UserRole.CUSTOMER.value,
            password_hash=passwords.hash_password(password),
        )
        db.add(user)
        db.flush()
    elif user.user_role.is_internal:
        raise Conflict("this email belongs to an internal account; sign in instead")
    elif not passwords.verify(user.password_hash, password) or not user.is_active:
        raise NotSignedIn("this email already has an account: enter its password")
    if db.get(Membership, (invitation.room_id, user.id)) is None:
        db.add(Membership(room_id=invitation.room_id, user_id=user.id, role=invitation.role))
    invitation.accepted_at = utcnow()
    invitation.accepted_by = user.id
    return user, invitation.room_id
