"""One letter, one syllable, or a word: a picture routed to the reader that fits it.

The picture is preprocessed once (:func:`ml.reading.preprocess.canonicalize` with blocks) and read
as one letter by the letter classifier, while its writing, cut into blocks, is read by the
syllable model. Then:

* no blocks (nothing written, or a picture refused before its ink was found): the letter
  reading's verdict stands;
* all the writing, read as one block, taken for a letter by the syllable model's kind head (a
  wide ㅛ or ㄲ that the row cutting split in two): the letter reading;
* more than :data:`MAX_BLOCKS` blocks, or more than one line of them (unless the kind head
  takes all the writing for one syllable: 밟's 바 over its ㄼ looks like two short lines), or
  writing apart from the row (a group of ink the row left out, one of whose blocks the kind
  head takes for a syllable: a second line above or below; an app's icon is no syllable):
  ``too_many_blocks``;
* one block that the kind head takes for a syllable: a **syllable**, ``unsure`` when one of its
  letters is not clear (the reason names it and its rivals);
* one block of another kind (a letter, or no writing): the letter reading, as before;
* two to :data:`MAX_BLOCKS` blocks: a **word**, ``unsure`` when a block is not clearly a
  syllable or one of its letters is not clear;
* 2 to :data:`MAX_BLOCKS` blocks in the row and in line with it (groups of ink apart from the
  row at its height, or at the height of one that is) that the kind head takes for letters (or
  some of them, the others read surely as letters by the letter classifier), and the letter
  classifier reads as letters (a wide letter that the row cutting split, ㄲ or ㅠ, counts once:
  :func:`_split_letters`): **separate letters** (kind ``letters``, verdict
  ``several_letters``, ``text`` the letters left to right: ㄱ and ㅗ written side by side where
  고 stacks them, a beginner's mistake the tutor teaches from).

A picture whose ink polarity is in doubt (a dark canvas with a page-like light region in it)
has the writing of both polarities routed; the likelier one's reading stands unless it is not
``ok`` and the page's is (:func:`_likelier`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ml.reading.blocks import Blocks
from ml.reading.classifier import Classifier, LiveClassifier, Reading
from ml.reading.preprocess import letter_from_block
from ml.reading.syllables import PARTS, BlockReading, SyllableReader
from ml.reading.verdicts import REASONS, Verdict

MAX_BLOCKS = 4
"""The longest word read (blocks); the issue's beginner words have 1-4."""
APART_SYLLABLE = 0.7
"""How sure the kind head must be that a block apart from the row is a syllable for the picture
to count as several lines of writing. Chosen on validation writers (seeds 2000 / 3000): at 0.5,
pieces of a grid left beside a word written small were taken for a second line; at 0.7, words
as phone photos read 362 / 361 -> 363 / 362 of 400 and 200 pictures of two lines of writing
(a word above another) each are refused as before (199 / 198 as PNGs, 189 / 188 as photos); at
0.9, words 363 / 363 but two lines as photos 186 / 186. No other validation picture (words as
PNGs; syllables, separate letters and informal letters as photos; junk) read otherwise."""
SEPARATE_KIND = 0.5
"""How sure the kind head must be that every block of a picture is a letter for the picture to
count as separate letters (chosen on validation writers, seed 2000: at 0.9, 91.5% of letters
written side by side were read so, 68.5% as photos; at 0.5, 95.0 / 72.5%)."""
SURE_LETTER = 0.9
"""How sure the letter classifier must be of a block's letter for the block to count as a
letter written apart when the kind head does not take it for one (chosen on validation writers,
seed 2000: 0.8 and 0.9 read 99.0 / 87.0% of letters side by side clean / as photos, 0.95 99.0
/ 86.0%, the kind head alone 98.5 / 85.5%)."""
SEPARATE_REASON = (
    "These look like separate letters ({letters}); the letters of a syllable are written "
    "together in one block."
)
ORDINALS = ("first", "second", "third", "fourth")
PART_NAMES = {"initial": "first consonant", "medial": "vowel", "final": "final consonant"}


