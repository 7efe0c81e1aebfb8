"""The queries the learning core runs, each on a session inside the caller's transaction."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import (
    JAMO,
    TRUSTED_LABELS,
    AdminAction,
    Attempt,
    Delivery,
    Learner,
    Lesson,
    QuizSession,
    QuizStatus,
    ReviewCard,
    Sample,
    utcnow,
)


def clean_text(text: str, limit: int) -> str:
    """``text`` as it may be stored: no control characters (PostgreSQL refuses NUL in text), at
    most ``limit`` characters."""
    return "".join(c for c in text if c >= " " or c in "\n\t")[:limit]


async def learner(
    session: AsyncSession, platform: str, platform_id: str, display_name: str = ""
) -> Learner:
    """The learner for a platform account, locked for this transaction; created on first
    contact (safe when two first messages race: the insert does nothing if the other won)."""
    mine = (
        select(Learner)
        .where(Learner.platform == platform, Learner.platform_id == platform_id)
        .with_for_update()
    )
    found = await session.scalar(mine)
    if found is not None:
        return found
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    await session.execute(
        dialect.insert(Learner)
        .values(
            platform=platform,
            platform_id=platform_id,
            display_name=clean_text(display_name, 128),
            language="en",
            time_zone="UTC",
            reminders_on=False,
            consent=False,
            streak=0,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["platform", "platform_id"])
    )
    return (await session.execute(mine)).scalar_one()


async def active_quiz(session: AsyncSession, learner_id: int) -> QuizSession | None:
    """The learner's running quiz, locked for this transaction."""
    found = await session.execute(
        select(QuizSession)
        .where(QuizSession.learner_id == learner_id, QuizSession.status == QuizStatus.ACTIVE)
        .with_for_update()
    )
    return found.scalar_one_or_none()


async def cards(
    session: AsyncSession, learner_id: int, letters: bool = True
) -> dict[str, ReviewCard]:
    """The learner's review cards of letters (or, with ``letters=False``, of syllables and
    words), by what they practise."""
    kind = ReviewCard.letter.in_(JAMO) if letters else ReviewCard.letter.not_in(JAMO)
    found = await session.scalars(
        select(ReviewCard).where(ReviewCard.learner_id == learner_id, kind)
    )
    return {card.letter: card for card in found}


async def card(session: AsyncSession, learner_id: int, item: str) -> ReviewCard | None:
    """The learner's card for a letter, syllable or word, if they have one."""
    return await session.scalar(
        select(ReviewCard).where(ReviewCard.learner_id == learner_id, ReviewCard.letter == item)
    )


async def due_letters(
    session: AsyncSession, learner_ids: Sequence[int], now: datetime
) -> dict[int, list[str]]:
    """Each learner's letters, syllables and words due for review at ``now``, most overdue first
    (learners with none left out), in one query."""
    found = await session.execute(
        select(ReviewCard.learner_id, ReviewCard.letter)
        .where(ReviewCard.learner_id.in_(list(learner_ids)), ReviewCard.due <= now)
        .order_by(ReviewCard.due)
    )
    due: dict[int, list[str]] = {}
    for learner_id, letter in found:
        due.setdefault(learner_id, []).append(letter)
    return due


async def lessons(session: AsyncSession, learner_id: int) -> dict[str, datetime]:
    """The letters taught to the learner, and when."""
    found = await session.execute(
        select(Lesson.letter, Lesson.taught_at).where(Lesson.learner_id == learner_id)
    )
    return {letter: at for letter, at in found}


async def quiz_misses(session: AsyncSession, quiz_id: int) -> list[str]:
    """The letters of a quiz whose last graded answer was a miss or a skip, in the order
    asked."""
    found = await session.execute(
        select(Attempt.expected, Attempt.correct)
        .where(Attempt.quiz_id == quiz_id, Attempt.correct.is_not(None))
        .order_by(Attempt.id)
    )
    last = {letter: correct for letter, correct in found}
    return [letter for letter, correct in last.items() if not correct]


