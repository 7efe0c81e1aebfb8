"""The beginner vocabulary: enough words, well formed, levels that match their letters, and
romanizations that follow the Revised Romanization of the pronunciation."""

from __future__ import annotations

import re

import pytest

from bot.core.vocabulary import TOPICS, WORDS, Word, by_text, words_for_topic
from ml.reading.alphabet import decompose, is_syllables

FIRST_LETTERS = frozenset("ㅏㄴㅅㅇㅣㅗㅁㄷㅡㄱㅓㄹㅂㅜㅈ")
"""The first 15 letters the tutor teaches: a level-1 word uses no other."""
NEXT_LETTERS = frozenset("ㅎㅑㅛㅍㅐㅋㅕㅠㅌㅊㅔ")
"""The next 11: a level-2 word uses no letter outside these and the first 15."""


def letters(word: Word) -> set[str]:
    """Every jamo of the word, initial, medial and final (a two-letter final counts as one)."""
    return {jamo for block in word.text for jamo in decompose(block) if jamo}


def test_there_are_enough_words_with_no_text_twice():
    assert len(WORDS) >= 300
    texts = [word.text for word in WORDS]
    assert len(set(texts)) == len(texts), {t for t in texts if texts.count(t) > 1}


def test_every_text_is_one_to_four_syllable_blocks():
    bad = [w.text for w in WORDS if not (is_syllables(w.text) and 1 <= len(w.text) <= 4)]
    assert not bad


def test_topics_and_levels_are_from_the_fixed_sets():
    assert set(TOPICS) == {
        "people", "food", "body", "time", "places", "numbers", "nature", "animals", "things",
        "school", "colours", "transport", "actions", "describing", "greetings",
    }  # fmt: skip
    assert {w.topic for w in WORDS} == set(TOPICS)
    assert {w.level for w in WORDS} == {1, 2, 3}


def test_each_level_matches_the_letters_the_word_needs():
    def expected(word: Word) -> int:
        if letters(word) <= FIRST_LETTERS:
            return 1
        return 2 if letters(word) <= FIRST_LETTERS | NEXT_LETTERS else 3

    wrong = [(w.text, w.level, expected(w)) for w in WORDS if w.level != expected(w)]
    assert not wrong


def test_level_one_words_use_only_the_first_letters_and_are_many():
    first = [w for w in WORDS if w.level == 1]
    assert len(first) >= 40
    assert not [w.text for w in first if not letters(w) <= FIRST_LETTERS]
    assert by_text()["닭"].level == 3  # ㄺ is a two-letter final


def test_meanings_are_short_plain_text_and_romanizations_lowercase_letters():
    assert not [w.text for w in WORDS if not re.fullmatch(r"[a-z]+", w.romanization)]
    assert not [w.text for w in WORDS if not w.meaning or len(w.meaning) > 45]
    assert not [w.text for w in WORDS if w.meaning != w.meaning.strip()]


@pytest.mark.parametrize(
    ("text", "romanization"),
    [
        ("나무", "namu"),  # as written
        ("학교", "hakgyo"),  # final ㄱ is k, initial ㄱ is g; tensing is not written
        ("한국어", "hangugeo"),  # a final moves into a following ㅇ block
        ("국물", "gungmul"),  # ㄱ before ㅁ becomes ng
        ("박물관", "bangmulgwan"),
        ("학년", "hangnyeon"),
        ("정류장", "jeongnyujang"),  # ㄹ after ㅇ becomes n
        ("빨리", "ppalli"),  # ㄹㄹ is ll
        ("텔레비전", "tellebijeon"),
        ("같이", "gachi"),  # ㅌ before 이 becomes ch
        ("끝나다", "kkeunnada"),
        ("좋다", "jota"),  # ㅎ + ㄷ is t
        ("좋아요", "joayo"),  # ㅎ before a vowel is silent
        ("괜찮아요", "gwaenchanayo"),
        ("어떻게", "eotteoke"),
        ("착하다", "chakada"),  # aspiration is written in verbs and adjectives ...
        ("축하", "chukha"),  # ... but not in nouns
        ("읽다", "ikda"),  # two-letter finals
        ("앉다", "anda"),
        ("많다", "manta"),
        ("짧다", "jjalda"),
        ("닭", "dak"),
        ("여덟", "yeodeol"),
        ("맛있다", "masitda"),
        ("맛없다", "madeopda"),
        ("밖", "bak"),
        ("부엌", "bueok"),
        ("꽃", "kkot"),
        ("의자", "uija"),  # ㅢ is always ui
    ],
)
def test_romanization_spot_checks(text, romanization):
    assert by_text()[text].romanization == romanization


def test_words_for_topic_and_by_text():
    numbers = words_for_topic("numbers")
    assert {w.topic for w in numbers} == {"numbers"}
    assert sum(len(words_for_topic(topic)) for topic in TOPICS) == len(WORDS)
    assert by_text()["하나"] in numbers and by_text()["하나"].meaning == "one (native)"
    assert by_text()["사람"] == Word("사람", "person", "saram", "people", 1)
    with pytest.raises(ValueError):
        words_for_topic("weather")
