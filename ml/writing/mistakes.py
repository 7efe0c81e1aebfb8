"""The mistakes learners make when writing a syllable or word: one letter written as its
look-alike (ㅏ for ㅓ, ㅋ for ㄱ), a stroke more, a stroke less or on the other side. A quiz's
grading must still call such writing wrong; the text bench writes words with one such mistake
to measure that (:mod:`ml.evaluation.text_bench`).

The pairs are the ones the lessons teach apart (``bot.core.lesson_content.CONFUSABLE_PAIRS``
says how; a test keeps the two lists the same).
"""

from __future__ import annotations

import numpy as np

from ml.reading.alphabet import compose, decompose

LOOK_ALIKES: tuple[tuple[str, str], ...] = (
    ("ㅏ", "ㅓ"),
    ("ㅗ", "ㅜ"),
    ("ㅑ", "ㅕ"),
    ("ㅛ", "ㅠ"),
    ("ㅐ", "ㅔ"),
    ("ㅒ", "ㅖ"),
    ("ㅘ", "ㅝ"),
    ("ㅙ", "ㅞ"),
    ("ㅚ", "ㅟ"),
    ("ㅢ", "ㅚ"),
    ("ㅓ", "ㅕ"),
    ("ㅏ", "ㅑ"),
    ("ㅗ", "ㅛ"),
    ("ㅜ", "ㅠ"),
    ("ㅐ", "ㅒ"),
    ("ㅔ", "ㅖ"),
    ("ㄷ", "ㄹ"),
    ("ㄹ", "ㅌ"),
    ("ㄱ", "ㅋ"),
    ("ㅇ", "ㅎ"),
    ("ㅁ", "ㅇ"),
    ("ㅈ", "ㅊ"),
    ("ㅊ", "ㅎ"),
    ("ㅅ", "ㅈ"),
    ("ㅂ", "ㅁ"),
    ("ㅂ", "ㅍ"),
    ("ㄷ", "ㅌ"),
    ("ㄴ", "ㄷ"),
    ("ㅍ", "ㅌ"),
    ("ㄱ", "ㄴ"),
)
"""Letters written for one another (each pair once)."""


def look_alikes(letter: str) -> list[str]:
    """The letters ``letter`` is mistaken for (none for ``""``, a missing final)."""
    return sorted({b if a == letter else a for a, b in LOOK_ALIKES if letter in (a, b)})


def mistaken(text: str, rng: np.random.Generator) -> str | None:
    """``text`` (syllables) with one letter, chosen by ``rng`` among those that have a
    look-alike, written as one of its look-alikes; ``None`` when no letter has one (쯔)."""
    places = [
        (block, part, other)
        for block, syllable in enumerate(text)
        for part, letter in enumerate(decompose(syllable))
        for other in look_alikes(letter)
    ]
    if not places:
        return None
    block, part, other = places[int(rng.integers(len(places)))]
    letters = list(decompose(text[block]))
    letters[part] = other
    return text[:block] + compose(*letters) + text[block + 1 :]
