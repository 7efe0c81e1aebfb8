"""Hangul syllable blocks (가, 한, 닭) and short words, composed and drawn as people write them.

Composition (:func:`ml.reading.alphabet.compose`, ``decompose``) lives with the alphabet;
:func:`layout` puts a block's letters into slots of the
unit square by the vowel's kind (:func:`vowel_kind`): beside a vertical vowel, above a
horizontal one, in the corner of a mixed one, with the final in a band at the bottom.
:func:`render_syllable` and :func:`render_word` have one random writer of
:mod:`ml.writing.strokes` write every letter of a block into its slot (one pen, one slant, the
same habits throughout); :class:`Proportions` is how that writer sizes the slots.
:func:`font_syllable` draws a block from a font; :func:`contact_sheet` shows many at once::

    picture = render_syllable("닭", np.random.default_rng(1))
    contact_sheet([render_syllable(s, None) for s in "가과닭"], list("가과닭")).show()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ml.reading.alphabet import COMPOUND_FINALS, MIXED_VOWELS, VowelKind, decompose, vowel_kind
from ml.writing.fonts import plot_font
from ml.writing.strokes import (
    CLEAN_WRITER,
    STROKES,
    Box,
    Glyph,
    Writer,
    ink_picture,
    pose,
    writer_paths,
)

if TYPE_CHECKING:
    from ml.writing.informal import Informal

Rng = np.random.Generator
Role = Literal["initial", "vowel", "final"]


@dataclass(frozen=True)
class Proportions:
    """How one writer proportions blocks; lengths in units of the block's square."""

    gap: float  # space between neighbouring slots (letters may still touch: wobble, overshoot)
    final_share: float  # height of the final's band
    column: float  # width of a vertical vowel's column, times the usual
    initial_height: float  # height of an initial beside a vertical vowel, without a final
    initial_width: float  # width of an initial above a horizontal vowel
    final_width: float  # width of the final's band
    stretch: float  # the most a consonant is stretched out of its own proportions
    wobble: float  # sd of each letter's shift
    tilt: float  # sd of each letter's rotation, radians
    resize: float  # sd of each letter's log scale
    tuck: float  # width of a compound vowel's horizontal part, times the usual (see _above)

    @staticmethod
    def draw(rng: Rng) -> Proportions:
        """A random writer's proportions."""
        return Proportions(
            gap=rng.uniform(0.04, 0.13),
            final_share=rng.uniform(0.28, 0.4),
            column=rng.uniform(0.8, 1.2),
            initial_height=rng.uniform(0.5, 0.75),
            initial_width=rng.uniform(0.45, 0.7),
            final_width=rng.uniform(0.55, 0.85),
            stretch=rng.uniform(1.2, 1.8),
            wobble=rng.uniform(0.0, 0.015),
            tilt=np.radians(rng.uniform(0, 4)),
            resize=rng.uniform(0.0, 0.08),
            tuck=rng.uniform(*TUCKED) if rng.random() < TUCKING_WRITERS else 1.0,
        )


CLEAN_PROPORTIONS = Proportions(
    gap=0.09,
    final_share=0.34,
    column=1.0,
    initial_height=0.62,
    initial_width=0.56,
    final_width=0.7,
    stretch=1.5,
    wobble=0.0,
    tilt=0.0,
    resize=0.0,
    tuck=1.0,
)

TUCKING_WRITERS = 0.35
"""Share of writers who write a compound vowel's ㅗ or ㅜ small, tucked under the initial's
right corner against the vertical part (과, 워, 뒤 as fast hands and brush fonts write them)."""
TUCKED = (0.3, 0.7)
"""How narrow such a writer makes that part, times the usual width."""

PEN_SHARE = 0.5
"""A block's pen width relative to a lone letter's (the same pen, a letter about half as big)."""

FLAT_FINAL = 0.88
"""The height of a final's band under a horizontal vowel, times the usual (three rows share the
height)."""

TOP, BOTTOM, LEFT, RIGHT = 0.04, 0.96, 0.04, 0.96
"""The block's frame in the unit square."""

_COLUMNS: dict[str, tuple[float, float]] = {
    "ㅣ": (0.84, 0.84), "ㅏ": (0.66, 0.92), "ㅑ": (0.66, 0.92), "ㅓ": (0.66, 0.9),
    "ㅕ": (0.64, 0.9), "ㅐ": (0.62, 0.92), "ㅒ": (0.62, 0.92), "ㅔ": (0.6, 0.92),
    "ㅖ": (0.58, 0.92),
}  # fmt: skip
"""The x span of a vertical vowel's strokes (ㅣ: its line) in a clean block."""

