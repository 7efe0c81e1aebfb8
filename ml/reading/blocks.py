"""Writing cut into syllable blocks, and each block in the canonical form syllable models read.

The syllable input contract, written down once (a syllable model's metadata carries a copy and
the serving code refuses a model whose contract differs):

* size: :data:`BLOCK_SIZE` square, one channel, float32; ink = 1.0 on 0.0, values in [0, 1];
* stroke width: strokes are thickened or thinned to :data:`BLOCK_STROKE` of the block's longer
  side, whatever pen drew them;
* fit: the block's ink box is padded to a square (centred, aspect kept) and scaled into the
  picture, leaving :data:`BLOCK_MARGIN` of its side blank all round.

The ink comes from the letter preprocessing (:func:`ml.reading.preprocess.canonicalize` with
``blocks=True``: lighting, polarity, shadows, ruled lines and specks dealt with as for a letter,
but specks close to the writing kept: ㅊ's short stroke in a word written small). The writing is
turned straight first (:func:`level`, :func:`upright_tilt`). A row of blocks is cut at gaps between
columns of ink: of all the ways to cut at gaps, the one whose pieces are closest to square (a
block is about as wide as the line is high) and whose cuts fall in the widest gaps
(:func:`split_row`). The parts of one block (가's ㄱ and ㅏ) have gaps between them too, but
cutting there leaves pieces far narrower than the line is high.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ml.reading.ink import INK_LEVEL, grow, ink_box, normalise_strokes

BLOCK_SIZE = 32
BLOCK_STROKE = 0.07
BLOCK_MARGIN = 0.0625
KINDS = ("syllable", "letter", "not_writing")
"""What a block can be, as a syllable model's kind head tells them apart."""
BLOCK_CONTRACT: dict[str, object] = {
    "version": 1,
    "size": [BLOCK_SIZE, BLOCK_SIZE],
    "channels": 1,
    "dtype": "float32",
    "polarity": "ink=1, background=0",
    "range": [0.0, 1.0],
    "stroke": f"pen width normalised to {BLOCK_STROKE} of the block's longer side",
    "fit": f"ink box squared (centred) and scaled, {BLOCK_MARGIN} of the side blank all round",
}
MAX_CUTS = 40
"""At most this many gaps (the widest) are considered as cuts: a row of up to ~20 blocks."""
BLOCK_ASPECT = 0.85
"""A block's usual width as a share of its row's height (the row's height takes in how the
blocks rise and fall along it); synthetic blocks' own median is 0.95 of their height."""
GAP_REWARD = 1.0
"""How much a cut is worth per line height of gap (against the squareness of the pieces)."""
VALLEY_INK = 0.25
"""A column with less ink than this share of the row's height may be where two blocks touch."""
VALLEY_COST = 0.1
"""What cutting through ink costs, beyond the ink cut (in row heights)."""
VALLEY_SIDE = 0.5
"""A column this share of the row's height tall, near a valley on both sides, is a block's
(touching blocks); a long bar's end has none on one side."""
LINE_GAP = 0.08
"""Empty rows at least this share of the ink's height apart bands that may be lines. In a word
of stacked blocks (움통) the empty rows between a vowel's bar and the final below it take up to
about a tenth of the ink's height, and between two lines of writing 13% or more (validation
writers, clean and as photos)."""
LINE_HEIGHT = 0.2
"""A band at least this share of the ink's height high may be a line of writing."""
MAX_SPLIT_BLOCKS = 12
"""A row is cut into at most this many blocks (more is a line of text, refused anyway)."""
LEVEL_ASPECT = 1.5
"""Writing at least this many times as wide as high is a row of blocks, turned level before it
is cut (:func:`level`)."""
MAX_TILT = 20.0
"""Degrees a row of writing or a block may be tilted and still be turned straight."""
MIN_TILT = 2.0
"""Smaller tilts are left alone."""
UPRIGHT_STEP = 0.5
"""Degrees between the turns :func:`upright_tilt` tries."""
UPRIGHT_GAIN = 1.05
"""A block is turned only when that makes it at least this much more uneven: a letter with
slanting strokes (a ㅛ written askew, ㅅ) is about as uneven at any angle."""
UPRIGHT_SIDE = 160
"""The longest side (px) of the mask on which :func:`upright_tilt` weighs its turns."""
OWN_TILT_MARGIN = 10.0
"""Degrees by which a letter's own turn (:func:`level_tilt`) may differ from the turn of the
line of letters written apart that it stands in and still be used; further off, it is its
slanting strokes' pull (a lone ㅅ's, 20 degrees the wrong way, turned it into a ㅏ), not the
photo's tilt, and the line's turn is used. Chosen on validation writers' letters side by side
(seeds 2000 and 3000, 200 rows each, clean and as phone photos, with ``BESIDE`` 0.4): the
line's turn for every letter read 12 rows right that were not and 4 the other way (two clean
rows whose letters slant); only beyond 10 degrees (or 15), 8 and 1; beyond 5, 8 and 2."""
LEVEL_GAIN = 0.9
"""A row is turned only when that makes it at most this share as high: a level row of two
blocks of different shapes can look a little lower tilted (the turn found for 나무 written level
is 5 degrees, for 0.97 of its height), a tilted row of three or four is much lower level."""


