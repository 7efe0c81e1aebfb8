"""Syllable pictures as model inputs: labelled sets for training and measuring, in the served
canonical form (:mod:`ml.reading.blocks`), reached through the same ink finding as pictures
learners send (:func:`ml.reading.preprocess.find_ink`).

A :class:`SyllableSet` stores the canonical blocks as uint8 (ink = 255) with labels ``(initial,
medial, final)``, indices into :data:`~ml.reading.alphabet.INITIALS`,
:data:`~ml.reading.alphabet.MEDIALS` and :data:`~ml.reading.alphabet.FINALS`, and a kind (an index
into :data:`ml.reading.blocks.KINDS`): besides syllables, single letters and junk teach the kind
head what is not a syllable (their letter labels are :data:`NO_LABEL`, which the loss skips).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ml.reading.alphabet import FINALS, INITIALS, LETTERS, MEDIALS, decompose, everyday_syllables
from ml.reading.blocks import BLOCK_SIZE, KINDS, canonical_block
from ml.reading.ink import grow
from ml.reading.preprocess import dark_ink
from ml.training import junk
from ml.training.recipe import held_out_fonts, training_fonts
from ml.training.syllable_synth import (
    SIZE,
    SyllablePicture,
    font_picture,
    pick_syllables,
    syllable_pictures,
)
from ml.writing.fonts import covers
from ml.writing.informal import HELD_OUT_STYLES, TRAINING_STYLES, informal_letter
from ml.writing.strokes import render_letter
from ml.writing.syllables import font_syllable, render_syllable

HELD_OUT_SEED = 1000
"""Seed of the held-out writers (the measuring convention)."""
NO_LABEL = -100
JUNK_KINDS = ("symbols", "doodles", "blobs", "textures", "scenes", "arcs", "faces", "noise")
"""The letter training's junk kinds that are junk for a syllable reader too (its font syllables
and side-by-side jamo are not)."""
KIND_SHARE = 0.25
"""Letters and junk added to a training set, as a share of its syllables (half each)."""


def canonical_syllable(image: np.ndarray) -> np.ndarray | None:
    """The canonical block (float32, ink = 1) of a picture of one block (uint8, dark ink on
    white), or ``None`` when preprocessing finds no writing in it."""
    found = dark_ink(image)
    if not hasattr(found, "mask"):
        return None
    return canonical_block(np.where(grow(found.mask, 1), found.ink, 0.0))


def syllable_labels(syllable: str) -> tuple[int, int, int]:
    """Indices of the syllable's initial, medial and final (0 = none)."""
    initial, medial, final = decompose(syllable)
    return INITIALS.index(initial), MEDIALS.index(medial), FINALS.index(final)


def _labels(picture: SyllablePicture) -> tuple[int, int, int]:
    if picture.kind == "syllable":
        return syllable_labels(picture.syllable)
    return NO_LABEL, NO_LABEL, NO_LABEL


@dataclass
class SyllableSet:
    """Canonical syllable pictures with their letters."""

    images: np.ndarray
    """uint8 (n, size, size), ink = 255."""
    labels: np.ndarray
    """int64 (n, 3): initial, medial and final indices."""
    kinds: np.ndarray
    """int64 (n,): index into :data:`ml.reading.blocks.KINDS`."""
    syllables: list[str]
    sources: list[str]
    """What drew each picture: ``strokes``, ``informal:<style>``, ``font:<file name>``."""

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, keep: np.ndarray) -> SyllableSet:
        """The pictures where the boolean mask ``keep`` is true."""
        return SyllableSet(
            self.images[keep],
            self.labels[keep],
            self.kinds[keep],
            [s for s, k in zip(self.syllables, keep, strict=True) if k],
            [s for s, k in zip(self.sources, keep, strict=True) if k],
        )

    @staticmethod
    def concat(sets: Sequence[SyllableSet]) -> SyllableSet:
        """The pictures of ``sets``, one after another."""
        return SyllableSet(
            np.concatenate([s.images for s in sets]),
            np.concatenate([s.labels for s in sets]),
            np.concatenate([s.kinds for s in sets]),
            [x for s in sets for x in s.syllables],
            [x for s in sets for x in s.sources],
        )

    def from_source(self, kind: str) -> SyllableSet:
        """The pictures whose source is ``kind`` (``strokes``, ``informal`` or ``font``)."""
        return self.subset(np.array([s.split(":")[0] == kind for s in self.sources], bool))

    def of_kind(self, kind: str) -> SyllableSet:
        """The pictures of one kind (``syllable``, ``letter``, ``not_writing``)."""
        return self.subset(self.kinds == KINDS.index(kind))


