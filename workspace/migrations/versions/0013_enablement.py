"""enablement: cards of guidance kept by admins and legal, when each was shown in a room, who found it helpful

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 16:11:24.804874
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enablement_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_enablement_cards_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_enablement_cards_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enablement_cards")),
    )
    op.create_table(
        "enablement_card_helpful",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["enablement_cards.id"],
            name=op.f("fk_enablement_card_helpful_card_id_enablement_cards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_enablement_card_helpful_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_enablement_card_helpful_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enablement_card_helpful")),
        sa.UniqueConstraint("card_id", "room_id", "user_id", name="uq_enablement_card_helpful"),
    )
    with op.batch_alter_table("enablement_card_helpful", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enablement_card_helpful_card_id"), ["card_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enablement_card_helpful_room_id"), ["room_id"], unique=False)

    op.create_table(
        "enablement_card_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("first_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["enablement_cards.id"],
            name=op.f("fk_enablement_card_views_card_id_enablement_cards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_enablement_card_views_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_enablement_card_views_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enablement_card_views")),
        sa.UniqueConstraint("card_id", "room_id", "user_id", name="uq_enablement_card_views"),
    )
    with op.batch_alter_table("enablement_card_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enablement_card_views_card_id"), ["card_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enablement_card_views_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enablement_card_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enablement_card_views_room_id"))
        batch_op.drop_index(batch_op.f("ix_enablement_card_views_card_id"))

    op.drop_table("enablement_card_views")
    with op.batch_alter_table("enablement_card_helpful", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enablement_card_helpful_room_id"))
        batch_op.drop_index(batch_op.f("ix_enablement_card_helpful_card_id"))

    op.drop_table("enablement_card_helpful")
    op.drop_table("enablement_cards")
