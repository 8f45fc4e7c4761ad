"""Whether internal people must sign in with single sign-on: an admin's choice, kept in the database and audited.

It takes effect only while an identity provider is configured, so that unsetting DEALROOM_OIDC_ISSUER
is always a way back to passwords (should the provider be gone for good). Customers are never affected.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from workspace.audit import chain as audit
from workspace.auth.models import User
from workspace.auth.sso_errors import SsoRequired
from workspace.auth.sso_models import SsoPolicy
from workspace.settings import Settings
from workspace.storage.base import utcnow

_POLICY_ID = 1


def sso_configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


def policy(db: Session) -> SsoPolicy | None:
    return db.get(SsoPolicy, _POLICY_ID)


def required_for_internal(db: Session) -> bool:
    """The admins' choice, whether or not a provider is configured right now."""
    row = policy(db)
    return row is not None and row.required_for_internal


def set_required_for_internal(db: Session, required: bool, actor_id: int) -> SsoPolicy:
    """Record the choice; a change (not a repeat) goes into the audit log."""
    row = policy(db)
    now = utcnow()
    before = row is not None and row.required_for_internal
    if row is None:
        row = SsoPolicy(id=_POLICY_ID, required_for_internal=required, updated_at=now, updated_by=actor_id)
        db.add(row)
    if before != required:
        row.required_for_internal, row.updated_at, row.updated_by = required, now, actor_id
        audit.append(db, "sso.policy_changed", actor_id=actor_id, room_id=None, at=now,
                     data={"required_for_internal": required, "was": before})  # fmt: skip
    db.flush()
    return row


def check_password_sign_in(db: Session, user: User, settings: Settings) -> None:
    """Refuse (403 sso_required) a password sign-in of an internal user while single sign-on is required."""
    if user.user_role.is_internal and sso_configured(settings) and required_for_internal(db):
        raise SsoRequired()
