"""The pen strokes of all 40 jamo, and a stroke writer that draws them as people do.

Every letter is written down below as pen strokes in the standard Korean stroke order and
direction (top to bottom, left to right) in a unit box (x right, y down): :data:`STROKES`.
:func:`render_letter` draws a letter as a random "writer" would (jittered, bowed, slanted,
rotated and re-proportioned strokes; a pen of random width and pressure; stroke ends that
overshoot or stop short). Reproducible: a drawing depends only on the generator it is given.
Training turns such drawings into data (:func:`ml.training.synth.stroke_letters`); lessons draw
the clean writer's strokes in order (:mod:`ml.writing.stroke_order`)::

    picture = render_letter("ㄹ", np.random.default_rng(1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from ml.reading.alphabet import LETTERS

if TYPE_CHECKING:
    from ml.writing.informal import Informal


@dataclass(frozen=True, eq=False)
class Stroke:
    """One pen stroke: key points in writing order (unit box) and how consecutive ones join.

    ``smooth[k]`` says whether points ``k`` and ``k + 1`` lie on a smooth curve through the
    neighbouring smooth points, rather than being joined by a straight line (a corner at each
    end). A ``closed`` stroke ends where it starts. ``part`` numbers the component of a composed
    letter (ㄲ, ㅘ, ...) the stroke belongs to.
    """

    points: np.ndarray
    smooth: tuple[bool, ...]
    closed: bool = False
    part: int = 0


Glyph = tuple[Stroke, ...]
Box = tuple[float, float, float, float]


def _stroke(spec: str) -> Stroke:
    """Parse ``"15,20 - 82,20 ~ 50,60"``: points in percent of the box, ``-`` straight, ``~``
    smooth."""
    tokens = spec.split()
    joins = tokens[1::2]
    if set(joins) - {"-", "~"}:
        raise ValueError(f"bad stroke {spec!r}")
    points = np.array([[float(v) / 100 for v in t.split(",")] for t in tokens[::2]])
    return Stroke(points, tuple(j == "~" for j in joins))


def _ring(cx: float, cy: float, rx: float, ry: float) -> Stroke:
    """An ellipse (percent) drawn counter-clockwise from its top, through 8 key points."""
    angles = np.linspace(0, 2 * np.pi, 9)
    points = np.stack([cx - rx * np.sin(angles), cy - ry * np.cos(angles)], axis=1) / 100
    points[-1] = points[0]
    return Stroke(points, (True,) * 8, closed=True)


def glyph_from_specs(*strokes: str | Stroke) -> Glyph:
    """A glyph from strokes written as :func:`_stroke` reads them (or already built)."""
    return tuple(_stroke(s) if isinstance(s, str) else s for s in strokes)


_glyph = glyph_from_specs  # short, for the tables below


def _place(glyph: Glyph, box: Box, part: int) -> Glyph:
    """``glyph`` moved and stretched so that its key points fill ``box`` (percent: x0, y0, x1,
    y1); a box of zero width or height puts a straight glyph (ㅡ, ㅣ) on that line."""
    points = np.vstack([s.points for s in glyph])
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    target_low, target_high = np.array(box[:2]) / 100, np.array(box[2:]) / 100
    flat = span == 0
    scale = np.where(flat, 0.0, (target_high - target_low) / np.where(flat, 1.0, span))
    origin = np.where(flat, (target_low + target_high) / 2, target_low)
    return tuple(replace(s, points=origin + (s.points - low) * scale, part=part) for s in glyph)


# Each letter's strokes in writing order; "x,y" in percent of the box, "-" a straight line, "~" a
# smooth curve. Compound letters are built from these below.
_BASE: dict[str, Glyph] = {
    "ㄱ": _glyph("15,20 - 82,20 - 78,86"),  # → then ↓
    "ㄴ": _glyph("20,14 - 20,80 - 86,80"),  # ↓ then →
    "ㄷ": _glyph("18,20 - 82,20", "18,20 - 18,80 - 86,80"),  # ─, ㄴ
    "ㄹ": _glyph("18,14 - 80,14 - 80,48", "18,48 - 80,48", "18,48 - 18,86 - 84,86"),  # ㄱ ─ ㄴ
    "ㅁ": _glyph("20,18 - 20,82", "20,18 - 80,18 - 80,82", "20,82 - 80,82"),  # │, ㄱ, ─
    "ㅂ": _glyph("22,14 - 22,86", "78,14 - 78,86", "22,48 - 78,48", "22,86 - 78,86"),  # ││──
    "ㅅ": _glyph("50,12 ~ 42,46 ~ 14,86", "42,46 ~ 62,70 ~ 86,86"),  # ╱ then ╲ from its middle
    "ㅇ": _glyph(_ring(50, 50, 34, 34)),
    "ㅈ": _glyph("18,18 - 80,18 ~ 54,52 ~ 14,86", "54,52 ~ 66,72 ~ 86,86"),  # フ, ╲
    "ㅊ": _glyph("50,4 - 50,16", "18,28 - 80,28 ~ 54,58 ~ 14,88", "54,58 ~ 66,76 ~ 86,88"),
    "ㅋ": _glyph("15,16 - 82,16 - 80,86", "15,50 - 81,50"),  # ㄱ, ─
    "ㅌ": _glyph("20,14 - 80,14", "20,48 - 80,48", "20,14 - 20,84 - 86,84"),  # ─ ─ ㄴ
    "ㅍ": _glyph("14,18 - 86,18", "34,18 - 38,80", "66,18 - 62,80", "14,80 - 86,80"),  # ─││─
    "ㅎ": _glyph("50,4 - 50,16", "16,28 - 84,28", _ring(50, 64, 26, 22)),  # tick, ─, ㅇ
    "ㅏ": _glyph("35,10 - 35,90", "35,48 - 72,48"),  # │, tick →
    "ㅑ": _glyph("35,10 - 35,90", "35,35 - 70,35", "35,62 - 70,62"),
    "ㅓ": _glyph("28,48 - 65,48", "65,10 - 65,90"),  # tick →, │
    "ㅕ": _glyph("28,35 - 65,35", "28,62 - 65,62", "65,10 - 65,90"),
    "ㅗ": _glyph("50,38 - 50,66", "10,66 - 90,66"),  # stem ↓, ─
    "ㅛ": _glyph("36,38 - 36,66", "64,38 - 64,66", "10,66 - 90,66"),
    "ㅜ": _glyph("10,34 - 90,34", "50,34 - 50,62"),  # ─, stem ↓
    "ㅠ": _glyph("10,34 - 90,34", "36,34 - 33,62", "64,34 - 64,62"),
    "ㅡ": _glyph("10,50 - 90,50"),
    "ㅣ": _glyph("50,10 - 50,90"),
}

# Composed letters: their parts in writing order, each filling a box (percent: x0, y0, x1, y1).
_COMPOSED: dict[str, tuple[tuple[str, Box], ...]] = {
    "ㄲ": (("ㄱ", (6, 20, 46, 80)), ("ㄱ", (54, 20, 94, 80))),
    "ㄸ": (("ㄷ", (6, 20, 46, 80)), ("ㄷ", (54, 20, 94, 80))),
    "ㅃ": (("ㅂ", (6, 16, 46, 84)), ("ㅂ", (54, 16, 94, 84))),
    "ㅆ": (("ㅅ", (6, 16, 48, 84)), ("ㅅ", (52, 16, 94, 84))),
    "ㅉ": (("ㅈ", (6, 16, 48, 84)), ("ㅈ", (52, 16, 94, 84))),
    "ㅐ": (("ㅏ", (28, 10, 68, 90)), ("ㅣ", (68, 10, 68, 90))),  # the tick reaches the ㅣ
    "ㅒ": (("ㅑ", (28, 10, 68, 90)), ("ㅣ", (68, 10, 68, 90))),
    "ㅔ": (("ㅓ", (18, 10, 52, 90)), ("ㅣ", (76, 10, 76, 90))),
    "ㅖ": (("ㅕ", (18, 10, 52, 90)), ("ㅣ", (76, 10, 76, 90))),
    "ㅘ": (("ㅗ", (8, 46, 62, 72)), ("ㅏ", (62, 6, 90, 94))),
    "ㅙ": (("ㅗ", (6, 46, 50, 72)), ("ㅐ", (50, 6, 92, 94))),
    "ㅚ": (("ㅗ", (8, 46, 64, 72)), ("ㅣ", (72, 6, 72, 94))),
    "ㅝ": (("ㅜ", (6, 28, 68, 74)), ("ㅓ", (56, 6, 86, 94))),
    "ㅞ": (("ㅜ", (6, 28, 58, 74)), ("ㅔ", (50, 6, 92, 94))),
    "ㅟ": (("ㅜ", (6, 28, 66, 74)), ("ㅣ", (76, 6, 76, 94))),
    "ㅢ": (("ㅡ", (4, 66, 66, 66)), ("ㅣ", (76, 6, 76, 94))),
}


def _build() -> dict[str, Glyph]:
    glyphs = dict(_BASE)
    for letter, parts in _COMPOSED.items():  # ㅐ and ㅔ come before ㅙ and ㅞ
        glyphs[letter] = tuple(
            s for k, (name, box) in enumerate(parts) for s in _place(glyphs[name], box, k)
        )
    return {letter: glyphs[letter] for letter in LETTERS}


STROKES: dict[str, Glyph] = _build()
"""The strokes of each of the 40 letters, in writing order."""

_STEP = 0.012
"""Spacing of the points a traced stroke is sampled at, in units of the box."""


@dataclass(frozen=True)
class Writer:
    """One writer's habits; lengths are in units of the letter box."""

    jitter: float  # sd of each key point's displacement
    bow: float  # sd of a straight line's bow, as a fraction of its length
    part_scale: float  # sd of the log scale of each part of a composed letter
    aspect: float  # log of the width / height stretch
    slant: float  # shear: rightward shift per unit of height above the centre
    rotation: float  # radians, clockwise on the page
    end_bias: float  # mean overshoot (+) or undershoot (-) at a stroke's ends, x its length
    end_spread: float  # sd of the overshoot around that mean
    pen: float  # pen width as a fraction of the letter's size
    pressure: float  # amplitude of the pen width's variation along a stroke
    size: float  # letter size (longer side) as a fraction of the picture
    offset: tuple[float, float]  # shift of the letter's centre, fraction of the picture

    @staticmethod
    def draw(rng: np.random.Generator, n_strokes: int) -> Writer:
        """A random writer; busy letters get a thinner pen so that they do not clog."""
        thickest = 0.16 * min(1.0, (4 / n_strokes) ** 0.5)
        return Writer(
            jitter=rng.uniform(0.004, 0.016),
            bow=rng.uniform(0.0, 0.035),
            part_scale=rng.uniform(0.0, 0.07),
            aspect=rng.uniform(-0.18, 0.18),
            slant=rng.uniform(-0.1, 0.22),
            rotation=np.radians(rng.uniform(-6, 6)),
            end_bias=rng.uniform(-0.06, 0.04),
            end_spread=rng.uniform(0.01, 0.04),
            pen=rng.uniform(0.05, thickest),
            pressure=rng.uniform(0.0, 0.3),
            size=rng.uniform(0.55, 0.7),
            offset=(rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03)),
        )


