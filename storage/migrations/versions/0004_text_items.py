"""text items: quiz answers, review cards and samples of syllables and words, not only letters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LETTERS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
"""The 40 letters, the only texts those columns held before."""
_WIDENED = (
    ("attempts", ("expected", "read")),
    ("review_cards", ("letter",)),
    ("samples", ("label",)),
)


def upgrade() -> None:
    for table, columns in _WIDENED:
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column, type_=sa.String(length=16), existing_type=sa.String(length=1)
                )


def downgrade() -> None:
    # Syllables' and words' rows do not fit the letters-only columns: they go.
    letters = ", ".join(f"'{letter}'" for letter in _LETTERS)
    op.execute(f"DELETE FROM review_cards WHERE letter NOT IN ({letters})")
    op.execute(f"DELETE FROM samples WHERE label NOT IN ({letters})")
    for column in ("expected", "read"):
        op.execute(f"UPDATE attempts SET {column} = NULL WHERE {column} NOT IN ({letters})")
    for table, columns in _WIDENED:
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column, type_=sa.String(length=1), existing_type=sa.String(length=16)
                )
