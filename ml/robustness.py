"""Our own robustness suite: realistic degraded pictures of clean letters, and junk to reject.

Every clean letter picture (dark ink on white) is turned into three pictures a user could send:

* ``photo``: a phone photo of the letter handwritten on paper (paper tint, ruled lines or a
  grid, lighting gradient, a hand or phone shadow, pen colour, perspective, rotation, defocus,
  sensor noise, JPEG at quality 60-95, 0.3-5 MP or the full 12 MP, sometimes stored sideways
  with an EXIF orientation tag: see :func:`phone_jpeg`);
* ``screen``: a drawing-app screenshot, light strokes on a dark canvas (PNG);
* ``alpha``: a transparent PNG whose ink lives only in the alpha channel.

:data:`JUNK_KINDS` make pictures that do not show exactly one letter (blank paper, a faint
smudge, doodles, several letters, photos of other things, noise, a flat colour), which the reader
should reject; :data:`HOSTILE_KINDS` make byte strings that must not crash it (empty, truncated,
text, random bytes, a 1x1 picture, a decompression bomb, a PNG named ``.jpg``).

:func:`build_suite` writes a browsable tree::

    out/clean/<jamo>/<n>.png      the source letter (4x, nearest neighbour)
    out/photo/<jamo>/<n>.jpg      photo_version of the same letter (same n)
    out/screen/<jamo>/<n>.png
    out/alpha/<jamo>/<n>.png
    out/junk/<kind>/<n>.<ext>     ext from the content (jpg or png)
    out/hostile/<kind>/<n>.<ext>  jpg or png, as an upload would be named

File ``n`` of folder ``f`` is drawn from ``np.random.default_rng([seed, crc32(f), n])``, so a seed
gives the same bytes every time and adding a kind never changes the other folders.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ml.alphabet import LETTERS
from ml.data import LetterSet
from ml.preprocess import ink_box
from ml.strokes import render_letter

Rng = np.random.Generator
InkMaker = Callable[[int], np.ndarray]
"""Given the ink's longer side in pixels, its coverage map (float32 in [0, 1])."""

FULL_FRAME = (4032, 3024)
"""A 12 MP phone camera frame (landscape)."""

PHOTO_FRAMES = (
    (640, 480), (800, 600), (1024, 768), (1280, 960), (1600, 1200), (1920, 1080),
    (2048, 1536), (2592, 1944),
)  # fmt: skip
"""Frames a photo is taken at unless the full 12 MP is asked for (messaging apps resend photos
at 1280 x 960)."""

ORIENTATION = 0x0112
_BICUBIC = Image.Resampling.BICUBIC
_BILINEAR = Image.Resampling.BILINEAR
_STORED = {  # EXIF orientation -> how the upright picture is stored so that viewers undo it
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}
_PAGE_SIDE = 2400
"""Longest side of the flat page rendered before the camera's warp (bigger frames upsample)."""
_INK_WORK_SIDE = 384
_PAPERS = ((250, 250, 248), (250, 243, 222), (214, 214, 210), (232, 238, 250))
_PENS = (  # colour, opacity range, pencil grain
    ((25, 25, 30), (0.9, 1.0), False),
    ((22, 30, 90), (0.85, 1.0), False),
    ((35, 60, 170), (0.7, 0.95), False),
    ((75, 75, 80), (0.5, 0.85), True),
    ((165, 30, 40), (0.8, 1.0), False),
)
_PEN_ODDS = (0.34, 0.2, 0.26, 0.15, 0.05)
_CANVASES = ((12, 12, 14), (34, 34, 38), (18, 26, 58), (28, 46, 38))
_BRUSHES = ((255, 255, 255), (255, 232, 90), (180, 230, 255), (255, 190, 220), (190, 255, 190))


def _pick(rng: Rng, options: Sequence, p: Sequence[float] | None = None):
    return options[int(rng.choice(len(options), p=p))]


def _colour(rng: Rng, base: Sequence[float], spread: float) -> np.ndarray:
    return np.clip(np.asarray(base, np.float32) + rng.uniform(-spread, spread, 3), 0, 255)


