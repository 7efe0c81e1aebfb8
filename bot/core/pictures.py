"""A picture from a learner: graded when a quiz asks a letter, else read freely; kept as a
training sample when they consented; and ``/confirm``, their word on what it showed."""

from __future__ import annotations

from bot.core import texts
from bot.core.letters import canonical_bytes, canonical_picture, parse_letter, stroke_picture
from bot.core.quiz import advance, practised, review_card
from bot.core.replies import Button, Picture, Reply
from bot.core.turn import Turn
from ml.reading.alphabet import letter_info
from ml.reading.classifier import Reading, in_quiz_context
from ml.reading.verdicts import Verdict
from storage import queries
from storage.tables import Attempt, LabelSource, Sample

UNSURE_BELOW = 0.8
"""Below this confidence a reading shows alternatives and what the model saw."""


async def answer_picture(turn: Turn, data: bytes, reading: Reading) -> list[Reply]:
    """Record the attempt and answer it: graded in a quiz, a free reading otherwise."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
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
            kept = _keep_sample(turn, attempt, data, reading, None, LabelSource.MODEL_REFUSED)
        return [_refusal(reading, expected, ask_to_confirm=kept)]
    practised(turn)
    if running is None:
        await turn.session.flush()
        kept = _keep_sample(turn, attempt, data, reading, reading.letter, LabelSource.MODEL_ONLY)
        return [free_reading(reading, ask_to_confirm=kept)]
    attempt.correct = reading.letter == expected
    await turn.session.flush()
    source = LabelSource.QUIZ_AGREED if attempt.correct else LabelSource.QUIZ_DISAGREED
    _keep_sample(turn, attempt, data, reading, expected, source)
    await review_card(turn, expected, attempt.correct, running.hinted)
    info = letter_info(expected)
    if attempt.correct and reading.unsure:
        text = texts.QUIZ_RIGHT_UNSURE.format(letter=expected, romanization=info.romanization)
        shown: tuple[Picture, ...] = (
            stroke_picture(expected),
            canonical_picture(reading.canonical),
        )
    elif attempt.correct:
        text = texts.QUIZ_RIGHT.format(letter=expected, romanization=info.romanization)
        shown = ()
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
        verdict=Verdict.OK,
        correct=attempt.correct,
    )
    return [graded, *advance(running, attempt.correct, turn.now)]


async def confirm(turn: Turn, args: list[str]) -> list[Reply]:
    """/confirm [letter]: the learner says what their latest free picture shows, a trusted
    label."""
    attempt = await queries.latest_attempt(turn.session, turn.learner.id)
    sample = await queries.sample_of(turn.session, attempt.id) if attempt else None
    if sample is None or attempt.expected is not None:
        return [Reply(texts.NOTHING_TO_CONFIRM)]
    if not args and attempt.read is None:
        return [Reply(texts.CONFIRM_WHICH)]
    letter = parse_letter(" ".join(args)) if args else attempt.read
    if letter is None:
        return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=" ".join(args)))]
    sample.label, sample.label_source = letter, LabelSource.LEARNER_CONFIRMED
    return [Reply(texts.CONFIRMED.format(letter=letter))]


def _keep_sample(
    turn: Turn,
    attempt: Attempt,
    data: bytes,
    reading: Reading,
    label: str | None,
    source: LabelSource,
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
        lines.append(texts.CONFIRM_ASK)
        yes = Button(texts.CONFIRM_YES.format(letter=reading.letter), "/confirm")
        others = [
            Button(texts.CONFIRM_OTHER.format(letter=a), f"/confirm {a}")
            for a, _ in (reading.top[1:] if unsure else [])
        ]
        buttons = ((yes, *others),)
    images = (canonical_picture(reading.canonical),) if unsure else ()
    return Reply("\n".join(lines), images, buttons, read=reading.letter, verdict=Verdict.OK)