_BANDS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "ㅗ": ((0.2, 0.08), (0.16, 0.0)), "ㅛ": ((0.2, 0.08), (0.16, 0.0)),
    "ㅜ": ((0.3, 0.04), (0.2, 0.0)), "ㅠ": ((0.3, 0.04), (0.2, 0.0)),
    "ㅡ": ((0.0, 0.24), (0.0, 0.04)),
}  # fmt: skip
"""A horizontal vowel's (depth, lift above the bottom of the space over the final), without and
with a final."""


@dataclass(frozen=True)
class Piece:
    """One letter of a block and its slot (unit square, x0 y0 x1 y1; zero width or height: a
    line); a consonant smaller than its slot sits at ``align`` (0: left / top, 1: right /
    bottom)."""

    role: Role
    letter: str
    box: Box
    align: tuple[float, float] = (0.5, 0.5)


def layout(syllable: str, proportions: Proportions = CLEAN_PROPORTIONS) -> tuple[Piece, ...]:
    """The letters of ``syllable`` in writing order, each with its slot."""
    initial, medial, final = decompose(syllable)
    finals = COMPOUND_FINALS.get(final, (final,) if final else ())
    kind = vowel_kind(medial)
    p = proportions
    band = p.final_share * (1.0 if kind == "vertical" else FLAT_FINAL)
    floor = BOTTOM - band - p.gap if finals else BOTTOM  # the bottom of the rest
    if kind == "vertical":
        pieces = _beside(initial, medial, floor, bool(finals), p)
    else:
        pieces = _above(initial, medial, floor, bool(finals), p)
    return (*pieces, *_finals(finals, kind, BOTTOM - band, p))


def _beside(initial: str, vowel: str, floor: float, final: bool, p: Proportions) -> list[Piece]:
    """An initial left of a vertical vowel, narrow and tall; with a final, both above
    ``floor``."""
    x0, x1 = _column(vowel, p)
    if final:
        top, bottom = TOP + 0.02, floor
    else:
        top, bottom = 0.48 - p.initial_height / 2, 0.48 + p.initial_height / 2
    return [
        Piece("initial", initial, (LEFT + 0.02, top, x0 - p.gap, bottom), (0.8, 0.5)),
        _stem(vowel, x0, x1, floor, final),
    ]


def _above(initial: str, medial: str, floor: float, final: bool, p: Proportions) -> list[Piece]:
    """An initial over a horizontal vowel, or over the horizontal part of a mixed vowel and left
    of its vertical part; the horizontal stroke(s) just above ``floor``. A mixed vowel's ㅗ or
    ㅜ is ``p.tuck`` as wide as usual, against the vertical part, its tick as much shorter (no
    shorter than half)."""
    across, down = MIXED_VOWELS.get(medial, (medial, ""))
    x0, x1 = _column(down, p) if down else (RIGHT, RIGHT)
    depth, lift = _BANDS[across][final]
    end = x0 - p.gap / 2 if down else RIGHT
    tuck = p.tuck if down and across != "ㅡ" else 1.0
    depth *= max(tuck, 0.5)
    band = (end - (end - LEFT) * tuck, floor - lift - depth, end, floor - lift)
    centre, half = (LEFT + x0) / 2 if down else 0.5, p.initial_width / 2
    left, right = max(LEFT + 0.04, centre - half), min(x0 - p.gap, centre + half)
    pieces = [Piece("initial", initial, (left, TOP, right, band[1] - p.gap), (0.5, 1.0))]
    pieces.append(Piece("vowel", across, band))
    return pieces + ([_stem(down, x0, x1, floor, final)] if down else [])


def _stem(vowel: str, x0: float, x1: float, floor: float, final: bool) -> Piece:
    """A vertical vowel (or part) from the top down to the final's band or the bottom."""
    return Piece("vowel", vowel, (x0, TOP, x1, floor + 0.02 if final else BOTTOM))


def _column(vowel: str, p: Proportions) -> tuple[float, float]:
    """The x span of a vertical vowel (or part), as wide as this writer makes it."""
    x0, x1 = _COLUMNS[vowel]
    return x1 - (x1 - x0) * p.column, x1


