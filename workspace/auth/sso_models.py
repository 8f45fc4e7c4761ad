"""Tables of single sign-on: sign-ins under way, the ID token of each SSO session, and the admins' policy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class SsoLogin(Base):
    """One trip to the identity provider: its state (only the SHA-256 is kept), nonce and PKCE verifier.

    Kept server-side so that a state is used once: `used_at` is set by the first callback that brings it.
    """

    __tablename__ = "sso_logins"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    next_path: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SsoSession(Base):
    """A browser session opened by single sign-on, with the ID token that signing out hands back to the provider."""

    __tablename__ = "sso_sessions"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255))
    id_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SsoPolicy(Base):
    """The admins' choice (one row, id 1): whether internal people must sign in with single sign-on."""

    __tablename__ = "sso_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    required_for_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