async def latest_quiz_misses(session: AsyncSession, learner_id: int) -> list[str]:
    """The misses (:func:`quiz_misses`) of the learner's latest quiz that is over."""
    latest = await session.scalar(
        select(QuizSession.id)
        .where(QuizSession.learner_id == learner_id, QuizSession.status != QuizStatus.ACTIVE)
        .order_by(QuizSession.id.desc())
        .limit(1)
    )
    return [] if latest is None else await quiz_misses(session, latest)


@dataclass(frozen=True)
class LetterScore:
    letter: str
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


async def letter_scores(session: AsyncSession, learner_id: int) -> list[LetterScore]:
    """Graded answers per asked-for letter, in letter order (syllables and words asked for are
    :func:`text_answers`)."""
    rows = await session.execute(
        select(Attempt.expected, func.count(), func.count().filter(Attempt.correct.is_(True)))
        .where(
            Attempt.learner_id == learner_id,
            Attempt.correct.is_not(None),
            Attempt.expected.in_(JAMO),
        )
        .group_by(Attempt.expected)
        .order_by(Attempt.expected)
    )
    return [LetterScore(letter, n, good) for letter, n, good in rows]


async def confusions(
    session: AsyncSession, learner_id: int, limit: int = 5
) -> list[tuple[str, str, int]]:
    """The most frequent (letter asked for, letter read instead, count) among graded misses."""
    rows = await session.execute(
        select(Attempt.expected, Attempt.read, func.count().label("n"))
        .where(
            Attempt.learner_id == learner_id,
            Attempt.correct.is_(False),
            Attempt.expected.in_(JAMO),
            Attempt.read.in_(JAMO),
        )
        .group_by(Attempt.expected, Attempt.read)
        .order_by(func.count().desc(), Attempt.expected, Attempt.read)
        .limit(limit)
    )
    return [(expected, read, n) for expected, read, n in rows]


async def text_answers(session: AsyncSession, learner_id: int) -> list[tuple[str, str]]:
    """Every graded answer to a syllable or word asked for that was read: (asked for, read), in
    the order answered; an answer graded right counts as read as asked for (its letters were
    right in the quiz's context, or the learner said I misread them)."""
    rows = await session.execute(
        select(Attempt.expected, Attempt.read, Attempt.correct)
        .where(
            Attempt.learner_id == learner_id,
            Attempt.correct.is_not(None),
            Attempt.expected.not_in(JAMO),
            Attempt.read.is_not(None),
        )
        .order_by(Attempt.id)
    )
    return [(expected, expected if correct else read) for expected, read, correct in rows]


async def latest_attempt(session: AsyncSession, learner_id: int) -> Attempt | None:
    found = await session.scalars(
        select(Attempt).where(Attempt.learner_id == learner_id).order_by(Attempt.id.desc()).limit(1)
    )
    return found.first()


async def attempt_of(session: AsyncSession, learner_id: int, attempt_id: int) -> Attempt | None:
    """One of the learner's attempts (None if it is not theirs or not there)."""
    return await session.scalar(
        select(Attempt).where(Attempt.id == attempt_id, Attempt.learner_id == learner_id)
    )


async def count_regraded(session: AsyncSession, quiz_id: int) -> None:
    """One more right answer in a quiz (an answer regraded after the quiz moved on)."""
    await session.execute(
        update(QuizSession).where(QuizSession.id == quiz_id).values(correct=QuizSession.correct + 1)
    )


async def sample_count(session: AsyncSession, learner_id: int) -> int:
    """How many of the learner's pictures are kept."""
    return await session.scalar(
        select(func.count(Sample.id)).where(Sample.learner_id == learner_id)
    )


async def sample_of(session: AsyncSession, attempt_id: int) -> Sample | None:
    found = await session.scalars(
        select(Sample).where(Sample.attempt_id == attempt_id).with_for_update()
    )
    return found.first()


