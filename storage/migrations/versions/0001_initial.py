"""learners, attempts, samples, review cards, quizzes, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-26 17:42:27.829645
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_id", sa.String(length=64), nullable=False),
        sa.Column("command", sa.String(length=32), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", storage.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "learners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("reminder_time", sa.String(length=5), nullable=True),
        sa.Column("reminders_on", sa.Boolean(), nullable=False),
        sa.Column("next_reminder_at", storage.tables.UTCDateTime(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("last_practice_day", sa.Date(), nullable=True),
        sa.Column("delete_requested_at", storage.tables.UTCDateTime(), nullable=True),
        sa.Column("created_at", storage.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "platform_id"),
    )
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learners_next_reminder_at"), ["next_reminder_at"], unique=False
        )

    op.create_table(
        "quiz_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("letters", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("hinted", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", storage.tables.UTCDateTime(), nullable=False),
        sa.Column("finished_at", storage.tables.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "one_active_quiz_per_learner",
            ["learner_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=1), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", storage.tables.UTCDateTime(), nullable=False),
        sa.Column("last_review", storage.tables.UTCDateTime(), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("learner_id", "letter"),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=True),
        sa.Column("expected", sa.String(length=1), nullable=True),
        sa.Column("read", sa.String(length=1), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["quiz_id"], ["quiz_sessions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempts_learner_id"), ["learner_id"], unique=False)

    op.create_table(
        "samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("picture", sa.LargeBinary(), nullable=False),
        sa.Column("canonical", sa.LargeBinary(), nullable=False),
        sa.Column("label", sa.String(length=1), nullable=True),
        sa.Column("label_source", sa.String(length=32), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("used_in_training", sa.String(length=64), nullable=True),
        sa.Column("created_at", storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_samples_learner_id"), ["learner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_samples_learner_id"))

    op.drop_table("samples")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempts_learner_id"))

    op.drop_table("attempts")
    op.drop_table("review_cards")
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "one_active_quiz_per_learner",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.drop_table("quiz_sessions")
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learners_next_reminder_at"))

    op.drop_table("learners")
    op.drop_table("admin_actions")