def syllable_set(pictures: Sequence[SyllablePicture]) -> SyllableSet:
    """The canonical form of each picture, with its labels; pictures in which preprocessing
    finds no writing are left out."""
    kept, images = [], []
    for picture in pictures:
        image = canonical_syllable(picture.image)
        if image is not None:
            kept.append(picture)
            images.append(np.round(image * 255).astype(np.uint8))
    stacked = np.stack(images) if images else np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.uint8)
    labels = np.array([_labels(p) for p in kept], np.int64).reshape(-1, 3)
    kinds = np.array([KINDS.index(p.kind) for p in kept], np.int64)
    return SyllableSet(stacked, labels, kinds, [p.syllable for p in kept], [p.source for p in kept])


def letter_pictures(
    count: int, seed: int, styles: Sequence[str] = TRAINING_STYLES
) -> list[SyllablePicture]:
    """``count`` pictures of single letters (kind ``letter``), by stroke writers, informal
    writers of ``styles`` and training fonts in turn."""
    fonts = training_fonts()
    pictures = []
    for i in range(count):
        rng = np.random.default_rng([seed, i, 7])
        letter = LETTERS[i % len(LETTERS)]
        turn = i // len(LETTERS) % 3
        if turn == 1 and styles:
            image, source = informal_letter(letter, styles[i % len(styles)], rng), "informal"
        elif turn == 2 and fonts:
            font = fonts[i % len(fonts)]
            image, source = font_syllable(letter, font, rng, size=SIZE), f"font:{font.name}"
        else:
            image, source = render_letter(letter, rng, size=SIZE), "strokes"
        pictures.append(SyllablePicture(letter, f"letter:{source}", image, kind="letter"))
    return pictures


def junk_pictures(count: int, seed: int) -> list[SyllablePicture]:
    """``count`` pictures of things that are no writing (kind ``not_writing``), the letter
    training's :data:`JUNK_KINDS` in turn."""
    fonts = training_fonts()
    pictures = []
    for i in range(count):
        name = JUNK_KINDS[i % len(JUNK_KINDS)]
        image = junk.KINDS[name](np.random.default_rng([seed, i, 8]), fonts)
        if image is not None:
            pictures.append(SyllablePicture("", f"junk:{name}", image, kind="not_writing"))
    return pictures


def training_pictures(count: int, per_syllable: int, seed: int = 0) -> list[SyllablePicture]:
    """``per_syllable`` pictures of each of ``count`` picked syllables (mostly everyday ones),
    by stroke writers, informal writers and training fonts in turn, and :data:`KIND_SHARE` as
    many letters and junk."""
    syllables = syllable_pictures(pick_syllables(count, seed), per_syllable, training_fonts(), seed)
    others = round(KIND_SHARE * len(syllables) / 2)
    return syllables + letter_pictures(others, seed) + junk_pictures(others, seed)


def training_syllables(count: int, per_syllable: int, seed: int = 0) -> SyllableSet:
    """:func:`training_pictures` in canonical form."""
    return syllable_set(training_pictures(count, per_syllable, seed))


def held_out_pictures(
    per_syllable: int = 1, syllables: Sequence[str] | None = None
) -> list[SyllablePicture]:
    """All 2,350 everyday syllables (or ``syllables``), ``per_syllable`` times by held-out stroke
    writers (:data:`HELD_OUT_SEED`) and ``per_syllable`` times in a held-out font that covers it
    (the fonts taken in turn)."""
    fonts = held_out_fonts()
    pictures = []
    for k, syllable in enumerate(everyday_syllables() if syllables is None else syllables):
        covering = [font for font in fonts if covers(font, syllable)]
        for i in range(per_syllable):
            rng = np.random.default_rng([HELD_OUT_SEED, k, i])
            image = render_syllable(syllable, rng, size=SIZE)
            pictures.append(SyllablePicture(syllable, "strokes", image))
            if covering:
                font = covering[(k * per_syllable + i) % len(covering)]
                in_font = font_picture(syllable, font, rng)
                if in_font is not None:
                    pictures.append(in_font)
    return pictures


def held_out_syllables(per_syllable: int = 1) -> SyllableSet:
    """:func:`held_out_pictures` in canonical form."""
    return syllable_set(held_out_pictures(per_syllable))


def held_out_letters(per_letter: int = 10) -> list[SyllablePicture]:
    """Single letters by held-out writers, in the informal styles never trained on among them
    (kind ``letter``), to measure the kind head by."""
    return letter_pictures(per_letter * len(LETTERS), HELD_OUT_SEED, HELD_OUT_STYLES)
