"""What can come of reading a picture: one verdict code each, and one plain explanation of it.

The explanations are for people reading ``hangul-ml``'s output; the bot says each verdict to
learners in its own words (``bot.core.texts.VERDICTS``, one sentence per verdict here).
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """The outcome of reading one picture; anything but ``OK`` comes without a letter."""

    OK = "ok"
    EMPTY_FILE = "empty_file"
    NOT_AN_IMAGE = "not_an_image"
    TRUNCATED = "truncated"
    TOO_LARGE = "too_large"
    TOO_MANY_PIXELS = "too_many_pixels"
    ODD_SHAPE = "odd_shape"
    """Far longer than wide: a strip of pixels, not a picture of a letter."""
    UNSUPPORTED = "unsupported"
    """A kind of file the reader refuses to decode (see :mod:`ml.reading.decode`)."""
    TOO_SLOW = "too_slow"
    """Decoding it took longer than any ordinary picture does."""
    BLANK = "blank"
    TOO_SMALL = "too_small"
    SEVERAL_LETTERS = "several_letters"
    NOT_A_LETTER = "not_a_letter"
    TOO_MANY_BLOCKS = "too_many_blocks"
    """More syllable blocks than a word the reader takes, or several lines of them."""
    UNSURE = "unsure"
    """A syllable or word of which some letter is not clear enough to name."""
    ERROR = "error"
    UNREADABLE_FILE = "unreadable_file"
    """The file itself could not be read from disk (``hangul-ml predict`` only)."""


REASONS: dict[Verdict, str] = {
    Verdict.EMPTY_FILE: "The file is empty.",
    Verdict.NOT_AN_IMAGE: "This is not a picture I can read.",
    Verdict.TRUNCATED: "The picture is damaged or cut off; please send it again.",
    Verdict.TOO_LARGE: "The file is {megabytes:.0f} MB; please send a picture under {limit} MB.",
    Verdict.TOO_MANY_PIXELS: "The picture has too many pixels to open safely.",
    Verdict.ODD_SHAPE: "The picture is a thin strip, far longer than wide; no letter fits in it.",
    Verdict.UNSUPPORTED: "This kind of picture file is not one I open (lossless or arithmetic "
    "JPEG, run-length BMP, or an oversized TIFF tile); please send a photo or a PNG.",
    Verdict.TOO_SLOW: "The picture took too long to open; please send an ordinary photo or PNG.",
    Verdict.BLANK: "I can't find any writing in this picture; it looks blank or too faint.",
    Verdict.TOO_SMALL: "The letter is too small in the picture; please write it bigger or move "
    "closer.",
    Verdict.SEVERAL_LETTERS: "This looks like several letters or a word; please send one letter.",
    Verdict.NOT_A_LETTER: "This doesn't look like a Korean letter to me; please write one jamo, "
    "like ㄱ or ㅏ.",
    Verdict.TOO_MANY_BLOCKS: "This looks like a line of text or more; please send one letter, "
    "one syllable or a word of at most {limit} blocks, on one line.",
    Verdict.UNSURE: "I can't read every letter of this clearly enough to say what it is.",
    Verdict.ERROR: "Something went wrong while reading this picture; please try another one.",
}
"""Why a picture was not read, per verdict (``TOO_LARGE`` is filled in with the sizes,
``TOO_MANY_BLOCKS`` with the limit;
``UNREADABLE_FILE`` carries the operating system's own message)."""
