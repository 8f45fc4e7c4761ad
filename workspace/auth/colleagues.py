"""HTTP routes for admins adding colleagues: an internal account with a role, invited by mail to choose a
password (a single-use, expiring link, as customers are invited to rooms); changing someone's role
(`PATCH /api/users/{id}` in `people`).

The colleague's account exists from the start without a password: approvals can route to them at once, and
single sign-on (when the company uses it) signs them in without the invitation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.audit import chain as audit
from workspace.auth import passwords, sso_policy
from workspace.auth.colleague_models import ColleagueInvitation
from workspace.auth.models import User, UserRole
from workspace.auth.principal import Principal, open_session
from workspace.auth.routes import set_session_cookies
from workspace.auth.secrets import digest, new_token
from workspace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from workspace.ids import path_id
from workspace.notify.mail import Mail
from workspace.storage.base import utcnow
from workspace.web import caller, field, in_db, json_body, services

INTERNAL_ROLES = tuple(role.value for role in UserRole if role.is_internal)


def _admin(principal: Principal) -> None:
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins manage people")


def _role(data: dict[str, Any]) -> UserRole:
    role = field(data, "role", str, max_length=32)
    if role not in INTERNAL_ROLES:
        raise InvalidInput(f"'role' must be one of {', '.join(INTERNAL_ROLES)}", fields={"role": "unknown role"})
    return UserRole(role)


def _invite(db: Session, user: User, actor: int, days: int) -> str:
    """A fresh link for `user` (earlier unused links stop working: only the newest mail counts)."""
    open_ones = select(ColleagueInvitation).where(
        ColleagueInvitation.user_id == user.id, ColleagueInvitation.accepted_at.is_(None)
    )
    for old in db.execute(open_ones).scalars():
        old.expires_at = min(old.expires_at, utcnow())
    token = new_token("col")
    db.add(ColleagueInvitation(user_id=user.id, token_hash=digest(token), created_by=actor,
                               expires_at=utcnow() + timedelta(days=days)))  # fmt: skip
    audit.append(db, "user.invited", actor_id=actor, room_id=None, at=utcnow(),
                 data={"user_id": user.id, "email": user.email})  # fmt: skip
    return token


async def _mail(request: Request, principal: Principal, user: dict[str, Any], token: str) -> str:
    svc = services(request)
    url = f"{svc.settings.public_url.rstrip('/')}/welcome/{token}"
    days = svc.settings.invitation_days
    body = (f"{principal.name} added you to Dealroom as a colleague.\n\nChoose your password here (the link is "
            f"yours alone, works once and expires in {days} days):\n{url}\n")  # fmt: skip
    await svc.mailer.send([Mail(str(user["email"]), f"{principal.name} invites you to Dealroom", body)])
    return url


async def add_colleague(request: Request) -> Response:
    """`{"email", "name", "role"}` → 201 the person and the invitation link (also mailed to them)."""
    principal = await caller(request)
    _admin(principal)
    data = await json_body(request)
    unknown = set(data) - {"email", "name", "role"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    email = field(data, "email", str, max_length=320).lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise InvalidInput("'email' is not an email address", fields={"email": "not an email address"})
    name = field(data, "name", str)
    role = _role(data)
    days = services(request).settings.invitation_days

    def work(db: Session) -> tuple[dict[str, Any], str]:
        if db.execute(select(User.id).where(func.lower(User.email) == email)).first() is not None:
            raise Conflict(f"{email} already has an account", fields={"email": "already has an account"})
        user = User(email=email, name=name, role=role.value, password_hash=None, is_active=True)
        db.add(user)
        db.flush()
        audit.append(db, "user.added", actor_id=principal.user_id, room_id=None, at=utcnow(),
                     data={"user_id": user.id, "email": email, "role": role.value})  # fmt: skip
        token = _invite(db, user, principal.user_id, days)
        return {**user.public(), "active": True, "manager_id": None}, token

    person, token = await in_db(request, work)
    url = await _mail(request, principal, person, token)
    return JSONResponse({"user": person, "invitation_url": url}, status_code=201)


async def reinvite(request: Request) -> Response:
    """A new invitation link for a colleague who has not chosen a password yet."""
    principal = await caller(request)
    _admin(principal)
    user_id = path_id(request, "user_id", "person")
    days = services(request).settings.invitation_days

    def work(db: Session) -> tuple[dict[str, Any], str]:
        user = db.get(User, user_id)
        if user is None or not user.user_role.is_internal:
            raise NotFound("no such person")
        if user.password_hash is not None:
            raise Conflict(f"{user.name} has already chosen a password")
        if not user.is_active:
            raise Conflict(f"{user.name} is deactivated: reactivate them first")
        return user.public(), _invite(db, user, principal.user_id, days)

    person, token = await in_db(request, work)
    url = await _mail(request, principal, person, token)
    return JSONResponse({"invitation_url": url}, status_code=201)


def role_change(data: dict[str, Any]) -> UserRole:
    """The role asked for in a `PATCH /api/users/{id}` body (an internal role)."""
    return _role(data)


def apply_role(db: Session, user: User, role: UserRole, principal: Principal) -> None:
    """Give `user` the `role`; an admin cannot take away their own admin role (someone must keep it)."""
    if user.id == principal.user_id and role is not UserRole.ADMIN:
        raise InvalidInput("you cannot take away your own admin role: ask another admin")
    before = user.role
    if before != role.value:
        user.role = role.value
        audit.append(db, "user.role_changed", actor_id=principal.user_id, room_id=None, at=utcnow(),
                     data={"user_id": user.id, "email": user.email, "before": before, "after": role.value})  # fmt: skip


def awaiting_password(db: Session) -> set[int]:
    """The colleagues invited who have not chosen a password yet (their invitation may have expired)."""
    found = select(ColleagueInvitation.user_id).join(User, User.id == ColleagueInvitation.user_id)
    found = found.where(User.password_hash.is_(None), ColleagueInvitation.accepted_at.is_(None))
    return set(db.execute(found).scalars())


def _open_invitation(db: Session, token: str) -> tuple[ColleagueInvitation, User]:
    invitation = db.execute(
        select(ColleagueInvitation).where(ColleagueInvitation.token_hash == digest(token)).with_for_update()
    ).scalar_one_or_none()
    user = db.get(User, invitation.user_id) if invitation is not None else None
    if invitation is None or user is None:
        raise NotFound("no such invitation: check the link, or ask an admin for a new one")
    if invitation.accepted_at is not None:
        raise Conflict("this invitation has already been used: sign in instead")
    if invitation.expires_at <= utcnow() or not user.is_active:
        raise Conflict("this invitation has expired: ask an admin for a new one")
    return invitation, user


async def show_welcome(request: Request) -> Response:
    """Who the link is for (no sign-in: the token is the credential; throttled)."""
    token = request.path_params["token"]
    services(request).attempts.check(f"colleague:{token}")

    def work(db: Session) -> dict[str, Any]:
        _invitation, user = _open_invitation(db, token)
        return {"email": user.email, "name": user.name, "role": user.role}

    return JSONResponse(await in_db(request, work))


async def accept_welcome(request: Request) -> Response:
    """`{"password"}`: the colleague chooses a password and is signed in."""
    token = request.path_params["token"]
    data = await json_body(request)
    password = field(data, "password", str, max_length=passwords.MAX_LENGTH, strip=False)
    passwords.validate(password)
    svc = services(request)
    svc.attempts.check(f"colleague:{token}")

    def work(db: Session) -> tuple[dict[str, object], Any]:
        invitation, user = _open_invitation(db, token)
        # While admins require single sign-on, staff sign in there: a password would not let them in.
        sso_policy.check_password_sign_in(db, user, svc.settings)
        user.password_hash = passwords.hash_password(password)
        invitation.accepted_at = utcnow()
        audit.append(db, "user.joined", actor_id=user.id, room_id=None, at=utcnow(),
                     data={"user_id": user.id, "email": user.email})  # fmt: skip
        return user.public(), open_session(db, user, svc.settings.session_days)

    user, session = await in_db(request, work)
    response = JSONResponse({"user": user})
    set_session_cookies(request, response, session)
    return response


routes = [
    Route("/api/users", add_colleague, methods=["POST"]),
    Route("/api/users/{user_id:int}/invitation", reinvite, methods=["POST"]),
    Route("/api/welcome/{token}", show_welcome, methods=["GET"]),
    Route("/api/welcome/{token}/accept", accept_welcome, methods=["POST"]),
]
