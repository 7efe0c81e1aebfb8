"""The 40 modern Hangul jamo the tutor teaches, how dataset folders name them, and how jamo
compose into syllable blocks (가 = ㄱ + ㅏ, 닭 = ㄷ + ㅏ + ㄺ).

A letter is always identified by its compatibility-jamo character (``"ㅛ"``). The class index of
a letter in every model is its position in :data:`LETTERS` (dictionary order: 19 consonants,
then 21 vowels).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Kind = Literal["consonant", "vowel"]


@dataclass(frozen=True)
class Letter:
    """One jamo with its Revised Romanization, Korean name and kind."""

    jamo: str
    romanization: str
    name: str
    name_romanized: str
    kind: Kind


_CONSONANTS: tuple[tuple[str, str, str, str], ...] = (
    ("ㄱ", "g", "기역", "giyeok"),
    ("ㄲ", "kk", "쌍기역", "ssanggiyeok"),
    ("ㄴ", "n", "니은", "nieun"),
    ("ㄷ", "d", "디귿", "digeut"),
    ("ㄸ", "tt", "쌍디귿", "ssangdigeut"),
    ("ㄹ", "r", "리을", "rieul"),
    ("ㅁ", "m", "미음", "mieum"),
    ("ㅂ", "b", "비읍", "bieup"),
    ("ㅃ", "pp", "쌍비읍", "ssangbieup"),
    ("ㅅ", "s", "시옷", "siot"),
    ("ㅆ", "ss", "쌍시옷", "ssangsiot"),
    ("ㅇ", "ng", "이응", "ieung"),
    ("ㅈ", "j", "지읒", "jieut"),
    ("ㅉ", "jj", "쌍지읒", "ssangjieut"),
    ("ㅊ", "ch", "치읓", "chieut"),
    ("ㅋ", "k", "키읔", "kieuk"),
    ("ㅌ", "t", "티읕", "tieut"),
    ("ㅍ", "p", "피읖", "pieup"),
    ("ㅎ", "h", "히읗", "hieut"),
)

_VOWELS: tuple[tuple[str, str, str], ...] = (
    ("ㅏ", "a", "아"),
    ("ㅐ", "ae", "애"),
    ("ㅑ", "ya", "야"),
    ("ㅒ", "yae", "얘"),
    ("ㅓ", "eo", "어"),
    ("ㅔ", "e", "에"),
    ("ㅕ", "yeo", "여"),
    ("ㅖ", "ye", "예"),
    ("ㅗ", "o", "오"),
    ("ㅘ", "wa", "와"),
    ("ㅙ", "wae", "왜"),
    ("ㅚ", "oe", "외"),
    ("ㅛ", "yo", "요"),
    ("ㅜ", "u", "우"),
    ("ㅝ", "wo", "워"),
    ("ㅞ", "we", "웨"),
    ("ㅟ", "wi", "위"),
    ("ㅠ", "yu", "유"),
    ("ㅡ", "eu", "으"),
    ("ㅢ", "ui", "의"),
    ("ㅣ", "i", "이"),
)

ALPHABET: tuple[Letter, ...] = tuple(
    Letter(j, r, n, nr, "consonant") for j, r, n, nr in _CONSONANTS
) + tuple(Letter(j, r, n, r, "vowel") for j, r, n in _VOWELS)

LETTERS: tuple[str, ...] = tuple(letter.jamo for letter in ALPHABET)
CONSONANTS: tuple[str, ...] = tuple(j for j, *_ in _CONSONANTS)
VOWELS: tuple[str, ...] = tuple(j for j, *_ in _VOWELS)

NOT_A_LETTER_INDEX = len(LETTERS)
"""Class index of the models' extra output, "not a letter" (doodles, words, shadows ...)."""
NUM_CLASSES = len(LETTERS) + 1
"""Outputs of every model: the 40 letters, then "not a letter"."""

_BY_JAMO = {letter.jamo: letter for letter in ALPHABET}

# The original Kaggle dataset's 30 folders, in sorted order (= the notebook's class indices).
# It writes doubled consonants by doubling the plain letter's romanization ("gg", "bb").
DATASET30_FOLDERS: tuple[str, ...] = (
    "a", "ae", "b", "bb", "ch", "d", "e", "eo", "eu", "g", "gg", "h", "i", "j", "k",
    "m", "n", "ng", "o", "p", "r", "s", "ss", "t", "u", "ya", "yae", "ye", "yo", "yu",
)  # fmt: skip
_FOLDER_ALIASES = {"gg": "ㄲ", "dd": "ㄸ", "bb": "ㅃ", "l": "ㄹ"}

_BY_NAME: dict[str, str] = {letter.romanization: letter.jamo for letter in ALPHABET}
_BY_NAME.update(_FOLDER_ALIASES)
_BY_NAME.update({letter.jamo: letter.jamo for letter in ALPHABET})

DATASET30_LETTERS: tuple[str, ...] = tuple(_BY_NAME[f] for f in DATASET30_FOLDERS)


