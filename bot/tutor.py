"""The learning core, free of any chat platform: commands and pictures in, Replies out.

Every message is handled in one database transaction (the learner is created on first
contact); a quiz's question lives in the database, so any process can grade the answer.
Pictures are decoded and classified off the event loop, before the transaction opens. A
failure inside never escapes: the learner gets a friendly reply and the transaction is rolled
back, so nothing half-done is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import admin_commands, learner_commands, texts
from bot.config import Settings
from bot.drills import pick_letters, rating, review
from bot.letters import canonical_bytes, canonical_picture, parse_letter, stroke_picture
from bot.local_time import local_day, streak_after_practice
from bot.replies import Button, Picture, Reply, Sender
from bot.turn import AdminHandler, Handler, Turn
from ml.alphabet import letter_info
from ml.registry import Registry
from ml.serve import Classifier, LiveClassifier, Reading, live_classifier
from ml.worker_client import WorkerClient
from storage import queries
from storage.database import Database
from storage.tables import Attempt, QuizSession, ReviewCard, Sample, utcnow

log = logging.getLogger(__name__)

QUIZ_DEFAULT = 5
QUIZ_MOST = 20
UNSURE_BELOW = 0.8
"""Below this confidence a reading shows alternatives and what the model saw."""


class Tutor:
    """The platform-free bot: ``handle_text`` for commands, ``handle_picture`` for photos."""

    def __init__(
        self,
        db: Database,
        classifier: Classifier | LiveClassifier,
        settings: Settings,
        registry: Registry | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.classifier = classifier
        self.settings = settings
        self.registry = registry or Registry()
        self.clock = clock
        self.commands: dict[str, Handler] = {
            "start": self._help,
            "help": self._help,
            "quiz": self._quiz,
            "hint": self._hint,
            "skip": self._skip,
            "confirm": self._confirm,
            "review": learner_commands.weakest_letters,
            "stats": learner_commands.stats,
            "remind": learner_commands.remind,
            "timezone": learner_commands.timezone,
            "stop": learner_commands.stop_reminders,
            "consent": learner_commands.consent,
            "deleteme": learner_commands.delete_me,
        }
        self.admin_commands: dict[str, AdminHandler] = {
            "model": partial(admin_commands.models, self),
            "rollback": partial(admin_commands.rollback, self),
            "retrain": partial(admin_commands.retrain, self),
        }

    @classmethod
    async def open(cls, settings: Settings) -> Tutor:
        """The tutor for ``settings``: database migrated, classifier loaded."""
        db = Database(settings.database_url)
        await db.migrate()
        remote = (
            WorkerClient(settings.worker_url, settings.worker_timeout)
            if settings.worker_url
            else None
        )
        classifier = await asyncio.to_thread(live_classifier, settings.model, remote=remote)
        return cls(db, classifier, settings)

    async def handle_text(self, sender: Sender, text: str) -> list[Reply]:
        """Answer a typed message (a command like ``/quiz 5``, or anything else)."""
        words = text.strip().split()
        if not words or not words[0].startswith("/"):
            return [Reply(texts.NOT_A_COMMAND)]
        name = words[0][1:].split("@")[0].lower()  # Telegram appends @botname in groups
        args = words[1:]
        if name in self.admin_commands:
            return await self._run(sender, partial(self._admin, name, args))
        handler = self.commands.get(name)
        if handler is None:
            return [Reply(texts.UNKNOWN_COMMAND.format(name=name))]
        return await self._run(sender, partial(handler, args=args))

    async def handle_picture(self, sender: Sender, data: bytes) -> list[Reply]:
        """Read a picture: a quiz answer when a quiz runs, else a free reading."""
        try:
            reading = await asyncio.to_thread(self.classifier.read, data)
        except Exception:
            log.exception("reading a picture failed")
            return [Reply(texts.INTERNAL_ERROR)]
        return await self._run(sender, partial(self._picture, data=data, reading=reading))

    async def _run(self, sender: Sender, work: Callable[[Turn], Awaitable[list[Reply]]]):
        """Run ``work`` in a transaction (retried once if it lost a race on a unique key), then
        the turn's after-commit work; any failure becomes a friendly reply."""
        try:
            for tries_left in (1, 0):
                try:
                    async with self.db.transaction() as session:
                        learner = await queries.learner(
                            session, sender.platform, sender.platform_id, sender.display_name
                        )
                        turn = Turn(sender, session, learner, self.clock())
                        replies = await work(turn)
                    break
                except IntegrityError:
                    if not tries_left:
                        raise
            return replies + [await later() for later in turn.after_commit]
        except Exception:
            log.exception("handling a message from a %s learner failed", sender.platform)
            return [Reply(texts.INTERNAL_ERROR)]

    async def _admin(self, name: str, args: list[str], turn: Turn) -> list[Reply]:
        sender = turn.sender
        arguments = " ".join(args)
        if not (
            sender.platform_admin or self.settings.is_admin(sender.platform, sender.platform_id)
        ):
            await queries.audit(
                turn.session, sender.platform, sender.platform_id, name, arguments, "refused"
            )
            log.warning("refused /%s to a non-admin %s account", name, sender.platform)
            return [Reply(texts.ADMIN_ONLY.format(name=name))]
        replies, outcome = await self.admin_commands[name](turn, args)
        detail = replies[0].text if replies else ""
        await queries.audit(
            turn.session, sender.platform, sender.platform_id, name, arguments, outcome, detail
        )
        return replies

    async def _help(self, turn: Turn, args: list[str]) -> list[Reply]:
        return [Reply(texts.HELP)]

    # -- quizzes ---------------------------------------------------------------------------

    async def _quiz(self, turn: Turn, args: list[str]) -> list[Reply]:
        quiz = await queries.active_quiz(turn.session, turn.learner.id)
        if args[:1] == ["stop"]:
            if quiz is None:
                return [Reply(texts.QUIZ_NONE_RUNNING)]
            quiz.status, quiz.finished_at = "stopped", turn.now
            stopped = texts.QUIZ_STOPPED.format(
                answered=quiz.position, total=len(quiz.letters), correct=quiz.correct
            )
            return [Reply(stopped)]
        count = _quiz_count(args)
        if count is None:
            return [Reply(texts.QUIZ_BAD_COUNT.format(most=QUIZ_MOST))]
        if quiz is not None:
            question = _question(quiz)
            running = texts.QUIZ_ALREADY_RUNNING.format(question=question.text)
            return [Reply(running, buttons=question.buttons, expected=quiz.expected)]
        cards = await queries.cards(turn.session, turn.learner.id)
        quiz = QuizSession(
            learner_id=turn.learner.id,
            letters=pick_letters(cards, count, turn.now),
            position=0,
            correct=0,
            hinted=False,
            status="active",
            started_at=turn.now,
        )
        turn.session.add(quiz)
        await turn.session.flush()  # a concurrent second quiz fails here (unique index)
        return [_question(quiz)]

    async def _hint(self, turn: Turn, args: list[str]) -> list[Reply]:
        if args:
            letter = parse_letter(" ".join(args))
            if letter is None:
                return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=" ".join(args)))]
        else:
            quiz = await queries.active_quiz(turn.session, turn.learner.id)
            if quiz is None:
                return [Reply(texts.HINT_ASK)]
            letter, quiz.hinted = quiz.expected, True
        info = letter_info(letter)
        text = texts.HINT.format(
            letter=letter,
            name=info.name,
            name_romanized=info.name_romanized,
            romanization=info.romanization,
        )
        return [Reply(text, images=(stroke_picture(letter),))]

    async def _skip(self, turn: Turn, args: list[str]) -> list[Reply]:
        quiz = await queries.active_quiz(turn.session, turn.learner.id)
        if quiz is None:
            return [Reply(texts.QUIZ_NONE_RUNNING)]
        letter = quiz.expected
        turn.session.add(
            Attempt(
                learner_id=turn.learner.id,
                quiz_id=quiz.id,
                expected=letter,
                read=None,
                confidence=0.0,
                verdict="skipped",
                correct=False,
                model_version=self.classifier.version,
                created_at=turn.now,
            )
        )
        await _review_card(turn, letter, correct=False, hinted=quiz.hinted)
        text = texts.QUIZ_SKIPPED.format(
            letter=letter, romanization=letter_info(letter).romanization
        )
        skipped = Reply(
            text, (stroke_picture(letter),), expected=letter, verdict="skipped", correct=False
        )
        return [skipped, *_advance(quiz, correct=False, now=turn.now)]

    # -- pictures --------------------------------------------------------------------------

    async def _picture(self, turn: Turn, data: bytes, reading: Reading) -> list[Reply]:
        quiz = await queries.active_quiz(turn.session, turn.learner.id)
        expected = quiz.expected if quiz else None
        attempt = Attempt(
            learner_id=turn.learner.id,
            quiz_id=quiz.id if quiz else None,
            expected=expected,
            read=reading.letter,
            confidence=reading.confidence,
            verdict=reading.verdict,
            correct=None,
            model_version=self.classifier.version,
            created_at=turn.now,
        )
        turn.session.add(attempt)
        if reading.verdict != "ok":
            kept = False
            if quiz is None and reading.verdict == "not_a_letter":
                # It may be a letter in a style the model does not know yet: the learner can say
                # which (/confirm), and that is a trusted sample.
                await turn.session.flush()
                kept = self._keep_sample(turn, attempt, data, reading, None, "model_refused")
            return [_refusal(reading, expected, ask_to_confirm=kept)]
        _practised(turn)
        if quiz is None:
            await turn.session.flush()
            keep = self._keep_sample(turn, attempt, data, reading, reading.letter, "model_only")
            return [_free_reading(reading, ask_to_confirm=keep)]
        attempt.correct = reading.letter == expected
        await turn.session.flush()
        source = "quiz_agreed" if attempt.correct else "quiz_disagreed"
        self._keep_sample(turn, attempt, data, reading, expected, source)
        await _review_card(turn, expected, attempt.correct, quiz.hinted)
        info = letter_info(expected)
        if attempt.correct:
            text = texts.QUIZ_RIGHT.format(letter=expected, romanization=info.romanization)
            shown: tuple[Picture, ...] = ()
        else:
            text = texts.QUIZ_WRONG.format(
                read=reading.letter, letter=expected, romanization=info.romanization
            )
            shown = (stroke_picture(expected), canonical_picture(reading.canonical))
        graded = Reply(
            text,
            shown,
            expected=expected,
            read=reading.letter,
            verdict="ok",
            correct=attempt.correct,
        )
        return [graded, *_advance(quiz, attempt.correct, turn.now)]

    def _keep_sample(
        self,
        turn: Turn,
        attempt: Attempt,
        data: bytes,
        reading: Reading,
        label: str | None,
        source: str,
    ) -> bool:
        """Keep the picture for training if the learner consented; True if kept."""
        if not turn.learner.consent:
            return False
        turn.session.add(
            Sample(
                learner_id=turn.learner.id,
                attempt_id=attempt.id,
                picture=data,
                canonical=canonical_bytes(reading.canonical),
                label=label,
                label_source=source,
                consent=True,
                created_at=turn.now,
            )
        )
        return True

    async def _confirm(self, turn: Turn, args: list[str]) -> list[Reply]:
        """The learner says what their latest free picture shows: a trusted label."""
        attempt = await queries.latest_attempt(turn.session, turn.learner.id)
        sample = await queries.sample_of(turn.session, attempt.id) if attempt else None
        if sample is None or attempt.expected is not None:
            return [Reply(texts.NOTHING_TO_CONFIRM)]
        if not args and attempt.read is None:
            return [Reply(texts.CONFIRM_WHICH)]
        letter = parse_letter(" ".join(args)) if args else attempt.read
        if letter is None:
            return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=" ".join(args)))]
        sample.label, sample.label_source = letter, "learner_confirmed"
        return [Reply(texts.CONFIRMED.format(letter=letter))]


