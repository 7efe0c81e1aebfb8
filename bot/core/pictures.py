"""A picture from a learner: graded when a quiz asks a letter, else read freely; kept as a
training sample when they consented; and ``/confirm``, their word on what it showed."""

from __future__ import annotations

import re

from bot.core import texts
from bot.core.drill_questions import DrillKind
from bot.core.lesson_content import with_contrast
from bot.core.letters import (
    canonical_picture,
    parse_letter,
    side_by_side,
    stroke_picture,
)
from bot.core.quiz import advance, dispute_button, missed, practised, review_card
from bot.core.replies import Button, Picture, Reply
from bot.core.samples import keep_sample
from bot.core.text_answers import answer_text_question
from bot.core.text_items import is_letter
from bot.core.text_pictures import answer_text, shows_letters, shows_text
from bot.core.turn import Turn
from ml.reading.classifier import Reading, in_quiz_context
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage import queries
from storage.tables import SKIPPED, Attempt, LabelSource, QuizSession

UNSURE_BELOW = 0.8
"""Below this confidence a reading shows alternatives and what the model saw."""
_ATTEMPT_ID = re.compile(r"a\d+")


async def answer_picture(
    turn: Turn, data: bytes, reading: Reading, text: TextReading | None = None
) -> list[Reply]:
    """Record the attempt and answer it: graded in a writing quiz, a free reading otherwise
    (during a drill answered without pictures, with a word that it was not an answer). A
    question asking for a syllable or a word is graded on ``text``
    (:mod:`bot.core.text_answers`); outside one, a picture that ``text`` shows to be a
    syllable, a word or separate letters is answered as one (:mod:`bot.core.text_pictures`)."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    drilling = running is not None and running.kind != DrillKind.WRITING
    if running is not None and not drilling and not is_letter(running.expected):
        return await answer_text_question(turn, data, text, running)
    if shows_text(text) or shows_letters(text):
        answered = answer_text(turn, text, None if drilling else running)
        return [Reply(texts.DRILL_NO_PICTURES), *answered] if drilling else answered
    if drilling:
        return [Reply(texts.DRILL_NO_PICTURES), *await _answer(turn, data, reading, None)]
    return await _answer(turn, data, reading, running)


async def _answer(
    turn: Turn, data: bytes, reading: Reading, running: QuizSession | None
) -> list[Reply]:
    expected = running.expected if running else None
    if expected is not None:
        reading = in_quiz_context(reading, expected)
    attempt = Attempt(
        learner_id=turn.learner.id,
        quiz_id=running.id if running else None,
        expected=expected,
        read=reading.letter,
        confidence=reading.confidence,
        verdict=reading.verdict,
        correct=None,
        model_version=turn.reader.version,
        created_at=turn.now,
    )
    turn.session.add(attempt)
    if reading.verdict != Verdict.OK:
        kept = False
        if running is None and reading.verdict == Verdict.NOT_A_LETTER:
            # It may be a letter in a style the model does not know yet: the learner can say
            # which (/confirm), and that is a trusted sample.
            await turn.session.flush()
            kept = keep_sample(
                turn, attempt, data, reading.canonical, None, LabelSource.MODEL_REFUSED
            )
        return [_refusal(reading, expected, ask_to_confirm=kept)]
    practised(turn)
    if running is None:
        await turn.session.flush()
        kept = keep_sample(
            turn, attempt, data, reading.canonical, reading.letter, LabelSource.MODEL_ONLY
        )
        return [free_reading(reading, ask_to_confirm=kept)]
    attempt.correct = reading.letter == expected
    await turn.session.flush()
    source = LabelSource.QUIZ_AGREED if attempt.correct else LabelSource.QUIZ_DISAGREED
    keep_sample(turn, attempt, data, reading.canonical, expected, source)
    if attempt.correct:
        await review_card(turn, expected, True, hinted=running.hinted or running.retrying)
        return [_right(reading, expected), *await advance(turn, running, True)]
    return await _missed(turn, running, attempt, reading)


def _right(reading: Reading, expected: str) -> Reply:
    romanization = texts.romanized(expected)
    if reading.unsure:
        text = texts.QUIZ_RIGHT_UNSURE.format(letter=expected, romanization=romanization)
        shown: tuple[Picture, ...] = (
            stroke_picture(expected),
            canonical_picture(reading.canonical),
        )
    else:
        text = texts.QUIZ_RIGHT.format(letter=expected, romanization=romanization)
        shown = ()
    return Reply(
        text, shown, expected=expected, read=reading.letter, verdict=Verdict.OK, correct=True
    )


async def _missed(
    turn: Turn, running: QuizSession, attempt: Attempt, reading: Reading
) -> list[Reply]:
    """A miss: what tells the two letters apart, the learner's letter beside the right one, and
    a second try (after the first miss) or the next question (after the second)."""
    expected = running.expected
    wrong = texts.QUIZ_WRONG.format(
        read=reading.letter, letter=expected, romanization=texts.romanized(expected)
    )
    lines = [with_contrast(wrong, expected, reading.letter)]
    lines.append(texts.COACH_SIDE_BY_SIDE)
    shown = (side_by_side(reading.canonical, expected),)
    graded = {"expected": expected, "read": reading.letter, "verdict": Verdict.OK, "correct": False}
    dispute = dispute_button(expected, attempt)
    return await missed(turn, running, lines, dispute, graded, shown)


async def confirm(turn: Turn, args: list[str]) -> list[Reply]:
    """/confirm [letter]: the learner says what their picture showed (their latest, or the one a
    button names): a trusted label for a kept picture, and a quiz answer I misread is regraded
    as right (an answer to a syllable or word asked for, too: ``/confirm 나무``)."""
    named = [a for a in args if _ATTEMPT_ID.fullmatch(a)]
    words = [a for a in args if not _ATTEMPT_ID.fullmatch(a)]
    if named:
        attempt = await queries.attempt_of(turn.session, turn.learner.id, int(named[-1][1:]))
    else:
        attempt = await queries.latest_attempt(turn.session, turn.learner.id)
    if attempt is None or attempt.verdict == SKIPPED:
        return [Reply(texts.NOTHING_TO_CONFIRM)]
    if not words and attempt.read is None:
        return [Reply(texts.CONFIRM_WHICH)]
    said = " ".join(words)
    asked_text = attempt.expected is not None and not is_letter(attempt.expected)
    if asked_text and attempt.correct is False and said == attempt.expected:
        sample = await queries.sample_of(turn.session, attempt.id)
        if sample is not None:
            sample.label_source = LabelSource.LEARNER_CONFIRMED
        return await _regrade(turn, attempt)
    letter = parse_letter(said) if words else attempt.read
    if letter is None:
        return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=" ".join(words)))]
    sample = await queries.sample_of(turn.session, attempt.id)
    if sample is not None:
        sample.label, sample.label_source = letter, LabelSource.LEARNER_CONFIRMED
    if attempt.expected is not None and attempt.correct is False and letter == attempt.expected:
        return await _regrade(turn, attempt)
    if sample is not None:
        return [Reply(texts.CONFIRMED.format(letter=letter))]
    if not turn.learner.consent:
        return [Reply(texts.CONFIRM_NOT_KEPT.format(letter=letter))]
    return [Reply(texts.NOTHING_TO_CONFIRM)]


async def _regrade(turn: Turn, attempt: Attempt) -> list[Reply]:
    """The learner wrote the letter asked for and I misread it: the answer counts as right, and
    a question still open moves on."""
    attempt.correct = True
    letter = attempt.expected
    text = texts.REGRADED.format(letter=letter)
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if running is not None and running.id == attempt.quiz_id and running.expected == letter:
        await review_card(turn, letter, True, running.hinted)
        return [Reply(text), *await advance(turn, running, True)]
    await review_card(turn, letter, True, hinted=False)
    if attempt.quiz_id is not None:
        await queries.count_regraded(turn.session, attempt.quiz_id)
    return [Reply(text)]


def _refusal(reading: Reading, expected: str | None, ask_to_confirm: bool = False) -> Reply:
    reason = texts.VERDICTS.get(reading.verdict, texts.VERDICTS[Verdict.ERROR])
    if expected is not None:
        reason = texts.QUIZ_UNREADABLE.format(reason=reason, description=texts.describe(expected))
    if ask_to_confirm:
        reason = f"{reason}\n{texts.CONFIRM_REFUSED}"
    shown = (canonical_picture(reading.canonical),) if reading.canonical is not None else ()
    return Reply(reason, shown, expected=expected, verdict=reading.verdict)


def free_reading(reading: Reading, ask_to_confirm: bool) -> Reply:
    """The reply to a picture sent outside a quiz."""
    lines = [texts.reading(reading.letter, reading.confidence)]
    unsure = reading.confidence < UNSURE_BELOW
    if unsure:
        listed = ", ".join(f"{letter} ({texts.percent(p)})" for letter, p in reading.top[1:])
        lines += [texts.UNSURE.format(alternatives=listed), texts.WHAT_I_SAW]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if ask_to_confirm:
        other = next((a for a, _ in reading.top if a != reading.letter), "ㅓ")
        lines.append(texts.CONFIRM_ASK.format(other=other))
        yes = Button(texts.CONFIRM_YES.format(letter=reading.letter), "/confirm")
        others = [
            Button(texts.CONFIRM_OTHER.format(letter=a), f"/confirm {a}")
            for a, _ in (reading.top[1:] if unsure else [])
        ]
        buttons = ((yes, *others),)
    images = (canonical_picture(reading.canonical),) if unsure else ()
    return Reply("\n".join(lines), images, buttons, read=reading.letter, verdict=Verdict.OK)