def _smooth_field(rng: Rng, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random field of ``shape`` (about N(0, 1)) with ``cells`` bumps along its width."""
    h, w = shape
    ch = max(2, round(cells * h / max(w, 1)))
    coarse = Image.fromarray(rng.standard_normal((ch, max(2, cells))).astype(np.float32))
    return np.asarray(coarse.resize((w, h), Image.Resampling.BICUBIC), np.float32)


def _blur(values: np.ndarray, radius: float) -> np.ndarray:
    """A Gaussian blur of a map of values in [0, 1] (through an 8-bit picture)."""
    picture = Image.fromarray(np.round(np.clip(values, 0, 1) * 255).astype(np.uint8))
    return np.asarray(picture.filter(ImageFilter.GaussianBlur(float(radius))), np.float32) / 255.0


def _grid(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates scaled so that the longer side spans [-1, 1]."""
    side = max(width, height)
    x = (np.arange(width, dtype=np.float32) + 0.5 - width / 2) * 2 / side
    y = (np.arange(height, dtype=np.float32) + 0.5 - height / 2) * 2 / side
    return x[None, :], y[:, None]


def _encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# -- ink ------------------------------------------------------------------------------------------


def _crop_ink(picture: np.ndarray) -> np.ndarray:
    """The part of a dark-on-white picture that holds its ink (the whole picture if blank)."""
    box = ink_box(picture < 200)
    return picture if box is None else picture[box]


def _ink_alpha(source: np.ndarray, side: int, level: float, pen: float | None = None) -> np.ndarray:
    """Ink coverage (float32) of a dark-on-white picture, cropped to its ink and scaled so that
    the ink's longer side is ``side`` px, with smooth anti-aliased stroke edges instead of pixel
    blocks; a small margin is kept around the ink.

    The source is upsampled, blurred by half a source pixel and re-thresholded softly at
    ``level`` (0.3-0.6; lower draws a bolder pen). ``pen`` thins strokes wider than that
    fraction of ``side`` (a ballpoint instead of a marker).
    """
    ink = 1.0 - _crop_ink(source).astype(np.float32) / 255.0
    ink = np.pad(ink, 2)
    h, w = ink.shape
    scale = max(side, 1) / max(h - 4, w - 4, 1)  # final px per source px
    work = min(scale, _INK_WORK_SIDE / max(h, w))  # work px per source px
    picture = Image.fromarray(np.round(ink * 255).astype(np.uint8))
    picture = picture.resize((max(1, round(w * work)), max(1, round(h * work))), _BICUBIC)
    picture = picture.filter(ImageFilter.GaussianBlur(float(0.5 * work)))
    alpha = np.asarray(picture, np.float32) / 255.0
    edge = min(1.2 / max(work, 1e-6), 2 * min(level, 1 - level))  # level span of a 1.2 px wide edge
    alpha = np.clip((alpha / max(float(alpha.max()), 1e-3) - level) / edge + 0.5, 0.0, 1.0)
    if pen is not None:
        alpha = _thin(alpha, pen * side * work / scale)
    if scale > work * 1.05:
        sharpen = max(1.0, scale / work / 1.5)  # keeps edges about 1.5 px wide
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        alpha = np.asarray(Image.fromarray(alpha).resize(size, _BICUBIC), np.float32)
        alpha = np.clip((alpha - 0.5) * sharpen + 0.5, 0.0, 1.0)
    return alpha.astype(np.float32)


def _stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary mask: twice its area over its boundary length."""
    padded = np.pad(mask, 1)
    inner = padded[1:-1, :-2] & padded[1:-1, 2:] & padded[:-2, 1:-1] & padded[2:, 1:-1]
    return 2.0 * np.count_nonzero(mask) / max(int(np.count_nonzero(mask & ~inner)), 1)


def _morph_step(values: np.ndarray, op: Callable, square: bool) -> np.ndarray:
    """One step of grey erosion (``op=np.minimum``) or dilation (``np.maximum``) by a 3x3
    square or cross; outside counts as 0."""
    p = np.pad(values, 1)
    values = op(op(values, op(p[1:-1, :-2], p[1:-1, 2:])), op(p[:-2, 1:-1], p[2:, 1:-1]))
    if square:
        values = op(values, op(op(p[:-2, :-2], p[:-2, 2:]), op(p[2:, :-2], p[2:, 2:])))
    return values


def _morph(values: np.ndarray, radius: int, op: Callable) -> np.ndarray:
    """Grey erosion or dilation by a disk of ``radius`` px (squares and crosses alternating)."""
    for k in range(radius):
        values = _morph_step(values, op, k % 2 == 0)
    return values


def _thin(alpha: np.ndarray, width: float) -> np.ndarray:
    """Strokes eroded (as by a thinner pen) so that their mean width approaches ``width`` px,
    but never by more than 0.65 of the half width of the thinnest strokes, so none vanishes."""
    mask = alpha >= 0.5
    current = _stroke_width(mask)
    want = (current - width) / 2
    if want < 1:
        return alpha
    depth = np.zeros(alpha.shape, np.float32)  # erosion steps each ink pixel survives
    layer = mask.astype(np.float32)
    for k in range(min(int(current) + 2, 64)):
        layer = _morph_step(layer, np.minimum, k % 2 == 0)
        if not layer.any():
            break
        depth += layer
    ridge = (depth >= 1) & (depth >= _morph_step(depth, np.maximum, True))
    if not ridge.any():
        return alpha
    radius = int(min(want, 0.65 * float(np.percentile(depth[ridge], 10))))
    return _morph(alpha, radius, np.minimum) if radius >= 1 else alpha


def _letter_ink(source: np.ndarray, rng: Rng, thin_p: float = 0.6) -> InkMaker:
    """A random pen's rendering of ``source``: its boldness, and with probability ``thin_p`` a
    pen 3-9 % of the letter's size wide."""
    level = rng.uniform(0.3, 0.6)
    pen = rng.uniform(0.03, 0.09) if rng.random() < thin_p else None
    return lambda side: _ink_alpha(source, side, level, pen)


def _paste_box(
    canvas_shape: tuple[int, int], patch_shape: tuple[int, int], centre: Sequence[float]
) -> tuple[slice, slice, slice, slice] | None:
    """Canvas and patch slices of a patch centred at ``centre`` (x, y), clipped to the canvas."""
    top = int(round(centre[1] - patch_shape[0] / 2))
    left = int(round(centre[0] - patch_shape[1] / 2))
    y0, x0 = max(top, 0), max(left, 0)
    y1 = min(top + patch_shape[0], canvas_shape[0])
    x1 = min(left + patch_shape[1], canvas_shape[1])
    if y1 <= y0 or x1 <= x0:
        return None
    return slice(y0, y1), slice(x0, x1), slice(y0 - top, y1 - top), slice(x0 - left, x1 - left)


def _place_alpha(shape: tuple[int, int], alpha: np.ndarray, centre: Sequence[float]) -> np.ndarray:
    """A coverage map of ``shape`` holding ``alpha`` centred at ``centre`` (x, y)."""
    canvas = np.zeros(shape, np.float32)
    box = _paste_box(shape, alpha.shape, centre)
    if box is not None:
        canvas[box[0], box[1]] = alpha[box[2], box[3]]
    return canvas


# -- phone photos ---------------------------------------------------------------------------------


def _homography(src: np.ndarray, dst: np.ndarray) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE coefficients mapping the 4 points ``src`` onto ``dst``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src.tolist(), dst.tolist(), strict=True):
        rows.append([x, y, 1, 0, 0, 0, -x * u, -y * u])
        rows.append([0, 0, 0, x, y, 1, -x * v, -y * v])
        rhs.extend([u, v])
    return tuple(np.linalg.solve(np.array(rows), np.array(rhs)).tolist())


