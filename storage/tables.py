"""The tables, as SQLAlchemy 2 declarative models.

Times are stored in UTC (:class:`UTCDateTime` makes SQLite, which has no time zones, hand back
aware datetimes too). A letter is its jamo character (``"ㅛ"``); a syllable or a word asked
for and read is its Hangul text (``"가"``, ``"나무"``, at most :data:`TEXT_LENGTH`).
Everything a learner owns is deleted with them (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (stored naive in UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class QuizStatus(StrEnum):
    """Where a quiz is."""

    ACTIVE = "active"
    FINISHED = "finished"
    STOPPED = "stopped"


class LabelSource(StrEnum):
    """Where a sample's label comes from, and so whether training may trust it."""

    QUIZ_AGREED = "quiz_agreed"
    """The model read the letter the quiz asked for (trusted)."""
    LEARNER_CONFIRMED = "learner_confirmed"
    """The learner said which letter it is (trusted)."""
    MODEL_ONLY = "model_only"
    """A free picture, labelled by the model's reading alone."""
    MODEL_REFUSED = "model_refused"
    """A free picture the model judged not a letter; no label until the learner confirms one."""
    QUIZ_DISAGREED = "quiz_disagreed"
    """The model read another letter than the quiz asked for."""


TRUSTED_LABELS = (LabelSource.QUIZ_AGREED, LabelSource.LEARNER_CONFIRMED)


class AdminOutcome(StrEnum):
    """What came of an admin command, for the audit trail."""

    DONE = "done"
    REFUSED = "refused"
    """The sender is not an admin."""
    FAILED = "failed"


TEXT_LENGTH = 16
"""The longest letter, syllable or word a quiz asks for or an answer records."""
JAMO = tuple(chr(code) for code in range(0x3131, 0x3164))
"""Hangul compatibility jamo, ㄱ to ㅣ: a text among these is a letter; any other is a syllable
or a word."""

SKIPPED = "skipped"
"""An attempt's verdict when the learner skipped the question (others are reading verdicts)."""


class Learner(Base):
    """One person on one platform."""

    __tablename__ = "learners"
    __table_args__ = (UniqueConstraint("platform", "platform_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    reminder_time: Mapped[str | None] = mapped_column(String(5))
    """Local time of the daily reminder, ``HH:MM``."""
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=False)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    """Whether the learner lets us keep their pictures to improve the models."""
    streak: Mapped[int] = mapped_column(Integer, default=0)
    last_practice_day: Mapped[date | None] = mapped_column(Date)
    """The learner's local date of their latest attempt (streaks count local days)."""
    delete_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizSession(Base):
    """A drill of a few letters (or syllables, or words); the question being asked lives here,
    not in adapter memory."""

    __tablename__ = "quiz_sessions"
    __table_args__ = (
        Index(
            "one_active_quiz_per_learner",
            "learner_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="writing")
    """What the questions ask for: ``writing`` (a photo), or a drill answered without a camera
    (``reading``, ``listening``, ``pairs``; :class:`bot.core.drill_questions.DrillKind`)."""
    letters: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    hinted: Mapped[bool] = mapped_column(Boolean, default=False)
    """Whether the learner asked for a hint on the current question."""
    retrying: Mapped[bool] = mapped_column(Boolean, default=False)
    """Whether the learner missed the current question once and is trying it again."""
    status: Mapped[str] = mapped_column(String(16), default=QuizStatus.ACTIVE)
    """A :class:`QuizStatus`."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def expected(self) -> str | None:
        """The letter (or syllable, or word) asked for now (None once every question is
        answered)."""
        return self.letters[self.position] if self.position < len(self.letters) else None

    @property
    def question_id(self) -> str:
        """Names the question being asked (``q12.3``), so that a button can say which question
        it belongs to."""
        return f"q{self.id}.{self.position}"


class Attempt(Base):
    """One answer of a learner (a picture read, or a drill's choice), graded when something was
    asked for: a letter, a syllable or a word."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_sessions.id", ondelete="SET NULL"))
    expected: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    read: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    verdict: Mapped[str] = mapped_column(String(32))
    """The reading's verdict (``ml.reading.verdicts.Verdict``), :data:`SKIPPED`, or the kind of
    drill answered without a picture (``reading``, ``listening``, ``pairs``)."""
    correct: Mapped[bool | None] = mapped_column(Boolean)
    model_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Sample(Base):
    """A picture kept (with consent) to improve the models, and how far its label is trusted."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    picture: Mapped[bytes] = mapped_column(LargeBinary)
    """The file as the learner sent it."""
    canonical: Mapped[bytes] = mapped_column(LargeBinary)
    """The canonical form, uint8 row-major (ink = 255): a letter's 28x28, or for a syllable or
    word each block's 32x32 (:data:`ml.reading.blocks.BLOCK_CONTRACT`), one after another."""
    label: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    """The letter, syllable or word it shows (None: not known yet)."""
    label_source: Mapped[str] = mapped_column(String(32))
    """A :class:`LabelSource`; only :data:`TRUSTED_LABELS` are trained on."""
    consent: Mapped[bool] = mapped_column(Boolean)
    used_in_training: Mapped[str | None] = mapped_column(String(64))
    """The model version whose training run used it, if any."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewCard(Base):
    """A learner's spaced-repetition card (the ``fsrs`` package's Card) for one letter, or for a
    syllable or word written as a whole."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("learner_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    letter: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    """The letter (a jamo), syllable or word practised."""
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class Lesson(Base):
    """A letter taught to a learner (its lesson shown), so that it is taught before it is
    tested and new letters per day can be counted."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("learner_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    letter: Mapped[str] = mapped_column(String(1))
    taught_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdminAction(Base):
    """The audit trail: every admin command asked for, by whom, and what came of it."""

    __tablename__ = "admin_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(64))
    command: Mapped[str] = mapped_column(String(32))
    arguments: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))
    """An :class:`AdminOutcome`."""
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """A platform event (a Telegram update, a Discord interaction or message) already taken in,
    so that one delivered twice is handled once, whichever replica receives it."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
