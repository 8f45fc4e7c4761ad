"""insights: how long the system took for pricing, approval routing and contract generation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "system_timings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=True),
        sa.Column("at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ms", sa.Float(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_system_timings_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system_timings")),
    )
    op.create_index("ix_system_timings_room_id_kind", "system_timings", ["room_id", "kind"], unique=False)
    op.create_index("ix_system_timings_at", "system_timings", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_system_timings_at", table_name="system_timings")
    op.drop_index("ix_system_timings_room_id_kind", table_name="system_timings")
    op.drop_table("system_timings")