def _map_point(c: Sequence[float], point: Sequence[float]) -> tuple[float, float]:
    x, y = point
    d = c[6] * x + c[7] * y + 1
    return (c[0] * x + c[1] * y + c[2]) / d, (c[3] * x + c[4] * y + c[5]) / d


def _paper(size: tuple[int, int], rng: Rng, letter_px: float) -> tuple[Image.Image, np.ndarray]:
    """A flat page: tinted, mottled paper, blank, ruled (maybe with a margin), squared or
    dotted, the line spacing set relative to the size of the writing."""
    width, height = size
    tint = _colour(rng, _pick(rng, _PAPERS, (0.45, 0.25, 0.15, 0.15)), 5)
    mottle = _smooth_field(rng, (max(2, height // 8), max(2, width // 8)), 12)
    mottle = np.clip(128 + mottle * rng.uniform(0.5, 3.0), 0, 255).astype(np.uint8)
    texture = Image.fromarray(mottle).resize(size, _BILINEAR)
    page = ImageChops.add(
        Image.new("RGB", size, tuple(int(v) for v in tint)),
        Image.merge("RGB", (texture,) * 3),
        1.0,
        -128,
    )
    rule = _pick(rng, ("plain", "ruled", "grid", "dots"), (0.3, 0.35, 0.25, 0.1))
    if rule == "plain":
        return page, tint
    ink = _colour(rng, _pick(rng, ((140, 175, 230), (170, 170, 175), (150, 205, 170))), 12)
    line = tuple(int(v) for v in tint + (ink - tint) * rng.uniform(0.35, 0.9))
    spacing = max(8.0, min(width, height) / 90, letter_px * rng.uniform(0.3, 1.1))
    thick = max(1, round(letter_px * rng.uniform(0.01, 0.03)))
    draw = ImageDraw.Draw(page)
    ys = np.arange(rng.uniform(0, spacing), height, spacing)
    xs = np.arange(rng.uniform(0, spacing), width, spacing)
    if rule == "dots":
        r = thick
        for x in xs.tolist():
            for y in ys.tolist():
                draw.ellipse((x - r, y - r, x + r, y + r), fill=line)
        return page, tint
    for y in ys.tolist():
        draw.line((0, y, width, y), fill=line, width=thick)
    if rule == "grid":
        for x in xs.tolist():
            draw.line((x, 0, x, height), fill=line, width=thick)
    elif rng.random() < 0.3:
        x = rng.uniform(0.05, 0.3) * width
        margin = tuple(int(v) for v in tint + (np.array([220, 90, 110]) - tint) * 0.6)
        draw.line((x, 0, x, height), fill=margin, width=thick)
    return page, tint


def _write_on(page: Image.Image, alpha: np.ndarray, centre: Sequence[float], rng: Rng) -> None:
    """Ink ``alpha`` onto the page at ``centre`` with a random pen (ballpoint, pencil, ...)."""
    colour, opacity, pencil = _pick(rng, _PENS, _PEN_ODDS)
    colour = _colour(rng, colour, 10)
    if pencil:
        alpha = alpha * _blur(rng.uniform(0.6, 1.0, alpha.shape), 0.7)
    pressure = 1 + 0.12 * np.clip(_smooth_field(rng, alpha.shape, 4), -1.5, 1.5)
    _blend(page, alpha * pressure * rng.uniform(*opacity), centre, colour)


def _blend(page: Image.Image, alpha: np.ndarray, centre: Sequence[float], colour) -> None:
    """Darken the page towards ``colour`` (filtered by the paper, like real ink) by ``alpha``."""
    box = _paste_box((page.height, page.width), alpha.shape, centre)
    if box is None:
        return
    rows, cols, arows, acols = box
    region = (cols.start, rows.start, cols.stop, rows.stop)
    paper = np.asarray(page.crop(region), np.float32)
    a = np.clip(alpha[arows, acols], 0.0, 1.0)[..., None]
    inked = paper * (1 - a) + a * paper * (np.asarray(colour, np.float32) / 255.0)
    page.paste(Image.fromarray(np.round(inked).astype(np.uint8)), region[:2])


def _desk(size: tuple[int, int], rng: Rng) -> Image.Image:
    """What is around the page: a wooden, dark, light or cloth-covered table."""
    width, height = size
    scale = 256 / max(width, height)
    lw, lh = max(2, round(width * scale)), max(2, round(height * scale))
    x, y = _grid(lw, lh)
    kind = int(rng.integers(4))
    base = _colour(rng, ((150, 100, 60), (45, 45, 48), (200, 195, 185), (60, 80, 130))[kind], 25)
    shade = 0.06 * _smooth_field(rng, (lh, lw), 5)
    if kind == 0:  # wood grain
        angle = rng.uniform(0, np.pi)
        along = x * np.cos(angle) + y * np.sin(angle)
        shade = shade + 0.1 * np.sin(
            along * rng.uniform(20, 60) + 3 * _smooth_field(rng, (lh, lw), 3)
        )
    elif kind == 3:  # woven cloth
        shade = shade + 0.05 * np.sin(x * 400) * np.sin(y * 400)
    rgb = np.clip(base * (1 + shade[..., None]), 0, 255).astype(np.uint8)
    return Image.fromarray(rgb).resize(size, _BICUBIC)


def _shadow(lw: int, lh: int, rng: Rng) -> np.ndarray:
    """A soft shadow (0..1) of a hand or phone reaching in from one edge of the picture."""
    a, b = np.sort(rng.uniform(-0.2, 1.2, 2))
    b = max(b, a + 0.3)
    n = int(rng.integers(2, 6))
    inner_u = np.linspace(b, a, n) + rng.normal(0, 0.05, n)
    inner_v = rng.uniform(0.15, 0.65) * rng.uniform(0.6, 1.2, n)
    uv = [(a, -0.1), (b, -0.1), *zip(inner_u.tolist(), inner_v.tolist(), strict=True)]
    edge = int(rng.integers(4))
    points = [
        ((u * lw, v * lh), (u * lw, (1 - v) * lh), (v * lw, u * lh), ((1 - v) * lw, u * lh))[edge]
        for u, v in uv
    ]
    mask = Image.new("L", (lw, lh), 0)
    ImageDraw.Draw(mask).polygon(points, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(rng.uniform(0.02, 0.09) * max(lw, lh)))
    return np.asarray(mask, np.float32) / 255.0


def _lighting(size: tuple[int, int], rng: Rng) -> np.ndarray:
    """Low-resolution RGB gains (at most 0.94) of the scene's light over a picture of ``size``:
    white balance, exposure, a vignette or side light, and sometimes a shadow."""
    width, height = size
    scale = 192 / max(width, height)
    lw, lh = max(2, round(width * scale)), max(2, round(height * scale))
    x, y = _grid(lw, lh)
    gain = np.ones((lh, lw), np.float32)
    if rng.random() < 0.65:
        cx, cy = rng.uniform(-0.3, 0.3, 2)
        r2 = (x - cx) ** 2 + (y - cy) ** 2
        gain = gain * (1 - rng.uniform(0.1, 0.45) * r2 / r2.max())
    if rng.random() < 0.6:
        angle = rng.uniform(0, 2 * np.pi)
        along = x * np.cos(angle) + y * np.sin(angle)
        along = (along - along.min()) / np.ptp(along)
        gain = gain * (1 - rng.uniform(0.1, 0.45) * along)
    balance = _pick(rng, ((1, 1, 1), (1, 0.93, 0.8), (0.9, 0.96, 1), (0.96, 1, 0.95)))
    rgb = gain[..., None] * _colour(rng, balance, 0.03)[None, None] * rng.uniform(0.7, 0.94)
    if rng.random() < 0.45:
        shade = _shadow(lw, lh, rng)[..., None] * rng.uniform(0.2, 0.55)
        rgb = rgb * (1 - shade * np.array([1.0, 0.97, 0.88], np.float32))
    return np.clip(rgb, 0, 0.94)


def _expose(image: Image.Image, rng: Rng, light: np.ndarray | None = None) -> Image.Image:
    """The picture under ``light`` (low-resolution RGB gains; 0.94 if ``None``) with sensor
    noise (luminance and chroma, grainy over 2 px or more after demosaicing and denoising),
    both applied in one full-resolution pass."""
    w, h = image.size
    grain = max(2.0, max(w, h) / 1600)
    nw, nh = max(1, round(w / grain)), max(1, round(h / grain))
    sigma = rng.uniform(0.004, 0.022)  # of the signal: 1-5 grey levels on paper
    noise = 1 + rng.standard_normal((nh, nw, 1), dtype=np.float32) * sigma
    noise = noise + rng.standard_normal((nh, nw, 3), dtype=np.float32) * (0.4 * sigma)
    if light is None:
        gain = np.float32(0.94)
    else:
        small = Image.fromarray(np.round(light * 255).astype(np.uint8))
        small = small.resize((nw, nh), _BILINEAR)
        gain = np.asarray(small, np.float32) / 255
    field = Image.fromarray(np.clip(gain * noise * 255, 0, 255).astype(np.uint8))
    return ImageChops.multiply(image, field.resize((w, h), _BILINEAR))


def _optics(page: Image.Image, rng: Rng, pixel: float) -> Image.Image:
    """Defocus and in-phone sharpening, applied to the flat page (cheaper than to a 12 MP
    frame); ``pixel`` is the size of 1/1600 of the frame's longer side in page pixels."""
    if rng.random() < 0.65:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 2.2) * pixel))
    if rng.random() < 0.3:
        page = page.filter(ImageFilter.UnsharpMask(1.5 * pixel, int(rng.integers(40, 120)), 2))
    return page