def letter_info(jamo: str) -> Letter:
    """The :class:`Letter` for a jamo character; ``KeyError`` if it is not one of the 40."""
    return _BY_JAMO[jamo]


def letter_from_folder(name: str) -> str | None:
    """The jamo a class folder stands for (jamo or romanized name), or ``None`` if unknown."""
    return _BY_NAME.get(name.strip().lower()) or _BY_NAME.get(name.strip())


def index_of(jamo: str) -> int:
    """The class index of a letter in :data:`LETTERS`."""
    return LETTERS.index(jamo)


INITIALS: tuple[str, ...] = tuple("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
"""The 19 consonants that begin a syllable block, in Unicode order."""
MEDIALS: tuple[str, ...] = tuple("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
"""The 21 vowels, in Unicode order."""
FINALS: tuple[str, ...] = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
"""The 27 final consonants in Unicode order, after ``""`` for none."""
_FIRST_SYLLABLE = 0xAC00
ALL_SYLLABLES: tuple[str, ...] = tuple(
    chr(code)
    for code in range(_FIRST_SYLLABLE, _FIRST_SYLLABLE + len(INITIALS) * len(MEDIALS) * len(FINALS))
)
"""Every modern syllable block, 가 to 힣 (11,172)."""


@lru_cache(maxsize=1)
def everyday_syllables() -> tuple[str, ...]:
    """The 2,350 syllables of KS X 1001, the everyday ones (Python's EUC-KR codec writes them in
    two bytes and every other block as an 8-byte sequence)."""
    found = tuple(s for s in ALL_SYLLABLES if len(s.encode("euc_kr")) == 2)
    if len(found) != 2350:
        raise RuntimeError(f"this Python's EUC-KR codec knows {len(found)} syllables, not 2350")
    return found


def compose(initial: str, medial: str, final: str = "") -> str:
    """The syllable block of these jamo (``compose("ㄷ", "ㅏ", "ㄺ") == "닭"``)."""
    if initial not in INITIALS or medial not in MEDIALS or final not in FINALS:
        raise ValueError(f"no syllable of {initial!r} {medial!r} {final!r}")
    index = (INITIALS.index(initial) * len(MEDIALS) + MEDIALS.index(medial)) * len(FINALS)
    return chr(_FIRST_SYLLABLE + index + FINALS.index(final))


def decompose(syllable: str) -> tuple[str, str, str]:
    """Initial, medial and final (``""`` if none) of a syllable block; ``ValueError`` for
    anything else."""
    index = ord(syllable) - _FIRST_SYLLABLE if len(syllable) == 1 else -1
    if not 0 <= index < len(ALL_SYLLABLES):
        raise ValueError(f"{syllable!r} is not a Hangul syllable")
    rest, final = divmod(index, len(FINALS))
    initial, medial = divmod(rest, len(MEDIALS))
    return INITIALS[initial], MEDIALS[medial], FINALS[final]


def is_syllables(text: str) -> bool:
    """Whether ``text`` is one or more Hangul syllable blocks and nothing else."""
    first, last = _FIRST_SYLLABLE, _FIRST_SYLLABLE + len(ALL_SYLLABLES) - 1
    return bool(text) and all(first <= ord(c) <= last for c in text)


VowelKind = Literal["vertical", "horizontal", "mixed"]
COMPOUND_FINALS: dict[str, tuple[str, str]] = {
    "ㄳ": ("ㄱ", "ㅅ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄶ": ("ㄴ", "ㅎ"), "ㄺ": ("ㄹ", "ㄱ"),
    "ㄻ": ("ㄹ", "ㅁ"), "ㄼ": ("ㄹ", "ㅂ"), "ㄽ": ("ㄹ", "ㅅ"), "ㄾ": ("ㄹ", "ㅌ"),
    "ㄿ": ("ㄹ", "ㅍ"), "ㅀ": ("ㄹ", "ㅎ"), "ㅄ": ("ㅂ", "ㅅ"),
}  # fmt: skip
"""Finals of two consonants, written side by side."""

MIXED_VOWELS: dict[str, tuple[str, str]] = {
    "ㅘ": ("ㅗ", "ㅏ"), "ㅙ": ("ㅗ", "ㅐ"), "ㅚ": ("ㅗ", "ㅣ"), "ㅝ": ("ㅜ", "ㅓ"),
    "ㅞ": ("ㅜ", "ㅔ"), "ㅟ": ("ㅜ", "ㅣ"), "ㅢ": ("ㅡ", "ㅣ"),
}  # fmt: skip
"""Vowels of a horizontal part under the initial and a vertical part to the right."""
HORIZONTAL_VOWELS = frozenset("ㅗㅛㅜㅠㅡ")


def vowel_kind(medial: str) -> VowelKind:
    """Where a vowel goes: right of the initial, under it, or both."""
    if medial in MIXED_VOWELS:
        return "mixed"
    return "horizontal" if medial in HORIZONTAL_VOWELS else "vertical"
