"""Syllables and words as things to write: the letters of a block and where each one goes, how
it sounds, how a quiz asks for it without showing it, and which ones a learner can write with
the letters they have learnt. Syllables and words come from the beginner vocabulary
(:mod:`bot.core.vocabulary`), so every syllable practised is part of a real word.

Sources: how letters make a block (an initial consonant, a vowel beside or under it, an optional
final consonant underneath) is Hangul's own rule, set out in the Unicode Standard, section 3.12
(Conjoining Jamo Behavior). How a final consonant sounds at the end of a syllable said alone (the
seven final sounds k, n, t, l, m, p, ng, and which consonant of a two-letter final is heard) is the
National Institute of Korean Language's Standard Pronunciation rules (표준 발음법, 1988),
articles 8 to 11; it is written in Revised Romanization (국어의 로마자 표기법, 2000).
"""

from __future__ import annotations

from functools import cache

from bot.core.vocabulary import WORDS, Word, by_text
from ml.reading.alphabet import (
    COMPOUND_FINALS,
    FINALS,
    INITIALS,
    LETTERS,
    MEDIALS,
    MIXED_VOWELS,
    compose,
    decompose,
    is_syllables,
    letter_info,
    vowel_kind,
)

_LETTERS = frozenset(LETTERS)
_FINAL_OF_PAIR = {pair: final for final, pair in COMPOUND_FINALS.items()}

FINAL_SOUNDS = {
    **dict.fromkeys("ㄱㄲㅋㄳㄺ", "k"),
    **dict.fromkeys("ㄴㄵㄶ", "n"),
    **dict.fromkeys("ㄷㅅㅆㅈㅊㅌㅎ", "t"),
    **dict.fromkeys("ㄹㄼㄽㄾㅀ", "l"),
    **dict.fromkeys("ㅁㄻ", "m"),
    **dict.fromkeys("ㅂㅍㅄㄿ", "p"),
    "ㅇ": "ng",
}
"""How each final consonant sounds at the end of a syllable said alone, romanized (Standard
Pronunciation, articles 8-11; 밟 "bap" is the one everyday exception and not asked for alone)."""
_PLAIN_FINALS = frozenset("ㄴㅁㅇ")
"""Finals whose sound names them: a question for a syllable ending in any other says which."""


def is_letter(item: str) -> bool:
    """Whether ``item`` (something a quiz asks for) is one of the 40 letters, not a syllable or a
    word."""
    return item in _LETTERS


def letters_written(text: str) -> list[str]:
    """The letters (of the 40) a learner needs to write ``text``, each once, in writing order:
    each block's initial, vowel and final, a two-letter final as its two letters."""
    written: list[str] = []
    for syllable in text:
        initial, medial, final = decompose(syllable)
        written += [initial, medial, *COMPOUND_FINALS.get(final, (final,) if final else ())]
    return list(dict.fromkeys(written))


def letters_in(text: str) -> set[str]:
    """:func:`letters_written` as a set."""
    return set(letters_written(text))


def syllable_of_letters(letters: str) -> str | None:
    """The syllable that ``letters`` (in writing order) make written in one block: a consonant, a
    vowel and a final of one or two consonants (ㄱㅗ → 고, ㄷㅏㄹㄱ → 닭), or None."""
    if len(letters) < 2 or letters[0] not in INITIALS or letters[1] not in MEDIALS:
        return None
    rest = letters[2:]
    final = _FINAL_OF_PAIR.get((rest[0], rest[1])) if len(rest) == 2 else rest
    if final is None or final not in FINALS:
        return None
    return compose(letters[0], letters[1], final)


def romanize_syllable(syllable: str) -> str:
    """A syllable said on its own, in Revised Romanization: 나 "na", 닭 "dak", 아 "a"."""
    initial, medial, final = decompose(syllable)
    lead = "" if initial == "ㅇ" else letter_info(initial).romanization
    return lead + letter_info(medial).romanization + FINAL_SOUNDS.get(final, "")


def word_of(text: str) -> Word | None:
    """The vocabulary's entry for ``text``, if it is one of its words."""
    return by_text().get(text)


