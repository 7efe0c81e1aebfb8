"""Letters as the tutor shows them: parsing what learners type, and teaching pictures."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image

from bot.core.replies import Picture
from ml.reading.alphabet import ALPHABET, LETTERS, letter_info
from ml.writing.stroke_order import stroke_order_image

SHOWN_SIZE = 112
"""The side of the "what I saw" picture (the canonical 28x28, enlarged)."""

_BY_NAME = {
    key: letter.jamo
    for letter in ALPHABET
    for key in (letter.romanization, letter.name_romanized, letter.name)
}


def parse_letter(text: str) -> str | None:
    """A letter from its jamo, romanization (``yo``) or name (``giyeok``, ``기역``)."""
    text = text.strip()
    if text in LETTERS:
        return text
    return _BY_NAME.get(text.lower())


@lru_cache(maxsize=len(LETTERS))
def _stroke_png(letter: str) -> bytes:
    out = io.BytesIO()
    stroke_order_image(letter).save(out, "PNG")
    return out.getvalue()


def stroke_picture(letter: str) -> Picture:
    """The letter with its strokes numbered in order."""
    return Picture(_stroke_png(letter), f"{letter_info(letter).romanization}-strokes.png")


def canonical_picture(canonical: np.ndarray) -> Picture:
    """What the model saw: the canonical image, dark ink on white, enlarged."""
    grey = (255 - np.clip(canonical, 0, 1) * 255).astype(np.uint8)
    image = Image.fromarray(grey).resize((SHOWN_SIZE, SHOWN_SIZE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, "PNG")
    return Picture(out.getvalue(), "what-i-saw.png")


def canonical_bytes(canonical: np.ndarray) -> bytes:
    """The canonical image as stored with a sample: 28x28 uint8, ink = 255."""
    return (np.clip(canonical, 0, 1) * 255).round().astype(np.uint8).tobytes()