def _photo(
    rng: Rng,
    ink: InkMaker | None,
    extent: tuple[float, float] = (0.15, 0.6),
    frame: tuple[int, int] | None = None,
    opacity: float | None = None,
) -> Image.Image:
    """A phone photo (RGB, upright) of a page with ``ink`` written on it, its longer side a
    fraction ``extent`` of the frame's shorter side; ``opacity`` fixes a grey pencil's strength
    instead of a random pen."""
    width, height = frame or _pick(rng, PHOTO_FRAMES)
    if rng.random() < 0.6:
        width, height = min(width, height), max(width, height)  # held upright
    page_scale = min(1.0, _PAGE_SIDE / max(width, height))
    page_size = (round(width * page_scale), round(height * page_scale))
    theta = np.radians(rng.uniform(-15, 15))
    tilt = rng.uniform(0.0, 0.05)
    desk = rng.random() < 0.3
    c, s = abs(np.cos(theta)), abs(np.sin(theta))
    fit = page_scale * min(width / (width * c + height * s), height / (width * s + height * c))
    zoom = float(fit) * (rng.uniform(1.1, 1.45) if desk else 0.98 * (1 - 2.5 * tilt))
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    centre_f = np.array([width, height], np.float32) / 2
    centre_p = np.array(page_size) / 2
    if desk:
        centre_p = centre_p + rng.uniform(-0.15, 0.15, 2) * np.array(page_size)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    mapped = centre_p + (corners - centre_f) @ rotation.T * zoom
    coeffs = _homography(corners, mapped + rng.uniform(-tilt, tilt, (4, 2)) * page_size)

    letter_frame = rng.uniform(*extent) * min(width, height)
    page, tint = _paper(page_size, rng, letter_frame * zoom)
    if ink is not None:
        alpha = ink(max(4, round(letter_frame * zoom)))
        ah, aw = np.array(alpha.shape) / zoom
        reach = np.array([aw * c + ah * s, aw * s + ah * c])  # its box in the frame
        room = np.maximum(np.array([width, height]) - reach, 0) / 2 * (0.5 if desk else 0.85)
        centre = _map_point(coeffs, centre_f + rng.uniform(-1, 1, 2) * room)
        half = np.minimum(np.array([alpha.shape[1], alpha.shape[0]]) / 2, np.array(page_size) / 2)
        centre = np.clip(centre, half, np.array(page_size) - half)  # on the page, not the desk
        if opacity is None:
            _write_on(page, alpha, centre, rng)
        else:
            _blend(page, alpha * opacity, centre, _colour(rng, (100, 100, 105), 20))

    page = _optics(page, rng, zoom * max(width, height) / 1600)
    warp = Image.Transform.PERSPECTIVE
    if not desk:
        fill = tuple(int(v) for v in tint)
        shot = page.transform((width, height), warp, coeffs, _BILINEAR, fillcolor=fill)
    else:
        page.putalpha(255)
        shot = page.transform((width, height), warp, coeffs, _BILINEAR, fillcolor=(0, 0, 0, 0))
        table = _desk((width, height), rng)
        table.paste(shot, (0, 0), shot)
        shot = table
    return _expose(shot, rng, _lighting((width, height), rng))