CLEAN_WRITER = Writer(0, 0, 0, 0, 0, 0, 0, 0, pen=0.11, pressure=0, size=0.66, offset=(0, 0))


def _bowed(a: np.ndarray, b: np.ndarray, bow: float) -> np.ndarray:
    """Points after ``a`` up to ``b`` on a line whose middle bulges sideways by ``bow``."""
    t = np.linspace(0, 1, _samples(a, b) + 1)[1:, None]
    d = (b - a) / max(float(np.linalg.norm(b - a)), 1e-9)
    control = (a + b) / 2 + 2 * bow * np.array([-d[1], d[0]])
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b


def _catmull_rom(run: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Points after ``run[0]`` on a smooth curve through ``run``; ``before`` and ``after`` are
    the imagined neighbours that set its end tangents."""
    ext = np.vstack([before, run, after])
    pieces = []
    for k in range(len(run) - 1):
        p0, p1, p2, p3 = ext[k : k + 4]
        t = np.linspace(0, 1, _samples(p1, p2) + 1)[1:, None]
        pieces.append(
            p1
            + 0.5 * (p2 - p0) * t
            + (p0 - 2.5 * p1 + 2 * p2 - 0.5 * p3) * t**2
            + 0.5 * (3 * p1 - p0 - 3 * p2 + p3) * t**3
        )
    return np.vstack(pieces)


def _samples(a: np.ndarray, b: np.ndarray) -> int:
    return max(2, int(np.ceil(np.linalg.norm(b - a) / _STEP)))


def _trace(stroke: Stroke, points: np.ndarray, bows: np.ndarray) -> np.ndarray:
    """The stroke's path through (possibly moved) key ``points``, sampled every ~``_STEP``;
    straight lines bulge by ``bows`` (one per line)."""
    pieces, k, n = [points[:1]], 0, len(points)
    while k < n - 1:
        if not stroke.smooth[k]:
            pieces.append(_bowed(points[k], points[k + 1], bows[k]))
            k += 1
            continue
        end = k
        while end < n - 1 and stroke.smooth[end]:
            end += 1
        run = points[k : end + 1]
        before = points[-2] if stroke.closed and k == 0 else 2 * run[0] - run[1]
        after = points[1] if stroke.closed and end == n - 1 else 2 * run[-1] - run[-2]
        pieces.append(_catmull_rom(run, before, after))
        k = end
    return np.vstack(pieces)


def arc_lengths(path: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])


def cut_path(path: np.ndarray, start: float, end: float) -> np.ndarray:
    """The part of ``path`` between the arc lengths ``start`` and ``end``."""
    s = arc_lengths(path)
    inner = path[(s > start) & (s < end)]
    ends = np.stack(
        [np.interp([start, end], s, path[:, 0]), np.interp([start, end], s, path[:, 1])]
    )
    return np.vstack([ends[:, 0], inner, ends[:, 1]])


def exit_direction(path: np.ndarray) -> np.ndarray:
    """Unit direction in which ``path`` leaves its last point."""
    s = arc_lengths(path)
    back = path[min(np.searchsorted(s, s[-1] - 0.04), len(path) - 2)]
    d = path[-1] - back
    return d / max(float(np.linalg.norm(d)), 1e-9)


def _adjust_ends(path: np.ndarray, start: float, end: float) -> np.ndarray:
    """``path`` lengthened (positive) or shortened (negative) by these lengths at each end."""
    path = cut_path(path, max(-start, 0.0), arc_lengths(path)[-1] - max(-end, 0.0))
    if start > 0:
        path = np.vstack([path[0] + start * exit_direction(path[::-1]), path])
    if end > 0:
        path = np.vstack([path, path[-1] + end * exit_direction(path)])
    return path


def writer_paths(glyph: Glyph, writer: Writer, rng: np.random.Generator) -> list[np.ndarray]:
    """The strokes as this writer traces them, in the unit box before slant and rotation."""
    parts = max(s.part for s in glyph) + 1
    scales = np.exp(np.clip(rng.normal(0, writer.part_scale, (parts, 2)), -0.2, 0.2))
    centres = [
        np.vstack([s.points for s in glyph if s.part == p]).mean(axis=0) for p in range(parts)
    ]
    paths = []
    for stroke in glyph:
        points = centres[stroke.part] + (stroke.points - centres[stroke.part]) * scales[stroke.part]
        points = points + rng.normal(0, writer.jitter, points.shape)
        if stroke.closed:
            points[-1] = points[0]
        lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
        bows = np.clip(rng.normal(0, writer.bow, len(lengths)) * lengths, -0.03, 0.03)
        path = _trace(stroke, points, bows)
        ends = np.clip(rng.normal(writer.end_bias, writer.end_spread, 2), -1 / 6, 0.12)
        ends = np.clip(ends * arc_lengths(path)[-1], -0.06, 0.05)
        paths.append(_adjust_ends(path, ends[0], ends[1]))
    return paths


def pose(paths: list[np.ndarray], writer: Writer) -> list[np.ndarray]:
    """The paths stretched, slanted and rotated about the box's centre."""
    stretch = np.exp(writer.aspect / 2)
    cos, sin = np.cos(writer.rotation), np.sin(writer.rotation)
    matrix = (
        np.array([[cos, -sin], [sin, cos]])
        @ np.array([[1.0, -writer.slant], [0.0, 1.0]])
        @ np.diag([stretch, 1 / stretch])
    )
    return [(p - 0.5) @ matrix.T for p in paths]


def _pressure(path: np.ndarray, writer: Writer, rng: np.random.Generator) -> np.ndarray:
    """Relative pen width along ``path``: a slow wave plus a drift, around 1."""
    s = arc_lengths(path)
    t = s / max(s[-1], 1e-9)
    wave = np.sin(2 * np.pi * rng.uniform(0.3, 1.2) * t + rng.uniform(0, 2 * np.pi))
    drift = rng.normal(0, writer.pressure) * (t - 0.5)
    return np.clip(1 + writer.pressure * wave + drift, 0.5, 1.5)


def ink_path(
    draw: ImageDraw.ImageDraw, path: np.ndarray, widths: np.ndarray, fill: int | str
) -> None:
    """A round-capped thick polyline whose width follows ``widths`` (pixels, one per point)."""
    for (x, y), w in zip(path.tolist(), (widths / 2).tolist(), strict=True):
        draw.ellipse((x - w, y - w, x + w, y + w), fill=fill)
    mean = ((widths[1:] + widths[:-1]) / 2).round().astype(int).tolist()
    for a, b, w in zip(path[:-1].tolist(), path[1:].tolist(), mean, strict=True):
        draw.line((a[0], a[1], b[0], b[1]), fill=fill, width=w)


def _flicked(paths: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """The paths of a writer who ends most strokes with a long flick of the pen: a tail of
    0.12-0.24 of the letter box, across the stroke's last heading towards the upper left and a
    little back (a brush-pen habit that none of the training writers has)."""
    length = rng.uniform(0.12, 0.24)
    flicked = []
    for path in paths:
        heading = path[-1] - path[max(0, len(path) - 5)]
        heading = heading / max(float(np.linalg.norm(heading)), 1e-9)
        across = np.array([-heading[1], heading[0]])
        if across.sum() > 0:  # y grows downwards: towards the upper left
            across = -across
        if rng.random() < 0.8:
            t = np.linspace(0, 1, 8)[1:, None]
            path = np.vstack([path, path[-1] + (across - 0.4 * heading) * length * t])
        flicked.append(path)
    return flicked


def render_letter(
    letter: str,
    rng: np.random.Generator | None,
    size: int = 64,
    flick: bool = False,
    informal: Informal | None = None,
) -> np.ndarray:
    """A ``size`` x ``size`` uint8 picture of ``letter`` by a random writer drawn from ``rng``:
    dark ink on white paper, roughly centred. ``rng=None`` draws the clean, undistorted
    letter. ``flick`` makes the writer flick the pen at the end of most strokes
    (:func:`_flicked`): a style kept out of all training data, for measuring what retraining on
    learners' samples adds (``hangul-bot flywheel``). ``informal`` adds a writer's informal
    habits (:class:`ml.writing.informal.Informal`: rounded corners, loops, open rings, joined
    strokes, one-stroke shapes, a thin pen, a small letter)."""
    glyph = STROKES[letter]
    writer = CLEAN_WRITER if rng is None else Writer.draw(rng, len(glyph))
    rng = np.random.default_rng(0) if rng is None else rng  # the clean writer draws only zeros
    hairlines: list[np.ndarray] = []
    if informal is None:
        paths = writer_paths(glyph, writer, rng)
    else:
        glyph = informal.glyph(letter, rng)
        paths = informal.reshape(glyph, writer_paths(glyph, writer, rng), rng)
        hairlines = informal.hairlines(paths, rng)
        writer = replace(
            writer, pen=writer.pen * informal.pen_scale, size=informal.size or writer.size
        )
    paths = pose(paths, writer)
    hairlines = pose(hairlines, writer)
    if flick:
        paths = _flicked(paths, rng)
    return ink_picture(paths, writer, rng, (size, size), hairlines=hairlines)


def ink_picture(
    paths: list[np.ndarray],
    writer: Writer,
    rng: np.random.Generator,
    shape: tuple[int, int],
    span: float | None = None,
    hairlines: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """A (height, width) = ``shape`` uint8 picture of posed ``paths`` in the writer's pen, dark on
    white, centred: ``span`` (path units; default: the paths' longer extent) becomes the writer's
    ``size`` share of the picture's shorter side, and the pen's width is relative to it.
    ``hairlines`` are drawn with a thinner pen."""
    points = np.vstack(paths)
    low, high = points.min(axis=0), points.max(axis=0)
    canvas = 4 * np.array(shape[::-1])  # width, height
    letter_px = writer.size * int(canvas.min())
    scale = letter_px / max(float((high - low).max()) if span is None else span, 1e-9)
    centre = canvas / 2 + np.array(writer.offset) * canvas
    page = Image.new("L", (int(canvas[0]), int(canvas[1])), 255)
    draw = ImageDraw.Draw(page)
    for path, pen in [(p, writer.pen) for p in paths] + [(h, 0.4 * writer.pen) for h in hairlines]:
        widths = pen * letter_px * _pressure(path, writer, rng)
        ink_path(draw, (path - (low + high) / 2) * scale + centre, widths, 0)
    return np.asarray(page.reduce(4))
