"""The database layer on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from storage import queries
from storage.database import Database, async_url
from storage.tables import Attempt, Base, Learner, QuizSession, Sample


async def test_migrations_build_exactly_the_tables_the_code_declares(db):
    def differences(connection):
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_migrating_twice_changes_nothing(db):
    await db.migrate()
    async with db.engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0004"


async def test_urls_get_their_async_drivers():
    assert async_url("sqlite:///x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+asyncpg"
    with pytest.raises(ValueError, match="unsupported"):
        async_url("mysql://u@h/db")


async def test_sqlite_runs_in_wal_mode(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/wal.db")
    async with database.engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
    await database.close()


async def test_racing_first_messages_create_one_learner(db):
    async def first_contact():
        async with db.transaction() as session:
            return (await queries.learner(session, "test", "42", "Ann")).id

    ids = await asyncio.gather(*(first_contact() for _ in range(10)))
    assert len(set(ids)) == 1


async def test_concurrent_read_modify_write_loses_no_update(db):
    """Fifty transactions each read a learner's streak and write it back plus one."""
    async with db.transaction() as session:
        await queries.learner(session, "test", "7")

    async def increment():
        async with db.transaction() as session:
            learner = await queries.learner(session, "test", "7")
            streak = learner.streak
            await asyncio.sleep(0)  # let the others interleave
            learner.streak = streak + 1

    await asyncio.gather(*(increment() for _ in range(50)))
    async with db.transaction() as session:
        assert (await queries.learner(session, "test", "7")).streak == 50


async def test_a_learner_has_at_most_one_active_quiz(db):
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        session.add(QuizSession(learner_id=learner.id, letters=["ㄱ"], status="active"))
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(QuizSession(learner_id=learner.id, letters=["ㄴ"], status="active"))
    async with db.transaction() as session:
        session.add(QuizSession(learner_id=learner.id, letters=["ㄴ"], status="finished"))


async def test_times_come_back_aware_in_utc(db):
    moment = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        learner.next_reminder_at = moment
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        assert learner.next_reminder_at == moment
        assert learner.next_reminder_at.tzinfo is not None


async def test_deleting_a_learner_deletes_what_they_own(db):
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        other = await queries.learner(session, "test", "2")
        for owner in (learner, other):
            attempt = Attempt(learner_id=owner.id, verdict="ok", model_version="m")
            session.add(attempt)
            await session.flush()
            session.add(
                Sample(
                    learner_id=owner.id,
                    attempt_id=attempt.id,
                    picture=b"p",
                    canonical=b"c",
                    label="ㄱ",
                    label_source="quiz_agreed",
                    consent=True,
                )
            )
    async with db.transaction() as session:
        await queries.delete_learner(session, learner.id)
    async with db.transaction() as session:
        owners = await session.scalars(select(Learner.platform_id))
        assert list(owners) == ["2"]
        assert await session.scalar(select(func.count()).select_from(Attempt)) == 1
        assert await session.scalar(select(func.count()).select_from(Sample)) == 1


async def test_only_consented_samples_with_trusted_labels_are_for_training(db):
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        for source, consent in [
            ("quiz_agreed", True),
            ("learner_confirmed", True),
            ("model_only", True),
            ("quiz_disagreed", True),
            ("quiz_agreed", False),
        ]:
            session.add(
                Sample(
                    learner_id=learner.id,
                    picture=b"p",
                    canonical=b"c",
                    label="ㄱ",
                    label_source=source,
                    consent=consent,
                )
            )
    async with db.transaction() as session:
        samples = await queries.training_samples(session)
    assert sorted(s.label_source for s in samples) == ["learner_confirmed", "quiz_agreed"]


async def test_two_processes_writing_one_sqlite_file_never_hit_database_is_locked(tmp_path):
    """Two engines on one file (as two bot processes would be) increment the same counter."""
    url = f"sqlite:///{tmp_path}/shared.db"
    first, second = Database(url), Database(url)
    await first.migrate()
    async with first.transaction() as session:
        await queries.learner(session, "test", "7")

    async def increment(database):
        async with database.transaction() as session:
            learner = await queries.learner(session, "test", "7")
            streak = learner.streak
            await asyncio.sleep(0.001)
            learner.streak = streak + 1

    await asyncio.gather(*(increment(db) for _ in range(25) for db in (first, second)))
    async with first.transaction() as session:
        assert (await queries.learner(session, "test", "7")).streak == 50
    await first.close()
    await second.close()


async def test_letters_practised_before_lessons_existed_count_as_taught(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/old.db")
    try:
        await database.migrate("0002")
        async with database.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO learners (platform, platform_id, display_name, language, "
                    "time_zone, reminders_on, consent, streak, created_at) "
                    "VALUES ('test', 'old', '', 'en', 'UTC', 0, 0, 1, '2026-01-01 00:00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO review_cards (learner_id, letter, state, due, last_review, "
                    "reviews, correct) VALUES (1, 'ㅏ', 2, '2026-02-01 00:00:00', "
                    "'2026-01-02 00:00:00', 1, 1)"
                )
            )
        await database.migrate()
        async with database.transaction() as session:
            taught = await queries.lessons(session, 1)
        assert taught == {"ㅏ": datetime(2026, 1, 2, tzinfo=UTC)}
    finally:
        await database.close()


async def test_a_text_answer_graded_right_counts_as_read_as_asked_for(db):
    """Right in the quiz's context or after the learner said I misread it: its letters count as
    written right in the letters-inside figures."""
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        for read, correct in (("너무", True), ("너무", False), ("나무", None)):
            session.add(
                Attempt(
                    learner_id=learner.id,
                    expected="나무",
                    read=read,
                    verdict="ok",
                    correct=correct,
                    model_version="m",
                )
            )
    async with db.transaction() as session:
        assert await queries.text_answers(session, learner.id) == [
            ("나무", "나무"),
            ("나무", "너무"),
        ]


async def test_answers_and_cards_hold_words_and_a_downgrade_drops_only_them(db):
    """A word asked for (its answers, card and sample) fits where a letter did (PostgreSQL
    enforces the width); going back to the letters-only schema keeps the letters' rows."""
    from alembic import command
    from fsrs import Rating

    from bot.core.drills import review
    from storage.database import alembic_config
    from storage.tables import ReviewCard, utcnow

    now = utcnow()
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        for item in ("ㄱ", "가", "고양이"):
            session.add(review(None, learner.id, item, Rating.Good, now))
            session.add(
                Sample(
                    learner_id=learner.id,
                    picture=b"",
                    canonical=b"",
                    label=item,
                    label_source="quiz_agreed",
                    consent=True,
                )
            )
            session.add(
                Attempt(
                    learner_id=learner.id,
                    expected=item,
                    read=item,
                    verdict="ok",
                    correct=True,
                    model_version="m",
                )
            )
    async with db.transaction() as session:
        assert set(await queries.cards(session, learner.id)) == {"ㄱ"}
        assert set(await queries.cards(session, learner.id, letters=False)) == {"가", "고양이"}
        assert await queries.text_answers(session, learner.id) == [
            ("가", "가"),
            ("고양이", "고양이"),
        ]
    async with db.engine.begin() as connection:
        await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0003"))
    async with db.transaction() as session:
        cards = list(await session.scalars(select(ReviewCard.letter)))
        assert list(await session.scalars(select(Sample.label))) == ["ㄱ"]
        answers = list(await session.execute(select(Attempt.expected, Attempt.read)))
    assert cards == ["ㄱ"]
    assert [tuple(a) for a in answers] == [("ㄱ", "ㄱ"), (None, None), (None, None)]
