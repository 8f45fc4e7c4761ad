"""Delegation of approvals for a date window ("while I am away, Dana decides for me"), stored and served.

The core (`approvals.delegation`) decides what a delegation allows; this module stores them, checks who
may create one, and hands the ones in force to the inbox and to decisions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import approvals
from workspace.approval_policy.models import DelegationRow
from workspace.audit import chain as audit
from workspace.auth.models import User, UserRole
from workspace.errors import InvalidInput, NotFound, PermissionDenied, Unprocessable
from workspace.ids import path_id
from workspace.storage.base import utcnow
from workspace.web import caller, field, in_db, json_body, require_internal

# Roles that see every room (workspace.rooms.access) and are not selling: who may stand in for an approver.
DELEGATE_ROLES = frozenset(
    {UserRole.SALES_MANAGER, UserRole.VP_SALES, UserRole.FINANCE, UserRole.LEGAL, UserRole.ADMIN}
)
# A delegation is for an absence, not a standing transfer of authority: a longer one is a change of roles.
MAX_WINDOW = timedelta(days=90)


def delegations_in_force(db: Session, at: datetime) -> list[approvals.Delegation]:
    """Every delegation in force at `at`, for the core."""
    active = select(User.id).where(User.is_active.is_(True))
    rows = db.execute(
        select(DelegationRow).where(
            DelegationRow.revoked_at.is_(None), DelegationRow.starts_at <= at, DelegationRow.ends_at > at,
            DelegationRow.to_user_id.in_(active), DelegationRow.from_user_id.in_(active),
        )
    ).scalars()  # fmt: skip
    return [approvals.Delegation(row.from_user_id, row.to_user_id, row.starts_at, row.ends_at) for row in rows]


def _moment(data: dict[str, Any], name: str) -> datetime:
    """An ISO 8601 date (midnight UTC) or date-time (UTC when it names no offset)."""
    text = field(data, name, str, max_length=40)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"'{name}' must be an ISO 8601 date or date-time, like 2026-12-01T09:00:00Z") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _active_internal(db: Session, email: str, what: str) -> User:
    user = db.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()
    if user is None or not user.is_active or not user.user_role.is_internal:
        raise Unprocessable(f"{what} must be an active internal user; {email!r} is not")
    return user


def _view(
    row: DelegationRow, names: dict[int, str], now: datetime, inactive: frozenset[int] = frozenset()
) -> dict[str, Any]:
    if row.revoked_at is not None:
        state = "revoked"
    elif row.from_user_id in inactive or row.to_user_id in inactive:
        state = "lapsed"  # one of them was deactivated: it no longer applies (delegations_in_force agrees)
    elif row.ends_at <= now:
        state = "ended"
    else:
        state = "active" if row.starts_at <= now else "scheduled"
    return {
        "id": row.id, "from": {"id": row.from_user_id, "name": names.get(row.from_user_id, "?")},
        "to": {"id": row.to_user_id, "name": names.get(row.to_user_id, "?")},
        "starts_at": row.starts_at.isoformat(), "ends_at": row.ends_at.isoformat(), "state": state,
    }  # fmt: skip


async def create(request: Request) -> Response:
    principal = await caller(request)
    require_internal(principal)
    data = await json_body(request)
    to_email = field(data, "to", str, max_length=320)
    from_email = field(data, "from", str, max_length=320, required=False)
    starts_at, ends_at = _moment(data, "starts_at"), _moment(data, "ends_at")
    now = utcnow()
    if ends_at <= starts_at:
        raise InvalidInput("'ends_at' must be after 'starts_at'")
    if ends_at <= now:
        raise InvalidInput("'ends_at' is in the past: this delegation would never apply")
    if ends_at - starts_at > MAX_WINDOW:
        raise InvalidInput(f"a delegation lasts at most {MAX_WINDOW.days} days")

    def work(db: Session) -> dict[str, Any]:
        if from_email is not None and principal.role is not UserRole.ADMIN:
            raise PermissionDenied("only admins delegate on someone else's behalf")
        giver = _active_internal(db, from_email, "'from'") if from_email else db.get(User, principal.user_id)
        assert giver is not None  # the caller was just authenticated
        to = _active_internal(db, to_email, "'to'")
        if to.id == giver.id:
            raise InvalidInput("a delegation goes to someone else")
        if to.user_role not in DELEGATE_ROLES:
            # A rep would be deciding on deals like their own, and could not open rooms that are not theirs.
            raise Unprocessable(f"a delegate decides in any room: {to.email} is a {to.role}, not an approver")
        row = DelegationRow(from_user_id=giver.id, to_user_id=to.id, starts_at=starts_at, ends_at=ends_at)
        db.add(row)
        db.flush()
        audit.append(db, "delegation.created", actor_id=principal.user_id, room_id=None, at=now,
                     data={"id": row.id, "from": giver.id, "to": to.id, "starts_at": starts_at.isoformat(),
                           "ends_at": ends_at.isoformat()})  # fmt: skip
        return _view(row, {giver.id: giver.name, to.id: to.name}, now)

    return JSONResponse(await in_db(request, work), status_code=201)


async def listing(request: Request) -> Response:
    """The caller's delegations, given and received (admins: everyone's), newest first."""
    principal = await caller(request)
    require_internal(principal)
    now = utcnow()

    def work(db: Session) -> list[dict[str, Any]]:
        query = select(DelegationRow).order_by(DelegationRow.id.desc())
        if principal.role is not UserRole.ADMIN:
            mine = principal.user_id
            query = query.where(or_(DelegationRow.from_user_id == mine, DelegationRow.to_user_id == mine))
        rows = list(db.execute(query).scalars())
        ids = {row.from_user_id for row in rows} | {row.to_user_id for row in rows}
        found = db.execute(select(User.id, User.name, User.is_active).where(User.id.in_(ids))).all() if ids else []
        names = {user_id: name for user_id, name, _ in found}
        inactive = frozenset(user_id for user_id, _, active in found if not active)
        return [_view(row, names, now, inactive) for row in rows]

    return JSONResponse({"delegations": await in_db(request, work)})


async def revoke(request: Request) -> Response:
    principal = await caller(request)
    delegation_id = path_id(request, "delegation_id", "delegation")
    now = utcnow()

    def work(db: Session) -> None:
        row = db.get(DelegationRow, delegation_id)
        if row is None or (row.from_user_id != principal.user_id and principal.role is not UserRole.ADMIN):
            raise NotFound("no such delegation")
        if row.revoked_at is None:
            row.revoked_at = now
            audit.append(db, "delegation.revoked", actor_id=principal.user_id, room_id=None, at=now,
                         data={"id": row.id})  # fmt: skip

    await in_db(request, work)
    return Response(status_code=204)


routes = [
    Route("/api/approvals/delegations", listing, methods=["GET"]),
    Route("/api/approvals/delegations", create, methods=["POST"]),
    Route("/api/approvals/delegations/{delegation_id:int}", revoke, methods=["DELETE"]),
]
