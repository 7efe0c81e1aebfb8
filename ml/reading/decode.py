"""Safe decoding of untrusted picture bytes into a small greyscale working image.

Every failure becomes a :class:`PictureError` with a verdict and a one-line explanation. The real
work a file asks for is bounded from its headers, format by format, before any pixel is decoded:

- JPEG: baseline, extended and progressive Huffman JPEGs only (what cameras, phones and chat apps
  write), up to 80 MP, decoded at a reduced scale (draft mode), with at most
  :data:`MAX_JPEG_SCANS` scans. Lossless, arithmetic-coded and hierarchical JPEGs are refused: no
  phone writes them, and Pillow's reduced-scale decoding of a lossless JPEG corrupts the heap.
- PNG, WebP, GIF, HEIF: decoded whole, so at most :data:`MAX_FULL_DECODE_PIXELS` (16 MP;
  screenshots and drawing apps are far below); an animation gives its first frame; 16-bit and
  floating-point greys are scaled to 8 bits.
- BMP: uncompressed and bit-field BMPs; run-length-coded ones are refused (Pillow decodes them in
  Python: a 36 KB file can take ten seconds).
- TIFF: strips or tiles of at most :data:`MAX_TIFF_BLOCK_PIXELS` each (one huge tile in a small
  picture is a memory bomb).

Whatever the format, a picture more than :data:`MAX_ASPECT` times longer than wide is refused (a
strip of pixels is no letter), and so is a file over :data:`MAX_FILE_BYTES`. What a decoder could
still do wrong is contained by :mod:`ml.reading.isolation`: a process with a memory cap and a
deadline per picture.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from ml.reading.verdicts import REASONS, Verdict

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger uploads are refused without decoding (a 12 MP phone JPEG is 3-6 MB)."""

MAX_PIXELS = 80_000_000
"""JPEGs declaring more pixels are refused before decoding."""

MAX_FULL_DECODE_PIXELS = 16_000_000
"""Formats decoded at full size (all but JPEG) may declare at most this many pixels."""

MAX_ASPECT = 20
"""A picture's longer side may be at most this many times its shorter one."""

MAX_JPEG_SCANS = 64
"""A progressive JPEG has about ten scans (plus those of its thumbnails); each one more is
decoded again, so a file that repeats its last scan a thousand times is a CPU bomb."""

MAX_TIFF_BLOCK_PIXELS = 4_000_000
"""The largest TIFF strip or tile decoded (the decoder allocates a whole one at once)."""

WORK_SIDE = 320
"""Longest side of the working image; one handwritten letter needs no more."""
KEEP_PIXELS = 1_000_000
"""A decoded image up to this size is kept for a closer look (:class:`Decoded`)."""

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")  # JPEG covers MPO

SEQUENTIAL_AND_PROGRESSIVE_JPEG = (0xC0, 0xC1, 0xC2)
"""The JPEG frame markers accepted: baseline, extended sequential and progressive Huffman."""

RUN_LENGTH_BMP = (1, 2)
"""BMP compressions RLE8 and RLE4."""

TRANSPARENT_SHARE = 0.3
"""With at least this share of (nearly) transparent pixels, the alpha channel is the ink."""

EIGHT_BIT_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV")

pillow_heif.register_heif_opener()


class PictureError(ValueError):
    """A picture that cannot be read: its verdict and a one-line explanation."""

    def __init__(self, code: Verdict, message: str | None = None) -> None:
        self.code = code
        self.message = message or REASONS[code]
        super().__init__(self.message)


def decode_greyscale(
    data: bytes, work_side: int = WORK_SIDE, longest_only: bool = False
) -> np.ndarray:
    """Decode picture bytes to a float32 greyscale array in [0, 1] (1 = white paper).

    The picture is turned upright by its EXIF orientation and is at most ``work_side`` pixels on
    its longest side. A picture with a largely transparent canvas is read from its alpha channel
    (opaque = ink, whatever colour the ink pixels carry); other transparency is composited over
    white. ``longest_only``: a JPEG is decoded at the smallest reduced scale whose longest side
    still reaches ``work_side``, rather than both sides (a closer look at a 12 MP photo decodes
    a quarter of its width, not half).
    """
    return decode(data, work_side, longest_only=longest_only).grey


@dataclass(frozen=True)
class Decoded:
    """A decoded picture: ``grey`` as :func:`decode_greyscale` gives it, the upright image it
    was shrunk from when that is small enough to keep (:data:`KEEP_PIXELS`; a JPEG is decoded
    at a reduced scale close to the working size), for a closer look without decoding again,
    and the longest side of the picture as stored."""

    grey: np.ndarray
    source: Image.Image | None
    stored_side: int

    def closer(self, side: int, strict: bool = False) -> np.ndarray | None:
        """The picture at most ``side`` pixels on its longest side, from the kept image (never
        enlarged), or None when none was kept; ``strict``: None also when the kept image is
        smaller than ``side`` while the stored picture is not (a JPEG's reduced-scale
        decoding), to be decoded again that close."""
        if self.source is None:
            return None
        if strict and max(self.source.size) < min(side, self.stored_side):
            return None
        return _as_array(self.source.copy(), side)


