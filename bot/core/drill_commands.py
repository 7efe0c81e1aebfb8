"""Drills without a camera: ``/drill reading|listening|pairs [n]`` starts one on letters the
learner has met, ``/drill words [n]`` one on the meanings of words made of letters they have
learnt, ``/answer`` (what the choice buttons send) grades a choice, and a reading can also be
typed. Answers feed the same spaced-repetition cards as handwriting."""

from __future__ import annotations

import re

from bot.core import texts
from bot.core.drill_questions import (
    DrillKind,
    choice_letters,
    drillable,
    pair_question,
    readings_of,
    romanize,
    syllable_of,
)
from bot.core.drills import pick_letters
from bot.core.learner_commands import welcome
from bot.core.lesson_content import LESSONS, with_contrast
from bot.core.quiz import (
    QUIZ_DEFAULT,
    QUIZ_MOST,
    advance,
    current_question,
    practised,
    review_card,
    stale_button,
    start_quiz,
)
from bot.core.replies import Reply, Sound
from bot.core.text_items import romanize as romanize_text
from bot.core.text_stage import WORDS, pick_texts, progress
from bot.core.turn import Turn
from bot.core.vocabulary import by_text
from storage import queries
from storage.tables import Attempt, QuizSession

_KINDS = {kind.value: kind for kind in DrillKind if kind != DrillKind.WRITING}


async def drill(turn: Turn, args: list[str]) -> list[Reply]:
    """/drill [reading|listening|pairs|words] [n]: a drill of n questions on letters already met
    (or on words made of learnt letters)."""
    words = [a.lower() for a in args]
    kinds = [_KINDS[w] for w in words if w in _KINDS]
    counts = [int(w) for w in words if re.fullmatch(r"[0-9]{1,3}", w)]
    if len(kinds) > 1 or len(counts) > 1 or len(kinds) + len(counts) != len(words):
        return [Reply(texts.DRILL_USAGE)]
    kind = kinds[0] if kinds else DrillKind.READING
    count = counts[0] if counts else QUIZ_DEFAULT
    if not 1 <= count <= QUIZ_MOST:
        return [Reply(texts.DRILL_USAGE)]
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if running is not None:
        question = await current_question(turn, running)
        return [Reply(texts.QUIZ_ALREADY_RUNNING.format(question=question.text))]
    if kind == DrillKind.WORDS:
        return await _word_drill(turn, count)
    if kind != DrillKind.READING and not turn.teaching.speaks:
        return [Reply(texts.DRILL_NEEDS_SOUND)]
    met = set(await queries.lessons(turn.session, turn.learner.id))
    if not met:
        return [Reply(texts.DRILL_NOTHING_MET)]
    cards = await queries.cards(turn.session, turn.learner.id)
    usable = {letter for letter in met | set(cards) if drillable(letter, kind)}
    if not usable:
        return [Reply(texts.DRILL_NO_PAIRS)]
    mine = {letter: card for letter, card in cards.items() if letter in usable}
    letters = pick_letters(mine, count, turn.now, taught=usable, new_allowed=0)
    started = await start_quiz(turn, kind, letters)
    return [await current_question(turn, started)]


async def _word_drill(turn: Turn, count: int) -> list[Reply]:
    """A drill on the meanings of words made only of letters the learner has learnt: due words
    first, then new ones in teaching order."""
    ladder = (await progress(turn)).ladder(WORDS)
    if not ladder:
        return [Reply(texts.DRILL_NO_WORDS)]
    cards = await queries.cards(turn.session, turn.learner.id, letters=False)
    started = await start_quiz(turn, DrillKind.WORDS, pick_texts(cards, count, turn.now, ladder))
    return [await current_question(turn, started)]


async def answer(turn: Turn, args: list[str]) -> list[Reply]:
    """/answer [question] choice: grade a drill answer (a letter from a button, or a reading
    typed)."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    stale, words = await stale_button(turn, running, args)
    if stale:
        return stale
    if running is None:
        return [Reply(texts.QUIZ_NONE_RUNNING)]
    if running.kind == DrillKind.WRITING:
        return [Reply(texts.DRILL_ANSWER_A_PHOTO)]
    chosen = _chosen(running, " ".join(words))
    if chosen is None:
        question = await current_question(turn, running)
        text = texts.DRILL_NOT_UNDERSTOOD.format(typed=" ".join(words), question=question.text)
        return [Reply(text, buttons=question.buttons, audio=question.audio)]
    return await _grade(turn, running, chosen)


async def not_a_command(turn: Turn, text: str) -> list[Reply]:
    """A message that is not a command: a typed reading when a reading drill runs, the welcome
    when it is a new learner's first word (a Discord user says hello; Telegram sends /start),
    else a pointer to what the bot takes."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if running is not None and running.kind == DrillKind.READING:
        return await answer(turn, text.split())
    if await queries.latest_attempt(turn.session, turn.learner.id) is None and not (
        await queries.lessons(turn.session, turn.learner.id)
    ):
        return await welcome(turn, [])
    return [Reply(texts.NOT_A_COMMAND)]