def no_blocks() -> np.ndarray:
    """An empty stack of canonical blocks."""
    return np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.float32)


@dataclass(frozen=True)
class Blocks:
    """A picture's writing as a row of blocks, left to right."""

    images: np.ndarray
    """float32 (n, BLOCK_SIZE, BLOCK_SIZE), the canonical form of each block."""
    whole: np.ndarray | None = None
    """All the writing as one block, in canonical form (a wide letter such as ㅛ, which the row
    cutting may split, is read whole)."""
    lines: int = 1
    """Lines of writing found one above the other (:func:`count_lines`); more than one is
    not a word."""
    apart: np.ndarray = field(default_factory=no_blocks)
    """Blocks of the groups of ink left out of the row of writing that are as big as writing
    (another line, or an app's icon), canonical like ``images``: the reader decides which."""
    apart_groups: tuple[int, ...] = ()
    """For each of ``apart``, its group of ink's place in ``group_wholes`` where the group lies in
    one line with the row of writing (a letter written apart from the others), else -1."""
    group_wholes: np.ndarray = field(default_factory=no_blocks)
    """Each group of ink in line with the row, all of it as one block, canonical (a wide letter
    written apart, ㅠ, that the row cutting split is read whole)."""
    group_columns: tuple[int, ...] = ()
    """Each group in line with the row: its first column in the picture."""
    box: tuple[slice, slice] | None = None
    """Where the writing is in the picture it was found in (rows, columns)."""
    beside: tuple[slice, slice] | None = None
    """Where the writing and the groups of ink in line with it are together in that picture
    (rows, columns); ``None`` when no group is."""

    def __len__(self) -> int:
        return len(self.images)


def canonical_block(glyph: np.ndarray) -> np.ndarray | None:
    """The canonical form of one block's ink (float, ink = 1, cropped or not), or ``None`` if no
    stroke survives."""
    box = ink_box(glyph >= INK_LEVEL * float(glyph.max(initial=0.0)))
    if box is None or glyph.max() <= 0:
        return None
    glyph = normalise_strokes(glyph[box] / glyph.max(), BLOCK_STROKE)
    if glyph is None:
        return None
    h, w = glyph.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = glyph
    margin = max(1, round(BLOCK_SIZE * BLOCK_MARGIN))
    inner = BLOCK_SIZE - 2 * margin
    interpolation = cv2.INTER_AREA if side > inner else cv2.INTER_LINEAR
    out = np.zeros((BLOCK_SIZE, BLOCK_SIZE), np.float32)
    out[margin : margin + inner, margin : margin + inner] = cv2.resize(
        square, (inner, inner), interpolation=interpolation
    )
    return np.clip(out, 0.0, 1.0)


def split_row(mask: np.ndarray) -> list[slice]:
    """The column ranges of the blocks in a row of writing (``mask``: ink cropped to its box).

    Candidate cuts are the gaps between inked columns and, where blocks touch, the thinnest
    columns of ink (local minima of the column's ink under :data:`VALLEY_INK` of the row's
    height). Dynamic programming picks the cuts that minimise, over the pieces, (log of width
    over :data:`BLOCK_ASPECT` of the row's height)^2, less :data:`GAP_REWARD` per line height
    of each gap cut (capped at one height), plus :data:`VALLEY_COST` and the cut ink (in row
    heights) for each valley cut. A wide letter (ㅛ, ㄲ) may be cut too: the reader also reads
    all the writing as one block (:attr:`Blocks.whole`)."""
    height = mask.shape[0]
    inked = mask.any(axis=0)
    columns = np.flatnonzero(inked)
    if columns.size == 0:
        return []
    cuts = _gaps(inked, height) + _valleys(mask)
    if len(cuts) > MAX_CUTS:
        cuts = sorted(cuts, key=lambda cut: cut[2])[-MAX_CUTS:]
    cuts.sort()
    # A piece begins at the row's start or a cut's end, and ends at a cut's start or the row's end.
    starts = [int(columns[0])] + [end for _, end, _ in cuts]
    ends = [start for start, _, _ in cuts] + [int(columns[-1]) + 1]
    n = len(starts)
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    back = np.zeros(n + 1, int)
    pieces = np.zeros(n + 1, int)
    for j in range(1, n + 1):  # a piece ends at ends[j - 1]
        reward = cuts[j - 1][2] if j < n else 0.0
        for i in range(j):  # and begins at starts[i]
            width = ends[j - 1] - starts[i]
            if pieces[i] >= MAX_SPLIT_BLOCKS or width <= 0:
                continue
            cost = best[i] + np.log(width / (BLOCK_ASPECT * height)) ** 2 - reward
            if cost < best[j]:
                best[j], back[j], pieces[j] = cost, i, pieces[i] + 1
    bounds, j = [], n
    while j > 0:
        i = back[j]
        bounds.append(slice(starts[i], ends[j - 1]))
        j = i
    return bounds[::-1]


