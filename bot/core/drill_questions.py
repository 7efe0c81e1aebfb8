"""Questions answered without a camera: reading (see 가, type or choose "ga"), listening (hear a
letter's sound, choose the letter), minimal pairs (hear 불, choose among 불 / 풀) and word
meanings (see and hear 나무, choose "tree").

Each question asks about one letter (or one word), so drills feed the same spaced-repetition
cards as writing.
The choices of a question are drawn from a generator seeded by the question's id, so the same
question always shows the same choices; a choice button carries the letter it stands for.

Listening never asks to tell apart sounds the learner cannot hear apart in these clips: ㅐ/ㅔ,
ㅒ/ㅖ and ㅚ/ㅙ/ㅞ sound alike in today's Seoul speech (docs/teaching.md), and the speech engine
does not make tense consonants distinct from plain ones (docs/speech.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from bot.core import texts
from bot.core.lesson_content import CONFUSABLE_PAIRS, LESSONS, MINIMAL_PAIRS
from bot.core.replies import Button, Reply, Sound
from bot.core.turn import Turn
from bot.core.vocabulary import WORDS, by_text
from ml.reading.alphabet import LETTERS, decompose, letter_info
from storage.tables import QuizSession

CHOICES = 4
"""Choices shown for a reading or listening question (the answer among them)."""
LISTEN = "listen.ogg"
"""The name of a listening question's clip."""


class DrillKind(StrEnum):
    """What a quiz session asks for."""

    WRITING = "writing"
    READING = "reading"
    LISTENING = "listening"
    PAIRS = "pairs"
    WORDS = "words"


_SOUND_ALIKE = ("ㅐㅔ", "ㅒㅖ", "ㅚㅙㅞ", "ㄱㄲ", "ㄷㄸ", "ㅂㅃ", "ㅅㅆ", "ㅈㅉ")
"""Letters whose clips a learner cannot be asked to tell apart by ear."""


def sound_alike(a: str, b: str) -> bool:
    """Whether a listening question may not ask to tell ``a`` from ``b``."""
    return a == b or any(a in group and b in group for group in _SOUND_ALIKE)


def syllable_of(letter: str) -> str:
    """The syllable a reading question shows for ``letter`` (가 for ㄱ, 오 for ㅗ)."""
    return LESSONS[letter].syllable


def romanize(syllable: str) -> str:
    """A simple syllable (no final consonant) in Revised Romanization: 가 "ga", 아 "a"."""
    initial, medial, _ = decompose(syllable)
    lead = "" if initial == "ㅇ" else letter_info(initial).romanization
    return lead + letter_info(medial).romanization


_TYPED_ALSO = {"라": ("la",), "아": ("ah",)}
"""Other spellings a learner may type for a syllable's reading."""


def readings_of(letter: str) -> tuple[str, ...]:
    """What counts as reading ``letter``'s syllable right, typed."""
    syllable = syllable_of(letter)
    return (romanize(syllable), *_TYPED_ALSO.get(syllable, ()))


@dataclass(frozen=True)
class PairWord:
    """A word of a minimal-pair group, and the letter that tells it from the others."""

    word: str
    meaning: str
    letter: str


def _pair_words(group: tuple[tuple[str, str], ...]) -> list[PairWord]:
    """The group's words with the letter each differs by (the jamo at the one differing
    position)."""
    parts = [[jamo for syllable in word for jamo in decompose(syllable)] for word, _ in group]
    differing = [i for i in range(len(parts[0])) if len({p[i] for p in parts}) > 1]
    return [
        PairWord(word, meaning, part[differing[0]])
        for (word, meaning), part in zip(group, parts, strict=True)
    ]


PAIR_GROUPS: tuple[tuple[PairWord, ...], ...] = tuple(
    tuple(_pair_words(group)) for group in MINIMAL_PAIRS
)


def pair_question(letter: str, seed: str) -> tuple[PairWord, list[PairWord]] | None:
    """A minimal-pair question on ``letter``: the word said and the words to choose from (those
    of its group that can be heard apart from it), or None when no group has one."""
    found = [
        (word, [w for w in group if w is word or not sound_alike(w.letter, letter)])
        for group in PAIR_GROUPS
        for word in group
        if word.letter == letter
    ]
    found = [(word, choices) for word, choices in found if len(choices) > 1]
    if not found:
        return None
    rng = random.Random(seed)
    word, choices = rng.choice(found)
    return word, rng.sample(choices, len(choices))


