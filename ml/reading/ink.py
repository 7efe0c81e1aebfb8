"""Geometry of ink masks shared by the letter and the syllable preprocessing: boxes, pen width,
and bringing a glyph's strokes to a set width."""

from __future__ import annotations

import cv2
import numpy as np

INK_LEVEL = 0.5
"""Fraction of the strongest ink at which a pixel belongs to a stroke."""

NORMALISED_SIDE = 60
"""Resolution (longer side, px) at which stroke width is normalised."""


def ellipse(diameter: int) -> np.ndarray:
    """An elliptic structuring element ``diameter`` px across (at least 1)."""
    diameter = max(1, int(diameter))
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter, diameter))


def ink_box(mask: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns that hold any of ``mask``'s ink, or ``None`` when it holds none."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def box_shape(box: tuple[slice, slice]) -> tuple[int, int]:
    """Height and width of a box from :func:`ink_box`."""
    rows, cols = box
    return rows.stop - rows.start, cols.stop - cols.start


def box_side(box: tuple[slice, slice]) -> int:
    """The longer side of a box from :func:`ink_box`."""
    return max(box_shape(box))


def grow(mask: np.ndarray, pixels: int) -> np.ndarray:
    """``mask`` dilated by ``pixels`` all round."""
    return cv2.dilate(mask.astype(np.uint8), ellipse(2 * pixels + 1)).astype(bool)


def convex_hull(mask: np.ndarray) -> np.ndarray:
    """The convex hull of a non-empty mask's pixels, filled (uint8, 1 inside)."""
    hull = np.zeros(mask.shape, np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(cv2.findNonZero(mask.astype(np.uint8))), 1)
    return hull


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width of a binary ink mask: twice the area over the boundary length."""
    ink = ink.astype(bool)
    padded = np.pad(ink, 1)
    interior = padded[1:-1, :-2] & padded[1:-1, 2:] & padded[:-2, 1:-1] & padded[2:, 1:-1]
    boundary = int(np.count_nonzero(ink & ~interior))
    return 2.0 * np.count_nonzero(ink) / max(boundary, 1)


def normalise_strokes(glyph: np.ndarray, stroke: float) -> np.ndarray | None:
    """Rescale the cropped glyph (ink in [0, 1]) to ``NORMALISED_SIDE`` and bring its pen width
    to ``stroke`` of that side; ``None`` if no stroke survives the rescaling."""
    height, width = glyph.shape
    scale = NORMALISED_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    glyph = cv2.resize(glyph.astype(np.float32), size, interpolation=interpolation)
    glyph = np.pad(glyph, NORMALISED_SIDE // 4)
    change = stroke * NORMALISED_SIDE - stroke_width(glyph >= INK_LEVEL)
    if change >= 1:
        glyph = cv2.dilate(glyph, ellipse(1 + round(change)))
    elif change <= -1:
        thinner = cv2.erode(glyph, ellipse(1 + round(-change)))
        if np.count_nonzero(thinner >= INK_LEVEL) >= 0.3 * np.count_nonzero(glyph >= INK_LEVEL):
            glyph = thinner
    box = ink_box(glyph >= INK_LEVEL)
    return None if box is None else glyph[box]