def phone_jpeg(image: Image.Image, rng: Rng) -> bytes:
    """JPEG bytes of an upright RGB picture as a phone or messaging app stores it: quality
    60-95; sometimes the pixels lie sideways or upside down with the EXIF orientation (6, 8 or
    3) that turns them upright, sometimes the tag says 1, sometimes there is no EXIF at all."""
    exif = Image.Exif()
    if rng.random() < 0.35:
        tag = int(_pick(rng, (6, 8, 3), (0.5, 0.25, 0.25)))
        image = image.transpose(_STORED[tag])
        exif[ORIENTATION] = tag
    elif rng.random() < 0.5:
        exif[ORIENTATION] = 1
    options = {"quality": int(rng.integers(60, 96)), "subsampling": _pick(rng, (2, 2, 0))}
    if len(exif):
        options["exif"] = exif.tobytes()
    return _encode(image, "JPEG", **options)


def photo_version(letter: np.ndarray, rng: Rng, full_size: bool = False) -> bytes:
    """JPEG bytes of a simulated phone photo of ``letter`` (uint8, dark ink on white) written on
    paper; ``full_size`` takes it at 12 MP (4032 x 3024) instead of a random smaller frame."""
    return phone_jpeg(
        _photo(rng, _letter_ink(letter, rng), frame=FULL_FRAME if full_size else None), rng
    )