def _finals(finals: tuple[str, ...], kind: VowelKind, top: float, p: Proportions) -> list[Piece]:
    """The final consonants in the band from ``top`` to the bottom, two side by side."""
    if not finals:
        return []
    centre = 0.5 if kind == "horizontal" else 0.46
    x0, x1 = centre - p.final_width / 2, centre + p.final_width / 2
    if len(finals) == 1:
        return [Piece("final", finals[0], (x0, top, x1, BOTTOM))]
    middle = (x0 + x1) / 2
    return [
        Piece("final", finals[0], (x0, top, middle - 0.02, BOTTOM), (1.0, 0.5)),
        Piece("final", finals[1], (middle + 0.02, top, x1, BOTTOM), (0.0, 0.5)),
    ]


def _fit(glyph: Glyph, piece: Piece, p: Proportions, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """The affine map (matrix, shift) taking ``glyph``'s key points into the piece's slot, as
    this writer places it: a consonant keeps its proportions within ``p.stretch``, a flat
    letter (ㅡ, ㅣ) keeps them exactly; then a random resize, tilt and shift."""
    points = np.vstack([s.points for s in glyph])
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    box_low, room = np.array(piece.box[:2]), np.ptp(np.reshape(piece.box, (2, 2)), axis=0)
    scale = room / np.maximum(span, 1e-9)
    scale = np.where(span > 0, scale, scale[::-1])
    if piece.role != "vowel":
        scale = np.minimum(scale, scale.min() * p.stretch)
    scale = scale * np.exp(np.clip(rng.normal(0, p.resize), -0.15, 0.05))
    size = span * scale
    centre = box_low + (room - size) * np.array(piece.align) + size / 2
    angle = rng.normal(0, p.tilt)
    cos, sin = np.cos(angle), np.sin(angle)
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.diag(scale)
    shift = centre + rng.normal(0, p.wobble, 2) - matrix @ (low + span / 2)
    return matrix, shift


@dataclass(frozen=True)
class _Hand:
    """Who writes a block: the stroke writer, its proportions and informal habits."""

    writer: Writer
    proportions: Proportions
    informal: Informal | None


def _hand(rng: Rng | None, n_strokes: int, informal: Informal | None) -> tuple[_Hand, Rng]:
    """A random hand (the clean one for ``rng=None``) and the generator to go on with."""
    if rng is None:
        writer = replace(CLEAN_WRITER, pen=CLEAN_WRITER.pen * PEN_SHARE)
        return _Hand(writer, CLEAN_PROPORTIONS, informal), np.random.default_rng(0)
    writer = Writer.draw(rng, n_strokes)
    pen = writer.pen * PEN_SHARE * (1.0 if informal is None else informal.pen_scale)
    size = writer.size if informal is None else informal.size or writer.size
    return _Hand(replace(writer, pen=pen, size=size), Proportions.draw(rng), informal), rng


def _stroke_count(text: str) -> int:
    return sum(len(STROKES[piece.letter]) for s in text for piece in layout(s))


def _write_block(
    syllable: str, hand: _Hand, rng: Rng
) -> tuple[list[tuple[Piece, list[np.ndarray]]], list[np.ndarray]]:
    """Each letter of the block with its strokes as traced into its slot (unit square, before
    the writer's slant and rotation), and the hairlines joining strokes."""
    written, hairlines = [], []
    for piece in layout(syllable, hand.proportions):
        glyph, joins = STROKES[piece.letter], []
        if hand.informal is None:
            paths = writer_paths(glyph, hand.writer, rng)
        else:
            glyph = hand.informal.glyph(piece.letter, rng)
            paths = hand.informal.reshape(glyph, writer_paths(glyph, hand.writer, rng), rng)
            joins = hand.informal.hairlines(paths, rng)
        matrix, shift = _fit(glyph, piece, hand.proportions, rng)
        written.append((piece, [path @ matrix.T + shift for path in paths]))
        hairlines += [path @ matrix.T + shift for path in joins]
    return written, hairlines


def syllable_strokes(
    syllable: str, rng: Rng | None, informal: Informal | None = None
) -> list[tuple[Piece, list[np.ndarray]]]:
    """The letters of ``syllable`` with the strokes :func:`render_syllable` draws for them with
    the same ``rng``, in the unit square before the writer's slant and rotation."""
    hand, rng = _hand(rng, _stroke_count(syllable), informal)
    return _write_block(syllable, hand, rng)[0]


def render_syllable(
    syllable: str, rng: Rng | None, size: int = 64, informal: Informal | None = None
) -> np.ndarray:
    """A ``size`` x ``size`` uint8 picture of ``syllable`` (dark ink on white) by a random writer
    drawn from ``rng`` (``None``: the clean writer, for teaching pictures); ``informal`` adds a
    writer's informal habits (:class:`ml.writing.informal.Informal`)."""
    hand, rng = _hand(rng, _stroke_count(syllable), informal)
    written, hairlines = _write_block(syllable, hand, rng)
    paths = [path for _, strokes in written for path in strokes]
    writer = hand.writer
    return ink_picture(
        pose(paths, writer), writer, rng, (size, size), hairlines=pose(hairlines, writer)
    )


def render_word(
    text: str, rng: Rng | None, size_per_block: int = 64, informal: Informal | None = None
) -> np.ndarray:
    """A picture of a word of syllable blocks (meant for 2-4) side by side, ``size_per_block``
    high and as many times wide as there are blocks, by one writer: the blocks vary in spacing,
    size and baseline."""
    if not text:
        raise ValueError("an empty word")
    hand, rng = _hand(rng, _stroke_count(text) // len(text), informal)
    clean = hand.proportions is CLEAN_PROPORTIONS
    spacing = 0.15 if clean else rng.uniform(0.02, 0.35)
    paths, hairlines, x = [], [], 0.0
    for syllable in text:
        written, joins = _write_block(syllable, hand, rng)
        scale = 1.0 if clean else float(np.exp(rng.normal(0, 0.06)))
        at = np.array([x, 0.0 if clean else rng.normal(0, 0.04)])
        paths += [path * scale + at for _, strokes in written for path in strokes]
        hairlines += [path * scale + at for path in joins]
        x += scale + spacing * (1.0 if clean else rng.uniform(0.6, 1.4))
    writer = hand.writer
    paths, hairlines = pose(paths, writer), pose(hairlines, writer)
    width, height = size_per_block * len(text), size_per_block
    extent = np.ptp(np.vstack(paths), axis=0)
    span = max(float(extent[1]), float(extent[0]) * height / width)
    return ink_picture(paths, writer, rng, (height, width), span=span, hairlines=hairlines)


def font_syllable(syllable: str, font_path: Path | str, rng: Rng, size: int = 64) -> np.ndarray:
    """A ``size`` x ``size`` uint8 picture of ``syllable`` in a font (dark on white): its ink
    0.55-0.75 of the picture across, a little off centre, slightly tilted. The caller chooses
    the font (held-out ones: :func:`ml.writing.fonts.is_held_out`)."""
    canvas = 4 * size
    probe = ImageFont.truetype(str(font_path), canvas)
    extent = max(np.ptp(np.reshape(probe.getbbox(syllable), (2, 2)), axis=0))
    target = canvas * rng.uniform(0.55, 0.75)  # the ink's longer side
    font = ImageFont.truetype(str(font_path), max(1, round(canvas * target / max(extent, 1))))
    left, top, right, bottom = font.getbbox(syllable)
    centre = canvas / 2 + rng.uniform(-0.04, 0.04, 2) * canvas
    page = Image.new("L", (canvas, canvas), 255)
    origin = (centre[0] - (left + right) / 2, centre[1] - (top + bottom) / 2)
    ImageDraw.Draw(page).text(origin, syllable, font=font, fill=0)
    page = page.rotate(float(rng.uniform(-6, 6)), Image.Resampling.BILINEAR, fillcolor=255)
    return np.asarray(page.reduce(4))


def contact_sheet(
    images: Sequence[np.ndarray], labels: Sequence[str] = (), columns: int = 10
) -> Image.Image:
    """Pictures (uint8, dark on white) in a grid of ``columns``, each over its label, to look
    at (``.save(path)`` or ``.show()``)."""
    cell_h = max(image.shape[0] for image in images)
    cell_w = max(image.shape[1] for image in images)
    label_h = 16 if labels else 0
    rows = -(-len(images) // columns)
    sheet = Image.new("L", (columns * (cell_w + 4), rows * (cell_h + label_h + 4)), 200)
    draw = ImageDraw.Draw(sheet)
    font_path = plot_font()
    font = ImageFont.truetype(str(font_path), 12) if font_path else ImageFont.load_default()
    for k, image in enumerate(images):
        x, y = (k % columns) * (cell_w + 4) + 2, (k // columns) * (cell_h + label_h + 4) + 2
        draw.rectangle((x, y, x + cell_w - 1, y + cell_h + label_h - 1), fill=255)
        sheet.paste(Image.fromarray(image), (x, y))
        if k < len(labels):
            draw.text((x + 2, y + cell_h), labels[k], font=font, fill=0)
    return sheet