def _gaps(inked: np.ndarray, height: int) -> list[tuple[int, int, float]]:
    """The runs of empty columns between inked ones: (first empty, first inked after, reward)."""
    columns = np.flatnonzero(inked)
    breaks = np.flatnonzero(np.diff(columns) > 1)
    cuts = []
    for b in breaks:
        start, end = int(columns[b]) + 1, int(columns[b + 1])
        cuts.append((start, end, GAP_REWARD * min((end - start) / height, 1.0)))
    return cuts


def _valleys(mask: np.ndarray) -> list[tuple[int, int, float]]:
    """Columns where the ink is thinnest between thicker columns, with tall ink (at least
    :data:`VALLEY_SIDE` of the row's height from top to bottom of a column) within
    :data:`BLOCK_ASPECT` / 2 of the row's height on both sides: where two blocks touch, not
    the end of a long bar (고's ㅗ); as cuts of no width: (column, column, minus their cost)."""
    height, width = mask.shape
    ink = mask.sum(axis=0).astype(np.float32)
    smooth = np.convolve(ink, np.ones(3) / 3, mode="same")
    rows = np.arange(height)[:, None]
    tops = np.where(mask, rows, height).min(axis=0)
    bottoms = np.where(mask, rows, -1).max(axis=0)
    tall = (bottoms - tops + 1) >= VALLEY_SIDE * height
    reach = max(1, round(BLOCK_ASPECT * height / 2))
    valleys = []
    for x in range(1, width - 1):
        if (
            0 < ink[x] <= VALLEY_INK * height
            and smooth[x] <= smooth[x - 1]
            and smooth[x] < smooth[x + 1]
            and tall[max(0, x - reach) : x].any()
            and tall[x + 1 : x + 1 + reach].any()
        ):
            valleys.append((x, x, -(VALLEY_COST + ink[x] / height)))
    return valleys


def find_blocks(
    ink: np.ndarray, mask: np.ndarray, lines: int = 1, line_tilt: float | None = None
) -> Blocks:
    """The blocks of the writing in ``mask`` (cleaned stroke pixels), in canonical form from the
    ``ink`` darkness (in [0, 1]) around them, and all of it as one block; blocks that keep no
    stroke are left out. ``lines``: how many lines of writing the picture holds
    (:func:`count_lines`, counted by the caller on the ink before stray marks were dropped).
    ``line_tilt``: the turn that stands the whole line of writing this is part of straight,
    where the caller knows it (:func:`level`)."""
    box = ink_box(mask)
    if box is None:
        return Blocks(no_blocks(), lines=lines)
    found = box
    ink, mask = level(ink[box], mask[box], line_tilt)
    box = ink_box(mask)
    kept = mask[box]
    soft = np.where(grow(mask, 1), ink, 0.0)[box]
    images = []
    for piece in split_row(kept):
        piece_rows = ink_box(kept[:, piece])
        if piece_rows is None:
            continue
        image = canonical_block(soft[piece_rows[0], piece])
        if image is not None:
            images.append(image)
    stacked = np.stack(images) if images else no_blocks()
    return Blocks(stacked, canonical_block(soft), lines, box=found)