def _chosen(running: QuizSession, typed: str) -> str | None:
    """The letter an answer stands for: one of the question's choices (what the buttons send),
    or a reading typed (the asked letter's first, so 아 typed "a" is right for ㅇ and ㅏ)."""
    typed = typed.strip()
    if typed in choice_letters(running):
        return typed
    if running.kind != DrillKind.READING:
        return None
    wanted = typed.lower()
    return next((x for x in (running.expected, *LESSONS) if wanted in readings_of(x)), None)


async def _grade(turn: Turn, running: QuizSession, chosen: str) -> list[Reply]:
    letter = running.expected
    correct = chosen == letter
    turn.session.add(
        Attempt(
            learner_id=turn.learner.id,
            quiz_id=running.id,
            expected=letter,
            read=chosen,
            confidence=1.0,
            verdict=running.kind,
            correct=correct,
            model_version="",
            created_at=turn.now,
        )
    )
    practised(turn)
    await review_card(turn, letter, correct, running.hinted)
    graded = await _graded(turn, running, chosen)
    return [graded, *await advance(turn, running, correct)]


async def _graded(turn: Turn, running: QuizSession, chosen: str) -> Reply:
    """Right or not, and for a miss what tells the two apart (with both sounds when heard, both
    meanings for a word)."""
    letter = running.expected
    kind = DrillKind(running.kind)
    fields = {"expected": letter, "read": chosen, "verdict": kind, "correct": chosen == letter}
    if kind == DrillKind.WORDS:
        said = texts.DRILL_WORD_MEANS.format(
            word=letter, romanization=romanize_text(letter), meaning=by_text()[letter].meaning
        )
        if chosen == letter:
            return Reply(texts.DRILL_RIGHT_WORD.format(said=said), **fields)
        other = texts.DRILL_WORD_MEANS.format(
            word=chosen, romanization=romanize_text(chosen), meaning=by_text()[chosen].meaning
        )
        return Reply(texts.DRILL_WRONG_WORD.format(said=said, other=other), **fields)
    if kind == DrillKind.READING:
        syllable, other = syllable_of(letter), syllable_of(chosen)
        reading = romanize(syllable)
        if chosen == letter:
            return Reply(
                texts.DRILL_RIGHT_READING.format(syllable=syllable, reading=reading), **fields
            )
        text = texts.DRILL_WRONG_READING.format(
            syllable=syllable, reading=reading, chosen=romanize(other), other=other
        )
        return Reply(with_contrast(text, letter, chosen), **fields)
    said, shown_chosen, spoken = _heard(running, chosen)
    if chosen == letter:
        return Reply(texts.DRILL_RIGHT_HEARD.format(shown=said), **fields)
    text = texts.DRILL_WRONG_HEARD.format(shown=said, chosen=shown_chosen)
    audio: tuple[Sound, ...] = ()
    for words in spoken:
        audio += await turn.teaching.sound(words, f"listen-{len(audio) + 1}.ogg")
    return Reply(with_contrast(text, letter, chosen), audio=audio, **fields)


def _heard(running: QuizSession, chosen: str) -> tuple[str, str, tuple[str, str]]:
    """How to name what was said and what was chosen, and the two texts to say again."""
    if running.kind == DrillKind.PAIRS:
        said, words = pair_question(running.expected, running.question_id)
        other = next(w for w in words if w.letter == chosen)
        return (
            f"{said.word} ({said.meaning})",
            f"{other.word} ({other.meaning})",
            (said.word, other.word),
        )
    right, wrong = LESSONS[running.expected], LESSONS[chosen]
    return (
        f"{running.expected} ({texts.romanized(running.expected)})",
        f"{chosen} ({texts.romanized(chosen)})",
        (right.spoken, wrong.spoken),
    )
