"""Who is calling: a signed-in browser session or a personal API token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, Signer
from sqlalchemy import select
from sqlalchemy.orm import Session

from workspace.auth.models import ApiToken, BrowserSession, User, UserRole
from workspace.auth.secrets import digest, new_token
from workspace.errors import NotSignedIn
from workspace.storage.base import utcnow

SESSION_COOKIE = "dealroom_session"
CSRF_COOKIE = "dealroom_csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    name: str
    role: UserRole
    session_id: str | None = None
    csrf_token: str | None = None
    token_id: int | None = None

    @property
    def is_internal(self) -> bool:
        return self.role.is_internal

    def public(self) -> dict[str, object]:
        return {"id": self.user_id, "email": self.email, "name": self.name, "role": self.role.value}


def principal_for(user: User, **via: object) -> Principal:
    return Principal(user.id, user.email, user.name, user.user_role, **via)  # type: ignore[arg-type]


class SessionCookies:
    """Signs and reads the session cookie (its value is the signed session id)."""

    def __init__(self, secret_key: str) -> None:
        self._signer = Signer(secret_key, salt="dealroom.session")

    def sign(self, session_id: str) -> str:
        return self._signer.sign(session_id).decode()

    def unsign(self, cookie: str) -> str | None:
        try:
            return self._signer.unsign(cookie).decode()
        except BadSignature:
            return None


def open_session(db: Session, user: User, days: int) -> BrowserSession:
    now = utcnow()
    row = BrowserSession(
        id=new_token("s"),
        user_id=user.id,
        csrf_token=new_token("c"),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.add(row)
    return row


def authenticate(
    db: Session, cookies: SessionCookies, authorization: str | None, session_cookie: str | None
) -> Principal | None:
    """Resolve the caller from a Bearer header (preferred) or the session cookie."""
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotSignedIn("the Authorization header must be 'Bearer TOKEN'")
        found = db.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == digest(token.strip()))
        ).first()
        if found is None or found.ApiToken.revoked_at is not None:
            raise NotSignedIn("this API token is unknown or revoked")
        if not found.User.is_active:
            raise NotSignedIn("this account is deactivated")
        found.ApiToken.last_used_at = utcnow()
        return principal_for(found.User, token_id=found.ApiToken.id)
    if not session_cookie:
        return None
    session_id = cookies.unsign(session_cookie)
    if session_id is None:
        return None
    row = db.execute(
        select(BrowserSession, User)
        .join(User, User.id == BrowserSession.user_id)
        .where(BrowserSession.id == session_id)
    ).first()
    if row is None:
        return None
    session, user = row.BrowserSession, row.User
    if session.revoked_at is not None or session.expires_at <= utcnow() or not user.is_active:
        return None
    return principal_for(user, session_id=session.id, csrf_token=session.csrf_token)
