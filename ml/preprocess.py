"""Any picture of one letter -> the canonical 28x28 model input, plus a verdict.

The input contract, written down once (every model's metadata carries a copy, and the serving
code refuses a model whose contract differs):

* size: 28 x 28, one channel, float32;
* polarity and scaling: ink = 1.0, background = 0.0, values in [0, 1], whatever the source's
  polarity (dark ink on paper or light strokes on a dark canvas);
* size and centring: the letter's ink box is scaled, keeping its aspect ratio, so that its longer
  side is 20 px, then placed so that its centre of ink mass sits at pixel (14, 14).

:func:`canonicalize` produces it and is used by training data loading and inference alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from ml.decode import PictureError, decode_greyscale

SIZE = 28
BOX = 20
INPUT_CONTRACT: dict[str, object] = {
    "version": 1,
    "size": [SIZE, SIZE],
    "channels": 1,
    "dtype": "float32",
    "polarity": "ink=1, background=0",
    "range": [0.0, 1.0],
    "fit": f"ink box scaled to longer side {BOX} px, aspect kept",
    "centring": "centre of ink mass at (14, 14)",
}

MIN_CONTRAST = 0.12
"""Ink must differ from the paper by at least this much (on a 0..1 scale) to count."""

INK_LEVEL = 0.5
"""Normalised ink at or above this level belongs to a stroke."""

MIN_INK_PIXELS = 6

REASONS: dict[str, str] = {
    "blank": "I can't find any writing in this picture; it looks blank or too faint.",
}


@dataclass(frozen=True)
class Canonical:
    """The outcome of preprocessing: a verdict code and, when ``ok``, the 28x28 image."""

    verdict: str
    image: np.ndarray | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


def canonical_from_bytes(data: bytes) -> Canonical:
    """Decode untrusted picture bytes and canonicalise them; never raises for bad input."""
    try:
        grey = decode_greyscale(data)
    except PictureError as error:
        return Canonical(error.code, None, error.message)
    return canonicalize(grey)


def canonicalize(grey: np.ndarray) -> Canonical:
    """Canonicalise a greyscale picture of one letter (uint8, or float in [0, 1])."""
    source = np.asarray(grey)
    grey = source.astype(np.float32)
    if source.dtype == np.uint8:
        grey /= 255.0
    ink = _ink_map(grey)
    if ink is None:
        return Canonical("blank", None, REASONS["blank"])
    rows = np.flatnonzero(ink.max(axis=1) >= INK_LEVEL)
    cols = np.flatnonzero(ink.max(axis=0) >= INK_LEVEL)
    glyph = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    return Canonical("ok", _place(glyph))


def _ink_map(grey: np.ndarray) -> np.ndarray | None:
    """Ink strength in [0, 1] relative to the paper, or ``None`` when there is no writing."""
    paper = float(np.median(grey))
    ink = paper - grey if paper >= 0.5 else grey - paper
    np.clip(ink, 0.0, None, out=ink)
    strongest = float(np.percentile(ink, 99.7))
    if strongest < MIN_CONTRAST:
        return None
    # Faint marks (paper texture, scan lines, JPEG ringing) fall below the soft threshold.
    ink = np.clip((ink / strongest - 0.25) / 0.5, 0.0, 1.0)
    if int(np.count_nonzero(ink >= INK_LEVEL)) < MIN_INK_PIXELS:
        return None
    return ink


def _place(glyph: np.ndarray) -> np.ndarray:
    """Scale the cropped glyph into the 20 px box and centre its ink mass on a 28x28 canvas."""
    height, width = glyph.shape
    scale = BOX / max(height, width)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    small = Image.fromarray(glyph.astype(np.float32)).resize(
        (new_w, new_h), Image.Resampling.BILINEAR
    )
    small_arr = np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)
    mass = small_arr.sum()
    ys, xs = np.indices(small_arr.shape)
    cy = (ys * small_arr).sum() / mass if mass > 0 else new_h / 2
    cx = (xs * small_arr).sum() / mass if mass > 0 else new_w / 2
    top = int(np.clip(round(SIZE / 2 - cy - 0.5), 0, SIZE - new_h))
    left = int(np.clip(round(SIZE / 2 - cx - 0.5), 0, SIZE - new_w))
    canvas = np.zeros((SIZE, SIZE), dtype=np.float32)
    canvas[top : top + new_h, left : left + new_w] = small_arr
    return canvas