async def delete_learner(session: AsyncSession, learner_id: int) -> None:
    """Delete a learner with their attempts, samples, cards and quizzes; the admin audit keeps
    their actions under an anonymous id that nothing else knows."""
    found = await session.get(Learner, learner_id)
    if found is not None:
        anonymous = f"deleted-{secrets.token_hex(6)}"
        await session.execute(
            update(AdminAction)
            .where(
                AdminAction.platform == found.platform,
                AdminAction.platform_id == found.platform_id,
            )
            .values(platform_id=anonymous)
        )
    for table in (Sample, Attempt, ReviewCard, QuizSession, Lesson):
        await session.execute(delete(table).where(table.learner_id == learner_id))
    await session.execute(delete(Learner).where(Learner.id == learner_id))


MAX_AUDITED = 500
"""Characters of a command, its arguments or its reply kept in the audit."""


async def audit(
    session: AsyncSession,
    platform: str,
    platform_id: str,
    command: str,
    arguments: str,
    outcome: str,
    detail: str = "",
) -> None:
    session.add(
        AdminAction(
            platform=platform,
            platform_id=platform_id,
            command=command,
            arguments=clean_text(arguments, MAX_AUDITED),
            outcome=outcome,
            detail=clean_text(detail, MAX_AUDITED),
        )
    )


async def claim_due_reminders(
    session: AsyncSession, now: datetime, platforms: Sequence[str], limit: int = 500
) -> Sequence[Learner]:
    """Learners on ``platforms`` whose reminder is due, locked so that no other scheduler claims
    them (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock does the same)."""
    found = await session.scalars(
        select(Learner)
        .where(
            Learner.reminders_on.is_(True),
            Learner.next_reminder_at <= now,
            Learner.platform.in_(list(platforms)),
        )
        .order_by(Learner.next_reminder_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return found.all()


async def first_delivery(
    session: AsyncSession, platform: str, event_id: str, now: datetime
) -> bool:
    """Record that the platform's event ``event_id`` was taken in at ``now``; False if it already
    was."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    inserted = await session.scalar(
        dialect.insert(Delivery)
        .values(platform=platform, event_id=event_id[:64], created_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(Delivery.id)
    )
    return inserted is not None


async def forget_deliveries(session: AsyncSession, before: datetime) -> None:
    """Drop the record of events taken in before ``before`` (no platform redelivers that late)."""
    await session.execute(delete(Delivery).where(Delivery.created_at < before))


TRUSTED = (Sample.consent.is_(True), Sample.label_source.in_(TRUSTED_LABELS))
"""Samples a training run may use: consented, with a trusted label."""
TRAINABLE = (*TRUSTED, Sample.label.in_(JAMO))
"""Letter samples a training run may use."""
TRAINABLE_TEXT = (*TRUSTED, Sample.label.is_not(None), Sample.label.not_in(JAMO))
"""Syllable and word samples a training run of the syllable reader may use."""


async def trainable_sample_count(session: AsyncSession) -> int:
    """How many samples (letters, syllables and words) a training run may use."""
    return await session.scalar(
        select(func.count(Sample.id)).where(*TRUSTED, Sample.label.is_not(None))
    )


async def new_training_sample_count(session: AsyncSession) -> int:
    """How many trusted samples (letters, syllables and words) no promoted model has been
    trained on yet."""
    return await session.scalar(
        select(func.count(Sample.id)).where(
            *TRUSTED, Sample.label.is_not(None), Sample.used_in_training.is_(None)
        )
    )


async def training_samples(session: AsyncSession) -> Sequence[Sample]:
    """Letter samples a training run may use: consented, with a trusted label."""
    found = await session.scalars(select(Sample).where(*TRAINABLE).order_by(Sample.id))
    return found.all()


async def text_training_samples(session: AsyncSession) -> Sequence[Sample]:
    """Syllable and word samples a training run of the syllable reader may use."""
    found = await session.scalars(select(Sample).where(*TRAINABLE_TEXT).order_by(Sample.id))
    return found.all()