PAIR_LETTERS = frozenset(letter for letter in LETTERS if pair_question(letter, "") is not None)
"""The letters minimal-pair questions can ask about."""


def letter_choices(letter: str, kind: DrillKind, seed: str) -> list[str]:
    """``letter`` and distractors, shuffled: look-alikes and sound-alikes first, then letters of
    the same kind; for listening none that sounds like ``letter``, for reading none whose
    syllable reads the same."""
    rng = random.Random(seed)
    kind_of = letter_info(letter).kind
    partners = [next(iter(pair - {letter})) for pair in CONFUSABLE_PAIRS if letter in pair]
    others = [x for x in LETTERS if letter_info(x).kind == kind_of and x not in partners]
    rng.shuffle(partners)
    rng.shuffle(others)
    picked = [letter]
    for candidate in partners[:2] + others:
        if len(picked) == CHOICES:
            break
        if kind == DrillKind.LISTENING and any(sound_alike(candidate, p) for p in picked):
            continue
        if kind == DrillKind.READING and romanize(syllable_of(candidate)) in {
            romanize(syllable_of(p)) for p in picked
        }:
            continue
        picked.append(candidate)
    rng.shuffle(picked)
    return picked


def word_choices(word: str, seed: str) -> list[str]:
    """``word`` and other vocabulary words of other meanings, shuffled: words of the same topic
    first."""
    rng = random.Random(seed)
    asked = by_text()[word]
    others = [w for w in WORDS if w.meaning != asked.meaning and len(w.text) > 1]
    same_topic = [w for w in others if w.topic == asked.topic]
    rng.shuffle(same_topic)
    rng.shuffle(others)
    picked = [asked]
    for candidate in same_topic[:2] + others:
        if len(picked) == CHOICES:
            break
        if candidate.meaning not in {p.meaning for p in picked}:
            picked.append(candidate)
    rng.shuffle(picked)
    return [w.text for w in picked]


def drillable(letter: str, kind: DrillKind) -> bool:
    """Whether a ``kind`` question can ask about ``letter``."""
    return kind != DrillKind.PAIRS or letter in PAIR_LETTERS


def choice_letters(running: QuizSession) -> list[str]:
    """The letters (or words) the current question's choices stand for."""
    letter, asked = running.expected, running.question_id
    if running.kind == DrillKind.PAIRS:
        return [word.letter for word in pair_question(letter, asked)[1]]
    if running.kind == DrillKind.WORDS:
        return word_choices(letter, asked)
    return letter_choices(letter, DrillKind(running.kind), asked)


async def drill_question(turn: Turn, running: QuizSession) -> Reply:
    """The current question of a drill answered without a camera: its text, its sound (for
    listening), and a button per choice carrying the letter it stands for."""
    letter, asked = running.expected, running.question_id
    kind = DrillKind(running.kind)
    number = {"number": running.position + 1, "total": len(running.letters)}
    audio: tuple[Sound, ...] = ()
    if kind == DrillKind.PAIRS:
        said, words = pair_question(letter, asked)
        text = texts.DRILL_PAIRS.format(**number)
        choices = [(f"{w.word} ({w.meaning})", w.letter) for w in words]
        audio = await turn.teaching.sound(said.word, LISTEN)
    elif kind == DrillKind.WORDS:
        text = texts.DRILL_WORDS.format(word=letter, **number)
        choices = [(by_text()[w].meaning, w) for w in word_choices(letter, asked)]
        audio = await turn.teaching.sound(letter, LISTEN)
    elif kind == DrillKind.LISTENING:
        text = texts.DRILL_LISTENING.format(**number)
        choices = [(c, c) for c in letter_choices(letter, kind, asked)]
        audio = await turn.teaching.sound(LESSONS[letter].spoken, LISTEN)
    else:
        text = texts.DRILL_READING.format(syllable=syllable_of(letter), **number)
        choices = [(romanize(syllable_of(c)), c) for c in letter_choices(letter, kind, asked)]
    buttons = (
        tuple(Button(label, f"/answer {asked} {choice}") for label, choice in choices),
        (Button(texts.BUTTON_SKIP, f"/skip {asked}"),),
    )
    return Reply(text, buttons=buttons, audio=audio, expected=letter)
