"""Quizzes: asking letters in spaced-repetition order (a new letter's lesson first), hints,
skipping, a second try after a miss, and the recap at the end. ``/quiz syllables`` and
``/quiz words`` ask syllables and words the same way, once their stage is open
(:mod:`bot.core.text_stage`).

A question is named by :attr:`QuizSession.question_id`; the buttons under it carry that name, so
a button pressed under an earlier question changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core import texts
from bot.core.drill_questions import DrillKind, drill_question
from bot.core.drills import pick_letters, rating, review
from bot.core.lessons import teach, teaching_allowance
from bot.core.letters import parse_letter, stroke_picture, written_picture
from bot.core.local_time import local_day, streak_after_practice
from bot.core.replies import Button, Picture, Reply
from bot.core.text_items import how_to_write, is_letter, spellable, word_of
from bot.core.text_stage import STAGES, SYLLABLES, WORDS, items_for, progress
from bot.core.turn import Turn
from ml.reading.alphabet import letter_info
from storage import queries
from storage.tables import SKIPPED, Attempt, QuizSession, QuizStatus

QUIZ_DEFAULT = 5
QUIZ_MOST = 20
AGAIN = "again"
"""``/quiz again``: the letters the latest quiz ended on a miss, at once."""
_QUESTION_ID = re.compile(r"q\d+\.\d+")


async def quiz(turn: Turn, args: list[str]) -> list[Reply]:
    """/quiz [n] starts a drill of n letters; /quiz syllables [n] and /quiz words [n] one of
    syllables or words; /quiz again drills the latest quiz's misses; /quiz stop ends the
    running one."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if "stop" in args:
        return stop_quiz(turn, running)
    if running is not None:
        question = await current_question(turn, running)
        text = texts.QUIZ_ALREADY_RUNNING.format(question=question.text)
        return [replace(question, text=text)]
    if AGAIN in args:
        letters = await queries.latest_quiz_misses(turn.session, turn.learner.id)
        if not letters:
            return [Reply(texts.QUIZ_NOTHING_AGAIN)]
        note = None
    else:
        stage = next((a.lower() for a in args if a.lower() in STAGES), None)
        count = _quiz_count([a for a in args if a.lower() not in STAGES])
        if count is None:
            return [Reply(texts.QUIZ_BAD_COUNT.format(most=QUIZ_MOST))]
        if stage is None:
            letters, note = await _letters_for(turn, count)
        else:
            letters, note = await items_for(turn, stage, count)
            if not letters:
                return [Reply(note or "")]
    started = await start_quiz(turn, DrillKind.WRITING, letters)
    opening = [Reply(note)] if note else []
    return opening + await ask(turn, started)


async def start_quiz(turn: Turn, kind: DrillKind, letters: list[str]) -> QuizSession:
    """A new running quiz of ``kind`` asking ``letters``."""
    started = QuizSession(
        learner_id=turn.learner.id,
        kind=kind,
        letters=letters,
        position=0,
        correct=0,
        hinted=False,
        retrying=False,
        status=QuizStatus.ACTIVE,
        started_at=turn.now,
    )
    turn.session.add(started)
    await turn.session.flush()  # a concurrent second quiz fails here (unique index)
    return started


def stop_quiz(turn: Turn, running: QuizSession | None) -> list[Reply]:
    """End the running quiz where it is."""
    if running is None:
        return [Reply(texts.QUIZ_NONE_RUNNING)]
    running.status, running.finished_at = QuizStatus.STOPPED, turn.now
    stopped = texts.QUIZ_STOPPED.format(
        answered=running.position, total=len(running.letters), correct=running.correct
    )
    return [Reply(stopped)]


async def _letters_for(turn: Turn, count: int) -> tuple[list[str], str | None]:
    """The letters of a new quiz, and a note when today's new letters ran out."""
    cards = await queries.cards(turn.session, turn.learner.id)
    taught, allowance = await teaching_allowance(turn)
    letters = pick_letters(cards, count, turn.now, taught, allowance)
    note = None
    if len(letters) < count:
        note = texts.QUIZ_NEW_LETTERS_CAPPED.format(
            count=len(letters), most=turn.teaching.new_letters_per_day
        )
    return letters, note


