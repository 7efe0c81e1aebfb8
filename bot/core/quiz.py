"""Quizzes: asking letters in spaced-repetition order, hints, skipping, and moving on."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from bot.core import texts
from bot.core.drills import pick_letters, rating, review
from bot.core.letters import parse_letter, stroke_picture
from bot.core.local_time import local_day, streak_after_practice
from bot.core.replies import Button, Reply
from bot.core.turn import Turn
from ml.reading.alphabet import letter_info
from storage import queries
from storage.tables import SKIPPED, Attempt, QuizSession, QuizStatus, ReviewCard

QUIZ_DEFAULT = 5
QUIZ_MOST = 20


async def quiz(turn: Turn, args: list[str]) -> list[Reply]:
    """/quiz [n] starts a drill of n letters; /quiz stop ends the running one."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if args[:1] == ["stop"]:
        if running is None:
            return [Reply(texts.QUIZ_NONE_RUNNING)]
        running.status, running.finished_at = QuizStatus.STOPPED, turn.now
        stopped = texts.QUIZ_STOPPED.format(
            answered=running.position, total=len(running.letters), correct=running.correct
        )
        return [Reply(stopped)]
    count = _quiz_count(args)
    if count is None:
        return [Reply(texts.QUIZ_BAD_COUNT.format(most=QUIZ_MOST))]
    if running is not None:
        question = _question(running)
        text = texts.QUIZ_ALREADY_RUNNING.format(question=question.text)
        return [Reply(text, buttons=question.buttons, expected=running.expected)]
    cards = await queries.cards(turn.session, turn.learner.id)
    started = QuizSession(
        learner_id=turn.learner.id,
        letters=pick_letters(cards, count, turn.now),
        position=0,
        correct=0,
        hinted=False,
        status=QuizStatus.ACTIVE,
        started_at=turn.now,
    )
    turn.session.add(started)
    await turn.session.flush()  # a concurrent second quiz fails here (unique index)
    return [_question(started)]


async def hint(turn: Turn, args: list[str]) -> list[Reply]:
    """/hint [letter]: how to write a letter (the quiz's current one by default)."""
    if args:
        letter = parse_letter(" ".join(args))
        if letter is None:
            return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=" ".join(args)))]
    else:
        running = await queries.active_quiz(turn.session, turn.learner.id)
        if running is None:
            return [Reply(texts.HINT_ASK)]
        letter, running.hinted = running.expected, True
    info = letter_info(letter)
    text = texts.HINT.format(
        letter=letter,
        name=info.name,
        name_romanized=info.name_romanized,
        romanization=info.romanization,
    )
    return [Reply(text, images=(stroke_picture(letter),))]


async def skip(turn: Turn, args: list[str]) -> list[Reply]:
    """/skip: the current question counts as missed; the next one comes."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if running is None:
        return [Reply(texts.QUIZ_NONE_RUNNING)]
    letter = running.expected
    turn.session.add(
        Attempt(
            learner_id=turn.learner.id,
            quiz_id=running.id,
            expected=letter,
            read=None,
            confidence=0.0,
            verdict=SKIPPED,
            correct=False,
            model_version=turn.reader.version,
            created_at=turn.now,
        )
    )
    await review_card(turn, letter, correct=False, hinted=running.hinted)
    text = texts.QUIZ_SKIPPED.format(letter=letter, romanization=letter_info(letter).romanization)
    skipped = Reply(
        text, (stroke_picture(letter),), expected=letter, verdict=SKIPPED, correct=False
    )
    return [skipped, *advance(running, correct=False, now=turn.now)]


def _quiz_count(args: list[str]) -> int | None:
    if not args:
        return QUIZ_DEFAULT
    if len(args) > 1 or not re.fullmatch(r"[0-9]{1,3}", args[0]):
        return None
    count = int(args[0])
    return count if 1 <= count <= QUIZ_MOST else None


def _question(running: QuizSession) -> Reply:
    text = texts.QUIZ_QUESTION.format(
        number=running.position + 1,
        total=len(running.letters),
        description=texts.describe(running.expected),
    )
    buttons = ((Button(texts.BUTTON_HINT, "/hint"), Button(texts.BUTTON_SKIP, "/skip")),)
    return Reply(text, buttons=buttons, expected=running.expected)


def advance(running: QuizSession, correct: bool, now: datetime) -> list[Reply]:
    """Move to the next question; the summary once all are answered."""
    running.position += 1
    running.correct += int(correct)
    running.hinted = False
    if running.expected is not None:
        return [_question(running)]
    running.status, running.finished_at = QuizStatus.FINISHED, now
    return [Reply(texts.QUIZ_DONE.format(correct=running.correct, total=len(running.letters)))]


async def review_card(turn: Turn, letter: str, correct: bool, hinted: bool) -> None:
    """Update (or start) the learner's spaced-repetition card for ``letter``."""
    row = await turn.session.scalar(
        select(ReviewCard).where(
            ReviewCard.learner_id == turn.learner.id, ReviewCard.letter == letter
        )
    )
    turn.session.add(review(row, turn.learner.id, letter, rating(correct, hinted), turn.now))


def practised(turn: Turn) -> None:
    """The learner practised today: their streak follows."""
    learner = turn.learner
    today = local_day(turn.now, learner.time_zone)
    learner.streak = streak_after_practice(learner.streak, learner.last_practice_day, today)
    learner.last_practice_day = today
