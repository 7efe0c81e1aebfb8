"""Letters as the tutor shows them: parsing what learners type, and teaching pictures."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bot.core.replies import Picture
from ml.reading.alphabet import ALPHABET, LETTERS, letter_info
from ml.writing.stroke_order import stroke_order_gif, stroke_order_image
from ml.writing.syllables import render_syllable, render_word

SHOWN_SIZE = 112
"""The side of the "what I saw" picture (the canonical 28x28, enlarged)."""
GIF_SIZE = 256
LABEL_HEIGHT = 30
GAP = 12

_OTHER_SPELLINGS = {"l": "ㄹ", "gg": "ㄲ", "dd": "ㄸ", "bb": "ㅃ"}
"""What learners also type for a letter: ㄹ is "l" at the end of a syllable, and some
romanizations write a tense consonant as a doubled plain one (``gg``)."""

_BY_NAME = {
    key: letter.jamo
    for letter in ALPHABET
    for key in (letter.romanization, letter.name_romanized, letter.name)
} | _OTHER_SPELLINGS


def parse_letter(text: str) -> str | None:
    """A letter from its jamo, romanization (``yo``) or name (``giyeok``, ``기역``)."""
    text = text.strip()
    if text in LETTERS:
        return text
    return _BY_NAME.get(text.lower())


@lru_cache(maxsize=len(LETTERS))
def _stroke_png(letter: str) -> bytes:
    return _png(stroke_order_image(letter))


@lru_cache(maxsize=len(LETTERS))
def _stroke_gif(letter: str) -> bytes:
    return stroke_order_gif(letter, size=GIF_SIZE)


def stroke_gif(letter: str) -> Picture:
    """The letter written stroke by stroke, animated."""
    return Picture(_stroke_gif(letter), f"{letter_info(letter).romanization}-strokes.gif")


def stroke_picture(letter: str) -> Picture:
    """The letter with its strokes numbered in order."""
    return Picture(_stroke_png(letter), f"{letter_info(letter).romanization}-strokes.png")


WRITTEN_BLOCK = 160
"""The height of a syllable block in :func:`written_picture`, in pixels."""


@lru_cache(maxsize=256)
def _written_png(text: str) -> bytes:
    if len(text) == 1:
        image = render_syllable(text, None, size=WRITTEN_BLOCK)
    else:
        image = render_word(text, None, size_per_block=WRITTEN_BLOCK)
    return _png(Image.fromarray(np.pad(image, WRITTEN_BLOCK // 8, constant_values=255)))


def written_picture(text: str) -> Picture:
    """A syllable or word as the tutor writes it: each letter in its place in the block."""
    return Picture(_written_png(text), "how-it-looks.png")


def canonical_picture(canonical: np.ndarray) -> Picture:
    """What the model saw: the canonical image, dark ink on white, enlarged."""
    return Picture(_png(_as_seen(canonical, SHOWN_SIZE)), "what-i-saw.png")


def _as_seen(canonical: np.ndarray, side: int) -> Image.Image:
    """The canonical image, dark ink on white, enlarged to ``side``."""
    grey = (255 - np.clip(canonical, 0, 1) * 255).astype(np.uint8)
    return Image.fromarray(grey).resize((side, side), Image.Resampling.BILINEAR)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def side_by_side(canonical: np.ndarray, letter: str) -> Picture:
    """The learner's letter as I saw it beside ``letter`` with its strokes, each labelled."""
    side = 2 * SHOWN_SIZE
    font = ImageFont.load_default(size=LABEL_HEIGHT * 2 // 3)
    picture = Image.new("RGB", (2 * side + GAP, side + LABEL_HEIGHT), "white")
    picture.paste(_as_seen(canonical, side).convert("RGB"), (0, LABEL_HEIGHT))
    picture.paste(stroke_order_image(letter, side), (side + GAP, LABEL_HEIGHT))
    draw = ImageDraw.Draw(picture)
    for label, left in (("yours", 0), ("the letter", side + GAP)):
        draw.text(
            (left + side // 2, LABEL_HEIGHT // 2), label, fill="black", font=font, anchor="mm"
        )
    draw.line([(side + GAP // 2, 0), (side + GAP // 2, side + LABEL_HEIGHT)], fill="grey", width=2)
    return Picture(_png(picture), f"yours-and-{letter_info(letter).romanization}.png")
