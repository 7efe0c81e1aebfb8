"""Pictures the reader must refuse, for the robustness suite.

:data:`JUNK_KINDS` make pictures that do not show exactly one letter (blank paper, a faint
smudge, doodles, several letters, photos of other things, noise, a flat colour);
:data:`HOSTILE_KINDS` make byte strings that must not crash it (empty, truncated, text, random
bytes, a 1x1 picture, a decompression bomb, a PNG named ``.jpg``).

Measuring only: the "not a letter" output is trained on :mod:`ml.training.junk`, which shares no
code with this module.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ml.evaluation.hostile import png_chunk
from ml.reading.alphabet import LETTERS
from ml.writing.picture_styles import (
    BICUBIC,
    BILINEAR,
    PHOTO_FRAMES,
    InkMaker,
    Rng,
    blend,
    blur,
    crop_ink,
    encode,
    expose,
    ink_alpha,
    jitter_colour,
    letter_ink,
    paste_box,
    phone_jpeg,
    photograph,
    pick,
    pixel_grid,
    screenshot,
)
from ml.writing.strokes import render_letter

# -- junk: pictures that do not show exactly one letter -------------------------------------------


def _draw_paths(paths: list[np.ndarray], rng: Rng, size: int = 256) -> np.ndarray:
    """Dark-on-white picture of pen strokes along ``paths`` (unit box, y down), hand-wobbled."""
    big = 4 * size
    page = Image.new("L", (big, big), 255)
    draw = ImageDraw.Draw(page)
    pen = big * rng.uniform(0.012, 0.03)
    for path in paths:
        t = np.linspace(0, 1, len(path))[:, None]
        freq, phase = rng.uniform(0.5, 3, 2), rng.uniform(0, 2 * np.pi, 2)
        wobble = rng.uniform(0.003, 0.012) * np.sin(2 * np.pi * freq * t + phase)
        points = (0.08 + 0.84 * (path + wobble)) * big
        draw.line(points.ravel().tolist(), fill=0, width=round(pen), joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    return np.asarray(page.reduce(4))


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float = 0, end: float = 360):
    angles = np.radians(np.linspace(start, end, 72))
    return np.stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)], axis=1)


def _doodle_paths(rng: Rng) -> list[np.ndarray]:
    """Strokes of a random doodle: a scribble, spiral, smiley, star, house, flower or sun."""
    kind = pick(rng, ("scribble", "spiral", "smiley", "star", "house", "flower", "sun"))
    if kind == "scribble":
        heading = np.cumsum(rng.normal(0, 0.45, 240)) + rng.uniform(0, 2 * np.pi)
        walk = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1), axis=0)
        walk = (walk - walk.min(axis=0)) / np.maximum(np.ptp(walk, axis=0), 1e-6)
        return [walk]
    if kind == "spiral":
        turns = rng.uniform(2, 4.5)
        t = np.linspace(0, 2 * np.pi * turns, 400)
        r = 0.03 + 0.45 * t / t[-1]
        return [np.stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)], axis=1)]
    if kind == "smiley":
        eye = rng.uniform(0.03, 0.06)
        return [
            _ellipse(0.5, 0.5, 0.45, 0.45),
            _ellipse(0.34, 0.38, eye, eye),
            _ellipse(0.66, 0.38, eye, eye),
            _ellipse(0.5, 0.52, 0.25, rng.uniform(0.12, 0.25), 20, 160),
        ]
    if kind == "star":
        angles = np.radians(np.arange(11) * 36 - 90)
        radii = np.where(np.arange(11) % 2 == 0, 0.5, rng.uniform(0.18, 0.25))
        return [np.stack([0.5 + radii * np.cos(angles), 0.52 + radii * np.sin(angles)], axis=1)]
    if kind == "house":
        paths = [
            np.array([[0.2, 0.45], [0.2, 0.95], [0.8, 0.95], [0.8, 0.45], [0.2, 0.45]]),
            np.array([[0.12, 0.47], [0.5, 0.08], [0.88, 0.47]]),
            np.array([[0.42, 0.95], [0.42, 0.7], [0.56, 0.7], [0.56, 0.95]]),
        ]
        if rng.random() < 0.7:
            paths.append(
                np.array([[0.64, 0.58], [0.74, 0.58], [0.74, 0.68], [0.64, 0.68], [0.64, 0.58]])
            )
        return paths
    if kind == "flower":
        n = int(rng.integers(5, 9))
        petals = [
            _ellipse(0.5 + 0.2 * np.cos(a), 0.35 + 0.2 * np.sin(a), 0.1, 0.1)
            for a in np.linspace(0, 2 * np.pi, n, endpoint=False)
        ]
        return [_ellipse(0.5, 0.35, 0.09, 0.09), *petals, np.array([[0.5, 0.62], [0.52, 1.0]])]
    rays = [
        np.array(
            [
                [0.5 + 0.3 * np.cos(a), 0.5 + 0.3 * np.sin(a)],
                [0.5 + 0.48 * np.cos(a), 0.5 + 0.48 * np.sin(a)],
            ]
        )
        for a in np.linspace(0, 2 * np.pi, int(rng.integers(6, 13)), endpoint=False)
    ]
    return [_ellipse(0.5, 0.5, 0.2, 0.2), *rays]


def _doodle(rng: Rng) -> bytes:
    source = _draw_paths(_doodle_paths(rng), rng)
    if rng.random() < 0.3:
        return screenshot(source, rng)
    return phone_jpeg(photograph(rng, letter_ink(source, rng), extent=(0.2, 0.7)), rng)


def _letter_row(rng: Rng) -> np.ndarray:
    """Dark-on-white picture of 2-5 random handwritten letters in a row, a column or two rows."""
    count = int(rng.integers(2, 6))
    height = 48
    glyphs = []
    for _ in range(count):
        glyph = crop_ink(render_letter(pick(rng, LETTERS), rng, 64))
        scale = height * rng.uniform(0.85, 1.15) / max(glyph.shape)
        size = (max(1, round(glyph.shape[1] * scale)), max(1, round(glyph.shape[0] * scale)))
        glyphs.append(np.asarray(Image.fromarray(glyph).resize(size, BILINEAR)))
    layout = rng.random()
    columns = count if layout < 0.75 else (1 if layout < 0.87 else (count + 1) // 2)
    rows = -(-count // columns)
    gap = height * rng.uniform(0.15, 0.5)
    cell = height * 1.15 + gap
    canvas = np.full((round(rows * cell + gap), round(columns * cell + gap)), 255, np.uint8)
    for k, glyph in enumerate(glyphs):
        centre = (
            gap + cell * (k % columns) + cell / 2 + rng.normal(0, 0.04) * height,
            gap + cell * (k // columns) + cell / 2 + rng.normal(0, 0.06) * height,
        )
        box = paste_box(canvas.shape, glyph.shape, centre)
        if box is not None:
            target = canvas[box[0], box[1]]
            canvas[box[0], box[1]] = np.minimum(target, glyph[box[2], box[3]])
    return canvas


def _several_letters(rng: Rng) -> bytes:
    source = _letter_row(rng)
    style = rng.random()
    if style < 0.6:
        return phone_jpeg(photograph(rng, letter_ink(source, rng), extent=(0.5, 0.95)), rng)
    if style < 0.8:
        return screenshot(source, rng, extent=(0.6, 0.95))
    scale = rng.uniform(1.5, 4)
    size = (round(source.shape[1] * scale), round(source.shape[0] * scale))
    return encode(Image.fromarray(source).resize(size, BICUBIC))


def _blank_page(rng: Rng) -> bytes:
    return phone_jpeg(photograph(rng, None), rng)


def _smudge(rng: Rng) -> InkMaker:
    """A mark that is not writing: a ghost of an erased letter, a blot or a finger streak."""
    kind = int(rng.integers(3))
    if kind == 0:
        ghost = render_letter(pick(rng, LETTERS), rng, 64)

        def make(side: int) -> np.ndarray:
            return blur(ink_alpha(ghost, side, 0.4), 0.03 * side)

        return make
    blots = rng.uniform(0.2, 0.8, (int(rng.integers(1, 4)), 4))

    def smear(side: int) -> np.ndarray:
        mark = Image.new("L", (side, side), 0)
        draw = ImageDraw.Draw(mark)
        for x, y, rx, ry in (blots * side).tolist():
            if kind == 1:
                draw.ellipse((x - rx / 3, y - ry / 3, x + rx / 3, y + ry / 3), fill=255)
            else:
                draw.line(
                    (x - rx / 2, y - ry / 4, x + rx / 2, y + ry / 4),
                    fill=255,
                    width=max(1, side // 12),
                )
        return np.asarray(mark.filter(ImageFilter.GaussianBlur(0.08 * side)), np.float32) / 255

    return smear


def _faint(rng: Rng) -> bytes:
    """A nearly invisible smudge, on a photographed page or on a flat scanned one."""
    smudge = _smudge(rng)
    opacity = rng.uniform(0.03, 0.09)
    if rng.random() < 0.5:
        return phone_jpeg(photograph(rng, smudge, extent=(0.15, 0.5), opacity=opacity), rng)
    width, height = (int(v) for v in rng.integers(200, 1001, 2))
    page = Image.new(
        "RGB", (width, height), tuple(int(v) for v in jitter_colour(rng, (248, 248, 246), 6))
    )
    mark = smudge(round(rng.uniform(0.2, 0.6) * min(width, height)))
    blend(
        page,
        mark * opacity,
        (width * rng.uniform(0.3, 0.7), height * rng.uniform(0.3, 0.7)),
        (90, 90, 95),
    )
    page = expose(page, rng)
    if rng.random() < 0.5:
        return encode(page)
    return encode(page, "JPEG", quality=int(rng.integers(70, 96)))


def _face(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: Rng) -> None:
    """A face-like composition of ellipses: shoulders, hair, face, eyes, brows, nose, mouth."""
    w, h = size
    s = min(w, h) * rng.uniform(0.35, 0.7)
    cx, cy = w / 2 + rng.uniform(-0.2, 0.2) * w, h / 2 + rng.uniform(-0.1, 0.1) * h
    skin = jitter_colour(rng, pick(rng, ((235, 200, 170), (200, 150, 110), (120, 80, 55))), 15)
    hair = jitter_colour(rng, pick(rng, ((25, 20, 18), (90, 60, 35), (200, 170, 110))), 10)

    def oval(x: float, y: float, rx: float, ry: float, colour) -> None:
        fill = tuple(int(v) for v in colour)
        draw.ellipse(
            (cx + (x - rx) * s, cy + (y - ry) * s, cx + (x + rx) * s, cy + (y + ry) * s), fill=fill
        )

    oval(0, 1.05, 0.9, 0.55, rng.uniform(0, 255, 3))
    oval(0, -0.15, 0.42, 0.47, hair)
    oval(0, 0, 0.35, 0.46, skin)
    for side in (-1, 1):
        oval(0.14 * side, -0.08, 0.07, 0.035, (240, 240, 235))
        oval(0.14 * side, -0.08, 0.03, 0.03, jitter_colour(rng, (50, 40, 35), 20))
        oval(0.14 * side, -0.17, 0.07, 0.015, hair)
    oval(0, 0.07, 0.04, 0.06, skin * 0.85)
    oval(0, 0.22, 0.12, 0.035, jitter_colour(rng, (180, 70, 80), 25))


def _photo_scene(rng: Rng) -> bytes:
    """A photo of something that is not writing: gradients, blurred shapes, textures, a face."""
    width, height = pick(rng, PHOTO_FRAMES)
    if rng.random() < 0.5:
        width, height = height, width
    scale = 384 / max(width, height)
    lw, lh = round(width * scale), round(height * scale)
    x, y = pixel_grid(lw, lh)
    angle = rng.uniform(0, 2 * np.pi)
    along = x * np.cos(angle) + y * np.sin(angle)
    along = ((along - along.min()) / np.ptp(along))[..., None]
    first, second = rng.uniform(0, 255, (2, 3))
    image = first + (second - first) * along
    blobs = Image.fromarray(rng.uniform(0, 255, (4, 4, 3)).astype(np.uint8)).resize(
        (lw, lh), BICUBIC
    )
    mix = rng.uniform(0.2, 0.6)
    image = image * (1 - mix) + np.asarray(blobs, np.float32) * mix
    if rng.random() < 0.5:
        texture = pick(rng, ("stripes", "checks", "grain"))
        freq = rng.uniform(15, 80)
        if texture == "stripes":
            pattern = np.sin((x * np.cos(angle * 2) + y * np.sin(angle * 2)) * freq)
        elif texture == "checks":
            pattern = np.sign(np.sin(x * freq) * np.sin(y * freq))
        else:
            pattern = rng.standard_normal((lh, lw))
        region = np.zeros((lh, lw, 1), np.float32)
        top, left = int(rng.integers(0, lh // 2)), int(rng.integers(0, lw // 2))
        region[
            top : top + int(rng.integers(lh // 3, lh)), left : left + int(rng.integers(lw // 3, lw))
        ] = 1
        image = image + region * pattern[..., None] * rng.uniform(15, 45)
    scene = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(scene)
    for _ in range(int(rng.integers(2, 8))):
        cx, cy = rng.uniform(0, lw), rng.uniform(0, lh)
        rx, ry = rng.uniform(0.05, 0.3, 2) * max(lw, lh)
        fill = tuple(rng.integers(0, 256, 3).tolist())
        if rng.random() < 0.5:
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)
        else:
            draw.rectangle((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)
    if rng.random() < 0.4:
        _face(draw, (lw, lh), rng)
    scene = scene.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 4)))
    return phone_jpeg(expose(scene.resize((width, height), BICUBIC), rng), rng)


def _noise(rng: Rng) -> bytes:
    """Random pixels: uniform colour or grey, Gaussian grey, salt and pepper, or coarse blocks."""
    width, height = (int(v) for v in rng.integers(32, 1025, 2))
    kind = int(rng.integers(5))
    if kind == 0:
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    elif kind == 1:
        pixels = rng.integers(0, 256, (height, width), dtype=np.uint8)
    elif kind == 2:
        grey = rng.normal(rng.uniform(40, 215), rng.uniform(10, 60), (height, width))
        pixels = np.clip(grey, 0, 255).astype(np.uint8)
    elif kind == 3:
        pixels = np.where(rng.random((height, width)) < rng.uniform(0.05, 0.5), 0, 255).astype(
            np.uint8
        )
    else:
        block = int(rng.integers(4, 33))
        coarse = rng.integers(0, 256, (-(-height // block), -(-width // block), 3), dtype=np.uint8)
        pixels = np.repeat(np.repeat(coarse, block, axis=0), block, axis=1)[:height, :width]
    picture = Image.fromarray(pixels)
    if rng.random() < 0.3:
        return encode(picture, "JPEG", quality=int(rng.integers(60, 96)))
    return encode(picture)


def _solid(rng: Rng) -> bytes:
    """One flat colour: white, black, grey or any colour, as PNG or JPEG."""
    width, height = (int(v) for v in rng.integers(16, 2049, 2))
    colour = pick(
        rng, ((255, 255, 255), (0, 0, 0), (128, 128, 128), tuple(rng.integers(0, 256, 3).tolist()))
    )
    picture = Image.new("RGB", (width, height), colour)
    if rng.random() < 0.4:
        return encode(picture, "JPEG", quality=int(rng.integers(60, 96)))
    return encode(picture)


JUNK_KINDS: dict[str, Callable[[Rng], bytes]] = {
    "blank_page": _blank_page,
    "faint": _faint,
    "doodle": _doodle,
    "several_letters": _several_letters,
    "photo_scene": _photo_scene,
    "noise": _noise,
    "solid": _solid,
}
"""Pictures that do not show exactly one letter; the reader should reject them."""


# -- hostile bytes --------------------------------------------------------------------------------


def _small_picture(rng: Rng) -> bytes:
    """A real, small PNG or JPEG of a handwritten letter."""
    letter = render_letter(pick(rng, LETTERS), rng, 64)
    if rng.random() < 0.5:
        return screenshot(letter, rng)
    return phone_jpeg(photograph(rng, letter_ink(letter, rng), frame=(800, 600)), rng)


def _truncated(rng: Rng) -> bytes:
    data = _small_picture(rng)
    return data[: int(len(data) * rng.uniform(0.05, 0.8))]


_TEXTS = (
    "Hello! Here is my homework: {n} letters, I hope they are right.\n",
    "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>{n}</body></html>\n",
    '{{"ok": false, "error_code": {n}, "description": "Bad Request: file is too big"}}\n',
    '<svg xmlns="http://www.w3.org/2000/svg" width="{n}" height="{n}">'
    '<text x="10" y="40">ㄱ</text></svg>\n',
    "letter,writer,score\nㄱ,{n},0.93\nㅏ,{n},0.71\n",
)


def _text(rng: Rng) -> bytes:
    return (
        pick(rng, _TEXTS).format(n=int(rng.integers(1, 1000))) * int(rng.integers(1, 20))
    ).encode()


_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"BM", b"RIFF", b"II*", b"MM\x00")


def _random_bytes(rng: Rng) -> bytes:
    data = rng.bytes(int(rng.integers(16, 300_000)))
    return b"\x00" + data[1:] if data.startswith(_MAGIC) else data


def _one_pixel(rng: Rng) -> bytes:
    mode = pick(rng, ("RGB", "L", "RGBA"))
    colour = tuple(rng.integers(0, 256, len(mode)).tolist())
    return encode(Image.new(mode, (1, 1), colour if len(mode) > 1 else colour[0]))


def _bomb(rng: Rng) -> bytes:
    """A PNG whose header claims 20000-100000 px a side, with a few rows of zeros as data."""
    width, height = (int(v) for v in rng.integers(20_000, 100_001, 2))
    colour_type, channels = pick(rng, ((0, 1), (2, 3)))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    rows = (b"\x00" * (1 + width * channels)) * int(rng.integers(1, 4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


def _wrong_extension(rng: Rng) -> bytes:
    """A real PNG of a letter, to be saved under a ``.jpg`` name."""
    letter = render_letter(pick(rng, LETTERS), rng, int(rng.integers(64, 257)))
    return screenshot(letter, rng) if rng.random() < 0.5 else encode(Image.fromarray(letter))


HOSTILE_KINDS: dict[str, Callable[[Rng], bytes]] = {
    "empty": lambda rng: b"",
    "truncated": _truncated,
    "text": _text,
    "random_bytes": _random_bytes,
    "one_pixel": _one_pixel,
    "bomb": _bomb,
    "wrong_extension": _wrong_extension,
}
"""Uploads that are not (whole, sane) pictures; the reader must answer them without crashing."""
