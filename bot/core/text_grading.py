"""Grading a picture against the syllable or word a quiz asked for, letter by letter: which
letters of which blocks are right, which read as another letter, which are missing or extra, and
the words that tell the learner so ("your ㄱ is right; in 가 the vowel reads as ㅓ, it should be
ㅏ").

A letter counts when the reader's best guess for its place is the letter asked for, or when the
letter asked for is a close runner-up there (:func:`ml.reading.syllables.counts_as_asked`: the
reader could not tell them apart, so the quiz's question decides); a place the reader is unsure
of (:data:`ml.reading.syllables.PART_CONFIDENCE`, or right only as a runner-up) is named so the
learner can make it clearer, right or wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core import texts
from bot.core.lesson_content import contrast
from bot.core.text_items import how_to_write, is_letter, spelled, syllable_of_letters
from ml.reading.alphabet import COMPOUND_FINALS, decompose, is_syllables
from ml.reading.syllables import PART_CONFIDENCE, asked_places, counts_as_asked
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage.queries import LetterScore

PLACES = {"initial": "first consonant", "medial": "vowel", "final": "final consonant"}


@dataclass(frozen=True)
class Place:
    """One letter's place in the answer: block ``block``'s ``part`` (initial, medial, final)."""

    block: int
    part: str
    expected: str
    """The letter asked for there (``""``: no final)."""
    read: str
    """The reader's best letter there."""
    right: bool
    """The best letter is the one asked for, or that one is a close runner-up."""
    sure: bool
    """The best letter is the one asked for, and clearly so."""

    @classmethod
    def graded(
        cls, block: int, part: str, expected: str, top: tuple[tuple[str, float], ...]
    ) -> Place:
        """The place ``part`` of block ``block``, where ``expected`` was asked for and the
        reader's best letters were ``top``."""
        read, p = top[0]
        sure = read == expected and p >= PART_CONFIDENCE
        return cls(block, part, expected, read, counts_as_asked(top, expected), sure)


@dataclass(frozen=True)
class TextGrade:
    """A picture graded against ``expected``: ``read`` is what was read (None when it could not
    be graded: blank, a line of writing; :attr:`gradable`), ``places`` each letter's place when
    the blocks line up with the syllables asked for."""

    expected: str
    read: str | None
    correct: bool
    confidence: float
    places: tuple[Place, ...] = ()

    @property
    def gradable(self) -> bool:
        return self.read is not None

    @property
    def separate(self) -> bool:
        """Whether the picture showed separate letters written in a row (ㄱ ㅗ for 고)."""
        return len(self.read or "") > 1 and all(is_letter(x) for x in self.read or "")

    @property
    def read_shown(self) -> str:
        """What was read, as the learner is told it (separate letters apart: "ㄱ ㅗ")."""
        return " ".join(self.read or "") if self.separate else self.read or ""


def grade(expected: str, reading: TextReading) -> TextGrade:
    """Grade ``reading`` against the syllable or word ``expected``."""
    if reading.kind == "letter":
        return TextGrade(expected, reading.text, False, reading.letter.confidence)
    if reading.kind == "letters":
        return TextGrade(expected, reading.text, False, 0.0)
    if reading.kind is None or reading.verdict == Verdict.TOO_MANY_BLOCKS or not reading.text:
        return TextGrade(expected, None, False, 0.0)
    confidence = min(b.confidence for b in reading.blocks)
    if len(reading.blocks) != len(expected):
        return TextGrade(expected, reading.text, False, confidence)
    places = tuple(Place.graded(*place) for place in asked_places(expected, reading.blocks))
    correct = all(p.right for p in places)
    return TextGrade(expected, reading.text, correct, confidence, places)


