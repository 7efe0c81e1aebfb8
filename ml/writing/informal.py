"""Informal handwriting: the habits of people who write quickly rather than neatly.

An :class:`Informal` is one writer's informal habits, applied by
:func:`ml.writing.strokes.render_letter` to the strokes its ordinary writer traced: corners
rounded (a ㄴ like a U), small loops at corners, rings left open (ㅇ not closed), consecutive
strokes joined by a hairline where the pen did not leave the paper, one-stroke shapes (ㄹ as a
cursive "2" or "z", ㅁ as one rounded box, ㄴ as a U), a thin pen, and a small letter in a big
white picture.

Styles are named bundles of habits (:data:`STYLES`). Training draws from
:data:`TRAINING_STYLES`; :data:`HELD_OUT_STYLES` are never trained on and measure how well the
models read habits they have not seen (``hangul-ml bench --only informal``)::

    picture = informal_letter("ㄹ", "cursive", np.random.default_rng(3))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.writing.strokes import STROKES, Glyph, arc_lengths, glyph_from_specs, render_letter

Rng = np.random.Generator

PICTURE = 128
"""Side (pixels) of an informal letter's picture; a small letter's is twice that."""
STEP = 0.012
"""Spacing (units of the letter box) of the points a path is resampled at before reshaping."""

JOIN_REACH = 0.6
"""Strokes further apart than this (units of the box) are never joined: the pen lifts."""

_ONE_STROKE_VARIANTS: dict[str, tuple[Glyph, ...]] = {
    "ㄹ": (
        glyph_from_specs("18,15 - 80,15 ~ 80,42 ~ 22,52 ~ 18,84 - 84,84"),  # a "z" with a tail
        glyph_from_specs("18,18 - 70,15 ~ 80,30 ~ 62,52 ~ 20,82 - 84,82"),  # a cursive "2"
        glyph_from_specs("18,14 - 80,14 - 80,48 - 18,48 - 18,86 - 84,86"),  # the strokes joined
    ),
    "ㅁ": (
        glyph_from_specs("20,18 - 20,82 - 80,82 - 80,18 - 20,18"),  # one box, pen kept down
        glyph_from_specs("44,12 - 14,52 - 56,88 - 86,46 - 44,12"),  # a tilted box, a diamond
    ),
    "ㄴ": (glyph_from_specs("22,14 ~ 22,66 ~ 36,82 ~ 86,80"),),  # a U
}
"""One-stroke shapes some people use for a letter, in the unit box (percent)."""


@dataclass(frozen=True)
class Informal:
    """One writer's informal habits; lengths in units of the letter box, 0 meaning "never"."""

    corner_radius: float = 0.0  # corners rounded off over about this length
    loop_radius: float = 0.0  # a small loop at a corner, this big
    loop_share: float = 0.0  # share of corners that get one
    ring_gap: float = 0.0  # share of a ring (ㅇ) left open
    join_share: float = 0.0  # share of consecutive strokes joined by a hairline
    one_stroke: bool = False  # write ㄹ, ㅁ, ㄴ in one of their one-stroke shapes
    pen_scale: float = 1.0  # the ordinary writer's pen width times this
    size: float | None = None  # the letter's size as a share of the picture (None: ordinary)

    @staticmethod
    def draw(rng: Rng, style: str) -> Informal:
        """A writer of ``style`` (one of :data:`STYLES`) with random strengths of its habits."""
        return STYLES[style](rng)

    def glyph(self, letter: str, rng: Rng) -> Glyph:
        """The strokes this writer writes ``letter`` with."""
        variants = _ONE_STROKE_VARIANTS.get(letter, ())
        if self.one_stroke and variants:
            return variants[int(rng.integers(len(variants)))]
        return STROKES[letter]

    def reshape(self, glyph: Glyph, paths: list[np.ndarray], rng: Rng) -> list[np.ndarray]:
        """The traced ``paths`` of ``glyph`` with this writer's habits: rings opened, corners
        rounded or looped."""
        out = []
        for stroke, path in zip(glyph, paths, strict=True):
            path = resample(path)
            if stroke.closed and self.ring_gap > 0:
                path = _opened(path, self.ring_gap * rng.uniform(0.6, 1.0), rng)
            if self.loop_share > 0:
                path = _looped(path, self.loop_radius, self.loop_share, rng)
            if self.corner_radius > 0:
                path = rounded(path, self.corner_radius)
            out.append(path)
        return out

    def hairlines(self, paths: list[np.ndarray], rng: Rng) -> list[np.ndarray]:
        """Thin joins from the end of a stroke to the start of the next, where the pen stayed
        down (a gentle curve, not a straight ruler line)."""
        joins = []
        for a, b in zip(paths[:-1], paths[1:], strict=False):
            if rng.random() < self.join_share and np.linalg.norm(b[0] - a[-1]) <= JOIN_REACH:
                start, end = a[-1], b[0]
                middle = (start + end) / 2 + rng.normal(0, 0.04, 2)
                t = np.linspace(0, 1, 24)[:, None]
                joins.append((1 - t) ** 2 * start + 2 * (1 - t) * t * middle + t**2 * end)
        return joins


