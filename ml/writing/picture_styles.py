"""Realistic versions of a clean letter picture (dark ink on white), as a learner would send it.

* :func:`photo_version`: a phone photo of the letter handwritten on paper (paper tint, ruled
  lines or a grid, lighting gradient, a hand or phone shadow, pen colour, perspective, rotation,
  defocus, sensor noise, JPEG at quality 60-95, 0.3-5 MP or the full 12 MP, sometimes stored
  sideways with an EXIF orientation tag: see :func:`phone_jpeg`);
* :func:`screen_version`: a drawing-app screenshot, light strokes on a dark canvas (PNG);
* :func:`alpha_version`: a transparent PNG whose ink lives only in the alpha channel;
* :func:`smooth_version`: the letter drawn large with soft edges on clipped white (an upscaled
  drawing, a scan with its levels adjusted).

Used by the robustness suite (:mod:`ml.evaluation.robustness`) and its junk
(:mod:`ml.evaluation.suite_junk`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ml.reading.ink import ink_box

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
BICUBIC = Image.Resampling.BICUBIC
BILINEAR = Image.Resampling.BILINEAR
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


def pick(rng: Rng, options: Sequence, p: Sequence[float] | None = None):
    return options[int(rng.choice(len(options), p=p))]


def jitter_colour(rng: Rng, base: Sequence[float], spread: float) -> np.ndarray:
    return np.clip(np.asarray(base, np.float32) + rng.uniform(-spread, spread, 3), 0, 255)


def _smooth_field(rng: Rng, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random field of ``shape`` (about N(0, 1)) with ``cells`` bumps along its width."""
    h, w = shape
    ch = max(2, round(cells * h / max(w, 1)))
    coarse = Image.fromarray(rng.standard_normal((ch, max(2, cells))).astype(np.float32))
    return np.asarray(coarse.resize((w, h), Image.Resampling.BICUBIC), np.float32)


def blur(values: np.ndarray, radius: float) -> np.ndarray:
    """A Gaussian blur of a map of values in [0, 1] (through an 8-bit picture)."""
    picture = Image.fromarray(np.round(np.clip(values, 0, 1) * 255).astype(np.uint8))
    return np.asarray(picture.filter(ImageFilter.GaussianBlur(float(radius))), np.float32) / 255.0