def feedback(graded: TextGrade) -> str:
    """What a graded answer did right and wrong, letter by letter."""
    expected, read = graded.expected, graded.read or ""
    if not graded.places:
        if graded.separate:
            separate = texts.TEXT_SEPARATE_ASKED.format(letters=graded.read_shown)
            if syllable_of_letters(read) == expected:
                separate += " " + texts.TEXT_SEPARATE_RIGHT_LETTERS
            return f"{separate}\n{how_to_write(expected)}"
        if is_letter(read):
            return texts.TEXT_GOT_LETTER.format(read=read, text=expected, spelled=spelled(expected))
        advice = texts.TEXT_TOO_MANY if len(read) > len(expected) else texts.TEXT_TOO_FEW
        differ = texts.TEXT_BLOCKS_DIFFER.format(
            count=texts.plural(len(read), "block"),
            text=expected,
            expected=texts.plural(len(expected), "block"),
            spelled=spelled(expected),
        )
        return f"{differ} {advice}"
    right = [p.expected for p in graded.places if p.right and p.expected]
    wrong = [_wrong(p, expected) for p in graded.places if not p.right]
    unsure = [_unsure(p, expected) for p in graded.places if p.right and not p.sure]
    lines = []
    if wrong and right:
        lines.append(texts.TEXT_RIGHT_LETTERS.format(letters=" ".join(right)))
    lines += wrong
    if unsure:
        lines.append(texts.TEXT_HARD_TO_READ.format(places="; ".join(unsure)))
    return "\n".join([" ".join(lines), *_tips(graded.places)])


def _tips(places: Iterable[Place]) -> list[str]:
    """How to tell apart each letter asked for and the look-alike read in its place, once."""
    pairs = ((p.expected, p.read) for p in places if p.read != p.expected)
    return list(dict.fromkeys(tip for a, b in pairs if (tip := contrast(a, b))))


def _wrong(place: Place, expected: str) -> str:
    if place.part == "final" and not place.expected:
        said = texts.TEXT_EXTRA_FINAL.format(read=place.read)
    elif place.part == "final" and not place.read:
        said = texts.TEXT_MISSING_FINAL.format(letter=place.expected)
    else:
        said = texts.TEXT_WRONG_LETTER.format(
            place=PLACES[place.part], read=place.read, letter=_named(place.expected, place.part)
        )
    if len(expected) > 1:
        return f"In {expected[place.block]}, {said}"
    return said[0].upper() + said[1:]


def _named(letter: str, part: str) -> str:
    """A letter with its sound in its place ("ㅏ (a)"; a first ㅇ is silent); a two-letter
    final as it is."""
    if part == "initial" and letter == "ㅇ":
        return texts.SILENT_FIRST_IEUNG
    return f"{letter} ({texts.romanized(letter)})" if is_letter(letter) else letter


def _unsure(place: Place, expected: str) -> str:
    syllable = expected[place.block]
    if place.part == "final" and not place.expected:
        said = texts.TEXT_NO_FINAL_UNSURE.format(syllable=syllable)
    else:
        where = f" in {syllable}" if len(expected) > 1 else ""
        said = f"the {PLACES[place.part]} {place.expected}{where}"
    if place.read == place.expected:
        return said
    if not place.read:
        return said + texts.TEXT_LOOKS_MISSING
    if not place.expected:
        return said + texts.TEXT_MAYBE_FINAL.format(read=place.read)
    return said + texts.TEXT_LOOKS_LIKE.format(read=place.read)


def letters_inside(answers: Iterable[tuple[str, str]]) -> list[LetterScore]:
    """How often each letter was written right inside the syllables and words asked for, from
    (asked for, read) answers whose blocks line up, weakest first (a two-letter final counts
    for both its letters)."""
    asked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for expected, read in answers:
        if len(read) != len(expected) or not is_syllables(read):
            continue
        for wanted, got in zip(expected, read, strict=True):
            for letter, was in zip(decompose(wanted), decompose(got), strict=True):
                for part in COMPOUND_FINALS.get(letter, (letter,) if letter else ()):
                    asked[part] += 1
                    right[part] += letter == was
    scores = [LetterScore(letter, n, right[letter]) for letter, n in asked.items()]
    return sorted(scores, key=lambda s: (s.accuracy, -s.attempts, s.letter))


def texts_missed(answers: Iterable[tuple[str, str]]) -> list[LetterScore]:
    """The syllables and words asked for that were not always written right, from (asked for,
    read) answers, weakest first (each score's ``letter`` is the syllable or word)."""
    asked = Counter(expected for expected, _ in answers)
    right = Counter(expected for expected, read in answers if read == expected)
    scores = [LetterScore(text, n, right[text]) for text, n in asked.items() if right[text] < n]
    return sorted(scores, key=lambda s: (s.accuracy, -s.attempts, s.letter))
