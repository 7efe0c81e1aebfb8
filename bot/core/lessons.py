"""Lessons: a letter is taught before it is tested, with its animated stroke order, its sound
(a voice clip), a way to remember it and a word it is in. ``/lesson`` shows one again.

New letters a day are capped (:attr:`bot.core.turn.Teaching.new_letters_per_day`), counted in
the learner's local days; a lesson asked for by name is always given.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core import texts
from bot.core.drills import TEACHING_ORDER
from bot.core.lesson_content import LESSONS
from bot.core.letters import parse_letter, stroke_gif, written_picture
from bot.core.local_time import local_day
from bot.core.replies import Button, Reply
from bot.core.text_items import how_to_write, letters_written, spellable
from bot.core.turn import Turn
from ml.reading.alphabet import letter_info
from storage import queries
from storage.tables import Lesson


async def lesson(turn: Turn, args: list[str]) -> list[Reply]:
    """/lesson [letter]: a letter's lesson (by default the next new letter, within today's
    allowance); given a syllable or a short word, how it is built (:func:`syllables_lesson`)."""
    if args:
        typed = " ".join(args)
        if spellable(typed):
            return [syllables_lesson(typed)]
        letter = parse_letter(typed)
        if letter is None:
            return [Reply(texts.NOT_A_KNOWN_LETTER.format(text=typed))]
    else:
        taught, allowance = await teaching_allowance(turn)
        fresh = [letter for letter in TEACHING_ORDER if letter not in taught]
        if not fresh:
            return [Reply(texts.LESSONS_ALL_TAUGHT)]
        if allowance <= 0:
            text = texts.LESSONS_CAPPED.format(most=turn.teaching.new_letters_per_day)
            return [Reply(text)]
        letter = fresh[0]
    [taught_now] = await teach(turn, letter)
    return [replace(taught_now, buttons=((Button(texts.BUTTON_PRACTISE, "/quiz"),),))]


def syllables_lesson(text: str) -> Reply:
    """What ``/lesson`` says of a syllable or a word: the letters it is written with (a double
    final's two consonants apart), how they go together in each block, and a picture of it."""
    letters = letters_written(text)
    shown = f"{text} ({texts.romanized(text)})"
    how = how_to_write(text)
    said = texts.LESSON_OF_SYLLABLES.format(
        text=shown, letters=" ".join(letters), first=letters[0], how=how
    )
    return Reply(said, (written_picture(text),))


async def teaching_allowance(turn: Turn) -> tuple[set[str], int]:
    """The letters taught to the learner, and how many new ones they may still meet today."""
    taught = await queries.lessons(turn.session, turn.learner.id)
    zone = turn.learner.time_zone
    today = local_day(turn.now, zone)
    taught_today = sum(local_day(at, zone) == today for at in taught.values())
    return set(taught), turn.teaching.new_letters_per_day - taught_today


async def teach(turn: Turn, letter: str, only_if_new: bool = False) -> list[Reply]:
    """``letter``'s lesson (none when ``only_if_new`` and it was taught already), remembered as
    taught."""
    taught = await queries.lessons(turn.session, turn.learner.id)
    if letter in taught and only_if_new:
        return []
    if letter not in taught:
        turn.session.add(Lesson(learner_id=turn.learner.id, letter=letter, taught_at=turn.now))
    return [await lesson_reply(turn, letter)]


async def lesson_reply(turn: Turn, letter: str) -> Reply:
    """The lesson as one message: the text, the animated stroke order and the sound."""
    content = LESSONS[letter]
    info = letter_info(letter)
    example = content.example
    text = texts.LESSON.format(
        letter=letter,
        kind=texts.KINDS[info.kind],
        romanization=texts.romanized(letter),
        name=info.name,
        name_romanized=info.name_romanized,
        sound=content.sound,
        mnemonic=content.mnemonic,
        word=example.word,
        word_romanized=example.romanization,
        meaning=example.meaning,
    )
    audio = await turn.teaching.sound(content.spoken, f"{info.romanization}-sound.ogg")
    return Reply(text, (stroke_gif(letter),), audio=audio)
