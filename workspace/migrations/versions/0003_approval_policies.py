"""approval policies

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 19:16:20.788753
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval_policies",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_approval_policies_created_by_users")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_approval_policies")),
    )


def downgrade() -> None:
    op.drop_table("approval_policies")