async def hint(turn: Turn, args: list[str]) -> list[Reply]:
    """/hint [letter]: how to write a letter (the quiz's current one by default)."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    stale, args = await stale_button(turn, running, args)
    if stale:
        return stale
    if args:
        typed = " ".join(args)
        letter = typed if spellable(typed) else parse_letter(typed)
        if letter is None:
            return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=typed))]
    elif running is None:
        return [Reply(texts.HINT_ASK)]
    else:
        letter, running.hinted = running.expected, True
    if not is_letter(letter):
        romanization, how = texts.romanized(letter), how_to_write(letter)
        text = texts.TEXT_HINT.format(text=letter, romanization=romanization, how=how)
        return [Reply(text, (written_picture(letter),))]
    info = letter_info(letter)
    text = texts.HINT.format(
        letter=letter,
        name=info.name,
        name_romanized=info.name_romanized,
        romanization=texts.romanized(letter),
    )
    return [Reply(text, images=(stroke_picture(letter),))]


async def skip(turn: Turn, args: list[str]) -> list[Reply]:
    """/skip: the current question counts as missed; the next one comes."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    stale, args = await stale_button(turn, running, args)
    if stale:
        return stale
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
    romanization = texts.romanized(letter)
    if is_letter(letter):
        text = texts.QUIZ_SKIPPED.format(letter=letter, romanization=romanization)
        shown = (stroke_picture(letter),)
    else:
        how = how_to_write(letter)
        text = texts.QUIZ_SKIPPED_TEXT.format(text=letter, romanization=romanization, how=how)
        shown = (written_picture(letter),)
    skipped = Reply(text, shown, expected=letter, verdict=SKIPPED, correct=False)
    return [skipped, *await advance(turn, running, correct=False)]


async def stale_button(
    turn: Turn, running: QuizSession | None, args: list[str]
) -> tuple[list[Reply], list[str]]:
    """A button's question id among ``args``: replies saying it is stale when it names another
    question than the one asked now, and the other arguments."""
    named = [a for a in args if _QUESTION_ID.fullmatch(a)]
    rest = [a for a in args if not _QUESTION_ID.fullmatch(a)]
    if not named or (running is not None and named[-1] == running.question_id):
        return [], rest
    if running is None:
        return [Reply(texts.STALE_BUTTON_NO_QUIZ)], rest
    question = await current_question(turn, running)
    return [replace(question, text=texts.STALE_BUTTON.format(question=question.text))], rest


def _quiz_count(args: list[str]) -> int | None:
    if not args:
        return QUIZ_DEFAULT
    if len(args) > 1 or not re.fullmatch(r"[0-9]{1,3}", args[0]):
        return None
    count = int(args[0])
    return count if 1 <= count <= QUIZ_MOST else None


async def current_question(turn: Turn, running: QuizSession) -> Reply:
    """The question asked now, whatever the quiz's kind."""
    if running.kind == DrillKind.WRITING:
        return question_reply(running)
    return await drill_question(turn, running)


def question_reply(running: QuizSession) -> Reply:
    """The current writing question, its buttons naming it."""
    text = texts.QUIZ_QUESTION.format(
        number=running.position + 1,
        total=len(running.letters),
        description=texts.describe(running.expected),
    )
    return Reply(text, buttons=question_buttons(running), expected=running.expected)


def question_buttons(running: QuizSession) -> tuple[tuple[Button, ...], ...]:
    asked = running.question_id
    return (
        (Button(texts.BUTTON_HINT, f"/hint {asked}"), Button(texts.BUTTON_SKIP, f"/skip {asked}")),
    )


async def ask(turn: Turn, running: QuizSession) -> list[Reply]:
    """The current question, after its letter's lesson if the learner has not had it; a
    syllable or word asked for in writing is spoken with the question, and shown with where
    its letters go the first time it is asked."""
    asked = running.expected
    if not is_letter(asked) and running.kind != DrillKind.WRITING:
        return [await current_question(turn, running)]
    if not is_letter(asked):
        question = await current_question(turn, running)
        spoken = replace(question, audio=await turn.teaching.sound(asked, "say-it.ogg"))
        if await queries.card(turn.session, turn.learner.id, asked) is None:
            return [Reply(_introduce(asked), (written_picture(asked),)), spoken]
        return [spoken]
    lesson = await teach(turn, asked, only_if_new=True)
    return [*lesson, await current_question(turn, running)]


