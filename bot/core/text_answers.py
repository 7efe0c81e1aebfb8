"""A picture sent to a quiz question that asks for a syllable or a word: graded letter by letter
(:mod:`bot.core.text_grading`), its card rated, and, as with letters, a second try after the
first miss, with a button to say the reading was wrong.

A picture that cannot be graded (blank, a line of writing) leaves the question standing. With
the learner's consent, a picture whose blocks line up with the syllables asked for is kept as a
sample, its blocks in canonical form, labelled with what was asked: trusted when the reading
agreed or the learner said so ("I wrote …"). The letter retraining leaves these out; they wait
for the syllable reader's.
"""

from __future__ import annotations

from bot.core import texts
from bot.core.letters import written_picture
from bot.core.quiz import (
    advance,
    dispute_button,
    missed,
    practised,
    question_buttons,
    review_card,
)
from bot.core.replies import Reply
from bot.core.samples import keep_sample
from bot.core.text_grading import TextGrade, feedback, grade
from bot.core.text_items import spelled, word_of
from bot.core.turn import Turn
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage.tables import TEXT_LENGTH, Attempt, LabelSource, QuizSession


async def answer_text_question(
    turn: Turn, data: bytes, reading: TextReading | None, running: QuizSession
) -> list[Reply]:
    """Grade a picture against the syllable or word ``running`` asks for, and answer it."""
    expected = running.expected
    if reading is None or turn.text_reader is None:
        return [Reply(texts.TEXT_STAGE_NOT_HERE, expected=expected)]
    graded = grade(expected, reading)
    attempt = Attempt(
        learner_id=turn.learner.id,
        quiz_id=running.id,
        expected=expected,
        read=(graded.read or "")[:TEXT_LENGTH] or None,
        confidence=graded.confidence,
        verdict=reading.verdict,
        correct=graded.correct if graded.gradable else None,
        model_version=turn.text_reader.version,
        created_at=turn.now,
    )
    turn.session.add(attempt)
    if not graded.gradable:
        reason = texts.TEXT_VERDICTS.get(reading.verdict) or texts.VERDICTS.get(
            reading.verdict, texts.VERDICTS[Verdict.ERROR]
        )
        text = texts.QUIZ_UNREADABLE.format(reason=reason, description=texts.describe(expected))
        return [Reply(text, buttons=question_buttons(running), expected=expected)]
    practised(turn)
    hinted = running.hinted or running.retrying
    await turn.session.flush()
    if graded.places and reading.images is not None:
        agreed = graded.read == expected
        source = LabelSource.QUIZ_AGREED if agreed else LabelSource.QUIZ_DISAGREED
        keep_sample(turn, attempt, data, reading.images, expected, source)
    if graded.correct:
        await review_card(turn, expected, True, hinted)
        return [_right(graded), *await advance(turn, running, True)]
    return await _missed(turn, running, attempt, graded)


def _right(graded: TextGrade) -> Reply:
    expected = graded.expected
    word = word_of(expected)
    fields = {
        "text": expected,
        "romanization": texts.romanized(expected),
        "spelled": spelled(expected),
    }
    if word is not None and len(expected) > 1:
        text = texts.QUIZ_RIGHT_WORD.format(meaning=word.meaning, **fields)
    else:
        text = texts.QUIZ_RIGHT_TEXT.format(**fields)
    notes = feedback(graded)
    text = f"{text} {notes}" if notes else text
    return Reply(text, expected=expected, read=graded.read, verdict=Verdict.OK, correct=True)


async def _missed(
    turn: Turn, running: QuizSession, attempt: Attempt, graded: TextGrade
) -> list[Reply]:
    """A miss: what was read, and each letter right or wrong (:func:`bot.core.quiz.missed`)."""
    expected = graded.expected
    wrong = texts.QUIZ_WRONG_TEXT.format(
        read=graded.read_shown, text=expected, romanization=texts.romanized(expected)
    )
    graded_as = {"expected": expected, "read": graded.read, "verdict": Verdict.OK, "correct": False}
    dispute = dispute_button(expected, attempt)
    lines = [wrong, feedback(graded), texts.TEXT_HOW_IT_LOOKS]
    return await missed(turn, running, lines, dispute, graded_as, (written_picture(expected),))
