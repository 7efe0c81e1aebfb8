"""The hostile-input suite: files made to take a picture reader down, each format's bombs among
them, generated here (nothing is downloaded). :func:`write_hostile_suite` writes them to a
folder, at full size (what an attacker would send) or small (for the tests); every one must get a
verdict, quickly and in bounded memory, from ``hangul-ml predict`` and the bot.

The kinds, and what each one attacks:

- ``lossless_jpeg``, ``arithmetic_jpeg``: JPEG processes no phone writes; Pillow's reduced-scale
  decoding of a real lossless JPEG (made by :func:`lossless_jpeg`) corrupts the heap.
- ``jpeg_repeated_scans``: a progressive JPEG whose last scan comes again and again (CPU).
- ``jpeg_four_gigapixels``, ``gif_huge_screen``, ``bmp_declares_huge``: headers that declare far
  more pixels than the file holds.
- ``png_strip``, ``png_80mp_rgba``, ``webp_80mp_lossless``, ``heic_80mp``: small files that decode
  to hundreds of megabytes (``png_strip`` as a one-pixel-wide strip).
- ``png_text_bomb``: a compressed text chunk that inflates to 100 MB.
- ``tiff_huge_tile``: a 16x16 TIFF whose one tile is 16384x16384.
- ``bmp_rle8_end_of_lines``: run-length BMP that Pillow decodes in Python (CPU).
- ``broken_exif``, ``polyglot_png_zip``, ``polyglot_jpeg_html``, ``valid_16bit_grey_png``:
  odd but legitimate pictures, which must be read, not refused as broken.
- ``truncated_jpeg``, ``random_bytes``, ``text``, ``empty``, ``two_gigabytes`` (a sparse file
  that must be refused unread).
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ml.reading.decode import MAX_FILE_BYTES

SEED = 14
ZERO_ROWS_BYTES = 1 << 20
"""How many bytes of zero rows :func:`png_of_zeros` compresses at a time."""


def png_chunk(tag: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, tag, body, CRC."""
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def png_of_zeros(width: int, height: int, colour_type: int, channels: int, depth: int = 8) -> bytes:
    """A PNG of ``width`` x ``height`` zero pixels, written without holding them as an image."""
    row = b"\x00" * (1 + width * channels * depth // 8)
    rows_at_once = max(1, ZERO_ROWS_BYTES // len(row))
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * rows_at_once) for _ in range(height // rows_at_once)]
    parts.append(compressor.compress(row * (height % rows_at_once)))
    data = b"".join(parts) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def _letter_picture(side: int = 400) -> Image.Image:
    """A plain handwritten-looking ㄱ on white."""
    page = Image.new("L", (side, side), 250)
    draw = ImageDraw.Draw(page)
    draw.line([(side * 0.2, side * 0.25), (side * 0.75, side * 0.25), (side * 0.72, side * 0.8)],
              fill=20, width=max(2, side // 12), joint="curve")  # fmt: skip
    return page


def _noise(side: int) -> np.ndarray:
    return np.random.default_rng(SEED).integers(0, 256, (side, side), dtype=np.uint8)


def _jpeg(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


# -- lossless JPEG (ITU-T T.81 annex H), written by hand: Pillow cannot write one --------------

_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))
"""The standard luminance DC table (T.81 K.3): categories 0-11, enough for 8-bit differences."""


def _huffman_codes() -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length, count in enumerate(_DC_BITS, start=1):
        for _ in range(count):
            codes[_DC_VALUES[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def lossless_jpeg(pixels: np.ndarray) -> bytes:
    """A greyscale lossless JPEG (SOF3, predictor 1) of 8-bit ``pixels``."""
    height, width = pixels.shape
    codes = _huffman_codes()
    values = pixels.astype(np.int32)
    predicted = np.empty_like(values)
    predicted[:, 1:] = values[:, :-1]  # left neighbour
    predicted[1:, 0] = values[:-1, 0]  # the first of a row: the one above
    predicted[0, 0] = 128
    bits: list[str] = []
    for diff in (values - predicted).ravel().tolist():
        size = abs(diff).bit_length()
        code, length = codes[size]
        bits.append(format(code, f"0{length}b"))
        if size:
            extra = diff if diff > 0 else diff + (1 << size) - 1
            bits.append(format(extra, f"0{size}b"))
    stream = "".join(bits)
    stream += "1" * (-len(stream) % 8)
    data = int(stream, 2).to_bytes(len(stream) // 8, "big").replace(b"\xff", b"\xff\x00")
    frame = struct.pack(">BHHB", 8, height, width, 1) + bytes((1, 0x11, 0))
    table = bytes((0x00,)) + bytes(_DC_BITS) + bytes(_DC_VALUES)
    scan = bytes((1, 1, 0x00, 1, 0, 0))  # one component, table 0; predictor 1, Se 0, Ah/Al 0
    return (
        b"\xff\xd8"
        + _segment(0xC3, frame)
        + _segment(0xC4, table)
        + _segment(0xDA, scan)
        + data
        + b"\xff\xd9"
    )


# -- the kinds ---------------------------------------------------------------------------------


def _arithmetic_jpeg(full: bool) -> bytes:
    data = bytearray(_jpeg(_letter_picture()))
    frame = data.index(b"\xff\xc0")
    data[frame + 1] = 0xC9  # SOF9: extended sequential, arithmetic coding
    return bytes(data)


def _jpeg_repeated_scans(full: bool) -> bytes:
    """A progressive 12 MP photo of a letter (256 px small) whose last scan comes 1000 times."""
    picture = _letter_picture(3024).resize((4032, 3024)) if full else Image.fromarray(_noise(256))
    data = _jpeg(picture.convert("RGB"), progressive=True, quality=90)
    last = data.rindex(b"\xff\xda")
    scan = data[last:-2]
    return data[:last] + scan * (1000 if full else 100) + b"\xff\xd9"


def _jpeg_four_gigapixels(full: bool) -> bytes:
    data = bytearray(_jpeg(_letter_picture(64)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", 65500, 65500)
    return bytes(data)


def _gif_huge_screen(full: bool) -> bytes:
    out = io.BytesIO()
    Image.new("P", (1, 1)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 65535, 65535)  # the logical screen
    return bytes(data)


def _bmp_declares_huge(full: bool) -> bytes:
    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, "BMP")
    data = bytearray(out.getvalue())
    data[18:26] = struct.pack("<ii", 30000, 30000)
    return bytes(data)


def _bmp_rle8_end_of_lines(full: bool) -> bytes:
    """An RLE8 BMP whose data is end-of-line escapes: each makes the decoder pad a row."""
    width = height = 4000
    body = b"\x00\x00" * (18000 if full else 2000) + b"\x00\x01"
    palette = b"".join(bytes((v, v, v, 0)) for v in range(256))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(body), 2835, 2835, 256, 0)
    offset = 14 + len(info) + len(palette)
    header = b"BM" + struct.pack("<IHHI", offset + len(body), 0, 0, offset)
    return header + info + palette + body


def _png_strip(full: bool) -> bytes:
    return png_of_zeros(1, 79_999_999 if full else 200_000, 0, 1)


def _png_80mp_rgba(full: bool) -> bytes:
    side = 8944 if full else 4100
    return png_of_zeros(side, side, 6, 4)


def _png_text_bomb(full: bool) -> bytes:
    text = b"Comment\x00\x00" + zlib.compress(b"A" * (100 if full else 10) * 2**20, 9)
    picture = io.BytesIO()
    _letter_picture(64).save(picture, "PNG")
    data = picture.getvalue()
    end = data.index(b"IEND") - 4
    return data[:end] + png_chunk(b"zTXt", text) + data[end:]


def _webp_80mp_lossless(full: bool) -> bytes:
    side = 8944 if full else 4100
    out = io.BytesIO()
    Image.new("RGB", (side, side), (255, 255, 255)).save(out, "WEBP", lossless=True)
    return out.getvalue()


def _heic_80mp(full: bool) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    width, height = (8944, 8944) if full else (4100, 3920)
    out = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(out, "HEIF", quality=10)
    return out.getvalue()


def _tiff_huge_tile(full: bool) -> bytes:
    """A 16x16 greyscale TIFF stored as one deflated tile of 16384x16384 (4096 small)."""
    tile = 16384 if full else 4096
    compressor = zlib.compressobj(9)
    row = b"\x00" * tile
    data = b"".join(compressor.compress(row) for _ in range(tile)) + compressor.flush()
    entries = [  # tag, type (3 short, 4 long), value
        (256, 3, 16), (257, 3, 16), (258, 3, 8), (259, 3, 8), (262, 3, 1), (277, 3, 1),
        (322, 4, tile), (323, 4, tile), (324, 4, 0), (325, 4, len(data)),
    ]  # fmt: skip
    ifd_offset = 8
    data_offset = ifd_offset + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = data_offset if tag == 324 else value
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    return b"II*\x00" + struct.pack("<I", ifd_offset) + ifd + b"\x00\x00\x00\x00" + data


def _broken_exif(full: bool) -> bytes:
    """A letter JPEG whose EXIF says orientation 9 and points one directory past its end."""
    entries = [(0x0112, 3, 9), (0x8769, 4, 0x7FFFFFF0)]  # orientation; a directory far away
    tiff = b"II*\x00" + struct.pack("<IH", 8, len(entries))
    for tag, kind, value in entries:
        tiff += struct.pack("<HHII", tag, kind, 1, value)
    data = _jpeg(_letter_picture())
    return data[:2] + _segment(0xE1, b"Exif\x00\x00" + tiff + b"\x00" * 4) + data[2:]


def _polyglot_png_zip(full: bool) -> bytes:
    picture = io.BytesIO()
    _letter_picture().save(picture, "PNG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "a PNG that is also a ZIP archive")
    return picture.getvalue() + archive.getvalue()


def _polyglot_jpeg_html(full: bool) -> bytes:
    script = b"<html><script>alert('hangul')</script></html>"
    data = _jpeg(_letter_picture())
    return data[:2] + _segment(0xFE, script) + data[2:] + script


def _valid_16bit_grey_png(full: bool) -> bytes:
    values = np.asarray(_letter_picture(2000), dtype=np.uint16) * 257
    out = io.BytesIO()
    Image.fromarray(values).save(out, "PNG")
    return out.getvalue()


def _truncated_jpeg(full: bool) -> bytes:
    data = _jpeg(_letter_picture())
    return data[: len(data) // 2]


HOSTILE_KINDS: dict[str, tuple[str, Callable[[bool], bytes]]] = {
    "lossless_jpeg": (".jpg", lambda full: lossless_jpeg(_noise(1000 if full else 200))),
    "arithmetic_jpeg": (".jpg", _arithmetic_jpeg),
    "jpeg_repeated_scans": (".jpg", _jpeg_repeated_scans),
    "jpeg_four_gigapixels": (".jpg", _jpeg_four_gigapixels),
    "gif_huge_screen": (".gif", _gif_huge_screen),
    "bmp_declares_huge": (".bmp", _bmp_declares_huge),
    "bmp_rle8_end_of_lines": (".bmp", _bmp_rle8_end_of_lines),
    "png_strip": (".png", _png_strip),
    "png_80mp_rgba": (".png", _png_80mp_rgba),
    "png_text_bomb": (".png", _png_text_bomb),
    "webp_80mp_lossless": (".webp", _webp_80mp_lossless),
    "heic_80mp": (".heic", _heic_80mp),
    "tiff_huge_tile": (".tif", _tiff_huge_tile),
    "broken_exif": (".jpg", _broken_exif),
    "polyglot_png_zip": (".png", _polyglot_png_zip),
    "polyglot_jpeg_html": (".jpg", _polyglot_jpeg_html),
    "valid_16bit_grey_png": (".png", _valid_16bit_grey_png),
    "truncated_jpeg": (".jpg", _truncated_jpeg),
    "random_bytes": (".jpg", lambda full: np.random.default_rng(SEED).bytes(200_000)),
    "text": (".png", lambda full: b"This is not a picture of a letter.\n" * 100),
    "empty": (".jpg", lambda full: b""),
}
"""Each kind's file name extension and maker (``full``: attack size, else test size)."""
LEGITIMATE = ("broken_exif", "polyglot_png_zip", "polyglot_jpeg_html", "valid_16bit_grey_png")
"""Kinds that are real pictures of a letter: they must be read, not refused as broken."""


def write_hostile_suite(folder: Path | str, full: bool = False) -> list[Path]:
    """Write every kind to ``folder`` (plus ``two_gigabytes.jpg``, a sparse file over the size
    limit that costs no disk); returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (extension, make) in HOSTILE_KINDS.items():
        path = folder / f"{kind}{extension}"
        path.write_bytes(make(full))
        written.append(path)
    sparse = folder / "two_gigabytes.jpg"
    with open(sparse, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(2 * 2**30 if full else MAX_FILE_BYTES + 2**20)
    return [*written, sparse]


@dataclass(frozen=True)
class Figures:
    """What reading one hostile file cost ``hangul-ml predict``."""

    file: str
    verdict: str
    exit_code: int
    seconds: float
    peak_mb: float
    """The largest peak resident memory (``VmHWM``, sampled every 10 ms) of the command or of
    any process it started. Not ``ru_maxrss``: after a fork and exec that counts the forking
    parent's memory too."""


def measure_predict(files: list[Path], command: Sequence[str]) -> list[Figures]:
    """Run ``command`` (``hangul-ml predict --json``) on each file in a process of its own; its
    verdict, exit code, wall time and peak memory."""
    figures = []
    for path in files:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        peaks: dict[int, float] = {}
        while True:
            _sample_peaks(process.pid, peaks)
            done, status = os.waitpid(process.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        output = process.stdout.read().decode("utf-8", "replace")
        process.stdout.close()
        verdicts = [json.loads(line)["verdict"] for line in output.splitlines() if line]
        peak = max(peaks.values(), default=0.0)
        figures.append(
            Figures(
                file=path.name,
                verdict=verdicts[0] if verdicts else "(no answer)",
                exit_code=os.waitstatus_to_exitcode(status),
                seconds=round(seconds, 3),
                peak_mb=round(peak, 1),
            )
        )
    return figures


def tree_memory_mb(pid: int) -> float:
    """The resident memory (``VmRSS``) of ``pid`` and every process below it, summed: what a
    container's memory limit counts."""
    total = 0.0
    for process in _descendants(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        rss = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        total += sum(int(line.split()[1]) for line in rss)
    return total / 1024


def _sample_peaks(pid: int, peaks: dict[int, float]) -> None:
    """Record the peak resident memory (VmHWM) of ``pid`` and every process below it."""
    for process in _descendants(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[process] = max(peaks.get(process, 0.0), int(line.split()[1]) / 1024)


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process started below it, as ``/proc`` lists them now."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found