@dataclass(frozen=True)
class TextReading:
    """What a picture was read as: ``kind`` is ``letter``, ``syllable``, ``word`` or ``letters``
    (separate letters; ``None`` when it was refused before its kind could be told), ``text``
    what was read."""

    kind: str | None
    verdict: Verdict
    reason: str
    text: str | None
    letter: Reading
    """The picture read as one letter (the answer when ``kind`` is ``letter``)."""
    blocks: tuple[BlockReading, ...] = ()
    images: np.ndarray | None = None
    """The canonical blocks that ``blocks`` read (float32 (n, 32, 32), ink = 1), for a syllable,
    a word or separate letters."""

    def as_json(self) -> dict:
        """The machine-readable form used by ``hangul-ml predict --json``: the letter reading's
        fields (``letter`` only for a letter), then ``kind``, ``text`` and ``blocks``."""
        out = self.letter.as_json()
        if self.kind != "letter":
            out |= {"letter": None, "romanization": None, "confidence": 0.0, "top": []}
        if self.kind in ("syllable", "word"):
            out["confidence"] = round(min(b.confidence for b in self.blocks), 4)
        out |= {"verdict": self.verdict, "reason": self.reason or None}
        return out | {
            "kind": self.kind,
            "text": self.text,
            "blocks": [b.as_json() for b in self.blocks],
        }


def route(
    letter: Reading,
    blocks: Sequence[BlockReading],
    whole: BlockReading | None = None,
    lines: int = 1,
    apart: Sequence[BlockReading] = (),
) -> TextReading:
    """Decide what a picture is from its letter reading, its blocks' readings, the reading of
    all its writing as one block and the readings of blocks apart from its row (see the module
    docstring)."""
    if not blocks:
        return _as_letter(letter)
    if whole is not None and whole.kind == "letter":
        return _as_letter(letter, (whole,))
    another_line = any(b.kind == "syllable" and b.kind_confidence >= APART_SYLLABLE for b in apart)
    several_lines = lines > 1 and (whole is None or whole.kind != "syllable") or another_line
    if len(blocks) > MAX_BLOCKS or several_lines:
        reason = REASONS[Verdict.TOO_MANY_BLOCKS].format(limit=MAX_BLOCKS)
        return TextReading("word", Verdict.TOO_MANY_BLOCKS, reason, None, letter, tuple(blocks))
    if len(blocks) == 1 and blocks[0].kind != "syllable":
        return _as_letter(letter, tuple(blocks))
    kind = "syllable" if len(blocks) == 1 else "word"
    text = "".join(b.text for b in blocks)
    doubts = _doubts(blocks)
    if doubts:
        return TextReading(kind, Verdict.UNSURE, doubts, text, letter, tuple(blocks))
    return TextReading(kind, Verdict.OK, "", text, letter, tuple(blocks))


def _as_letter(letter: Reading, blocks: tuple[BlockReading, ...] = ()) -> TextReading:
    kind = "letter" if letter.verdict == Verdict.OK else None
    return TextReading(kind, letter.verdict, letter.reason, letter.letter, letter, blocks)


def _doubts(blocks: Sequence[BlockReading]) -> str:
    """Why some blocks cannot be named with confidence, or ``""``."""
    lines = []
    for n, block in enumerate(blocks):
        where = "" if len(blocks) == 1 else f" of the {ORDINALS[n]} block"
        if block.kind != "syllable":
            lines.append(f"The {ORDINALS[n]} block does not look like a syllable.")
            continue
        for part in block.unsure_parts:
            top = block.jamo[PARTS.index(part)]
            rivals = " or ".join(j or "none" for j, _ in top[:2])
            lines.append(f"I can't tell the {PART_NAMES[part]}{where}: {rivals}?")
    return " ".join(lines)


class TextReader:
    """Reads pictures as letters, syllables or words: a letter classifier and a syllable model,
    sharing the letter classifier's preprocessor."""

    def __init__(self, letters: Classifier | LiveClassifier, syllables: SyllableReader) -> None:
        self.letters = letters
        self.syllables = syllables

    @property
    def version(self) -> str:
        """Both models' versions: ``lenet:packaged+syllable-lenet:packaged``."""
        return f"{self.letters.version}+{self.syllables.version}"

    def read(self, data: bytes) -> TextReading:
        """Read one picture; bad input gives a verdict with a reason, never raises."""
        return self.read_many([data])[0]

    def read_many(self, pictures: Sequence[bytes]) -> list[TextReading]:
        """Read several pictures, their blocks in one batch (see :func:`_likelier` for a picture
        whose ink polarity is in doubt)."""
        reader = self.letters
        classifier = reader.current if isinstance(reader, LiveClassifier) else reader
        canonicals = classifier.preprocessor.canonicalize(list(pictures), blocks=True)
        as_letters = classifier.read_canonicals(canonicals)
        found = [[_blocks_of(w) for w in c.writings or (None,)] for c in canonicals]
        readings = self.syllables.read(
            _stacked([writing.images for versions in found for writing in versions])
        )
        out, start = [], 0
        for letter, versions in zip(as_letters, found, strict=True):
            routed = []
            for writing in versions:
                mine = readings[start : start + len(writing.images)]
                routed.append(_routed(classifier, letter, writing, mine))
                start += len(writing.images)
            out.append(_likelier(routed))
        return out