def _quiz_count(args: list[str]) -> int | None:
    if not args:
        return QUIZ_DEFAULT
    if len(args) > 1 or not args[0].isdigit():
        return None
    count = int(args[0])
    return count if 1 <= count <= QUIZ_MOST else None


def _question(quiz: QuizSession) -> Reply:
    text = texts.QUIZ_QUESTION.format(
        number=quiz.position + 1, total=len(quiz.letters), description=texts.describe(quiz.expected)
    )
    buttons = ((Button(texts.BUTTON_HINT, "/hint"), Button(texts.BUTTON_SKIP, "/skip")),)
    return Reply(text, buttons=buttons, expected=quiz.expected)


def _advance(quiz: QuizSession, correct: bool, now: datetime) -> list[Reply]:
    """Move to the next question; the summary once all are answered."""
    quiz.position += 1
    quiz.correct += int(correct)
    quiz.hinted = False
    if quiz.expected is not None:
        return [_question(quiz)]
    quiz.status, quiz.finished_at = "finished", now
    return [Reply(texts.QUIZ_DONE.format(correct=quiz.correct, total=len(quiz.letters)))]


async def _review_card(turn: Turn, letter: str, correct: bool, hinted: bool) -> None:
    """Update (or start) the learner's spaced-repetition card for ``letter``."""
    row = await turn.session.scalar(
        select(ReviewCard).where(
            ReviewCard.learner_id == turn.learner.id, ReviewCard.letter == letter
        )
    )
    turn.session.add(review(row, turn.learner.id, letter, rating(correct, hinted), turn.now))


