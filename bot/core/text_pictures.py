"""A picture that shows a syllable or a word rather than one letter (:mod:`ml.reading.text`):
read back to the learner letter by letter outside a quiz (with its meaning when it is a word of
the beginner vocabulary, :mod:`bot.core.vocabulary`); in a letter quiz, not a miss but a
reminder that the question asks for one letter (the question stands)."""

from __future__ import annotations

from bot.core import texts
from bot.core.quiz import question_buttons
from bot.core.replies import Reply
from bot.core.turn import Turn
from bot.core.vocabulary import by_text
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage.tables import Attempt, QuizSession


def shows_text(reading: TextReading | None) -> bool:
    """Whether a picture was read as a syllable or a word (not as one letter)."""
    return reading is not None and reading.kind in ("syllable", "word")


def answer_text(turn: Turn, reading: TextReading, running: QuizSession | None) -> list[Reply]:
    """Record the picture as an attempt (ungraded) and say what it shows."""
    expected = running.expected if running else None
    turn.session.add(
        Attempt(
            learner_id=turn.learner.id,
            quiz_id=running.id if running else None,
            expected=expected,
            read=reading.text if reading.text and len(reading.text) == 1 else None,
            confidence=min((b.confidence for b in reading.blocks), default=0.0),
            verdict=Verdict.SEVERAL_LETTERS if expected else reading.verdict,
            correct=None,
            model_version=turn.reader.version,
            created_at=turn.now,
        )
    )
    if reading.verdict == Verdict.TOO_MANY_BLOCKS:
        text = texts.VERDICTS[Verdict.TOO_MANY_BLOCKS]
        if expected is not None:
            text = texts.QUIZ_UNREADABLE.format(reason=text, description=texts.describe(expected))
        return [Reply(text, expected=expected, verdict=reading.verdict)]
    spelled = texts.spelled(reading.blocks)
    if expected is not None:
        text = texts.QUIZ_GOT_TEXT.format(
            kind=reading.kind,
            text=reading.text,
            spelled=spelled,
            description=texts.describe(expected),
        )
        buttons = question_buttons(running)
        return [Reply(text, buttons=buttons, expected=expected, verdict=Verdict.SEVERAL_LETTERS)]
    if reading.verdict == Verdict.UNSURE:
        text = texts.TEXT_UNSURE.format(reason=reading.reason, text=reading.text, spelled=spelled)
    else:
        sure = texts.percent(min(b.confidence for b in reading.blocks))
        text = texts.TEXT_READ.format(
            kind=reading.kind, text=reading.text, spelled=spelled, sure=sure
        )
        known = by_text().get(reading.text or "")
        if known is not None:
            text += " " + texts.TEXT_MEANING.format(
                text=known.text, romanization=known.romanization, meaning=known.meaning
            )
    return [Reply(text, read=reading.text, verdict=reading.verdict)]