# -- screenshots and transparent pictures ---------------------------------------------------------


def _screen(source: np.ndarray, rng: Rng, extent: tuple[float, float] = (0.3, 0.8)) -> bytes:
    """PNG of a drawing-app canvas with ``source``'s ink drawn in a light brush."""
    width = int(rng.integers(300, 1201))
    height = int(np.clip(width * _pick(rng, (1.0, 1.0, rng.uniform(1.2, 2.1), 0.75)), 300, 1200))
    background = _colour(rng, _pick(rng, _CANVASES), 8)
    image = np.empty((height, width, 3), np.float32)
    image[:] = background
    area = [0, 0, width, height]  # left, top, right, bottom where the letter may go
    bar = None
    if rng.random() < 0.4:
        edge = int(rng.integers(4))
        thick = round(rng.uniform(0.03, 0.09) * (height if edge < 2 else width))
        bar_colour = _colour(rng, background + rng.uniform(15, 60), 10)
        bar = (edge, thick)
        if edge == 0:
            image[:thick], area[1] = bar_colour, thick
        elif edge == 1:
            image[height - thick :], area[3] = bar_colour, height - thick
        elif edge == 2:
            image[:, :thick], area[0] = bar_colour, thick
        else:
            image[:, width - thick :], area[2] = bar_colour, width - thick
    elif rng.random() < 0.3:
        border = int(rng.integers(2, 12))
        frame_colour = _colour(rng, (90, 90, 96), 30)
        image[:border], image[-border:] = frame_colour, frame_colour
        image[:, :border], image[:, -border:] = frame_colour, frame_colour
        area = [border, border, width - border, height - border]
    room_w, room_h = area[2] - area[0], area[3] - area[1]
    side = round(rng.uniform(*extent) * min(room_w, room_h))
    alpha = _letter_ink(source, rng, thin_p=0.4)(side)
    ah, aw = alpha.shape
    centre = (
        area[0] + room_w / 2 + rng.uniform(-1, 1) * max(room_w - aw, 0) / 2,
        area[1] + room_h / 2 + rng.uniform(-1, 1) * max(room_h - ah, 0) / 2,
    )
    cover = _place_alpha((height, width), alpha, centre)
    if rng.random() < 0.2:  # a glowing neon brush
        cover = np.maximum(cover, 0.5 * _blur(cover, 0.02 * min(width, height)))
    brush = _colour(rng, _pick(rng, _BRUSHES), 10)
    image = image * (1 - cover[..., None]) + brush * cover[..., None]
    picture = Image.fromarray(np.round(image).astype(np.uint8))
    if bar is not None and rng.random() < 0.6:
        _icons(picture, bar, rng)
    return _encode(picture)


def _icons(picture: Image.Image, bar: tuple[int, int], rng: Rng) -> None:
    """A few small light tool icons (dots and rounded squares) along a toolbar."""
    edge, thick = bar
    draw = ImageDraw.Draw(picture)
    length = picture.width if edge < 2 else picture.height
    r = thick * rng.uniform(0.2, 0.32)
    colour = tuple(int(v) for v in _colour(rng, (200, 200, 205), 40))
    for along in np.linspace(0.1, 0.9, int(rng.integers(3, 7))) * length:
        across = (
            thick / 2
            if edge in (0, 2)
            else (picture.height if edge == 1 else picture.width) - thick / 2
        )
        x, y = (along, across) if edge < 2 else (across, along)
        box = (x - r, y - r, x + r, y + r)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rounded_rectangle(box, radius=r / 3, outline=colour, width=max(1, round(r / 4)))


def screen_version(letter: np.ndarray, rng: Rng) -> bytes:
    """PNG bytes of a drawing-app screenshot: ``letter`` in a light brush on a dark canvas."""
    return _screen(letter, rng)


def alpha_version(letter: np.ndarray, rng: Rng) -> bytes:
    """RGBA PNG bytes of ``letter`` on a fully transparent canvas, its ink only in the alpha
    channel: the colour under the ink is black, some colour or even white, and the colour of
    transparent pixels black, white or garbage (viewers ignore it)."""
    width, height = (int(v) for v in rng.integers(200, 1001, 2))
    side = round(rng.uniform(0.4, 0.85) * min(width, height))
    alpha = _letter_ink(letter, rng, thin_p=0.4)(side)
    ah, aw = alpha.shape
    centre = (
        width / 2 + rng.uniform(-1, 1) * max(width - aw, 0) / 2,
        height / 2 + rng.uniform(-1, 1) * max(height - ah, 0) / 2,
    )
    cover = np.round(_place_alpha((height, width), alpha, centre) * 255).astype(np.uint8)
    ink = _pick(rng, ((0, 0, 0), tuple(rng.integers(0, 256, 3).tolist()), (255, 255, 255)))
    under = _pick(rng, ("black", "white", "noise", "picture"))
    if under in ("black", "white"):
        rgb = np.full((height, width, 3), 0 if under == "black" else 255, np.uint8)
    elif under == "noise":
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    else:  # a stale picture left in the colour channels
        field = np.stack([_smooth_field(rng, (height, width), 4) for _ in range(3)], axis=2)
        rgb = np.clip(128 + 60 * field, 0, 255).astype(np.uint8)
    rgb[cover > 0] = np.array(ink, np.uint8)
    return _encode(Image.fromarray(np.dstack([rgb, cover]), "RGBA"))


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
    kind = _pick(rng, ("scribble", "spiral", "smiley", "star", "house", "flower", "sun"))
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
        return _screen(source, rng)
    return phone_jpeg(_photo(rng, _letter_ink(source, rng), extent=(0.2, 0.7)), rng)


