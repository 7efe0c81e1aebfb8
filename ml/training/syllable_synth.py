"""Synthetic syllable blocks (가, 닭, 읊): which syllables to draw, and pictures of them by the
stroke writers (ordinary and with the informal training habits) and in the training fonts.

Any of the 11,172 blocks can be drawn; :func:`pick_syllables` weights the 2,350 everyday ones
(:data:`EVERYDAY_SHARE`). Held-out fonts and informal styles stay out, as for letters.
Reproducible: the same syllables, count, seed and fonts give the same pictures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ml.reading.alphabet import ALL_SYLLABLES, everyday_syllables
from ml.writing.fonts import covers
from ml.writing.informal import TRAINING_STYLES, Informal
from ml.writing.syllables import font_syllable, render_syllable

EVERYDAY_SHARE = 0.8
"""Share of picked syllables drawn from the 2,350 everyday ones; the rest from all others."""
SIZE = 64
INK_THRESHOLD = 128
"""Pixels darker than this are ink (a picture with none has no ink)."""
SOURCES = ("strokes", "informal", "font")
"""What draws picture ``i`` of a syllable, in turn (a font only where one covers it)."""


@dataclass(frozen=True)
class SyllablePicture:
    syllable: str
    source: str
    """``strokes``, ``informal:<style>`` or ``font:<file name>``."""
    image: np.ndarray
    """uint8, dark ink on white: ``SIZE`` x ``SIZE``, twice that for a writer of small letters
    (a small block in a big white picture, as :func:`ml.writing.informal.informal_letter`)."""
    kind: str = "syllable"
    """What the picture shows (:data:`ml.reading.blocks.KINDS`): a syllable; or a single letter
    (``syllable`` holds it) or junk (``syllable`` is empty), to teach what is not a syllable."""


def pick_syllables(count: int, seed: int = 0) -> list[str]:
    """``count`` different syllables, :data:`EVERYDAY_SHARE` of them everyday ones."""
    rng = np.random.default_rng(seed)
    everyday = everyday_syllables()
    rare = sorted(set(ALL_SYLLABLES) - set(everyday))
    common = min(round(count * EVERYDAY_SHARE), len(everyday))
    picked = list(rng.choice(everyday, common, replace=False))
    picked += list(rng.choice(rare, min(count - common, len(rare)), replace=False))
    return [str(s) for s in picked]


def syllable_pictures(
    syllables: Sequence[str], per_syllable: int, fonts: Sequence[Path], seed: int = 0
) -> list[SyllablePicture]:
    """``per_syllable`` pictures of each syllable, drawn in turn by :data:`SOURCES`."""
    pictures = []
    for k, syllable in enumerate(syllables):
        covering = [font for font in fonts if covers(font, syllable)]
        for i in range(per_syllable):
            rng = np.random.default_rng([seed, k, i])
            source = SOURCES[i % len(SOURCES)]
            if source == "font" and not covering:
                source = "strokes"
            pictures.append(_draw(syllable, source, covering, rng))
    return pictures


def _draw(syllable: str, source: str, fonts: Sequence[Path], rng: np.random.Generator):
    if source == "font":
        picture = font_picture(syllable, fonts[int(rng.integers(len(fonts)))], rng)
        if picture is not None:
            return picture
        source = "strokes"
    if source == "strokes":
        return SyllablePicture(syllable, source, render_syllable(syllable, rng, size=SIZE))
    style = TRAINING_STYLES[int(rng.integers(len(TRAINING_STYLES)))]
    habits = Informal.draw(rng, style)
    size = 2 * SIZE if habits.size else SIZE  # a small block in a big white picture
    image = render_syllable(syllable, rng, size=size, informal=habits)
    return SyllablePicture(syllable, f"informal:{style}", image)


def font_picture(syllable: str, font: Path, rng: np.random.Generator) -> SyllablePicture | None:
    """``syllable`` in ``font``; None when the font maps the block to an empty glyph (some do)."""
    image = font_syllable(syllable, font, rng, size=SIZE)
    if image.min() >= INK_THRESHOLD:
        return None
    return SyllablePicture(syllable, f"font:{font.name}", image)


def write_syllable_folders(pictures: Sequence[SyllablePicture], out: Path) -> int:
    """Each picture as ``out/<syllable>/<n>-<source>.png``; how many were written."""
    counts: dict[str, int] = {}
    for picture in pictures:
        folder = out / picture.syllable
        folder.mkdir(parents=True, exist_ok=True)
        n = counts[picture.syllable] = counts.get(picture.syllable, 0) + 1
        name = picture.source.replace(":", "-").rsplit(".", 1)[0]
        Image.fromarray(picture.image).save(folder / f"{n:03d}-{name}.png")
    return len(pictures)
