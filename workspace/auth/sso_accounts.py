"""From verified ID token claims to a Dealroom user: the role claim, the email, just-in-time accounts.

The identity provider is the source of truth for who works here and in which role: an internal user is
matched by email (any case) and takes the role the provider names at every sign-in; someone new gets an
account without a password. Customers are not the provider's: their email is refused here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workspace.audit import chain as audit
from workspace.auth.models import INTERNAL_ROLES, User, UserRole
from workspace.auth.sso_errors import SsoError
from workspace.storage.base import utcnow

MAX_NAME = 200


def claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; a dotted name reads into nested objects ("realm_access.role")."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def role_from_claims(claims: dict[str, Any], claim_name: str) -> UserRole:
    """The one internal role the claim names (a string, or a list holding exactly one role)."""
    value = claim(claims, claim_name)
    values = value if isinstance(value, list) else [value]
    roles = {item.strip().lower() for item in values if isinstance(item, str)} & set(INTERNAL_ROLES)
    if len(roles) != 1:
        shown = "no value" if value is None else repr(value)
        detail = (f"the identity provider gave {shown} for the role claim {claim_name!r}; "
                  f"Dealroom needs exactly one of {', '.join(INTERNAL_ROLES)}")  # fmt: skip
        raise SsoError("no_role", detail)
    return UserRole(roles.pop())


def email_from_claims(claims: dict[str, Any]) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip() or len(email.strip()) > 320:
        raise SsoError("no_email", "the ID token carries no email address (is 'email' in the scopes?)")
    # Matching by email hands over the account: an address the provider itself has not verified is not enough.
    if claims.get("email_verified") is False:
        raise SsoError("no_email", f"the identity provider has not verified {email.strip()}")
    return email.strip().lower()


def _name(claims: dict[str, Any], email: str) -> str:
    for candidate in (claims.get("name"), " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name"))):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()[:MAX_NAME]
    return email.split("@")[0][:MAX_NAME]


def user_for_claims(db: Session, claims: dict[str, Any], role_claim: str) -> User:
    """The internal user these claims sign in: matched by email, else created; their role follows the claim."""
    email = email_from_claims(claims)
    user = db.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
    if user is not None and not user.user_role.is_internal:
        raise SsoError("customer", f"{email} belongs to a customer account; customers sign in with their password")
    if user is not None and not user.is_active:
        raise SsoError("deactivated", f"the account of {email} is deactivated")
    role = role_from_claims(claims, role_claim)
    now = utcnow()
    if user is None:
        user = User(email=email, name=_name(claims, email), role=role.value, password_hash=None, is_active=True,
                    created_at=now)  # fmt: skip
        db.add(user)
        db.flush()
        audit.append(db, "user.provisioned", actor_id=None, room_id=None, at=now,
                     data={"user_id": user.id, "email": email, "role": role.value, "via": "sso"})  # fmt: skip
        return user
    if user.role != role.value:
        audit.append(db, "user.role_changed", actor_id=None, room_id=None, at=now,
                     data={"user_id": user.id, "from": user.role, "to": role.value, "via": "sso"})  # fmt: skip
        user.role = role.value
    return user