def _routed(
    classifier: Classifier, letter: Reading, writing: _Writing, mine: Sequence[BlockReading]
) -> TextReading:
    """:func:`route` for one version of a picture's ``writing``, read as ``mine``; or the
    separate letters it shows (:func:`_letters_in_a_row`), where the letter classifier reads
    each of them as a letter."""
    rows, aparts = writing.parts()
    whole = mine[0] if mine else None
    blocks, apart_blocks = [mine[k] for k in rows], [mine[k] for k in aparts]
    reading = route(letter, blocks, whole, writing.lines, apart_blocks)
    if reading.kind in ("syllable", "word"):
        reading = replace(reading, images=writing.images[rows])
    known: dict[int, float] = {}

    def sureness(chosen: list[int]) -> dict[int, float]:
        """:func:`_sureness` of the ``chosen`` images, each worked out once."""
        if missing := [k for k in chosen if k not in known]:
            known.update(_sureness(classifier, writing.images, missing))
        return {k: known[k] for k in chosen}

    order = _letters_in_a_row(mine, writing, _split_letters(mine, writing, sureness), sureness)
    if order is None or reading.verdict == Verdict.TOO_MANY_BLOCKS:
        return reading
    letters = tuple(mine[k] for k in order)
    separate = _read_letters(classifier, letter, writing.images[order], letters)
    return reading if separate is None else separate


def _split_letters(
    mine: Sequence[BlockReading],
    writing: _Writing,
    sureness: Callable[[list[int]], dict[int, float]],
) -> set[int]:
    """Where in the ``writing``'s images (read as ``mine``) a group of ink that the row cutting
    split is one wide letter whole (ㄲ, ㅠ): the kind head takes the whole for a letter and,
    where the row has groups in line with it, the letter classifier reads the whole as a letter
    at least as surely as the least sure of its pieces (``sureness``, :func:`_sureness`; two
    letters written close, ㅚ and ㄴ, read as one ㅛ less surely than as each of them). A row
    alone needs only the kind head: with the classifier's comparison, 8 of 1,200 validation
    single letters (ㄲ ㄸ ㅃ ㅉ) read as two."""
    groups = writing.groups()
    split = [
        (whole, blocks)
        for _, blocks, whole in groups
        if len(blocks) > 1 and mine[whole].kind == "letter"
    ]
    if len(groups) == 1 or not split:
        return {whole for whole, _ in split}
    sure = sureness([k for w, b in split for k in (w, *b)])
    return {w for w, b in split if sure[w] > 0 and sure[w] >= min(sure[k] for k in b)}


def _sureness(classifier: Classifier, images: np.ndarray, chosen: list[int]) -> dict[int, float]:
    """For each ``chosen`` image (a block), how sure the letter classifier is of the letter it
    reads there: its probability, or 0 where it sees no letter."""
    canonicals = [letter_from_block(images[k]) for k in chosen]
    usable = [k for k, c in zip(chosen, canonicals, strict=True) if c is not None]
    sure = dict.fromkeys(chosen, 0.0)
    if not usable:
        return sure
    probabilities = classifier.probabilities(np.stack([c for c in canonicals if c is not None]))
    letters = probabilities[:, : len(classifier.letters)].max(axis=1)
    seen = classifier.letter_indices(probabilities) >= 0
    sure.update({k: float(p) for k, p, ok in zip(usable, letters, seen, strict=True) if ok})
    return sure


