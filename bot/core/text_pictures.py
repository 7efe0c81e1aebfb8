"""A picture that shows a syllable or a word rather than one letter (:mod:`ml.reading.text`):
read back to the learner letter by letter outside a quiz (with its meaning when it is a word of
the beginner vocabulary, :mod:`bot.core.vocabulary`); in a letter quiz, not a miss but a
reminder that the question asks for one letter (the question stands). Separate letters written
in a row are named, and outside a quiz shown as the block they make (ㄱ ㅗ: 고)."""

from __future__ import annotations

from bot.core import texts
from bot.core.letters import written_picture
from bot.core.quiz import question_buttons
from bot.core.replies import Reply
from bot.core.text_items import how_to_write, romanize_syllable, syllable_of_letters
from bot.core.turn import Turn
from bot.core.vocabulary import by_text
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage.tables import Attempt, QuizSession


def shows_text(reading: TextReading | None) -> bool:
    """Whether a picture was read as a syllable or a word (not as one letter)."""
    return reading is not None and reading.kind in ("syllable", "word")


def shows_letters(reading: TextReading | None) -> bool:
    """Whether a picture was read as separate letters written in a row."""
    return reading is not None and reading.kind == "letters"


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
    if shows_letters(reading):
        return [_separate_letters(reading, running)]
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


def _separate_letters(reading: TextReading, running: QuizSession | None) -> Reply:
    """Separate letters: which they are and, outside a quiz, the block they make (or what a
    block is); in a letter quiz, that the question asks for one letter."""
    letters = " ".join(reading.text or "")
    if running is not None:
        text = texts.QUIZ_GOT_LETTERS.format(
            letters=letters, description=texts.describe(running.expected)
        )
        buttons = question_buttons(running)
        return Reply(text, buttons=buttons, expected=running.expected, verdict=reading.verdict)
    text = texts.TEXT_SEPARATE.format(letters=letters)
    syllable = syllable_of_letters(reading.text or "")
    if syllable is None:
        return Reply(f"{text} {texts.TEXT_SEPARATE_NO_BLOCK}", verdict=reading.verdict)
    made = texts.TEXT_SEPARATE_MAKE.format(
        syllable=syllable, romanization=romanize_syllable(syllable), how=how_to_write(syllable)
    )
    return Reply(f"{text} {made}", (written_picture(syllable),), verdict=reading.verdict)
