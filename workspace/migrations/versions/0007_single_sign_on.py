"""single sign-on: sign-ins under way, SSO sessions, the admins' SSO policy

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sso_logins",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("next_path", sa.String(length=2000), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_sso_logins")),
    )
    with op.batch_alter_table("sso_logins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sso_logins_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "sso_sessions",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_sso_sessions_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_sso_sessions")),
    )

    op.create_table(
        "sso_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("required_for_internal", sa.Boolean(), nullable=False),
        sa.Column("updated_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_sso_policy_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_policy")),
    )


def downgrade() -> None:
    op.drop_table("sso_policy")
    op.drop_table("sso_sessions")
    with op.batch_alter_table("sso_logins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sso_logins_expires_at"))

    op.drop_table("sso_logins")
