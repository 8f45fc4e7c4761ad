"""HTTP routes for admins: the company's people, their managers, and deactivating someone who left.

Deactivating a person signs them out everywhere at once and hands their undecided approval steps to their
manager (or, without an active one, to an admin), so that no request waits on someone who is gone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import approvals
from workspace.approval_policy import requests as approval_requests
from workspace.approval_policy import views
from workspace.audit import chain as audit
from workspace.auth import colleagues
from workspace.auth.models import ApiToken, BrowserSession, User, UserRole
from workspace.auth.principal import Principal
from workspace.errors import InvalidInput, NotFound, PermissionDenied, Unprocessable
from workspace.ids import path_id
from workspace.notify.approvals import approval_mails
from workspace.notify.mail import Mail
from workspace.rooms.models import Room
from workspace.storage.base import utcnow
from workspace.sync import closecodes
from workspace.web import caller, field, in_db, json_body, services


def _admin(principal: Principal) -> None:
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins manage people")


def _view(user: User) -> dict[str, Any]:
    return {**user.public(), "active": user.is_active, "manager_id": user.manager_id}


async def list_people(request: Request) -> Response:
    principal = await caller(request)
    _admin(principal)

    def work(db: Session) -> list[dict[str, Any]]:
        rows = db.execute(select(User).where(User.role != UserRole.CUSTOMER.value).order_by(User.id)).scalars()
        invited = colleagues.awaiting_password(db)
        return [{**_view(user), "invited": user.id in invited} for user in rows]

    return JSONResponse({"users": await in_db(request, work)})


def _reports_to(db: Session, person: User, boss_id: int) -> bool:
    """Whether `boss_id` is above `person` in the chain of managers."""
    seen: set[int] = set()
    current: User | None = person
    while current is not None and current.manager_id is not None and current.id not in seen:
        if current.manager_id == boss_id:
            return True
        seen.add(current.id)
        current = db.get(User, current.manager_id)
    return False


def fallback_for(db: Session, leaver: User) -> int | None:
    """Who takes over the leaver's approvals: their manager if active, else the longest-standing active admin."""
    manager = db.get(User, leaver.manager_id) if leaver.manager_id is not None else None
    if manager is not None and manager.is_active and manager.id != leaver.id:
        return manager.id
    admins = select(User.id).where(User.role == UserRole.ADMIN.value, User.is_active.is_(True), User.id != leaver.id)
    return db.execute(admins.order_by(User.id).limit(1)).scalar_one_or_none()


def _deactivate(
    db: Session, user: User, actor: int
) -> tuple[int | None, list[tuple[str, approvals.Request, approvals.Request]]]:
    now = utcnow()
    user.is_active = False
    db.execute(update(BrowserSession).where(BrowserSession.user_id == user.id, BrowserSession.revoked_at.is_(None))
               .values(revoked_at=now))  # fmt: skip
    db.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
               .values(revoked_at=now))  # fmt: skip
    fallback = fallback_for(db, user)
    changed = approval_requests.reassign_from(db, user.id, fallback, now)
    moved = [after.id for _, _, after in changed]
    audit.append(db, "user.deactivated", actor_id=actor, room_id=None, at=now,
                 data={"user_id": user.id, "approvals_to": fallback, "requests": moved})  # fmt: skip
    return fallback, changed


async def patch_person(request: Request) -> Response:
    """`{"active": false}` deactivates (and reassigns); `{"active": true}` reactivates; `{"manager": email|null}`;
    `{"role": ROLE}` changes an internal role."""
    principal = await caller(request)
    _admin(principal)
    data = await json_body(request)
    user_id = path_id(request, "user_id", "person")
    unknown = set(data) - {"active", "manager", "role"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    active = field(data, "active", bool, required=False)
    role = colleagues.role_change(data) if "role" in data else None
    svc = services(request)

    def work(db: Session) -> tuple[dict[str, Any], list[Mail], list[tuple[str, dict[str, Any]]]]:
        user = db.get(User, user_id)
        if user is None or not user.user_role.is_internal:
            raise NotFound("no such person")
        if role is not None:
            colleagues.apply_role(db, user, role, principal)
        if "manager" in data:
            email = field(data, "manager", str, max_length=320, required=False)
            if email is None:
                user.manager_id = None
            else:
                manager = db.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()
                if manager is None or not manager.user_role.is_internal or manager.id == user.id:
                    raise Unprocessable(f"'manager' must be another internal user; {email!r} is not")
                if not manager.is_active:
                    raise Unprocessable(f"{manager.name} is deactivated and cannot take over approvals")
                if _reports_to(db, manager, user.id):
                    raise Unprocessable(f"{manager.name} reports to {user.name}: that would make a loop")
                user.manager_id = manager.id
        mails: list[Mail] = []
        handed: dict[str, Any] = {}
        refreshed: list[tuple[str, dict[str, Any]]] = []
        if active is False and user.is_active:
            if user.id == principal.user_id:
                raise InvalidInput("you cannot deactivate yourself")
            fallback, changed = _deactivate(db, user, principal.user_id)
            taker = db.get(User, fallback) if fallback is not None else None
            handed = {"approvals_to": {"id": taker.id, "name": taker.name} if taker else None, "requests": len(changed)}
            for room_id, before, after in changed:
                room = db.get(Room, room_id)
                title = room.title if room is not None else "A deal"
                mails += approval_mails(db, svc.links, svc.settings.public_url, title, before, after)
                refreshed.append((room_id, views.request_view(db, after)))
        elif active is True and not user.is_active:
            user.is_active = True
            audit.append(db, "user.reactivated", actor_id=principal.user_id, room_id=None, at=utcnow(),
                         data={"user_id": user.id})  # fmt: skip
        return {**_view(user), **handed}, mails, refreshed

    view, mails, refreshed = await in_db(request, work)
    if active is False:
        gone = closecodes.UNAUTHENTICATED
        svc.close_sockets("user_id", user_id, gone, "account deactivated")
    for room_id, _shown in refreshed:
        svc.request_changed(room_id)
    await svc.mailer.send(mails)
    return JSONResponse(view)


routes = [
    Route("/api/users", list_people, methods=["GET"]),
    Route("/api/users/{user_id:int}", patch_person, methods=["PATCH"]),
]
