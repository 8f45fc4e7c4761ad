"""delegations, managers, clause library, exports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 19:57:10.940869
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clauses",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clauses")),
        sa.UniqueConstraint("key", name=op.f("uq_clauses_key")),
    )
    with op.batch_alter_table("clauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clauses_category"), ["category"], unique=False)

    op.create_table(
        "approval_delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_user_id"], ["users.id"], name=op.f("fk_approval_delegations_from_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"], ["users.id"], name=op.f("fk_approval_delegations_to_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_delegations")),
    )
    with op.batch_alter_table("approval_delegations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_delegations_from_user_id"), ["from_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approval_delegations_to_user_id"), ["to_user_id"], unique=False)

    op.create_table(
        "room_exports",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("redline", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_room_exports_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_exports_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_exports")),
    )
    with op.batch_alter_table("room_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_exports_room_id"), ["room_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_users_manager_id_users"), "users", ["manager_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_manager_id_users"), type_="foreignkey")
        batch_op.drop_column("manager_id")

    with op.batch_alter_table("room_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_exports_room_id"))

    op.drop_table("room_exports")
    with op.batch_alter_table("approval_delegations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_delegations_to_user_id"))
        batch_op.drop_index(batch_op.f("ix_approval_delegations_from_user_id"))

    op.drop_table("approval_delegations")
    with op.batch_alter_table("clauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clauses_category"))

    op.drop_table("clauses")