def pixel_grid(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates scaled so that the longer side spans [-1, 1]."""
    side = max(width, height)
    x = (np.arange(width, dtype=np.float32) + 0.5 - width / 2) * 2 / side
    y = (np.arange(height, dtype=np.float32) + 0.5 - height / 2) * 2 / side
    return x[None, :], y[:, None]


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# -- ink ------------------------------------------------------------------------------------------


def crop_ink(picture: np.ndarray) -> np.ndarray:
    """The part of a dark-on-white picture that holds its ink (the whole picture if blank)."""
    box = ink_box(picture < 200)
    return picture if box is None else picture[box]


def ink_alpha(source: np.ndarray, side: int, level: float, pen: float | None = None) -> np.ndarray:
    """Ink coverage (float32) of a dark-on-white picture, cropped to its ink and scaled so that
    the ink's longer side is ``side`` px, with smooth anti-aliased stroke edges instead of pixel
    blocks; a small margin is kept around the ink.

    The source is upsampled, blurred by half a source pixel and re-thresholded softly at
    ``level`` (0.3-0.6; lower draws a bolder pen). ``pen`` thins strokes wider than that
    fraction of ``side`` (a ballpoint instead of a marker).
    """
    ink = 1.0 - crop_ink(source).astype(np.float32) / 255.0
    ink = np.pad(ink, 2)
    h, w = ink.shape
    scale = max(side, 1) / max(h - 4, w - 4, 1)  # final px per source px
    work = min(scale, _INK_WORK_SIDE / max(h, w))  # work px per source px
    picture = Image.fromarray(np.round(ink * 255).astype(np.uint8))
    picture = picture.resize((max(1, round(w * work)), max(1, round(h * work))), BICUBIC)
    picture = picture.filter(ImageFilter.GaussianBlur(float(0.5 * work)))
    alpha = np.asarray(picture, np.float32) / 255.0
    edge = min(1.2 / max(work, 1e-6), 2 * min(level, 1 - level))  # level span of a 1.2 px wide edge
    alpha = np.clip((alpha / max(float(alpha.max()), 1e-3) - level) / edge + 0.5, 0.0, 1.0)
    if pen is not None:
        alpha = _thin(alpha, pen * side * work / scale)
    if scale > work * 1.05:
        sharpen = max(1.0, scale / work / 1.5)  # keeps edges about 1.5 px wide
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        alpha = np.asarray(Image.fromarray(alpha).resize(size, BICUBIC), np.float32)
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


def letter_ink(source: np.ndarray, rng: Rng, thin_p: float = 0.6) -> InkMaker:
    """A random pen's rendering of ``source``: its boldness, and with probability ``thin_p`` a
    pen 3-9 % of the letter's size wide."""
    level = rng.uniform(0.3, 0.6)
    pen = rng.uniform(0.03, 0.09) if rng.random() < thin_p else None
    return lambda side: ink_alpha(source, side, level, pen)


def paste_box(
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
    box = paste_box(shape, alpha.shape, centre)
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
    tint = jitter_colour(rng, pick(rng, _PAPERS, (0.45, 0.25, 0.15, 0.15)), 5)
    mottle = _smooth_field(rng, (max(2, height // 8), max(2, width // 8)), 12)
    mottle = np.clip(128 + mottle * rng.uniform(0.5, 3.0), 0, 255).astype(np.uint8)
    texture = Image.fromarray(mottle).resize(size, BILINEAR)
    page = ImageChops.add(
        Image.new("RGB", size, tuple(int(v) for v in tint)),
        Image.merge("RGB", (texture,) * 3),
        1.0,
        -128,
    )
    rule = pick(rng, ("plain", "ruled", "grid", "dots"), (0.3, 0.35, 0.25, 0.1))
    if rule == "plain":
        return page, tint
    ink = jitter_colour(rng, pick(rng, ((140, 175, 230), (170, 170, 175), (150, 205, 170))), 12)
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
    colour, opacity, pencil = pick(rng, _PENS, _PEN_ODDS)
    colour = jitter_colour(rng, colour, 10)
    if pencil:
        alpha = alpha * blur(rng.uniform(0.6, 1.0, alpha.shape), 0.7)
    pressure = 1 + 0.12 * np.clip(_smooth_field(rng, alpha.shape, 4), -1.5, 1.5)
    blend(page, alpha * pressure * rng.uniform(*opacity), centre, colour)


def blend(page: Image.Image, alpha: np.ndarray, centre: Sequence[float], colour) -> None:
    """Darken the page towards ``colour`` (filtered by the paper, like real ink) by ``alpha``."""
    box = paste_box((page.height, page.width), alpha.shape, centre)
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
    x, y = pixel_grid(lw, lh)
    kind = int(rng.integers(4))
    desks = ((150, 100, 60), (45, 45, 48), (200, 195, 185), (60, 80, 130))
    base = jitter_colour(rng, desks[kind], 25)
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
    return Image.fromarray(rgb).resize(size, BICUBIC)


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
    x, y = pixel_grid(lw, lh)
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
    balance = pick(rng, ((1, 1, 1), (1, 0.93, 0.8), (0.9, 0.96, 1), (0.96, 1, 0.95)))
    rgb = gain[..., None] * jitter_colour(rng, balance, 0.03)[None, None] * rng.uniform(0.7, 0.94)
    if rng.random() < 0.45:
        shade = _shadow(lw, lh, rng)[..., None] * rng.uniform(0.2, 0.55)
        rgb = rgb * (1 - shade * np.array([1.0, 0.97, 0.88], np.float32))
    return np.clip(rgb, 0, 0.94)


def expose(image: Image.Image, rng: Rng, light: np.ndarray | None = None) -> Image.Image:
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
        small = small.resize((nw, nh), BILINEAR)
        gain = np.asarray(small, np.float32) / 255
    field = Image.fromarray(np.clip(gain * noise * 255, 0, 255).astype(np.uint8))
    return ImageChops.multiply(image, field.resize((w, h), BILINEAR))


def _optics(page: Image.Image, rng: Rng, pixel: float) -> Image.Image:
    """Defocus and in-phone sharpening, applied to the flat page (cheaper than to a 12 MP
    frame); ``pixel`` is the size of 1/1600 of the frame's longer side in page pixels."""
    if rng.random() < 0.65:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 2.2) * pixel))
    if rng.random() < 0.3:
        page = page.filter(ImageFilter.UnsharpMask(1.5 * pixel, int(rng.integers(40, 120)), 2))
    return page


def photograph(
    rng: Rng,
    ink: InkMaker | None,
    extent: tuple[float, float] = (0.15, 0.6),
    frame: tuple[int, int] | None = None,
    opacity: float | None = None,
) -> Image.Image:
    """A phone photo (RGB, upright) of a page with ``ink`` written on it, its longer side a
    fraction ``extent`` of the frame's shorter side; ``opacity`` fixes a grey pencil's strength
    instead of a random pen."""
    width, height = frame or pick(rng, PHOTO_FRAMES)
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
            blend(page, alpha * opacity, centre, jitter_colour(rng, (100, 100, 105), 20))

    page = _optics(page, rng, zoom * max(width, height) / 1600)
    warp = Image.Transform.PERSPECTIVE
    if not desk:
        fill = tuple(int(v) for v in tint)
        shot = page.transform((width, height), warp, coeffs, BILINEAR, fillcolor=fill)
    else:
        page.putalpha(255)
        shot = page.transform((width, height), warp, coeffs, BILINEAR, fillcolor=(0, 0, 0, 0))
        table = _desk((width, height), rng)
        table.paste(shot, (0, 0), shot)
        shot = table
    return expose(shot, rng, _lighting((width, height), rng))


def phone_jpeg(image: Image.Image, rng: Rng) -> bytes:
    """JPEG bytes of an upright RGB picture as a phone or messaging app stores it: quality
    60-95; sometimes the pixels lie sideways or upside down with the EXIF orientation (6, 8 or
    3) that turns them upright, sometimes the tag says 1, sometimes there is no EXIF at all."""
    exif = Image.Exif()
    if rng.random() < 0.35:
        tag = int(pick(rng, (6, 8, 3), (0.5, 0.25, 0.25)))
        image = image.transpose(_STORED[tag])
        exif[ORIENTATION] = tag
    elif rng.random() < 0.5:
        exif[ORIENTATION] = 1
    options = {"quality": int(rng.integers(60, 96)), "subsampling": pick(rng, (2, 2, 0))}
    if len(exif):
        options["exif"] = exif.tobytes()
    return encode(image, "JPEG", **options)


def photo_version(letter: np.ndarray, rng: Rng, full_size: bool = False) -> bytes:
    """JPEG bytes of a simulated phone photo of ``letter`` (uint8, dark ink on white) written on
    paper; ``full_size`` takes it at 12 MP (4032 x 3024) instead of a random smaller frame."""
    return phone_jpeg(
        photograph(rng, letter_ink(letter, rng), frame=FULL_FRAME if full_size else None), rng
    )


# -- screenshots and transparent pictures ---------------------------------------------------------


def screenshot(source: np.ndarray, rng: Rng, extent: tuple[float, float] = (0.3, 0.8)) -> bytes:
    """PNG of a drawing-app canvas with ``source``'s ink drawn in a light brush."""
    width = int(rng.integers(300, 1201))
    height = int(np.clip(width * pick(rng, (1.0, 1.0, rng.uniform(1.2, 2.1), 0.75)), 300, 1200))
    background = jitter_colour(rng, pick(rng, _CANVASES), 8)
    image = np.empty((height, width, 3), np.float32)
    image[:] = background
    area = [0, 0, width, height]  # left, top, right, bottom where the letter may go
    bar = None
    if rng.random() < 0.4:
        edge = int(rng.integers(4))
        thick = round(rng.uniform(0.03, 0.09) * (height if edge < 2 else width))
        bar_colour = jitter_colour(rng, background + rng.uniform(15, 60), 10)
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
        frame_colour = jitter_colour(rng, (90, 90, 96), 30)
        image[:border], image[-border:] = frame_colour, frame_colour
        image[:, :border], image[:, -border:] = frame_colour, frame_colour
        area = [border, border, width - border, height - border]
    room_w, room_h = area[2] - area[0], area[3] - area[1]
    side = round(rng.uniform(*extent) * min(room_w, room_h))
    alpha = letter_ink(source, rng, thin_p=0.4)(side)
    ah, aw = alpha.shape
    centre = (
        area[0] + room_w / 2 + rng.uniform(-1, 1) * max(room_w - aw, 0) / 2,
        area[1] + room_h / 2 + rng.uniform(-1, 1) * max(room_h - ah, 0) / 2,
    )
    cover = _place_alpha((height, width), alpha, centre)
    if rng.random() < 0.2:  # a glowing neon brush
        cover = np.maximum(cover, 0.5 * blur(cover, 0.02 * min(width, height)))
    brush = jitter_colour(rng, pick(rng, _BRUSHES), 10)
    image = image * (1 - cover[..., None]) + brush * cover[..., None]
    picture = Image.fromarray(np.round(image).astype(np.uint8))
    if bar is not None and rng.random() < 0.6:
        _icons(picture, bar, rng)
    return encode(picture)


def _icons(picture: Image.Image, bar: tuple[int, int], rng: Rng) -> None:
    """A few small light tool icons (dots and rounded squares) along a toolbar."""
    edge, thick = bar
    draw = ImageDraw.Draw(picture)
    length = picture.width if edge < 2 else picture.height
    r = thick * rng.uniform(0.2, 0.32)
    colour = tuple(int(v) for v in jitter_colour(rng, (200, 200, 205), 40))
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
    return screenshot(letter, rng)


def alpha_version(letter: np.ndarray, rng: Rng) -> bytes:
    """RGBA PNG bytes of ``letter`` on a fully transparent canvas, its ink only in the alpha
    channel: the colour under the ink is black, some colour or even white, and the colour of
    transparent pixels black, white or garbage (viewers ignore it)."""
    width, height = (int(v) for v in rng.integers(200, 1001, 2))
    side = round(rng.uniform(0.4, 0.85) * min(width, height))
    alpha = letter_ink(letter, rng, thin_p=0.4)(side)
    ah, aw = alpha.shape
    centre = (
        width / 2 + rng.uniform(-1, 1) * max(width - aw, 0) / 2,
        height / 2 + rng.uniform(-1, 1) * max(height - ah, 0) / 2,
    )
    cover = np.round(_place_alpha((height, width), alpha, centre) * 255).astype(np.uint8)
    ink = pick(rng, ((0, 0, 0), tuple(rng.integers(0, 256, 3).tolist()), (255, 255, 255)))
    under = pick(rng, ("black", "white", "noise", "picture"))
    if under in ("black", "white"):
        rgb = np.full((height, width, 3), 0 if under == "black" else 255, np.uint8)
    elif under == "noise":
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    else:  # a stale picture left in the colour channels
        field = np.stack([_smooth_field(rng, (height, width), 4) for _ in range(3)], axis=2)
        rgb = np.clip(128 + 60 * field, 0, 255).astype(np.uint8)
    rgb[cover > 0] = np.array(ink, np.uint8)
    return encode(Image.fromarray(np.dstack([rgb, cover]), "RGBA"))


def upscaled(letter: np.ndarray, factor: int = 10, blur: float = 4, white: float = 235) -> bytes:
    """PNG of ``letter`` (uint8, dark on white) upscaled ``factor`` times (bicubic), softened by
    a Gaussian blur of ``blur`` px and its levels clipped so that ``white`` becomes pure white:
    an upscaled drawing or a scan with its levels adjusted, the same every time."""
    size = (letter.shape[1] * factor, letter.shape[0] * factor)
    big = Image.fromarray(letter).resize(size, BICUBIC).filter(ImageFilter.GaussianBlur(blur))
    levels = np.clip(np.asarray(big, np.float32) * 255 / white, 0, 255).astype(np.uint8)
    return encode(Image.fromarray(levels))


def smooth_version(letter: np.ndarray, rng: Rng) -> bytes:
    """A letter drawn large with soft edges on clipped white: ``letter`` upscaled 8-12 times,
    part of it blurred more than the rest (a smudge, an anti-aliased brush), its levels adjusted
    so that the paper is pure white, as PNG, JPEG or WebP."""
    factor = float(rng.uniform(8, 12))
    size = (round(letter.shape[1] * factor), round(letter.shape[0] * factor))
    big = Image.fromarray(letter).resize(size, pick(rng, (BICUBIC, Image.Resampling.LANCZOS)))
    sharp = np.asarray(big, np.float32)
    soft = np.asarray(big.filter(ImageFilter.GaussianBlur(rng.uniform(2, 8))), np.float32)
    share = np.clip(0.5 + 0.5 * _smooth_field(rng, sharp.shape, 3), 0, 1)
    mixed = share * soft + (1 - share) * sharp
    white = rng.uniform(170, 245)
    levels = np.clip(mixed * 255 / white, 0, 255).astype(np.uint8)
    fmt = pick(rng, ("PNG", "JPEG", "WEBP"))
    return encode(Image.fromarray(levels), fmt, **({} if fmt == "PNG" else {"quality": 92}))
