"""Where the sheet of paper is in a photo that shows the desk around it.

A phone photo of a page often shows a strip or corner of the table: dark wood, a striped cloth,
a page's rotated outline. Its ink map (:func:`ml.reading.preprocess.find_ink`) sees the desk's
grain and the page's corners as ink, which joins the writing near the page's edge into one
blot and, being darker than a pencil, sets the scale that faint writing is measured on.

The sheet is the largest light region of a small copy of the picture with the writing closed
away, filled out to its convex hull (a shadow inside it is still paper). It counts as a sheet
on a desk only when what lies around it is clearly darker and the step between them is sharp:
the edge of a sheet is, the edge of a hand's shadow or a lighting gradient across one page is
not, and those must never hide writing.
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.reading.ink import convex_hull

LOOK_SIDE = 128
"""The small copy's longer side, in pixels."""
CLOSE_SIDE = 7
"""The closing that erases the writing from the small copy (pixels of it)."""
PAGE_SHARE = (0.2, 0.98)
"""The sheet's hull covers at least this share of the picture, and leaves at least the rest."""
DESK_CONTRAST = 0.1
"""The sheet's median is at least this much lighter than the desk's (in [0, 1])."""
SHARP_EDGE = 0.45
"""Across the hull's edge (one pixel of the small copy either side), the light falls by at
least this share of the sheet-to-desk contrast; a shadow blurred over several pixels falls by
less. Chosen on validation photos (0.35 and 0.45 read alike; 0.55 read syllable photos a
little worse). A striped desk's edge can fall by less (its light stripes just beyond the
sheet): 4 of 400 validation word photos are refused so, the desk read as ink. 0.3 (tried
2026-12-05) read two of them right and misread two others, where a hard shadow's edge across
the sheet was taken for its edge; the fall to the darkest quarter of the desk beyond, in place
of its median, tells such a shadow from a desk no better. Measured two pixels either side of
the edge instead (tried 2026-12-05, at 0.6-0.8 of the contrast): a sheet whose edge a slightly
out-of-focus photo blurs by 2.5 px is found (0.89 there, 0.42 on the edge itself), but on
validation pictures (seeds 2000 / 3000, as phone photos: 800 words, 940 syllables, 400 rows of
separate letters, 480 informal letters; and 280 junk pictures) at 0.7 it read 5 right that were
not and 4 the other way: kept as it is."""
EDGE_MARGIN = 1.5
"""What is kept of the sheet stops this many small-copy pixels inside its edge (the edge's own
dark line and blur)."""


def sheet_mask(grey: np.ndarray) -> np.ndarray | None:
    """The pixels of the sheet of paper in a greyscale picture (float in [0, 1]) that shows a
    desk around it, or ``None`` when it shows no desk (the page fills the frame, or the picture
    is a scan, a screenshot or a crop)."""
    height, width = grey.shape
    scale = LOOK_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((CLOSE_SIDE, CLOSE_SIDE), np.uint8))
    sheet = _lightest_region(paper, small)
    if sheet is None:
        return None
    hull = convex_hull(sheet)
    inside = hull.astype(bool)
    if not PAGE_SHARE[0] <= inside.mean() <= PAGE_SHARE[1]:
        return None
    contrast = float(np.median(paper[sheet]) - np.median(paper[~inside]))
    if contrast < DESK_CONTRAST or _edge_fall(paper, inside) < SHARP_EDGE * contrast:
        return None
    full = cv2.resize(hull, (width, height), interpolation=cv2.INTER_NEAREST)
    margin = max(1, round(EDGE_MARGIN / scale))
    return cv2.erode(full, np.ones((2 * margin + 1, 2 * margin + 1), np.uint8)).astype(bool)


def _lightest_region(paper: np.ndarray, small: np.ndarray) -> np.ndarray | None:
    """The largest region (4-connected) lighter than Otsu's threshold on ``paper`` (the small
    copy with the writing closed away) and in ``small`` itself (the closing also fills the
    narrow strips of desk between a sheet's corner and the frame), or ``None``."""
    levels = np.round(paper * 255).astype(np.uint8)
    threshold, light = cv2.threshold(levels, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    light &= (small * 255 > threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=4)
    if count <= 1:
        return None
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _edge_fall(paper: np.ndarray, sheet: np.ndarray) -> float:
    """How much darker the pixels just outside ``sheet`` (a convex region) are than those just
    inside (medians), away from the picture's border; 0 when it has no such edge."""
    one = np.ones((3, 3), np.uint8)
    region = sheet.astype(np.uint8)
    away = np.zeros_like(sheet)
    away[1:-1, 1:-1] = True
    rim = sheet & ~cv2.erode(region, one).astype(bool) & away
    beyond = ~sheet & cv2.dilate(region, one).astype(bool) & away
    if not rim.any() or not beyond.any():
        return 0.0
    return float(np.median(paper[rim]) - np.median(paper[beyond]))
