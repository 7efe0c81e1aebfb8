"""lessons: letters taught before they are tested; a quiz question's second try; drills

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=1), nullable=False),
        sa.Column("taught_at", storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("learner_id", "letter"),
    )
    # Letters already practised count as taught, so their lessons are not shown again.
    op.execute(
        "INSERT INTO lessons (learner_id, letter, taught_at) "
        "SELECT learner_id, letter, COALESCE(last_review, due) FROM review_cards"
    )
    with op.batch_alter_table("quiz_sessions") as batch:
        batch.add_column(
            sa.Column("retrying", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="writing")
        )


def downgrade() -> None:
    with op.batch_alter_table("quiz_sessions") as batch:
        batch.drop_column("kind")
        batch.drop_column("retrying")
    op.drop_table("lessons")
