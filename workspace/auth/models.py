"""Tables of accounts, browser sessions and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.storage.base import Base, UtcDateTime, utcnow


class UserRole(StrEnum):
    """A user's role in the company (customers are external)."""

    REP = "rep"
    SALES_MANAGER = "sales_manager"
    VP_SALES = "vp_sales"
    FINANCE = "finance"
    LEGAL = "legal"
    ADMIN = "admin"
    CUSTOMER = "customer"

    @property
    def is_internal(self) -> bool:
        return self is not UserRole.CUSTOMER


INTERNAL_ROLES = tuple(role.value for role in UserRole if role.is_internal)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who takes over this person's pending approvals when they are deactivated (else an admin does).
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def user_role(self) -> UserRole:
        return UserRole(self.role)

    def public(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role}


class BrowserSession(Base):
    """A signed-in browser. The cookie carries the signed id; sign-out revokes the row."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A personal API token. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