def level(
    ink: np.ndarray, mask: np.ndarray, line_tilt: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The writing turned so that it stands straight: by its own turn (:func:`level_tilt`), or
    by ``line_tilt``, the turn of the whole line it stands in (letters written apart), where its
    own is more than :data:`OWN_TILT_MARGIN` degrees off that."""
    tilt = level_tilt(mask)
    if line_tilt is not None and abs(tilt - line_tilt) > OWN_TILT_MARGIN:
        tilt = line_tilt
    return (ink, mask) if tilt == 0.0 else _turned(ink, mask, tilt)


def level_tilt(mask: np.ndarray) -> float:
    """The degrees that stand the writing in ``mask`` straight (0 to leave it): a row (at least
    :data:`LEVEL_ASPECT` times as wide as high) tilted by :data:`MIN_TILT` to :data:`MAX_TILT`
    degrees is turned by the angle that makes the ink's height (2nd to 98th percentile of its
    rows) least, if it makes it clearly lower (:data:`LEVEL_GAIN`); a tilted row is otherwise
    taller than its blocks, and cut into too few of them. Other writing (one block) is turned
    :func:`upright_tilt`."""
    rows, columns = np.nonzero(mask)
    if len(rows) < 2:
        return 0.0
    if np.ptp(columns) < LEVEL_ASPECT * np.ptp(rows):
        return upright_tilt(mask)
    tilts = np.arange(-MAX_TILT, MAX_TILT + 0.5, 1.0)
    radians = np.deg2rad(tilts)[:, None]
    heights = rows * np.cos(radians) - columns * np.sin(radians)
    spread = np.subtract(*np.quantile(heights, [0.98, 0.02], axis=1))
    best = int(np.argmin(spread))
    tilt = float(tilts[best])
    if abs(tilt) < MIN_TILT or spread[best] > LEVEL_GAIN * spread[tilts == 0.0][0]:
        return 0.0
    return tilt


def upright_tilt(mask: np.ndarray) -> float:
    """The degrees to turn the writing in ``mask`` by (within :data:`MAX_TILT`, steps of
    :data:`UPRIGHT_STEP`; 0 to leave it) at which its ink's rows and columns are most uneven
    (the sum of the squared ink counts of each row and each column is largest), when that angle
    is at least :data:`MIN_TILT` and makes the writing :data:`UPRIGHT_GAIN` times as uneven as
    it is: Hangul is mostly level and upright strokes, which pile up in few rows and columns
    when they stand straight. A photo taken askew turns the writing by up to 15 degrees, and the
    syllable models, trained on upright writing, misread many such blocks. The angle is found
    on the mask shrunk to :data:`UPRIGHT_SIDE` px at most."""
    scale = UPRIGHT_SIDE / max(mask.shape)
    small = mask
    if scale < 1:
        size = (max(1, round(mask.shape[1] * scale)), max(1, round(mask.shape[0] * scale)))
        small = cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_AREA) >= 0.5
    rows, columns = np.nonzero(small)
    if len(rows) < 2:
        return 0.0
    rows, columns = rows - rows.mean(), columns - columns.mean()
    tilts = np.arange(-MAX_TILT, MAX_TILT + UPRIGHT_STEP / 2, UPRIGHT_STEP)
    unevenness = []
    for radians in np.deg2rad(tilts):  # one turn at a time: a few small arrays, not 81 large
        across = np.rint(rows * np.cos(radians) - columns * np.sin(radians)).astype(np.int64)
        along = np.rint(rows * np.sin(radians) + columns * np.cos(radians)).astype(np.int64)
        unevenness.append(
            np.sum(np.bincount(across - across.min()) ** 2)
            + np.sum(np.bincount(along - along.min()) ** 2)
        )
    best = int(np.argmax(unevenness))
    tilt, as_it_is = float(tilts[best]), unevenness[len(tilts) // 2]  # the middle turn is 0
    if abs(tilt) < MIN_TILT or unevenness[best] < UPRIGHT_GAIN * as_it_is:
        return 0.0
    return tilt


def _turned(ink: np.ndarray, mask: np.ndarray, tilt: float) -> tuple[np.ndarray, np.ndarray]:
    """``ink`` and ``mask`` turned by ``tilt`` degrees (counter-clockwise) on a canvas that
    holds all of them."""
    height, width = mask.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), tilt, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (int(np.ceil(width * cos + height * sin)), int(np.ceil(width * sin + height * cos)))
    turn[:, 2] += (size[0] - width) / 2, (size[1] - height) / 2
    turned = cv2.warpAffine(ink.astype(np.float32), turn, size, flags=cv2.INTER_LINEAR)
    kept = cv2.warpAffine(mask.astype(np.uint8), turn, size, flags=cv2.INTER_NEAREST) > 0
    return turned, kept


def count_lines(mask: np.ndarray) -> int:
    """How many lines of writing ``mask`` (cropped to its ink) holds: bands of inked rows split
    by empty rows (at least :data:`LINE_GAP` of the ink's height), at least
    :data:`LINE_HEIGHT` of it high, that are rows of two blocks or more (:func:`split_row`).
    One block's parts stacked in bands (곬's 고 over its ㄽ) make at most one such row."""
    height = mask.shape[0]
    inked = np.flatnonzero(mask.any(axis=1))
    breaks = np.flatnonzero(np.diff(inked) > max(1, LINE_GAP * height))
    if breaks.size == 0:  # one band: one line, however many blocks it holds
        return 1
    rows = 0
    for band in np.split(inked, breaks + 1):
        band_mask = mask[band[0] : band[-1] + 1]
        tall = len(band_mask) >= LINE_HEIGHT * height
        rows += tall and len(split_row(band_mask[ink_box(band_mask)])) >= 2
    return max(rows, 1)
