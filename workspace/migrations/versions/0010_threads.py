"""threads: the mail digest's waiting lines (threads themselves live in the rooms' documents)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workspace.storage.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=2000), nullable=False),
        sa.Column("created_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", workspace.storage.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_mail_digest_items_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_digest_items_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_digest_items")),
    )
    with op.batch_alter_table("mail_digest_items", schema=None) as batch_op:
        batch_op.create_index("ix_mail_digest_items_person_room", ["user_id", "room_id", "sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_digest_items_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mail_digest_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_digest_items_sent_at"))
        batch_op.drop_index("ix_mail_digest_items_person_room")
    op.drop_table("mail_digest_items")
