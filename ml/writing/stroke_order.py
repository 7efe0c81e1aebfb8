"""Stroke-order pictures for lessons and hints: a letter's strokes numbered in writing order,
each with a coloured centre line and an arrowhead, still (:func:`stroke_order_image`) or
written stroke by stroke (:func:`stroke_order_gif`)::

    Path("rieul.gif").write_bytes(stroke_order_gif("ㄹ"))
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ml.writing.strokes import (
    CLEAN_WRITER,
    STROKES,
    arc_lengths,
    cut_path,
    exit_direction,
    ink_path,
    writer_paths,
)

ORDER_COLOURS = (
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#e377c2", "#8c564b",
)  # fmt: skip
"""Colours of the 1st, 2nd, ... stroke in the stroke-order pictures (repeating)."""

_GHOST, _BODY = "#ececec", "#c4c4c4"
_FRAMES_PER_STROKE = 4


def _order_picture(letter: str, size: int, done: float) -> Image.Image:
    """The letter in pale grey with the first ``done`` strokes (a fraction for the one in
    progress) drawn over it in grey, each with its number, coloured centre line and arrowhead."""
    clean = writer_paths(
        STROKES[letter], CLEAN_WRITER, np.random.default_rng(0)
    )  # draws only zeros
    paths = [0.1 * size + 0.8 * size * p for p in clean]
    drawn = [
        cut_path(p, 0.0, arc_lengths(p)[-1] * min(1.0, done - k))
        for k, p in enumerate(paths[: int(np.ceil(done))])
    ]
    body, line, radius = 0.09 * size, 0.022 * size, 0.05 * size
    page = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(page)
    for path in paths:
        ink_path(draw, path, np.full(len(path), body), _GHOST)
    for path in drawn:
        ink_path(draw, path, np.full(len(path), body), _BODY)
    colours = [ORDER_COLOURS[k % len(ORDER_COLOURS)] for k in range(len(drawn))]
    for path, colour in zip(drawn, colours, strict=True):
        ink_path(draw, path, np.full(len(path), line), colour)
        draw.polygon([tuple(c) for c in _arrowhead(path, radius, size)[:3].tolist()], fill=colour)
    # Numbers keep clear of the finished letter's lines and arrows, so they stay put as it grows.
    obstacles = np.vstack(paths + [_arrowhead(p, radius, size) for p in paths])
    font = ImageFont.load_default(size=max(8, round(1.3 * radius)))
    labels: list[np.ndarray] = []
    for k, colour in enumerate(colours):
        labels.append(_label_spot(paths[k], obstacles, labels, radius, size))
        x, y = labels[-1].tolist()
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        draw.text((x, y), str(k + 1), fill="white", font=font, anchor="mm")
    return page


def _arrowhead(path: np.ndarray, radius: float, size: int) -> np.ndarray:
    """The corners (tip first) and centre of an arrowhead pointing along ``path``, near its end."""
    length = arc_lengths(path)[-1]
    head = cut_path(path, 0.0, length - min(0.45 * length, 0.12 * size))
    heading = exit_direction(head)
    side = np.array([-heading[1], heading[0]])
    tip, base = head[-1] + 0.9 * radius * heading, head[-1] - 0.7 * radius * heading
    return np.stack([tip, base + 0.8 * radius * side, base - 0.8 * radius * side, head[-1]])


def _label_spot(
    path: np.ndarray, obstacles: np.ndarray, labels: list[np.ndarray], radius: float, size: int
) -> np.ndarray:
    """Where to put a stroke's number: near its start, preferably behind it, clear of the
    ``obstacles``, of earlier numbers and of the picture's edge."""
    backwards = -exit_direction(path[::-1])
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    directions = np.tile(np.stack([np.cos(angles), np.sin(angles)], axis=1), (2, 1))
    distances = np.repeat([1.8 * radius, 2.6 * radius], len(angles))[:, None]
    spots = path[0] + distances * directions
    clearance = np.linalg.norm(spots[:, None] - obstacles[None], axis=2).min(axis=1)
    for other in labels:
        clearance = np.minimum(clearance, np.linalg.norm(spots - other, axis=1) - radius)
    inside = (spots.min(axis=1) >= radius) & (spots.max(axis=1) <= size - radius)
    score = (
        np.minimum(clearance, 1.5 * radius)
        + 0.3 * radius * (directions @ backwards)
        - 0.5 * (distances[:, 0] - 1.8 * radius)
    )
    return spots[int(np.argmax(np.where(inside, score, -np.inf)))]


def stroke_order_image(letter: str, size: int = 256) -> Image.Image:
    """An RGB picture teaching how to write ``letter``: its strokes numbered in order, each
    with a coloured centre line and an arrowhead showing the direction."""
    return _order_picture(letter, size, float(len(STROKES[letter])))


def stroke_order_gif(letter: str, size: int = 256) -> bytes:
    """An animated GIF writing ``letter`` stroke by stroke; the finished letter is held."""
    n = len(STROKES[letter])
    steps = [k / _FRAMES_PER_STROKE for k in range(n * _FRAMES_PER_STROKE + 1)]
    frames = [_order_picture(letter, size, done) for done in steps]
    durations = [500] + [120] * (len(frames) - 2) + [2000]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return out.getvalue()