def _practised(turn: Turn) -> None:
    learner = turn.learner
    today = local_day(turn.now, learner.time_zone)
    learner.streak = streak_after_practice(learner.streak, learner.last_practice_day, today)
    learner.last_practice_day = today


def _refusal(reading: Reading, expected: str | None, ask_to_confirm: bool = False) -> Reply:
    reason = texts.VERDICTS.get(reading.verdict, texts.VERDICTS["error"])
    if expected is not None:
        reason = texts.QUIZ_UNREADABLE.format(reason=reason, description=texts.describe(expected))
    if ask_to_confirm:
        reason = f"{reason}\n{texts.CONFIRM_REFUSED}"
    shown = (canonical_picture(reading.canonical),) if reading.canonical is not None else ()
    return Reply(reason, shown, expected=expected, verdict=reading.verdict)


def _free_reading(reading: Reading, ask_to_confirm: bool) -> Reply:
    lines = [texts.reading(reading.letter, reading.confidence)]
    unsure = reading.confidence < UNSURE_BELOW
    if unsure:
        listed = ", ".join(f"{letter} ({texts.percent(p)})" for letter, p in reading.top[1:])
        lines += [texts.UNSURE.format(alternatives=listed), texts.WHAT_I_SAW]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if ask_to_confirm:
        lines.append(texts.CONFIRM_ASK)
        yes = Button(texts.CONFIRM_YES.format(letter=reading.letter), "/confirm")
        others = [
            Button(texts.CONFIRM_OTHER.format(letter=a), f"/confirm {a}")
            for a, _ in (reading.top[1:] if unsure else [])
        ]
        buttons = ((yes, *others),)
    images = (canonical_picture(reading.canonical),) if unsure else ()
    return Reply("\n".join(lines), images, buttons, read=reading.letter, verdict="ok")
