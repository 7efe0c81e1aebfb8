"""The teaching content: every letter taught, every example word really holds its letter."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.core.lesson_content import (
    _CONTRASTS,
    CONFUSABLE_PAIRS,
    LESSONS,
    MINIMAL_PAIRS,
    contrast,
)
from ml.reading.alphabet import CONSONANTS, LETTERS, VOWELS, decompose, is_syllables
from ml.writing.mistakes import LOOK_ALIKES

REQUIRED_PAIRS = (
    ("ㅏ", "ㅓ"),
    ("ㅗ", "ㅜ"),
    ("ㅑ", "ㅕ"),
    ("ㅛ", "ㅠ"),
    ("ㄷ", "ㄹ"),
    ("ㄱ", "ㅋ"),
    ("ㅇ", "ㅎ"),
    ("ㅐ", "ㅔ"),
    ("ㅁ", "ㅇ"),
)

SAME_SOUND_TODAY = ({"ㅐ", "ㅔ"}, {"ㅒ", "ㅖ"}, {"ㅚ", "ㅙ"}, {"ㅚ", "ㅞ"}, {"ㅙ", "ㅞ"})
"""Vowels merged in today's Seoul speech: words differing only there are no listening pair."""


def _jamo_of(word: str) -> list[tuple[str, str, str]]:
    return [decompose(syllable) for syllable in word]


def _letters_in(word: str) -> set[str]:
    return {jamo for syllable in _jamo_of(word) for jamo in syllable if jamo}


def test_every_letter_has_a_lesson_and_nothing_else_does():
    assert set(LESSONS) == set(LETTERS)
    assert all(LESSONS[jamo].jamo == jamo for jamo in LETTERS)


@pytest.mark.parametrize("jamo", LETTERS)
def test_texts_are_not_empty(jamo):
    lesson = LESSONS[jamo]
    for text in (lesson.sound, lesson.mnemonic, lesson.example.meaning):
        assert text.strip()


@pytest.mark.parametrize("jamo", LETTERS)
def test_mnemonic_is_short(jamo):
    assert len(LESSONS[jamo].mnemonic.split()) <= 25


@pytest.mark.parametrize("jamo", LETTERS)
def test_example_word_is_hangul_and_contains_its_letter(jamo):
    example = LESSONS[jamo].example
    assert is_syllables(example.word)
    assert jamo in _letters_in(example.word)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", example.romanization)


@pytest.mark.parametrize("jamo", LETTERS)
def test_spoken_is_hangul_and_starts_with_the_letter(jamo):
    lesson = LESSONS[jamo]
    words = re.split(r"[.\s]+", lesson.spoken.strip(" ."))
    assert all(is_syllables(word) for word in words)
    assert lesson.syllable == lesson.spoken[0]
    initial, medial, _ = decompose(lesson.syllable)
    if jamo in CONSONANTS:
        assert initial == jamo
    else:
        assert (initial, medial) == ("ㅇ", jamo)


def test_ieung_and_rieul_are_spoken_at_both_ends_of_a_syllable():
    for jamo in ("ㅇ", "ㄹ"):
        finals = [decompose(s)[2] for s in LESSONS[jamo].spoken if is_syllables(s)]
        assert jamo in finals


def test_vowels_and_consonants_are_all_covered():
    assert len(CONSONANTS) + len(VOWELS) == len(LESSONS) == 40


@pytest.mark.parametrize(("a", "b"), REQUIRED_PAIRS)
def test_required_pairs_have_a_symmetric_contrast(a, b):
    assert contrast(a, b)
    assert contrast(a, b) == contrast(b, a)


def test_confusable_pairs_are_pairs_of_letters_that_name_both():
    for pair, text in CONFUSABLE_PAIRS.items():
        assert len(pair) == 2 and pair <= set(LETTERS)
        assert all(jamo in text for jamo in pair)


def test_the_look_alikes_quizzes_are_measured_with_are_the_pairs_the_lessons_teach_apart():
    assert {frozenset(pair) for pair in LOOK_ALIKES} == set(CONFUSABLE_PAIRS)
    assert len(LOOK_ALIKES) == len(CONFUSABLE_PAIRS)


def test_no_confusable_pair_is_listed_twice():
    assert len(CONFUSABLE_PAIRS) == len(_CONTRASTS)


def test_no_contrast_for_a_letter_with_itself_or_an_unlisted_pair():
    assert contrast("ㅏ", "ㅏ") is None
    assert contrast("ㅏ", "ㅋ") is None


def test_at_least_eight_minimal_pair_groups():
    assert len(MINIMAL_PAIRS) >= 8


@pytest.mark.parametrize("group", MINIMAL_PAIRS, ids=lambda g: "/".join(w for w, _ in g))
def test_minimal_pair_words_differ_in_exactly_one_jamo(group):
    assert len(group) >= 2
    assert len({word for word, _ in group}) == len(group)
    for (word, meaning), (other, _) in itertools.combinations(group, 2):
        assert is_syllables(word) and meaning.strip()
        assert len(word) == len(other)
        differences = [
            (x, y)
            for mine, theirs in zip(_jamo_of(word), _jamo_of(other), strict=True)
            for x, y in zip(mine, theirs, strict=True)
            if x != y
        ]
        assert len(differences) == 1
        assert set(differences[0]) not in SAME_SOUND_TODAY