def _letter_row(rng: Rng) -> np.ndarray:
    """Dark-on-white picture of 2-5 random handwritten letters in a row, a column or two rows."""
    count = int(rng.integers(2, 6))
    height = 48
    glyphs = []
    for _ in range(count):
        glyph = _crop_ink(render_letter(_pick(rng, LETTERS), rng, 64))
        scale = height * rng.uniform(0.85, 1.15) / max(glyph.shape)
        size = (max(1, round(glyph.shape[1] * scale)), max(1, round(glyph.shape[0] * scale)))
        glyphs.append(np.asarray(Image.fromarray(glyph).resize(size, _BILINEAR)))
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
        box = _paste_box(canvas.shape, glyph.shape, centre)
        if box is not None:
            target = canvas[box[0], box[1]]
            canvas[box[0], box[1]] = np.minimum(target, glyph[box[2], box[3]])
    return canvas


def _several_letters(rng: Rng) -> bytes:
    source = _letter_row(rng)
    style = rng.random()
    if style < 0.6:
        return phone_jpeg(_photo(rng, _letter_ink(source, rng), extent=(0.5, 0.95)), rng)
    if style < 0.8:
        return _screen(source, rng, extent=(0.6, 0.95))
    scale = rng.uniform(1.5, 4)
    size = (round(source.shape[1] * scale), round(source.shape[0] * scale))
    return _encode(Image.fromarray(source).resize(size, _BICUBIC))


def _blank_page(rng: Rng) -> bytes:
    return phone_jpeg(_photo(rng, None), rng)


def _smudge(rng: Rng) -> InkMaker:
    """A mark that is not writing: a ghost of an erased letter, a blot or a finger streak."""
    kind = int(rng.integers(3))
    if kind == 0:
        ghost = render_letter(_pick(rng, LETTERS), rng, 64)

        def make(side: int) -> np.ndarray:
            return _blur(_ink_alpha(ghost, side, 0.4), 0.03 * side)

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
        return phone_jpeg(_photo(rng, smudge, extent=(0.15, 0.5), opacity=opacity), rng)
    width, height = (int(v) for v in rng.integers(200, 1001, 2))
    page = Image.new(
        "RGB", (width, height), tuple(int(v) for v in _colour(rng, (248, 248, 246), 6))
    )
    mark = smudge(round(rng.uniform(0.2, 0.6) * min(width, height)))
    _blend(
        page,
        mark * opacity,
        (width * rng.uniform(0.3, 0.7), height * rng.uniform(0.3, 0.7)),
        (90, 90, 95),
    )
    page = _expose(page, rng)
    if rng.random() < 0.5:
        return _encode(page)
    return _encode(page, "JPEG", quality=int(rng.integers(70, 96)))


def _face(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: Rng) -> None:
    """A face-like composition of ellipses: shoulders, hair, face, eyes, brows, nose, mouth."""
    w, h = size
    s = min(w, h) * rng.uniform(0.35, 0.7)
    cx, cy = w / 2 + rng.uniform(-0.2, 0.2) * w, h / 2 + rng.uniform(-0.1, 0.1) * h
    skin = _colour(rng, _pick(rng, ((235, 200, 170), (200, 150, 110), (120, 80, 55))), 15)
    hair = _colour(rng, _pick(rng, ((25, 20, 18), (90, 60, 35), (200, 170, 110))), 10)

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
        oval(0.14 * side, -0.08, 0.03, 0.03, _colour(rng, (50, 40, 35), 20))
        oval(0.14 * side, -0.17, 0.07, 0.015, hair)
    oval(0, 0.07, 0.04, 0.06, skin * 0.85)
    oval(0, 0.22, 0.12, 0.035, _colour(rng, (180, 70, 80), 25))


def _photo_scene(rng: Rng) -> bytes:
    """A photo of something that is not writing: gradients, blurred shapes, textures, a face."""
    width, height = _pick(rng, PHOTO_FRAMES)
    if rng.random() < 0.5:
        width, height = height, width
    scale = 384 / max(width, height)
    lw, lh = round(width * scale), round(height * scale)
    x, y = _grid(lw, lh)
    angle = rng.uniform(0, 2 * np.pi)
    along = x * np.cos(angle) + y * np.sin(angle)
    along = ((along - along.min()) / np.ptp(along))[..., None]
    first, second = rng.uniform(0, 255, (2, 3))
    image = first + (second - first) * along
    blobs = Image.fromarray(rng.uniform(0, 255, (4, 4, 3)).astype(np.uint8)).resize(
        (lw, lh), _BICUBIC
    )
    mix = rng.uniform(0.2, 0.6)
    image = image * (1 - mix) + np.asarray(blobs, np.float32) * mix
    if rng.random() < 0.5:
        texture = _pick(rng, ("stripes", "checks", "grain"))
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
    return phone_jpeg(_expose(scene.resize((width, height), _BICUBIC), rng), rng)


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
        return _encode(picture, "JPEG", quality=int(rng.integers(60, 96)))
    return _encode(picture)