def _letters_in_a_row(
    mine: Sequence[BlockReading],
    writing: _Writing,
    split_letters: set[int],
    sureness: Callable[[list[int]], dict[int, float]],
) -> list[int] | None:
    """Which of the ``writing``'s images (read as ``mine``), left to right, are 2 to
    :data:`MAX_BLOCKS` separate letters on one line: the blocks of the row and of the groups of
    ink in line with it, each taken for a letter by the kind head (at least
    :data:`SEPARATE_KIND`) or, as long as one of them is, read as a letter by the letter
    classifier at least :data:`SURE_LETTER` surely (``sureness``: a compound vowel, ㅞ, looks
    like a block to the kind head); a group cut into several blocks that is one letter whole (in
    ``split_letters``, :func:`_split_letters`) counts as that letter. Ink above or below the row
    (a photo's clutter) is left out. None when they are not."""
    if writing.lines > 1 or not mine:
        return None
    pieces = []
    for column, blocks, whole in writing.groups():
        pieces += [(column, k) for k in ([whole] if whole in split_letters else blocks)]
    if not 2 <= len(pieces) <= MAX_BLOCKS:
        return None
    doubtful = [
        k for _, k in pieces if mine[k].kind != "letter" or mine[k].kind_confidence < SEPARATE_KIND
    ]
    if len(doubtful) == len(pieces):
        return None
    if doubtful and min(sureness(doubtful).values()) < SURE_LETTER:
        return None
    return [k for _, k in sorted(pieces, key=lambda piece: piece[0])]


def _read_letters(
    classifier: Classifier,
    letter: Reading,
    images: np.ndarray,
    blocks: tuple[BlockReading, ...],
) -> TextReading | None:
    """Blocks that each hold one letter, read by the letter classifier as separate letters, or
    None when one of them is not a letter to it."""
    canonicals = [letter_from_block(image) for image in images]
    if any(c is None for c in canonicals):
        return None
    found = classifier.letter_indices(classifier.probabilities(np.stack(canonicals)))
    if found.min() < 0:
        return None
    text = "".join(classifier.letters[i] for i in found)
    reason = SEPARATE_REASON.format(letters=" ".join(text))
    return TextReading("letters", Verdict.SEVERAL_LETTERS, reason, text, letter, blocks, images)


def _likelier(routed: Sequence[TextReading]) -> TextReading:
    """The reading of the likelier ink polarity's writing, unless it is not ``ok`` and the
    opposite polarity's (a page read as dark ink on a dark desk it covers less than half of)
    is: as the letter classifier reads the opposite polarity only when the likelier one is
    refused. A drawing app's light strokes beside a light panel stay the strokes."""
    first = routed[0]
    if first.verdict != Verdict.OK and len(routed) > 1 and routed[1].verdict == Verdict.OK:
        return routed[1]
    return first


class _Writing(NamedTuple):
    """One ink polarity's writing, canonical: ``images`` holds all of the row of writing as one
    block, then its ``blocks``, then the blocks of the groups of ink apart from it, then each
    group in line with the row as one block; ``lines`` of writing."""

    images: np.ndarray
    blocks: int
    lines: int
    row_column: int
    apart_groups: tuple[int, ...]
    group_columns: tuple[int, ...]

    def parts(self) -> tuple[list[int], list[int]]:
        """Where in ``images`` the row's blocks are, and the blocks apart from it."""
        apart_start = 1 + self.blocks
        return list(range(1, apart_start)), list(range(apart_start, self._first_group_whole()))

    def groups(self) -> list[tuple[int, list[int], int]]:
        """The row and each group in line with it: its first column, where its blocks are in
        ``images`` and where it is whole."""
        rows, aparts = self.parts()
        found = [(self.row_column, rows, 0)]
        for group, column in enumerate(self.group_columns):
            mine = [k for k, g in zip(aparts, self.apart_groups, strict=True) if g == group]
            found.append((column, mine, self._first_group_whole() + group))
        return found

    def _first_group_whole(self) -> int:
        """Where in ``images`` the first group in line with the row is whole."""
        return 1 + self.blocks + len(self.apart_groups)


def _blocks_of(found: Blocks | None) -> _Writing:
    """One polarity's :class:`_Writing` (none when it has no writing)."""
    if found is None or found.whole is None:
        return _Writing(np.zeros((0, 0, 0), np.float32), 0, 1, 0, (), ())
    images = np.concatenate([found.whole[None], found.images, found.apart, found.group_wholes])
    row_column = found.box[1].start if found.box is not None else 0
    return _Writing(
        images,
        len(found.images),
        found.lines,
        row_column,
        found.apart_groups,
        found.group_columns,
    )


def _stacked(found: list[np.ndarray]) -> np.ndarray:
    usable = [images for images in found if len(images)]
    return np.concatenate(usable) if usable else np.zeros((0, 1, 1), np.float32)