def _introduce(text: str) -> str:
    """A new syllable or word shown before it is asked: its sound (a word's meaning) and where
    each letter goes."""
    word = word_of(text) if len(text) > 1 else None
    meaning = f", “{word.meaning}”" if word else ""
    return texts.TEXT_NEW.format(
        what="word" if len(text) > 1 else "syllable",
        text=text,
        romanization=texts.romanized(text),
        meaning=meaning,
        how=how_to_write(text),
    )


async def advance(turn: Turn, running: QuizSession, correct: bool) -> list[Reply]:
    """Move to the next question; the recap once all are answered."""
    running.position += 1
    running.correct += int(correct)
    running.hinted = running.retrying = False
    if running.expected is not None:
        return await ask(turn, running)
    running.status, running.finished_at = QuizStatus.FINISHED, turn.now
    return [await recap(turn, running)]


async def recap(turn: Turn, finished: QuizSession) -> Reply:
    """The end of a quiz: the score, the letters missed and when they come back, and a button to
    drill them again at once."""
    text = texts.QUIZ_DONE.format(correct=finished.correct, total=len(finished.letters))
    missed = await queries.quiz_misses(turn.session, finished.id)
    onwards = await _next_stage(turn, finished)
    if not missed:
        return Reply(f"{text} {texts.QUIZ_ALL_RIGHT}", buttons=onwards)
    letters = is_letter(finished.letters[0])
    cards = await queries.cards(turn.session, turn.learner.id, letters=letters)
    back = [
        texts.RECAP_LINE.format(
            letter=letter,
            romanization=texts.romanized(letter),
            when=texts.time_until(cards[letter].due, turn.now),
        )
        for letter in missed
        if letter in cards
    ]
    again = ((Button(texts.BUTTON_AGAIN, f"/quiz {AGAIN}"),), *onwards)
    return Reply("\n".join([text, texts.RECAP_MISSED, *back]), buttons=again)


async def _next_stage(turn: Turn, finished: QuizSession) -> tuple[tuple[Button, ...], ...]:
    """A button to the next stage (syllables after letters, words after syllables) once it is
    open to the learner and this tutor reads syllables."""
    asked = finished.letters[0]
    stage = SYLLABLES if is_letter(asked) else WORDS if len(asked) == 1 else None
    if stage is None or turn.text_reader is None or not (await progress(turn)).opens(stage):
        return ()
    label = texts.BUTTON_SYLLABLES if stage == SYLLABLES else texts.BUTTON_WORDS
    return ((Button(label, f"/quiz {stage}"),),)


async def missed(
    turn: Turn,
    running: QuizSession,
    lines: list[str],
    dispute: Button,
    graded: dict,
    shown: tuple[Picture, ...] = (),
) -> list[Reply]:
    """A graded miss of the question asked now, said in ``lines``: a second try after the first
    miss, the next question (the card rated Again) after the second; ``dispute`` lets the
    learner say I misread it."""
    expected = running.expected
    if not running.retrying:
        running.retrying = True
        lines = [*lines, texts.QUIZ_TRY_AGAIN.format(description=texts.describe(expected))]
        buttons = ((dispute, *question_buttons(running)[0]),)
        return [Reply("\n".join(lines), shown, buttons, **graded)]
    await review_card(turn, expected, False, running.hinted)
    lines = [*lines, texts.QUIZ_MOVING_ON.format(letter=expected)]
    return [
        Reply("\n".join(lines), shown, ((dispute,),), **graded),
        *await advance(turn, running, False),
    ]


def dispute_button(expected: str, attempt: Attempt) -> Button:
    """The button that says "I wrote what was asked for" about ``attempt``."""
    return Button(
        texts.BUTTON_I_WROTE.format(letter=expected), f"/confirm {expected} a{attempt.id}"
    )


async def review_card(turn: Turn, letter: str, correct: bool, hinted: bool) -> None:
    """Update (or start) the learner's spaced-repetition card for ``letter`` (or syllable, or
    word)."""
    row = await queries.card(turn.session, turn.learner.id, letter)
    turn.session.add(review(row, turn.learner.id, letter, rating(correct, hinted), turn.now))


def practised(turn: Turn) -> None:
    """The learner practised today: their streak follows."""
    learner = turn.learner
    today = local_day(turn.now, learner.time_zone)
    learner.streak = streak_after_practice(learner.streak, learner.last_practice_day, today)
    learner.last_practice_day = today
