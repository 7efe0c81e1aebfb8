"""Safe decoding of untrusted picture bytes into a small greyscale working image.

Every failure becomes a :class:`PictureError` with a short ``code`` for scripts and a one-line
``message`` for people; nothing here lets a hostile file exhaust memory or CPU: the byte size and
the pixel count are checked before any pixel is decoded, and large JPEGs are decoded at a reduced
scale (Pillow's draft mode) instead of at full resolution.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from ml.reading.verdicts import REASONS, Verdict

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger uploads are refused without decoding (a 12 MP phone JPEG is 3-6 MB)."""

MAX_PIXELS = 80_000_000
"""Images declaring more pixels are refused as decompression bombs before decoding."""

WORK_SIDE = 320
"""Longest side of the working image; one handwritten letter needs no more."""

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")  # JPEG covers MPO

TRANSPARENT_SHARE = 0.3
"""With at least this share of (nearly) transparent pixels, the alpha channel is the ink."""

pillow_heif.register_heif_opener()


class PictureError(ValueError):
    """A picture that cannot be read: its verdict and a one-line explanation."""

    def __init__(self, code: Verdict, message: str | None = None) -> None:
        self.code = code
        self.message = message or REASONS[code]
        super().__init__(self.message)


def decode_greyscale(data: bytes, work_side: int = WORK_SIDE) -> np.ndarray:
    """Decode picture bytes to a float32 greyscale array in [0, 1] (1 = white paper).

    The picture is turned upright by its EXIF orientation and is at most ``work_side`` pixels on
    its longest side. A picture with a largely transparent canvas is read from its alpha channel
    (opaque = ink, whatever colour the ink pixels carry); other transparency is composited over
    white.
    """
    if not data:
        raise PictureError(Verdict.EMPTY_FILE)
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        message = REASONS[Verdict.TOO_LARGE].format(megabytes=len(data) / 2**20, limit=limit)
        raise PictureError(Verdict.TOO_LARGE, message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise PictureError(Verdict.NOT_AN_IMAGE) from None
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels()
        if width < 1 or height < 1:
            raise PictureError(Verdict.NOT_AN_IMAGE)
        try:
            return _to_working_array(image, work_side)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning):
            raise PictureError(Verdict.TRUNCATED) from None


def _too_many_pixels() -> PictureError:
    return PictureError(Verdict.TOO_MANY_PIXELS)


def _to_working_array(image: Image.Image, work_side: int) -> np.ndarray:
    if image.format == "JPEG":
        image.draft("L", (work_side, work_side))
    image.load()
    image = ImageOps.exif_transpose(image)
    image.thumbnail((work_side, work_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / 255.0
        if np.mean(alpha < 0.5) >= TRANSPARENT_SHARE:
            return 1.0 - alpha
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    return grey / 255.0
