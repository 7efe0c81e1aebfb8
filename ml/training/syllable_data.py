"""Syllable pictures as model inputs: a canonical form and labelled sets for training and
measuring.

The canonical form of a syllable picture (dark ink on white), kept simple:

* ink: pixels darker than :data:`INK_THRESHOLD` mark where the ink is; the values themselves
  become ink = 1.0 on a background of 0.0 (darkness / 255, so anti-aliased edges stay soft);
* box: the picture is cropped to the ink's box and padded, centred, to a square (aspect kept);
* size: the square is resized to ``size - 2 * margin`` and placed in a ``size`` x ``size``
  picture, :data:`MARGIN` of ``size`` on each side.

A :class:`SyllableSet` stores it as uint8 (ink = 255) with labels ``(initial, medial, final)``,
indices into :data:`~ml.reading.alphabet.INITIALS`, :data:`~ml.reading.alphabet.MEDIALS` and
:data:`~ml.reading.alphabet.FINALS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ml.reading.alphabet import FINALS, INITIALS, MEDIALS, decompose, everyday_syllables
from ml.training.recipe import held_out_fonts, training_fonts
from ml.training.syllable_synth import (
    INK_THRESHOLD,
    SIZE,
    SyllablePicture,
    font_picture,
    pick_syllables,
    syllable_pictures,
)
from ml.writing.fonts import covers
from ml.writing.syllables import render_syllable

CANONICAL_SIZE = 32
"""The side of a canonical block, chosen by ``hangul-ml bench --only syllables``: 48 px read
within 0.1 point of 32 px at twice the cost."""
MARGIN = 0.0625
"""Blank border on each side of the canonical picture, as a fraction of its side."""
HELD_OUT_SEED = 1000
"""Seed of the held-out writers (the measuring convention)."""


def canonical_syllable(image: np.ndarray, size: int = CANONICAL_SIZE) -> np.ndarray:
    """``size`` x ``size`` float32 in [0, 1], ink = 1: ``image`` (uint8, dark ink on white)
    cropped to its ink, squared and scaled into the frame (see the module's description)."""
    ink = (255.0 - image.astype(np.float32)) / 255.0
    rows, cols = np.nonzero(image < INK_THRESHOLD)
    out = np.zeros((size, size), np.float32)
    if len(rows) == 0:
        return out
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = crop
    margin = max(1, round(size * MARGIN))
    inner = size - 2 * margin
    interpolation = cv2.INTER_AREA if side > inner else cv2.INTER_LINEAR
    out[margin : margin + inner, margin : margin + inner] = cv2.resize(
        square, (inner, inner), interpolation=interpolation
    )
    return np.clip(out, 0.0, 1.0)


def syllable_labels(syllable: str) -> tuple[int, int, int]:
    """Indices of the syllable's initial, medial and final (0 = none)."""
    initial, medial, final = decompose(syllable)
    return INITIALS.index(initial), MEDIALS.index(medial), FINALS.index(final)


@dataclass
class SyllableSet:
    """Canonical syllable pictures with their letters."""

    images: np.ndarray
    """uint8 (n, size, size), ink = 255."""
    labels: np.ndarray
    """int64 (n, 3): initial, medial and final indices."""
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
            [s for s, k in zip(self.syllables, keep, strict=True) if k],
            [s for s, k in zip(self.sources, keep, strict=True) if k],
        )

    def from_source(self, kind: str) -> SyllableSet:
        """The pictures whose source is ``kind`` (``strokes``, ``informal`` or ``font``)."""
        return self.subset(np.array([s.split(":")[0] == kind for s in self.sources], bool))


def syllable_set(pictures: Sequence[SyllablePicture], size: int = CANONICAL_SIZE) -> SyllableSet:
    """The canonical form of each picture, with its labels."""
    images = np.zeros((len(pictures), size, size), np.uint8)
    for i, picture in enumerate(pictures):
        images[i] = np.round(canonical_syllable(picture.image, size) * 255)
    labels = np.array([syllable_labels(p.syllable) for p in pictures], np.int64).reshape(-1, 3)
    return SyllableSet(images, labels, [p.syllable for p in pictures], [p.source for p in pictures])


def training_pictures(count: int, per_syllable: int, seed: int = 0) -> list[SyllablePicture]:
    """``per_syllable`` pictures of each of ``count`` picked syllables (mostly everyday ones),
    by stroke writers, informal writers and training fonts in turn."""
    return syllable_pictures(pick_syllables(count, seed), per_syllable, training_fonts(), seed)


def training_syllables(
    count: int, per_syllable: int, seed: int = 0, size: int = CANONICAL_SIZE
) -> SyllableSet:
    """:func:`training_pictures` in canonical form."""
    return syllable_set(training_pictures(count, per_syllable, seed), size)


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


def held_out_syllables(size: int = CANONICAL_SIZE, per_syllable: int = 1) -> SyllableSet:
    """:func:`held_out_pictures` in canonical form."""
    return syllable_set(held_out_pictures(per_syllable), size)