def _solid(rng: Rng) -> bytes:
    """One flat colour: white, black, grey or any colour, as PNG or JPEG."""
    width, height = (int(v) for v in rng.integers(16, 2049, 2))
    colour = _pick(
        rng, ((255, 255, 255), (0, 0, 0), (128, 128, 128), tuple(rng.integers(0, 256, 3).tolist()))
    )
    picture = Image.new("RGB", (width, height), colour)
    if rng.random() < 0.4:
        return _encode(picture, "JPEG", quality=int(rng.integers(60, 96)))
    return _encode(picture)


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
    letter = render_letter(_pick(rng, LETTERS), rng, 64)
    if rng.random() < 0.5:
        return _screen(letter, rng)
    return phone_jpeg(_photo(rng, _letter_ink(letter, rng), frame=(800, 600)), rng)


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
        _pick(rng, _TEXTS).format(n=int(rng.integers(1, 1000))) * int(rng.integers(1, 20))
    ).encode()


_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"BM", b"RIFF", b"II*", b"MM\x00")


def _random_bytes(rng: Rng) -> bytes:
    data = rng.bytes(int(rng.integers(16, 300_000)))
    return b"\x00" + data[1:] if data.startswith(_MAGIC) else data


def _one_pixel(rng: Rng) -> bytes:
    mode = _pick(rng, ("RGB", "L", "RGBA"))
    colour = tuple(rng.integers(0, 256, len(mode)).tolist())
    return _encode(Image.new(mode, (1, 1), colour if len(mode) > 1 else colour[0]))


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def _bomb(rng: Rng) -> bytes:
    """A PNG whose header claims 20000-100000 px a side, with a few rows of zeros as data."""
    width, height = (int(v) for v in rng.integers(20_000, 100_001, 2))
    colour_type, channels = _pick(rng, ((0, 1), (2, 3)))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    rows = (b"\x00" * (1 + width * channels)) * int(rng.integers(1, 4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _wrong_extension(rng: Rng) -> bytes:
    """A real PNG of a letter, to be saved under a ``.jpg`` name."""
    letter = render_letter(_pick(rng, LETTERS), rng, int(rng.integers(64, 257)))
    return _screen(letter, rng) if rng.random() < 0.5 else _encode(Image.fromarray(letter))


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


# -- the suite on disk ----------------------------------------------------------------------------


def _file_rng(seed: int, folder: str, n: int) -> Rng:
    return np.random.default_rng([seed, zlib.crc32(folder.encode()), n])


def _extension(kind: str, data: bytes) -> str:
    if kind != "wrong_extension" and data.startswith(b"\x89PNG"):
        return "png"
    return "jpg"


def build_suite(
    letters: LetterSet,
    out: Path | str,
    seed: int = 0,
    junk_per_kind: int = 40,
    photo_12mp_every: int = 25,
) -> dict[str, int]:
    """Write the suite under ``out`` (see the module docstring) and return the number of files
    per folder (``photo``, ``junk/doodle``, ...). Every ``photo_12mp_every``-th photo is taken
    at the full 12 MP (0: never); each junk and hostile kind gets ``junk_per_kind`` files."""
    out = Path(out)
    counts: dict[str, int] = {}

    def write(folder: str, name: str, data: bytes) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts[folder] = counts.get(folder, 0) + 1

    variants = (("photo", "jpg"), ("screen", "png"), ("alpha", "png"))
    for n, (image, label) in enumerate(zip(letters.images, letters.labels, strict=True)):
        source = 255 - image  # canonical (ink = 255) back to dark ink on white
        jamo = LETTERS[int(label)]
        big = Image.fromarray(source).resize(
            (source.shape[1] * 4, source.shape[0] * 4), Image.Resampling.NEAREST
        )
        write("clean", f"clean/{jamo}/{n}.png", _encode(big))
        full = photo_12mp_every > 0 and (n + 1) % photo_12mp_every == 0
        for folder, ext in variants:
            rng = _file_rng(seed, folder, n)
            if folder == "photo":
                data = photo_version(source, rng, full_size=full)
            else:
                data = (screen_version if folder == "screen" else alpha_version)(source, rng)
            write(folder, f"{folder}/{jamo}/{n}.{ext}", data)
    for group, kinds in (("junk", JUNK_KINDS), ("hostile", HOSTILE_KINDS)):
        for kind, make in kinds.items():
            folder = f"{group}/{kind}"
            for n in range(junk_per_kind):
                data = make(_file_rng(seed, folder, n))
                write(folder, f"{folder}/{n}.{_extension(kind, data)}", data)
    return counts
