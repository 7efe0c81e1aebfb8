"""Training examples of "not a letter": canonical images of things learners send that are not
one jamo, labelled with the extra class :data:`ml.reading.alphabet.NOT_A_LETTER_INDEX`.

Each example is drawn as a picture (dark marks on white) and passed through the same
:func:`ml.reading.preprocess.canonicalize` as real pictures, so the model learns what the
preprocessing makes of junk. Kinds: whole syllables and words from fonts, jamo side by side that
form no letter, Latin letters, digits and symbols, doodles (scribbles, loops, hearts, polygons,
zigzags, stick figures, grids, hatching), filled blobs and shadows, textures, blurry scenes, arcs
and crescents, faces, and grey noise.

This generator is separate from the robustness suite's junk (:mod:`ml.evaluation.suite_junk`), which
is used only for measuring; the two share no code, so the suite stays a fair test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ml.reading.alphabet import LETTERS, NOT_A_LETTER_INDEX
from ml.reading.ink import box_shape, ink_box
from ml.reading.preprocess import canonicalize
from ml.training.data import LetterSet, empty_set, to_uint8
from ml.writing.strokes import render_letter

Rng = np.random.Generator
SIDE = 128
"""Side of the square pictures the junk is drawn on."""

COMPOUNDS = frozenset(
    {"ㄱㄱ", "ㄷㄷ", "ㅂㅂ", "ㅅㅅ", "ㅈㅈ", "ㅏㅣ", "ㅑㅣ", "ㅓㅣ", "ㅕㅣ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ",
     "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅡㅣ"}
)  # fmt: skip
"""Jamo written side by side that make one letter (ㄲ, ㅐ, ㅘ, ...): never junk."""

BAR_RATIO = 3
"""Junk whose canonical ink box is this many times longer than wide is dropped (a lone bar)."""

SYMBOLS = "BGMPQRSWabdegmpqsw35689&@#%$?!"
"""Latin letters, digits and signs that look like no jamo (no L, T, E, H, O, I, 1, 7, 0 ...;
no 2, which is how many people write ㄹ in a hurry)."""


def _syllable(rng: Rng) -> str:
    return chr(0xAC00 + int(rng.integers(11172)))


def _text_picture(text: str, font: Path, rng: Rng) -> np.ndarray:
    """``text`` in ``font`` on one line, at a random size, maybe bolder, slightly tilted."""
    page = Image.new("L", (SIDE * 2, SIDE), 255)
    size = int(rng.integers(36, 64)) if len(text) == 1 else int(rng.integers(28, 44))
    draw = ImageDraw.Draw(page)
    draw.text((SIDE, SIDE / 2), text, font=ImageFont.truetype(str(font), size), fill=0, anchor="mm")
    if rng.random() < 0.5:
        page = page.filter(ImageFilter.MinFilter(3))
    return np.asarray(page.rotate(float(rng.uniform(-10, 10)), fillcolor=255))


def syllables(rng: Rng, fonts: Sequence[Path]) -> np.ndarray | None:
    """One Hangul syllable block, or a word of two or three."""
    if not fonts:
        return None
    count = 1 if rng.random() < 0.6 else int(rng.integers(2, 4))
    text = "".join(_syllable(rng) for _ in range(count))
    return _text_picture(text, fonts[int(rng.integers(len(fonts)))], rng)


def symbols(rng: Rng, fonts: Sequence[Path]) -> np.ndarray | None:
    """A Latin letter, digit or sign that no jamo resembles, or a short run of them."""
    if not fonts:
        return None
    count = 1 if rng.random() < 0.7 else int(rng.integers(2, 5))
    text = "".join(SYMBOLS[int(i)] for i in rng.integers(len(SYMBOLS), size=count))
    return _text_picture(text, fonts[int(rng.integers(len(fonts)))], rng)


def jamo_pairs(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """Two to five handwritten jamo close together in a row or a column that do not compose
    into one letter (close enough that the preprocessing keeps them together)."""
    while True:
        chosen = [LETTERS[int(i)] for i in rng.integers(len(LETTERS), size=int(rng.integers(2, 6)))]
        if not any(a + b in COMPOUNDS for a, b in zip(chosen, chosen[1:], strict=False)):
            break
    axis = 1 if rng.random() < 0.75 else 0  # a row, else a column
    parts = []
    for letter in chosen:
        glyph = render_letter(letter, rng, 64)
        box = ink_box(glyph < 128)
        parts.append(_centre_across(glyph if box is None else glyph[box], 64, axis))
        gap = int(rng.integers(1, 10))
        parts.append(np.full((64, gap) if axis else (gap, 64), 255, np.uint8))
    return np.pad(np.concatenate(parts[:-1], axis=axis), 8, constant_values=255)


def _centre_across(glyph: np.ndarray, side: int, axis: int) -> np.ndarray:
    """``glyph`` (at most ``side`` px across) centred on a white band ``side`` px across
    ``axis`` (height for a row, width for a column)."""
    across = glyph.shape[1 - axis]
    before = (side - across) // 2
    widths = [(0, 0), (0, 0)]
    widths[1 - axis] = (before, side - across - before)
    return np.pad(glyph, widths, constant_values=255)


def _draw_paths(paths: list[np.ndarray], rng: Rng, fill: bool = False) -> np.ndarray:
    """Paths in the unit square drawn as pen strokes (or filled polygons) on a white page."""
    page = Image.new("L", (SIDE, SIDE), 255)
    draw = ImageDraw.Draw(page)
    width = max(1, round(SIDE * rng.uniform(0.015, 0.06)))
    for path in paths:
        points = [tuple(p) for p in (0.1 + 0.8 * np.asarray(path)) * SIDE]
        if fill:
            draw.polygon(points, fill=0)
        else:
            draw.line(points, fill=0, width=width, joint="curve")
    return np.asarray(page)


def _bezier_scribble(rng: Rng) -> list[np.ndarray]:
    control = rng.uniform(0, 1, (int(rng.integers(9, 16)), 2))
    t = np.linspace(0, 1, 200)[:, None]
    segments = []
    for a, b, c in zip(control[:-2:2], control[1:-1:2], control[2::2], strict=False):
        segments.append((1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c)
    return [np.concatenate(segments)]


def _polygon(rng: Rng) -> list[np.ndarray]:
    sides = int(rng.integers(5, 9))
    angles = np.linspace(0, 2 * np.pi, sides + 1) + rng.uniform(0, np.pi)
    step = 1 if sides < 7 else int(rng.integers(2, 4))  # convex pentagons/hexagons, else stars
    order = (np.arange(sides + 1) * step) % sides
    radii = 0.5 * rng.uniform(0.8, 1.0, sides)[order]
    return [np.stack([0.5 + radii * np.cos(angles[order]), 0.5 + radii * np.sin(angles[order])], 1)]


def _heart(rng: Rng) -> list[np.ndarray]:
    t = np.linspace(0, 2 * np.pi, 120)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [np.stack([0.5 + x / 36, 0.5 + y / 36 * rng.uniform(0.8, 1.2)], 1)]


def _zigzag(rng: Rng) -> list[np.ndarray]:
    teeth = int(rng.integers(4, 9))
    x = np.linspace(0, 1, 2 * teeth + 1)
    y = 0.5 + np.where(np.arange(2 * teeth + 1) % 2, 1, -1) * rng.uniform(0.1, 0.4)
    return [np.stack([x, y], 1)]


def _stick_figure(rng: Rng) -> list[np.ndarray]:
    t = np.linspace(0, 2 * np.pi, 40)
    head = np.stack([0.5 + 0.12 * np.cos(t), 0.15 + 0.12 * np.sin(t)], 1)
    arms = np.array([[0.2, 0.4 + rng.uniform(-0.15, 0.15)], [0.5, 0.38], [0.8, 0.4]])
    legs = np.array([[0.25, 1.0], [0.5, 0.68], [0.75, 1.0]])
    return [head, np.array([[0.5, 0.27], [0.5, 0.68]]), arms, legs]


def _loops(rng: Rng) -> list[np.ndarray]:
    t = np.linspace(0, 2 * np.pi * rng.uniform(3, 6), 300)
    return [np.stack([t / t[-1] + 0.12 * np.cos(t), 0.5 + 0.3 * np.sin(t)], 1)]


def _grid(rng: Rng) -> list[np.ndarray]:
    cells = int(rng.integers(3, 6))
    ticks = np.linspace(0, 1, cells + 1)
    return [np.array([[v, 0], [v, 1]]) for v in ticks] + [np.array([[0, v], [1, v]]) for v in ticks]


def _hatching(rng: Rng) -> list[np.ndarray]:
    lines = int(rng.integers(5, 12))
    slope = rng.uniform(-0.6, 0.6)
    return [np.array([[o, 0], [o + slope, 1]]) for o in np.linspace(-0.3, 1, lines)]


_DOODLES: tuple[Callable[[Rng], list[np.ndarray]], ...] = (
    _bezier_scribble, _polygon, _heart, _zigzag, _stick_figure, _loops, _grid, _hatching,
)  # fmt: skip


def doodles(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """A drawing that is not writing."""
    return _draw_paths(_DOODLES[int(rng.integers(len(_DOODLES)))](rng), rng)


def blobs(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """Filled dark regions: a shadow, a thumb, a stain, a thresholded smooth field."""
    if rng.random() < 0.5:
        field = Image.fromarray(rng.uniform(0, 255, (5, 5)).astype(np.uint8)).resize(
            (SIDE, SIDE), Image.Resampling.BICUBIC
        )
        level = rng.uniform(60, 140)
        return np.where(np.asarray(field) < level, rng.uniform(0, 120), 255).astype(np.uint8)
    t = np.linspace(0, 2 * np.pi, 30, endpoint=False)
    radius = 0.5 * (1 + 0.25 * rng.standard_normal(30)).clip(0.4, 1.4) * rng.uniform(0.5, 1)
    outline = np.stack([0.5 + radius * np.cos(t), 0.5 + radius * np.sin(t)], 1)
    return _draw_paths([outline], rng, fill=True)


def textures(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """Dots, speckle or crosshatch filling much of the picture."""
    density = rng.uniform(0.15, 0.5)
    cell = int(rng.integers(2, 5))
    coarse = rng.random((SIDE // cell, SIDE // cell)) < density
    dots = np.kron(coarse, np.ones((cell, cell), bool))
    return np.where(dots, 0, 255).astype(np.uint8)


def scenes(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """A blurry grey "photo" of things: overlapping filled shapes over a smooth background."""
    background = rng.uniform(0, 255, (int(rng.integers(2, 6)),) * 2).astype(np.uint8)
    page = Image.fromarray(background).resize((SIDE, SIDE), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(page)
    for _ in range(int(rng.integers(1, 6))):
        x, y = rng.uniform(-0.2, 1.2, 2) * SIDE
        rx, ry = rng.uniform(0.05, 0.4, 2) * SIDE
        box = (x - rx, y - ry, x + rx, y + ry)
        shade = int(rng.integers(0, 256))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=shade)
        else:
            draw.rectangle(box, fill=shade)
    return np.asarray(page.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 3)))))


def arcs(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """A crescent, a rim or a partial ellipse: the curved edges photos of things are full of."""
    page = Image.new("L", (SIDE, SIDE), 255)
    draw = ImageDraw.Draw(page)
    box = tuple((np.array([0.15, 0.15, 0.85, 0.85]) + rng.uniform(-0.1, 0.1, 4)) * SIDE)
    start = float(rng.uniform(0, 360))
    if rng.random() < 0.5:
        draw.chord(box, start, start + float(rng.uniform(100, 250)), fill=0)
        shift = rng.uniform(-0.15, 0.15, 2) * SIDE
        draw.ellipse(
            (box[0] + shift[0], box[1] + shift[1], box[2] + shift[0], box[3] + shift[1]), fill=255
        )
    else:
        width = max(2, round(SIDE * rng.uniform(0.03, 0.1)))
        draw.arc(box, start, start + float(rng.uniform(100, 250)), fill=0, width=width)
    return np.asarray(page)


def faces(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """A face: a filled oval in some skin grey, with eyes, brows and a mouth, maybe hair."""
    page = Image.new("L", (SIDE, SIDE), int(rng.integers(150, 256)))
    draw = ImageDraw.Draw(page)
    skin, dark = int(rng.integers(60, 220)), int(rng.integers(0, 60))
    cx, cy = SIDE * rng.uniform(0.4, 0.6, 2)
    rx, ry = SIDE * rng.uniform(0.22, 0.32), SIDE * rng.uniform(0.3, 0.4)
    if rng.random() < 0.6:
        draw.ellipse((cx - rx * 1.15, cy - ry * 1.15, cx + rx * 1.15, cy + ry * 0.4), fill=dark)
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=skin)
    for side in (-1, 1):
        ex, ey = cx + side * rx * 0.4, cy - ry * 0.15
        draw.ellipse((ex - rx * 0.12, ey - ry * 0.06, ex + rx * 0.12, ey + ry * 0.06), fill=dark)
        if rng.random() < 0.5:
            draw.line(
                (ex - rx * 0.18, ey - ry * 0.2, ex + rx * 0.18, ey - ry * 0.22), fill=dark, width=3
            )
    draw.chord((cx - rx * 0.4, cy + ry * 0.2, cx + rx * 0.4, cy + ry * 0.6), 0, 180, fill=dark)
    return np.asarray(page.filter(ImageFilter.GaussianBlur(float(rng.uniform(0, 2)))))


def noise(rng: Rng, fonts: Sequence[Path] = ()) -> np.ndarray:
    """Grey noise, fine or coarse, over all or part of the picture."""
    cell = int(rng.integers(1, 9))
    grain = rng.normal(rng.uniform(60, 200), rng.uniform(20, 80), (SIDE // cell + 1,) * 2)
    picture = np.kron(grain, np.ones((cell, cell)))[:SIDE, :SIDE]
    if rng.random() < 0.5:
        top, left = rng.integers(0, SIDE // 2, 2)
        picture[:top] = picture[:, :left] = 255
    return np.clip(picture, 0, 255).astype(np.uint8)


KINDS: dict[str, Callable[[Rng, Sequence[Path]], np.ndarray | None]] = {
    "syllables": syllables,
    "jamo_pairs": jamo_pairs,
    "symbols": symbols,
    "doodles": doodles,
    "blobs": blobs,
    "textures": textures,
    "scenes": scenes,
    "arcs": arcs,
    "faces": faces,
    "noise": noise,
}


def _is_bar(image: np.ndarray) -> bool:
    """Whether a canonical image is one long unbroken bar: that is how ㅡ and ㅣ look, never
    junk (a row of small letters is long too, but in pieces)."""
    ink = image >= 0.5
    box = ink_box(ink)
    if box is None:
        return True
    pieces, _ = cv2.connectedComponents(ink.astype(np.uint8), connectivity=8)
    return pieces == 2 and max(box_shape(box)) >= BAR_RATIO * min(box_shape(box))


def junk_set(count: int, fonts: Sequence[Path], seed: int = 0) -> LetterSet:
    """``count`` canonical junk images (kinds in turn) labelled :data:`NOT_A_LETTER_INDEX`;
    drawings the preprocessing already refuses are skipped (they never reach the model)."""
    if count <= 0:
        return empty_set()
    kinds = list(KINDS.items())
    images, writers = [], []
    for i in range(count):
        name, make = kinds[i % len(kinds)]
        picture = make(np.random.default_rng([seed, i]), fonts)
        canonical = canonicalize(picture) if picture is not None else None
        if canonical is not None and canonical.ok and not _is_bar(canonical.image):
            images.append(to_uint8(canonical.image))
            writers.append(f"junk:{name}")
    if not images:
        return empty_set()
    labels = np.full(len(images), NOT_A_LETTER_INDEX, np.int64)
    return LetterSet(np.stack(images), labels, np.array(writers))