def decode(
    data: bytes, work_side: int = WORK_SIDE, keep: bool = False, longest_only: bool = False
) -> Decoded:
    """:func:`decode_greyscale`; ``keep``: also keep the larger decoded image when it is
    small."""
    if not data:
        raise PictureError(Verdict.EMPTY_FILE)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PictureError(Verdict.TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise PictureError(Verdict.NOT_AN_IMAGE) from None
        check_bounds(image, data)
        stored_side = max(image.size)
        try:
            upright = _upright(image, work_side, longest_only)
            small = upright.width * upright.height <= KEEP_PIXELS
            kept = upright.copy() if keep and small else None
            return Decoded(_as_array(upright, work_side), kept, stored_side)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning):
            raise PictureError(Verdict.TRUNCATED) from None
        except MemoryError:
            raise PictureError(Verdict.TOO_MANY_PIXELS) from None


def read_picture_file(path: Path | str) -> bytes:
    """A picture file's bytes; one over :data:`MAX_FILE_BYTES` is refused unread."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        return handle.read(MAX_FILE_BYTES + 1)


def _too_large(size: int) -> PictureError:
    limit = MAX_FILE_BYTES // 2**20
    message = REASONS[Verdict.TOO_LARGE].format(megabytes=size / 2**20, limit=limit)
    return PictureError(Verdict.TOO_LARGE, message)


def check_bounds(image: Image.Image, data: bytes) -> None:
    """Refuse, from its headers alone, a picture whose decoding would take more than a letter
    needs (see the module docstring)."""
    width, height = image.size
    if width < 1 or height < 1:
        raise PictureError(Verdict.NOT_AN_IMAGE)
    limit = MAX_PIXELS if image.format == "JPEG" else MAX_FULL_DECODE_PIXELS
    if width * height > limit:
        raise PictureError(Verdict.TOO_MANY_PIXELS)
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise PictureError(Verdict.ODD_SHAPE)
    if image.format == "JPEG":
        if jpeg_frame_marker(data) not in SEQUENTIAL_AND_PROGRESSIVE_JPEG:
            raise PictureError(Verdict.UNSUPPORTED)
        if data.count(b"\xff\xda") > MAX_JPEG_SCANS:
            raise PictureError(Verdict.UNSUPPORTED)
    elif image.format == "BMP" and image.info.get("compression") in RUN_LENGTH_BMP:
        raise PictureError(Verdict.UNSUPPORTED)
    elif image.format == "TIFF" and _tiff_block_pixels(image) > MAX_TIFF_BLOCK_PIXELS:
        raise PictureError(Verdict.UNSUPPORTED)


def jpeg_frame_marker(data: bytes) -> int | None:
    """The marker of a JPEG's first frame header (``0xC0``: baseline, ``0xC2``: progressive,
    ``0xC3``: lossless, ...), read by walking the segments before the first scan (thumbnails
    inside APP segments are skipped with them); None if there is none."""
    position = 2  # after SOI
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return marker
        if marker in (0xD9, 0xDA):  # end of image or a scan before any frame
            return None
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return None


def _tiff_block_pixels(image: Image.Image) -> int:
    """The pixels of the largest strip or tile the TIFF's decoder would allocate."""
    tags = getattr(image, "tag_v2", {})
    width, height = image.size
    if 322 in tags or 323 in tags:  # TileWidth, TileLength
        return int(tags.get(322, width)) * int(tags.get(323, height))
    return width * min(int(tags.get(278, height)), height)  # RowsPerStrip


def _upright(image: Image.Image, work_side: int, longest_only: bool = False) -> Image.Image:
    """The image loaded (a JPEG at the smallest scale still at least ``work_side`` on both
    sides, or on its longest side only), turned by its EXIF orientation, in an 8-bit mode."""
    if image.format == "JPEG":
        box = (work_side, work_side)
        if longest_only:
            shrink = work_side / max(image.size)
            box = (max(1, round(image.width * shrink)), max(1, round(image.height * shrink)))
        image.draft("L", box)
    image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode not in EIGHT_BIT_MODES:
        image = _eight_bit(image)
    return image


def _as_array(image: Image.Image, work_side: int) -> np.ndarray:
    """:func:`_upright`'s image shrunk to at most ``work_side`` (in place) as the working
    array."""
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


def _eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit, 32-bit or floating-point grey picture as 8-bit grey, its range kept."""
    values = np.asarray(image, dtype=np.float32)
    full_scale = 65535.0 if image.mode.startswith("I;16") else float(values.max() or 1.0)
    return Image.fromarray((np.clip(values / full_scale, 0, 1) * 255).astype(np.uint8), "L")