def romanize(text: str) -> str:
    """How a syllable or word sounds: the vocabulary's romanization (sound changes between
    blocks included), else its blocks said one by one."""
    word = word_of(text)
    if word is not None:
        return word.romanization
    return "-".join(romanize_syllable(s) for s in text)


def describe(text: str) -> str:
    """How a quiz asks for a syllable or a word without showing it: a syllable by its sound (and
    its final, where the sound alone does not say which consonant it is), a word by its
    meaning and sound."""
    if len(text) == 1:
        final = decompose(text)[2]
        sound = f"syllable “{romanize_syllable(text)}”"
        return f"{sound}, ending in {final}" if final and final not in _PLAIN_FINALS else sound
    word = word_of(text)
    meaning = f"“{word.meaning}”" if word else f"“{romanize(text)}”"
    return f"word for {meaning} (“{romanize(text)}”)"


def spell(parts: list[tuple[str, str, str]]) -> str:
    """Each block's letters: "ㄴ + ㅏ, ㅁ + ㅜ" (a final as a third part)."""
    return ", ".join(" + ".join(j for j in block if j) for block in parts)


MOST_SPELLED = 4
"""The longest word ``/hint`` and ``/lesson`` spell out (the longest word the tutor reads)."""


def spellable(text: str) -> bool:
    """Whether ``/hint`` and ``/lesson`` spell ``text`` out: a syllable or a word of at most
    :data:`MOST_SPELLED` blocks."""
    return is_syllables(text) and len(text) <= MOST_SPELLED


def spelled(text: str) -> str:
    """:func:`spell` of a syllable or word."""
    return spell([decompose(s) for s in text])


def how_to_write(text: str) -> str:
    """Where each letter of each block goes: a vertical vowel stands to the right of its
    consonant, a horizontal one lies under it, a mixed one does both, and a final sits at the
    bottom."""
    return "\n".join(_block_hint(syllable) for syllable in text)


def _block_hint(syllable: str) -> str:
    initial, medial, final = decompose(syllable)
    kind = vowel_kind(medial)
    if kind == "vertical":
        place = f"{medial} stands upright, so {initial} goes on its left."
    elif kind == "horizontal":
        place = f"{medial} lies flat, so {initial} goes on top of it."
    else:
        flat, upright = MIXED_VOWELS[medial]
        place = (
            f"{medial} is {flat} and {upright} together: {initial} goes on top of {flat}, "
            f"and {upright} stands on the right."
        )
    line = f"{syllable} = {spelled(syllable)}: {place}"
    if final in COMPOUND_FINALS:
        first, second = COMPOUND_FINALS[final]
        return f"{line} {first} and {second} sit side by side underneath, as the final {final}."
    if final:
        return f"{line} {final} sits underneath, as the final consonant (batchim)."
    return line


def _difficulty(syllable: str) -> tuple[int, int]:
    """Simpler blocks first: no final before a final, a plain vowel before a mixed one, one
    final consonant before two."""
    _, medial, final = decompose(syllable)
    return (int(bool(final)) + int(final in COMPOUND_FINALS), int(medial in MIXED_VOWELS))


@cache
def syllable_ladder() -> tuple[str, ...]:
    """Every syllable of the vocabulary, in the order a learner meets them: by the level of the
    first word it is in, simpler blocks first, then in the vocabulary's order."""
    first_seen: dict[str, tuple[int, int]] = {}
    for number, word in enumerate(WORDS):
        for syllable in word.text:
            seen = first_seen.get(syllable)
            if seen is None or word.level < seen[0]:
                first_seen[syllable] = (word.level, number)
    return tuple(
        sorted(first_seen, key=lambda s: (first_seen[s][0], _difficulty(s), first_seen[s][1]))
    )


@cache
def word_ladder() -> tuple[str, ...]:
    """The vocabulary's words of two blocks or more, by level, shorter words first."""
    ranked = sorted(
        (w for w in WORDS if len(w.text) > 1),
        key=lambda w: (w.level, len(w.text), WORDS.index(w)),
    )
    return tuple(w.text for w in ranked)


def writable(text: str, learnt: set[str]) -> bool:
    """Whether every letter of ``text`` is among the ``learnt`` letters."""
    return is_syllables(text) and letters_in(text) <= learnt
