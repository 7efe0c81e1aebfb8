"""Synthetic letters for all 40 jamo, as canonical training data: font renderings and the stroke
writer's drawings.

:func:`font_letters` draws each sample as one font glyph at a random size, weight (stroke
thickening) and small tilt; :func:`stroke_letters` has random writers draw it
(:func:`ml.writing.strokes.render_letter`); :func:`informal_letters` has writers with informal
habits draw it (:mod:`ml.writing.informal`). Both pass it through the same
:func:`ml.reading.preprocess.canonicalize` as real pictures. Reproducible: the same fonts,
letters, count and seed give the same images.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ml.reading.alphabet import LETTERS, index_of
from ml.reading.ink import box_side, ink_box, stroke_width
from ml.reading.preprocess import canonicalize
from ml.training.data import LetterSet, empty_set, to_uint8
from ml.writing.informal import TRAINING_STYLES, informal_letter
from ml.writing.strokes import render_letter

log = logging.getLogger(__name__)

CANVAS = 96
STROKE_RANGE = (0.07, 0.16)
"""Target pen width as a fraction of the glyph's longer side (the dev data's markers: ~0.13)."""

# Fonts whose glyphs are deliberately distressed textures, not strokes.
EXCLUDED_FONTS = frozenset({"BMEuljiro10yearslater.ttf", "BMEuljirooraeorae.ttf"})


def usable_fonts(fonts: Sequence[Path]) -> list[Path]:
    """``fonts`` minus the ones that draw textures rather than strokes."""
    return [f for f in fonts if f.name not in EXCLUDED_FONTS]


def _thicken_to(page: Image.Image, fraction: float) -> Image.Image:
    """Grow dark strokes one pixel at a time until they are ``fraction`` of the glyph's size."""
    for _ in range(6):
        ink = np.asarray(page) < 128
        box = ink_box(ink)
        if box is None or stroke_width(ink) >= fraction * box_side(box):
            return page
        page = page.filter(ImageFilter.MinFilter(3))
    return page


def render_glyph(font_path: Path, letter: str, rng: np.random.Generator) -> np.ndarray | None:
    """One randomised rendering of ``letter`` as a canonical float image, or ``None`` if empty."""
    size = int(rng.integers(40, 64))
    font = ImageFont.truetype(str(font_path), size)
    page = Image.new("L", (CANVAS, CANVAS), 255)
    ImageDraw.Draw(page).text((CANVAS / 2, CANVAS / 2), letter, font=font, fill=0, anchor="mm")
    page = _thicken_to(page, float(rng.uniform(*STROKE_RANGE)))
    page = page.rotate(float(rng.uniform(-8, 8)), Image.Resampling.BILINEAR, fillcolor=255)
    canonical = canonicalize(np.asarray(page))
    return canonical.image if canonical.ok else None


def font_letters(
    fonts: Sequence[Path],
    per_letter: int,
    letters: Sequence[str] = LETTERS,
    seed: int = 0,
) -> LetterSet:
    """``per_letter`` renderings of each letter, cycling through ``fonts``; writer = font name."""
    fonts = usable_fonts(fonts)
    if not fonts or per_letter <= 0:
        return empty_set()
    rng = np.random.default_rng(seed)
    images, labels, writers = [], [], []
    for letter in letters:
        for i in range(per_letter):
            font = fonts[i % len(fonts)]
            image = render_glyph(font, letter, rng)
            if image is None:
                log.debug("font %s has an empty glyph for %s", font.name, letter)
                continue
            images.append(to_uint8(image))
            labels.append(index_of(letter))
            writers.append(f"font:{font.stem}")
    if not images:
        return empty_set()
    return LetterSet(np.stack(images), np.array(labels, np.int64), np.array(writers))


def stroke_letters(per_letter: int, letters: Sequence[str] = LETTERS, seed: int = 0) -> LetterSet:
    """``per_letter`` stroke-drawn samples of each letter, canonicalised; sample ``i`` of every
    letter is tagged with the writer ``strokes:<seed>:<i>``."""

    def draw(letter: str, label: int, i: int) -> np.ndarray:
        return render_letter(letter, np.random.default_rng([seed, label, i]))

    return _drawn_letters(per_letter, letters, draw, f"strokes:{seed}")


def informal_letters(
    per_letter: int,
    letters: Sequence[str] = LETTERS,
    seed: int = 0,
    styles: Sequence[str] = TRAINING_STYLES,
) -> LetterSet:
    """``per_letter`` samples of each letter by informal writers, canonicalised; sample ``i`` is
    in style ``styles[i % len(styles)]`` and tagged with the writer ``informal:<seed>:<i>``."""
    if not styles:
        return empty_set()

    def draw(letter: str, label: int, i: int) -> np.ndarray:
        rng = np.random.default_rng([seed, label, i, 1])
        return informal_letter(letter, styles[i % len(styles)], rng)

    return _drawn_letters(per_letter, letters, draw, f"informal:{seed}")


def _drawn_letters(
    per_letter: int,
    letters: Sequence[str],
    draw: Callable[[str, int, int], np.ndarray],
    writer: str,
) -> LetterSet:
    """``draw(letter, label, i)`` for ``per_letter`` samples ``i`` of each letter, canonicalised
    and tagged with the writer ``<writer>:<i>``; pictures the preprocessing refuses are left out."""
    if per_letter <= 0:
        return empty_set()
    images, labels, writers = [], [], []
    for letter in letters:
        label = index_of(letter)
        for i in range(per_letter):
            canonical = canonicalize(draw(letter, label, i))
            if canonical.image is None:
                log.debug("%s sample %d of %s came out %s", writer, i, letter, canonical.verdict)
                continue
            images.append(to_uint8(canonical.image))
            labels.append(label)
            writers.append(f"{writer}:{i}")
    if not images:
        return empty_set()
    return LetterSet(np.stack(images), np.array(labels, np.int64), np.array(writers))
