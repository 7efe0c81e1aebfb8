"""Syllable blocks built from real handwritten letters: each letter of a block is one writer's
own picture of it (from a class-folder dataset such as the dev set), cropped to its ink and
placed in its slot as :func:`ml.writing.syllables.layout` lays blocks out. The shipped syllable
reader never trained on them; one trained with ``hangul-ml train-syllables --data`` learns from
such blocks of all the dev writers but one and is measured on that one's
(:mod:`ml.evaluation.text_bench`).

A block is made only of letters the writer has pictures of: a mixed vowel (ㅘ) from its two
parts (ㅗ, ㅏ) and a double final (ㄺ) from its two consonants, as the layout writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ml.reading.alphabet import everyday_syllables
from ml.writing.syllables import layout

SIDE = 96
"""Side of a composed block's picture (px); the block's ink spans about 0.8 of it."""
MARGIN = 0.1
STRETCH = 1.3
"""A consonant keeps its proportions within this factor in its slot, as the stroke writers do."""
BORDER = 2
"""Pixels at each edge of a letter picture ignored (the dev set's scan grid lines)."""


@dataclass(frozen=True)
class RealBlock:
    syllable: str
    writer: str
    image: np.ndarray
    """uint8, dark ink on white, ``SIDE`` x ``SIDE``."""


def letter_ink(picture: np.ndarray) -> np.ndarray | None:
    """A letter picture (uint8, dark on white) as ink in [0, 1] cropped to its strokes, or
    ``None`` when it holds none."""
    ink = (255.0 - picture.astype(np.float32)) / 255.0
    ink[:BORDER], ink[-BORDER:], ink[:, :BORDER], ink[:, -BORDER:] = 0, 0, 0, 0
    strong = ink >= 0.3 * max(float(ink.max()), 1e-6)
    rows, cols = np.flatnonzero(strong.any(axis=1)), np.flatnonzero(strong.any(axis=0))
    if rows.size == 0 or ink.max() < 0.2:
        return None
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def pieces_of(syllable: str) -> list[str]:
    """The letters a block is written with, as its layout lays them out."""
    return [piece.letter for piece in layout(syllable)]


def compose(syllable: str, letters: dict[str, np.ndarray]) -> np.ndarray:
    """A picture of ``syllable`` made of the letter inks in ``letters`` (letter -> ink from
    :func:`letter_ink`) placed in the layout's slots."""
    canvas = np.zeros((SIDE, SIDE), np.float32)
    inner = SIDE * (1 - 2 * MARGIN)
    for piece in layout(syllable):
        ink = letters[piece.letter]
        x0, y0, x1, y1 = (MARGIN * SIDE + inner * v for v in piece.box)
        height, width = ink.shape
        room_w, room_h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        scale_x, scale_y = room_w / width, room_h / height
        if piece.role != "vowel":
            low = min(scale_x, scale_y)
            scale_x, scale_y = min(scale_x, low * STRETCH), min(scale_y, low * STRETCH)
        elif x1 - x0 < 2:  # a line of a slot: keep the letter's own width
            scale_x = scale_y
        elif y1 - y0 < 2:
            scale_y = scale_x
        w, h = max(1, round(width * scale_x)), max(1, round(height * scale_y))
        placed = cv2.resize(ink, (w, h), interpolation=cv2.INTER_AREA)
        left = int(round(x0 + (room_w - w) * piece.align[0]))
        top = int(round(y0 + (room_h - h) * piece.align[1]))
        left, top = min(max(left, 0), SIDE - w), min(max(top, 0), SIDE - h)
        region = canvas[top : top + h, left : left + w]
        np.maximum(region, placed[: region.shape[0], : region.shape[1]], out=region)
    return np.round(255 * (1 - np.clip(canvas, 0, 1))).astype(np.uint8)


def real_blocks(
    writers: dict[str, dict[str, list[np.ndarray]]],
    per_writer: int,
    seed: int = 0,
    syllables: Sequence[str] | None = None,
) -> list[RealBlock]:
    """Up to ``per_writer`` everyday syllables (or ``syllables``) for each writer (name ->
    letter -> their pictures), each made of that writer's own letters (a random picture of
    each), among the blocks all of whose letters the writer has."""
    candidates = list(everyday_syllables() if syllables is None else syllables)
    blocks = []
    for w, (writer, pictures) in enumerate(sorted(writers.items())):
        rng = np.random.default_rng([seed, w])
        inks = {
            letter: [i for i in map(letter_ink, found) if i is not None]
            for letter, found in pictures.items()
        }
        possible = [s for s in candidates if all(inks.get(x) for x in pieces_of(s))]
        chosen = rng.permutation(len(possible))[:per_writer]
        for k in sorted(chosen):
            syllable = possible[k]
            letters = {x: inks[x][rng.integers(len(inks[x]))] for x in pieces_of(syllable)}
            blocks.append(RealBlock(syllable, writer, compose(syllable, letters)))
    return blocks