def informal_letter(letter: str, style: str, rng: Rng) -> np.ndarray:
    """A picture (uint8, dark on white) of ``letter`` by a random writer of ``style``."""
    habits = Informal.draw(rng, style)
    size = 2 * PICTURE if habits.size else PICTURE
    return render_letter(letter, rng, size=size, informal=habits)


def resample(path: np.ndarray, step: float = STEP) -> np.ndarray:
    """``path`` as points about ``step`` apart along it."""
    s = arc_lengths(path)
    if s[-1] <= step:
        return path
    at = np.linspace(0, s[-1], int(np.ceil(s[-1] / step)) + 1)
    return np.stack([np.interp(at, s, path[:, 0]), np.interp(at, s, path[:, 1])], axis=1)


def rounded(path: np.ndarray, radius: float) -> np.ndarray:
    """``path`` (resampled) with its corners rounded: smoothed by a Gaussian about ``radius``
    long, its two ends kept in place."""
    sigma = radius / STEP / 2
    if sigma < 0.5 or len(path) < 3:
        return path
    half = int(3 * sigma)
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(path, ((half, half), (0, 0)), mode="reflect", reflect_type="odd")
    return np.stack([np.convolve(padded[:, k], kernel, mode="valid") for k in range(2)], axis=1)


def corners(path: np.ndarray, min_turn: float = np.radians(55)) -> list[int]:
    """Indices of the sharp turns of a resampled ``path`` (turning by at least ``min_turn``
    over a few points either side), one per corner."""
    reach = 3
    if len(path) < 2 * reach + 1:
        return []
    before = path[reach:-reach] - path[: -2 * reach]
    after = path[2 * reach :] - path[reach:-reach]
    cos = (before * after).sum(1) / np.maximum(
        np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1), 1e-9
    )
    turn = np.arccos(np.clip(cos, -1, 1))
    found: list[int] = []
    for k in np.flatnonzero(turn >= min_turn):
        if found and k - found[-1] <= 2 * reach:
            if turn[k] > turn[found[-1]]:
                found[-1] = int(k)
            continue
        found.append(int(k))
    return [k + reach for k in found]


def _looped(path: np.ndarray, radius: float, share: float, rng: Rng) -> np.ndarray:
    """``path`` with a loop of about ``radius`` drawn outside some of its corners."""
    pieces, last = [], 0
    for k in corners(path):
        if rng.random() >= share:
            continue
        into = path[k] - path[max(k - 3, 0)]
        out = path[min(k + 3, len(path) - 1)] - path[k]
        into /= max(float(np.linalg.norm(into)), 1e-9)
        out /= max(float(np.linalg.norm(out)), 1e-9)
        outward = into - out
        outward /= max(float(np.linalg.norm(outward)), 1e-9)
        r = radius * rng.uniform(0.7, 1.3)
        centre = path[k] + r * outward
        start = np.arctan2(*(path[k] - centre)[::-1])
        tangent = np.array([-np.sin(start), np.cos(start)])
        turn = 1.0 if tangent @ into >= 0 else -1.0
        angles = start + turn * np.linspace(0, 2 * np.pi, max(12, int(2 * np.pi * r / STEP)))
        loop = centre + r * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        pieces += [path[last:k], loop]
        last = k
    return np.vstack([*pieces, path[last:]])


def _opened(path: np.ndarray, gap: float, rng: Rng) -> np.ndarray:
    """A closed ``path`` with ``gap`` of its length missing, starting where it starts (the top)
    with a little wobble."""
    s = arc_lengths(path)
    shift = rng.uniform(-0.05, 0.05) * s[-1]
    keep = (s >= max(shift, 0)) & (s <= s[-1] * (1 - gap) + min(shift, 0))
    return path[keep] if keep.sum() >= 2 else path


def _rounded_writer(rng: Rng) -> Informal:
    """Rounded corners (some strongly: a U-shaped ㄴ), sometimes one-stroke shapes."""
    return Informal(corner_radius=rng.uniform(0.06, 0.32), one_stroke=rng.random() < 0.4)


def _open_writer(rng: Rng) -> Informal:
    """Rings left open, corners a little soft."""
    return Informal(ring_gap=rng.uniform(0.1, 0.25), corner_radius=rng.uniform(0.0, 0.1))


def _cursive_writer(rng: Rng) -> Informal:
    """One-stroke shapes (ㄹ as a "2" or "z", ㅁ as one box, ㄴ as a U), rounded."""
    return Informal(
        one_stroke=True, corner_radius=rng.uniform(0.04, 0.18), ring_gap=rng.uniform(0.0, 0.15)
    )


def _small_writer(rng: Rng) -> Informal:
    """A small letter in a big white picture, written with a fine pen."""
    return Informal(
        size=rng.uniform(0.12, 0.3),
        pen_scale=rng.uniform(0.35, 0.8),
        corner_radius=rng.uniform(0.0, 0.12),
    )


def _thin_writer(rng: Rng) -> Informal:
    """A thin pen (a ballpoint at full letter size), corners a little soft."""
    return Informal(pen_scale=rng.uniform(0.2, 0.45), corner_radius=rng.uniform(0.0, 0.1))


def _looped_writer(rng: Rng) -> Informal:
    """Small loops at the corners, corners otherwise soft."""
    return Informal(
        loop_radius=rng.uniform(0.04, 0.09),
        loop_share=rng.uniform(0.4, 1.0),
        corner_radius=rng.uniform(0.0, 0.06),
    )


def _joined_writer(rng: Rng) -> Informal:
    """Strokes joined by hairlines where the pen stayed down, rounded corners."""
    return Informal(
        join_share=rng.uniform(0.5, 1.0),
        corner_radius=rng.uniform(0.02, 0.12),
        ring_gap=rng.uniform(0.0, 0.12),
    )


def _hurried_writer(rng: Rng) -> Informal:
    """Several habits at once, strongly: rounded, open, one-stroke, any pen, often small."""
    return Informal(
        corner_radius=rng.uniform(0.1, 0.35),
        ring_gap=rng.uniform(0.0, 0.25),
        one_stroke=rng.random() < 0.6,
        pen_scale=rng.uniform(0.3, 1.0),
        size=rng.uniform(0.15, 0.35) if rng.random() < 0.4 else None,
    )


STYLES = {
    "rounded": _rounded_writer,
    "open": _open_writer,
    "cursive": _cursive_writer,
    "small": _small_writer,
    "thin": _thin_writer,
    "hurried": _hurried_writer,
    "looped": _looped_writer,
    "joined": _joined_writer,
}
"""Each style's random writer."""
TRAINING_STYLES = ("rounded", "open", "cursive", "small", "thin")
"""The styles training data is drawn in."""
HELD_OUT_STYLES = ("looped", "joined", "hurried")
"""Styles never trained on, for measuring."""
