"""Any picture of one letter -> the canonical 28x28 model input, plus a verdict.

The input contract, written down once (every model's metadata carries a copy, and the serving
code refuses a model whose contract differs):

* size: 28 x 28, one channel, float32;
* polarity and scaling: ink = 1.0, background = 0.0, values in [0, 1], whatever the source's
  polarity (dark ink on paper or light strokes on a dark canvas);
* stroke width: strokes are thickened or thinned to ``STROKE`` (15%) of the letter's longer side,
  whatever pen drew them;
* size and centring: the letter's ink box is scaled, keeping its aspect ratio, so that its longer
  side is 20 px, then placed so that its centre of ink mass sits at pixel (14, 14).

:func:`canonicalize` produces it and is used by training data loading and inference alike. On
the way it evens out lighting and shadows (dividing by a morphological estimate of the paper),
drops the desk around a photographed sheet (:mod:`ml.reading.page`), what is left of shadows
(dark patches without sharp edges), ruled and grid lines and specks, and gives a verdict:
``ok``, ``blank`` (nothing written or too faint), ``too_small`` (the letter is a speck in the
frame), ``several_letters``, or ``not_a_letter`` for ink that is grain rather than strokes (a
noisy texture). A picture too faint at the working size is looked at again closer
(:func:`canonical_from_bytes`): a thin pen fades when a large photo is shrunk. Where a dark
picture leaves the ink's polarity in doubt, the less likely reading comes along as
:attr:`Canonical.other`.

Asked for (``blocks=True``), the same ink (:func:`find_ink`, before any letter is picked out of
it) is also cut into syllable blocks in their own canonical form (:mod:`ml.reading.blocks`), for
pictures of syllables and words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ml.reading.blocks import (
    Blocks,
    count_lines,
    find_blocks,
    no_blocks,
    split_row,
    upright_tilt,
)
from ml.reading.decode import WORK_SIDE, Decoded, PictureError, decode, decode_greyscale
from ml.reading.ink import (
    INK_LEVEL,
    box_shape,
    box_side,
    convex_hull,
    ellipse,
    grow,
    ink_box,
    normalise_strokes,
    stroke_width,
)
from ml.reading.page import sheet_mask
from ml.reading.verdicts import REASONS, Verdict

log = logging.getLogger(__name__)

SIZE = 28
BOX = 20
STROKE = 0.15
INPUT_CONTRACT: dict[str, object] = {
    "version": 2,
    "size": [SIZE, SIZE],
    "channels": 1,
    "dtype": "float32",
    "polarity": "ink=1, background=0",
    "range": [0.0, 1.0],
    "stroke": f"pen width normalised to {STROKE} of the ink box's longer side",
    "fit": f"ink box scaled to longer side {BOX} px, aspect kept",
    "centring": "centre of ink mass at (14, 14)",
}

MIN_WORK_SIDE = 96
"""Smaller pictures are enlarged to this before the paper is estimated."""
ZOOM_BELOW = 40
"""Writing lower than this (px, at the working size) has its blocks found again in the picture
decoded at :data:`BLOCKS_ZOOM_SIDE`."""
ZOOM_SIDE = 640
"""Longest side of the closer look at a picture too faint at the working size."""
BLOCKS_ZOOM_SIDE = 960
"""Longest side of the closer look that cuts small writing into blocks: at 960 rather than 640
px, 349 rather than 340 of 400 validation words as phone photos were read (seed 2000),
syllables alike; 1280 px read no more."""
MIN_ZOOM = 1.5
"""A closer look must be at least this much larger than the working picture to be taken."""
MAX_FAINT_INK = 0.02
"""A picture too faint at the working size is read from a closer look only if its ink there
covers at most this share of it: thin strokes seen closer covered at most 0.009 of 22 faint
phone photos of letters, a noisy picture's grain 0.14-0.26 and a faint smudge 0.03 (validation
seeds 2000 and 3000)."""

PAPER_KERNEL = 0.25
"""Paper estimate: features thinner than this fraction of the picture are treated as ink."""

POLARITY_MARGIN = 0.2
"""Pixels this much lighter (darker) than the median count as light (dark) marks."""

PAGE_SIDE = 0.2
"""A light region at least this fraction of a dark picture's width and height may be a sheet
of paper on a dark desk."""

PAGE_FILL = 0.5
"""...if it fills at least this fraction of its box (strokes and doodles fill far less)."""

SHEET_FILL = 0.8
"""...and it is a sheet, not bold light strokes, if it fills at least this share of its convex
hull (a sheet with writing on it about all of it, the boldest printed letter under 0.65)."""

PAGE_EDGE = 2
"""How far beyond such a region (thumbnail pixels) the page and its blurred edge are kept out
of a light-strokes reading; the page read as dark ink stops one thumbnail pixel inside it."""

MIN_CONTRAST = 0.15
"""Ink must be at least this much darker than the paper around it (relative) to count."""

MIN_LETTER_CONTRAST = 0.3
"""The letter's ink (90th percentile of its strokes) must be this much darker than the paper;
fainter marks are shadows, paper edges or smudges. Below the faintest of 300 phone-photo
versions of the dev letters (0.31; their 1st percentile: 0.34)."""

SHARP_EDGE = 0.25
"""A pen stroke's edge rises by at least this fraction of the strongest ink within 2 px; the
blurred edge of a shadow rises several times slower."""

PEN_EDGE_QUANTILE = 0.9
"""The picture's pen sharpness is this quantile of the rise along all of its ink's edges: most
edges belong to the letter's strokes, and the top ones are theirs even beside a long shadow."""

SOFT_STROKE = 0.75
"""A soft-edged part whose ink (90th percentile) is at least this fraction of the sharp strokes'
is a stroke (anti-aliased or upscaled), not a shadow..."""

SOFT_STROKE_LENGTH = 2
"""...if it is stroke-shaped too (its area at least this many times its width squared: a shadow
glued to a corner, or the gap between two thick strokes, is a blob)."""

SHARP_PEN = 2 * SHARP_EDGE
"""Soft edges are looked for only where the pen sharpness is at least this. In a picture that
is out of focus as a whole every edge is soft, shadows cannot be told from strokes by their
edges, and all ink is kept. The pen sharpness of 900 phone photos of dev letters is at least
0.54; that of a drawn letter blurred by a Gaussian of 0.5% (0.8%) of the picture's side is
about 0.46 (0.34)."""

EDGE_TEST_SIDE = 2 * MIN_WORK_SIDE
"""Pictures smaller than this (px, longer side; crops and scans) are too coarse to tell a
shadow's blurred edge from a stroke's anti-aliased one, and are not tested for soft edges."""

MIN_LETTER_SIDE = 0.06
"""A letter smaller than this fraction of the picture's longer side is too small to read."""

SPECK = 0.04
"""Ink components under this fraction of the largest one are specks (dust, noise)."""
DOT_REACH = 2.0
"""Specks within this many pen widths of a row of writing, or of a letter written apart in line
with it, are part of it (ㅊ's short stroke)."""

LINE_SPAN = 0.9
"""A thin straight run along this fraction of its chord, edge to edge of the picture or of the
sheet of paper where the picture shows one on a desk, is a ruled or grid line: a line that cuts
a corner of a turned page or crosses a sheet smaller than the photo is as long as they let it be."""
LINE_CHORD = 0.5
"""...if that chord is at least this share of the picture's width or height (the way the line
runs; not tuned). Validation word photos, with the closer look for a word too faint to be a
letter: seed 2000 365 -> 366 of 400, seed 3000 360 -> 364 (lines cutting a grid's corners)."""
LINE_FAMILY = 2
"""A line short of the picture's width or height (cut by a corner or a sheet's edge) is removed
only with at least this many lines parallel to it (a page's ruling): a lone straight edge is a
sheet's or a desk's, and without it a blank sheet's glare or corner was left to read as ㅡ or ㅣ
(validation junk, seed 2000: LeNet 19 -> 17, MLP 29 -> 28 of 560 accepted; 16 and 27 before
``LINE_CHORD``; word photos the same)."""
LINE_LEVEL = 0.25
"""Ruled and grid lines are looked for where the ink is at least this strong, half the pen's
level (``INK_LEVEL``): a printed line a little fainter than the pen breaks up at the pen's level
into dashes too short to be found as a line, and the dashes that touch the writing stay on it.
Validation word photos (seed 2000): 0.2 / 0.25 / 0.3 read 361 / 363 / 360 of 400 (357 before)."""
LINE_COVER = 0.4
"""A line found at ``LINE_LEVEL`` is removed only where the pen-level ink follows at least this
share of it (within a pixel): one that left next to nothing at the pen's level crosses writing
that must stay whole. Chosen on validation words photographed on ruled and squared paper (seed
2000: 0.35-0.5 read within a word of each other, at 0.2 strokes along the lines were lost; seed
3000 to confirm)."""
LINE_WIDTH = 0.03
"""...and only if it is at most this wide (a share of the picture's longer side, measured at
``LINE_LEVEL``): the lines removed from 400 validation word photos were at most 0.014 wide, while
the stem of a letter drawn large across the picture (an upscaled ㅓ, ㅜ or ㅒ) is 0.06 or more."""

PART_GAP = 0.35
"""Ink further than this fraction of the biggest stroke's size from the letter is not part of it."""

RIVAL = 0.3
"""A group of ink at least this fraction of the letter's size (both ways) and ink is kept."""

SAME_PEN = 0.5
"""...if its strokes are at least this fraction as thick as the letter's."""

GRAIN = 0.75
"""Ink filling less of itself closed by 3x3 pixels than this is grain (a noisy texture, a
sensor's noise), not pen strokes: letters fill 0.87 or more, as clean pictures and as photos."""

ROW_REACH = (0.6, 0.12)
"""Ink within these shares of the main group's height (across, down) of the writing kept may be
another block of the same word, or a part of a block (a word runs across; a drawing app's icons
lie further off, mostly above or below)."""
MAX_ROW_STEPS = 6
ROW_STEP_INK = 0.1
"""Only groups with at least this share of the main group's ink extend the row's reach: the
dots of dotted paper near the writing join it, but the row does not hop from dot to dot across
the page (a validation word photo, seed 2000, refused as too many blocks; seed 3000 unchanged)."""

APART = 0.5
"""A group of ink left out of the row of writing at least this much of the row's height may be
another line of writing (smaller ones are specks, icons' details, a block's stray part)."""
BESIDE = 0.4
"""Ink apart from the row sharing this much of its height with the row, or with other ink beside
it (of the lower one's), lies beside it: a letter written apart from the others in a row
(ㄱ   ㅗ), not another line. Validation writers' letters side by side as phone photos (seeds
2000 and 3000, 200 each): at 0.5 a final written a little lower or higher than the letters
before it (ㄷ ㅗ ㄱ: 8 of its 17 rows shared) was left out; 0.4 read 6 rows right that were not
and none the other way, 0.3 9 and 1; words, syllables and single letters read the same."""
MAX_SLOPE = 0.36
"""The steepest slope a row of letters written apart is followed along (rows a column: 20
degrees, more than a phone photo turns a page by); a steeper fit counts as this steep."""
TIGHT_CROP = 0.5
"""Ink clear of the edges spanning this fraction of the picture makes it a tight crop."""

SEVERAL_PIECES = 3
"""Ink the block cutting makes this many pieces of, across or down, is several letters (a row
or column of small letters squeezed into one bar or blob: read as ㅡ, ㅣ or ㄸ)."""

PIECE_HEIGHT = 0.4
"""The pieces the block cutting makes of a row of letters are, most of them (the median), at
least this share of the row's height; those of a slanting stroke, cut where ruled lines
crossed it, are lower (a quarter)."""

ROW_PENS = 5
"""Ink fewer pen widths high than this (across, or down) is no row of letters, however the
block cutting cuts it: a stroke broken by erased ruled lines is not several letters."""

SAME_PEN_MAX = 1.5
"""A part of a letter cut by the edge is at most this many times as thick (and as long) as its
other strokes."""


@dataclass(frozen=True)
class Canonical:
    """The outcome of preprocessing: a verdict code and, when ``ok``, the 28x28 image."""

    verdict: Verdict
    image: np.ndarray | None = None
    reason: str = ""
    other: Canonical | None = None
    """The picture read with the opposite ink polarity, where the pixels leave it in doubt
    (see :func:`canonicalize`)."""
    blocks: Blocks | None = None
    """The writing cut into syllable blocks, when asked for and there is writing."""
    ink_share: float = 0.0
    """The share of the picture's pixels that are ink: the strokes kept, when ``ok``; all the ink
    found, when several letters."""

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.OK

    @property
    def writings(self) -> tuple[Blocks, ...]:
        """The syllable blocks of each ink polarity that holds writing: this reading's, then
        :attr:`other`'s."""
        versions = (self,) if self.other is None else (self, self.other)
        found = [version.blocks for version in versions]
        return tuple(b for b in found if b is not None and len(b) and b.whole is not None)

    @property
    def writing(self) -> Blocks | None:
        """The syllable blocks of the likelier ink polarity that holds writing (the first of
        :attr:`writings`), or ``None``."""
        return next(iter(self.writings), None)


def refusal(verdict: Verdict) -> Canonical:
    """A picture refused with ``verdict``, and why."""
    return Canonical(verdict, None, REASONS[verdict])


def canonical_from_bytes(data: bytes, blocks: bool = False) -> Canonical:
    """Decode untrusted picture bytes and canonicalise them; never raises for bad input.
    ``blocks``: also the writing's syllable blocks, from a closer look when it is small
    (:func:`_closer_blocks`), even if the writing is too faint to be read as one letter."""
    try:
        decoded = decode(data, keep=blocks)
        found = canonicalize(decoded.grey, blocks)
        if found.verdict == Verdict.BLANK:
            closer = _closer_faint(data, decoded, found, blocks)
            if closer is not found:
                return closer
        return _closer_blocks(data, decoded, found) if blocks else found
    except PictureError as error:
        return Canonical(error.code, None, error.message)
    except Exception:  # a bug must cost one reading, never the caller
        log.exception("preprocessing failed on a %d-byte picture", len(data))
        return refusal(Verdict.ERROR)


def _closer_faint(data: bytes, decoded: Decoded, found: Canonical, blocks: bool) -> Canonical:
    """A picture ``found`` blank at the working size, read again at up to :data:`ZOOM_SIDE`
    when the file is at least :data:`MIN_ZOOM` times larger: a thin pen photographed from afar
    fades into the paper when the picture is shrunk, but keeps its contrast at twice the size; a
    blank page, a smudge or a shadow is as faint at any size, and the grain of a noisy picture
    seen closer covers it (:data:`MAX_FAINT_INK`). ``found`` unless that shows one letter or
    several (a word: its blocks are read)."""
    closer = _closer_picture(data, decoded)
    if closer is None:
        return found
    again = canonicalize(closer, blocks)
    written = again.verdict in (Verdict.OK, Verdict.SEVERAL_LETTERS)
    return again if written and again.ink_share <= MAX_FAINT_INK else found


def _closer_picture(
    data: bytes, decoded: Decoded, side: int = ZOOM_SIDE, strict: bool = False
) -> np.ndarray | None:
    """The picture at up to ``side`` pixels (the image decoding kept, else decoded again;
    ``strict``: decoded again too when the kept one is smaller than that, see
    :meth:`Decoded.closer`, a JPEG at the smallest scale whose longest side reaches ``side``),
    or ``None`` when that is not at least :data:`MIN_ZOOM` times the working picture."""
    grey = decoded.grey
    if max(grey.shape) < WORK_SIDE:
        return None
    closer = decoded.closer(side, strict)
    if closer is None:
        closer = decode_greyscale(data, side, longest_only=strict)
    return closer if max(closer.shape) >= MIN_ZOOM * max(grey.shape) else None


def _closer_blocks(data: bytes, decoded: Decoded, found: Canonical) -> Canonical:
    """``found`` with its blocks cut again from a closer look when its writing is under
    :data:`ZOOM_BELOW` pixels high at the working size and the file is larger than that: the
    writing (with the groups of ink in line with it, letters written apart) and a margin of its
    height around it, cropped from the picture at up to :data:`BLOCKS_ZOOM_SIDE` (the image
    decoding kept, else decoded again). A word written small in a phone photo keeps the gaps
    between its blocks and their strokes, and letters written apart their shapes. The letter
    reading, the lines counted and the groups apart that are not in line with the writing stay
    the working size's (with groups in line, those the closer look finds in its crop not in line
    are kept too, so such a group near the writing is read twice; only a syllable among them
    counts). A row of letters written apart that is one group of ink at the working size may
    be several at the closer look (ㅋ ㅞ, and ㅇ apart): its groups in line are taken too."""
    written = found.blocks
    if written is None or written.box is None:
        return found
    height = box_shape(written.box)[0]
    if height >= ZOOM_BELOW:
        return found
    closer = _closer_picture(data, decoded, BLOCKS_ZOOM_SIDE, strict=True)
    if closer is None:
        return found
    scale = closer.shape[0] / decoded.grey.shape[0]
    crop = tuple(
        slice(max(0, round((part.start - height) * scale)), round((part.stop + height) * scale))
        for part in written.beside or written.box
    )
    again = canonicalize(closer[crop], blocks=True).blocks
    if again is None or not len(again):
        return found
    closer_apart = list(range(len(again.apart)))
    if written.beside is None:  # only the groups in line: the row split at the closer look
        closer_apart = [k for k, group in enumerate(again.apart_groups) if group >= 0]
        if not closer_apart:
            return replace(found, blocks=replace(written, images=again.images, whole=again.whole))
    others = [k for k, group in enumerate(written.apart_groups) if group < 0]
    closer_blocks = replace(
        again,
        lines=written.lines,
        apart=np.concatenate([again.apart[closer_apart], written.apart[others]]),
        apart_groups=(*(again.apart_groups[k] for k in closer_apart), *(-1 for _ in others)),
    )
    return replace(found, blocks=closer_blocks)


def canonical_with_blocks(data: bytes) -> Canonical:
    """:func:`canonical_from_bytes` with the writing's syllable blocks too."""
    return canonical_from_bytes(data, blocks=True)


def canonicalize(grey: np.ndarray, blocks: bool = False) -> Canonical:
    """Canonicalise a greyscale picture of one letter (uint8, or float in [0, 1]); ``blocks``:
    also cut its writing into syllable blocks (:attr:`Canonical.blocks`), whatever the verdict
    on it as one letter, as long as there is writing.

    A picture whose canvas is dark (its border and most of it) shows light strokes on a dark canvas
    or dark ink on a dimly lit page lying on a dark desk. The pixels say which is likelier
    (:func:`_light_on_dark`); when that is light strokes and a page-like light region is there,
    the strokes are looked for off the page (a sheet is no stroke: its outline read as one made
    a blank sheet a confident ㅁ), and the page read as dark ink is attached as ``other``, for
    :meth:`ml.reading.classifier.Classifier.read_many` to use if the model refuses the first
    reading.
    """
    grey = _as_float(grey)
    ruled = max(grey.shape) >= MIN_WORK_SIDE  # smaller ones are crops of a letter: no page
    grey = _enlarge_small(grey)
    small = _thumbnail(grey)
    if not (_dark_canvas(grey, small) and _light_on_dark(small)):
        return _canonical_dark_ink(grey, ruled, blocks)
    page = _page_region(small)
    if page is None:
        return _canonical_dark_ink(1.0 - grey, ruled, blocks)
    first = _canonical_dark_ink(_off_page(grey, small, *page), ruled, blocks)
    sheet = _on_page(grey, page[0])
    if sheet is None:
        return first
    return replace(first, other=_canonical_dark_ink(sheet, blocks=blocks))


def _off_page(grey: np.ndarray, small: np.ndarray, hull: np.ndarray, filled: float) -> np.ndarray:
    """``grey`` (thumbnail ``small``) inverted, for light strokes, with the page-like region
    ``hull`` (a thumbnail mask filled ``filled``) and its edge filled with the desk when it is a
    sheet, not bold strokes (:data:`SHEET_FILL`)."""
    strokes = 1.0 - grey
    if filled < SHEET_FILL:
        return strokes
    around = cv2.dilate(hull, np.ones((3, 3), np.uint8), iterations=PAGE_EDGE)
    return np.where(_scaled(around, grey.shape), 1.0 - float(np.median(small)), strokes)


def _on_page(grey: np.ndarray, hull: np.ndarray) -> np.ndarray | None:
    """The box of ``grey`` that holds the page-like region ``hull`` (a thumbnail mask) but for
    one thumbnail pixel round it and the picture's frame, what lies off it filled with the
    page's own light; ``None`` when nothing is left."""
    inside = cv2.erode(
        hull, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0
    )
    on_page = _scaled(inside, grey.shape)
    box = ink_box(on_page)
    if box is None:
        return None
    return np.where(on_page, grey, float(np.median(grey[on_page])))[box]


@dataclass(frozen=True)
class Ink:
    """Where a picture's writing is: ``contrast`` (how much darker than the paper, in [0, 1]),
    ``ink`` (the contrast over its strongest) and ``mask`` (the stroke pixels kept)."""

    contrast: np.ndarray
    ink: np.ndarray
    mask: np.ndarray
    specks: np.ndarray | None = None
    """The small groups of ink dropped as specks (a pixel mask), or ``None`` when none were."""


def find_ink(grey: np.ndarray, ruled: bool = True) -> Ink | Verdict:
    """The writing in a picture known to show dark ink on a lighter ground, with shadows, ink
    cut by the edges and specks dropped, and (if ``ruled``: a picture of a page, not a crop of
    one letter) ruled lines and the desk around the sheet (:func:`sheet_mask`); or why there is
    none to read (``blank``, ``too_small``). When nothing is written on what looked like the
    sheet, it was the table (a sheet darker than the table it lies on, brown paper on a white
    desk): the whole picture is looked at instead, and if all it finds there touches the frame,
    that is the desk showing between the sheet's edges and the frame: the sheet is blank."""
    darkness = _darkness(grey)
    sheet = sheet_mask(grey) if ruled else None
    found = _ink_within(darkness, ruled, sheet)
    if sheet is not None and isinstance(found, Verdict):
        whole = _ink_within(darkness, ruled, None)
        return Verdict.BLANK if isinstance(whole, Ink) and _all_at_frame(whole.mask) else whole
    return found


def _all_at_frame(mask: np.ndarray) -> bool:
    """Whether every group of ink in ``mask`` touches the picture's frame."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    return count > 1 and len(np.setdiff1d(np.arange(1, count), _at_frame(labels))) == 0


def _at_frame(labels: np.ndarray) -> np.ndarray:
    """The labels of a labelled picture found on its frame (its outermost pixels)."""
    return np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))


def _ink_within(darkness: np.ndarray, ruled: bool, sheet: np.ndarray | None) -> Ink | Verdict:
    """:func:`find_ink` on the ``sheet`` (all of the picture if ``None``), from the picture's
    :func:`_darkness`."""
    contrast = _ink_map(darkness, sheet)
    if contrast is None:
        return Verdict.BLANK
    ink = contrast / contrast.max()
    mask = _drop_soft_parts(ink >= INK_LEVEL, ink)
    mask = _remove_lines(mask, ink, sheet) if ruled else mask
    mask = mask if sheet is None else _drop_desk_slivers(mask, sheet)
    cleaned = _drop_border_blobs(mask)
    mask = _drop_specks(cleaned)
    box = ink_box(mask)
    if box is None:
        return Verdict.BLANK
    if box_side(box) < MIN_LETTER_SIDE * max(darkness.shape):
        return Verdict.TOO_SMALL
    specks = cleaned & ~mask
    return Ink(contrast, ink, mask, specks if specks.any() else None)


def _drop_desk_slivers(mask: np.ndarray, sheet: np.ndarray) -> np.ndarray:
    """``mask`` without the groups of ink that touch both the picture's frame and the edge of
    the ``sheet``: the desk showing between a turned sheet's edge and the frame, which the
    sheet's outline, found on a small copy, takes in (read as ㅣ on a blank sheet)."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return mask
    desk = cv2.dilate((~sheet).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    slivers = np.intersect1d(_at_frame(labels), labels[desk & mask])
    return mask & ~np.isin(labels, slivers)


def dark_ink(image: np.ndarray) -> Ink | Verdict:
    """:func:`find_ink` for a picture known to show dark ink on white (a synthetic one), with
    small pictures enlarged first as :func:`canonicalize` does."""
    grey = _as_float(image)
    return find_ink(_enlarge_small(grey), ruled=max(grey.shape) >= MIN_WORK_SIDE)


def _canonical_dark_ink(grey: np.ndarray, ruled: bool = True, blocks: bool = False) -> Canonical:
    """Canonicalise a picture already known to show dark ink on a lighter ground; ``ruled``:
    it may show ruled or grid lines across it (a crop of one letter does not, and a stroke
    across all of it is part of the letter); ``blocks``: cut its writing into blocks too."""
    found = find_ink(grey, ruled)
    if isinstance(found, Verdict):
        return refusal(found)
    written = None
    if blocks:  # lines are counted before stray marks go: a second line is no stray mark
        lines = count_lines(found.mask[ink_box(found.mask)])
        written = _apart(found, _writing_row(found.mask), lines)
    letter = _canonical_letter(found)
    return replace(letter, blocks=written)


def _canonical_letter(found: Ink) -> Canonical:
    """The 28x28 canonical letter in the ``found`` ink, or why it is not one letter."""
    contrast, ink = found.contrast, found.ink
    mask = _one_letter(found.mask)
    if mask is None:
        return replace(refusal(Verdict.SEVERAL_LETTERS), ink_share=float(found.mask.mean()))
    if np.quantile(contrast[mask], 0.9) < MIN_LETTER_CONTRAST:
        return refusal(Verdict.BLANK)
    box = ink_box(mask)
    if _solidity(mask[box]) < GRAIN:
        return refusal(Verdict.NOT_A_LETTER)
    glyph = normalise_strokes(np.where(grow(mask, 1), ink, 0.0)[box], STROKE)
    if glyph is None:
        return refusal(Verdict.BLANK)
    return Canonical(Verdict.OK, _place(glyph), ink_share=float(found.mask.mean()))


def letter_from_block(block: np.ndarray) -> np.ndarray | None:
    """A canonical syllable block (:mod:`ml.reading.blocks`) that holds one letter, in the 28x28
    letter contract (a letter written apart from the others of its syllable), or ``None`` when
    no stroke survives."""
    box = ink_box(block >= INK_LEVEL * float(block.max(initial=0.0)))
    glyph = None if box is None else normalise_strokes(block[box], STROKE)
    return None if glyph is None else _place(glyph)


def _as_float(grey: np.ndarray) -> np.ndarray:
    """A greyscale picture as float32 in [0, 1] (uint8 scaled, float kept)."""
    source = np.asarray(grey)
    return source.astype(np.float32) / (255.0 if source.dtype == np.uint8 else 1.0)


def _enlarge_small(grey: np.ndarray) -> np.ndarray:
    side = max(grey.shape)
    if side >= MIN_WORK_SIDE:
        return grey
    scale = MIN_WORK_SIDE / side
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_CUBIC).clip(0.0, 1.0)


def _thumbnail(grey: np.ndarray) -> np.ndarray:
    """The picture shrunk to 64 px on its longer side, for judging its overall look."""
    height, width = grey.shape
    scale = 64 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def _dark_canvas(grey: np.ndarray, small: np.ndarray) -> bool:
    """Whether the picture's border and most of its pixels (``small``: its thumbnail) are dark:
    a drawing app's night mode, or a dimly lit page on a dark desk."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return bool(np.median(border) < 0.5 and np.median(small) < 0.5)


def _page_region(small: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The convex hull (uint8 mask of the thumbnail ``small``) of its biggest light region
    (lighter than Otsu's threshold) if it is big enough to be a sheet of paper (at least
    ``PAGE_SIDE`` of the picture both ways and ``PAGE_FILL`` of its box full), and the share of
    the hull the region fills; else ``None``."""
    levels = np.round(small * 255).astype(np.uint8)
    _, light = cv2.threshold(levels, 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    if count <= 1:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    _, _, w, h, area = stats[biggest]
    if w < PAGE_SIDE * small.shape[1] or h < PAGE_SIDE * small.shape[0] or area < PAGE_FILL * w * h:
        return None
    hull = convex_hull(labels == biggest)
    return hull, float(area / np.count_nonzero(hull))


def _scaled(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A thumbnail's mask (uint8) at a picture's ``shape``, as booleans."""
    return cv2.resize(mask, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)


def _light_on_dark(small: np.ndarray) -> bool:
    """The likelier polarity of a picture with a dark canvas, judged on its thumbnail: light
    strokes if more pixels stand out above the median than below it (a dimly lit page's ink is
    darker still, but a page covering much of the picture makes it guess wrong)."""
    median = float(np.median(small))
    lighter = np.count_nonzero(small > median + POLARITY_MARGIN)
    darker = np.count_nonzero(small < median - POLARITY_MARGIN)
    return lighter > darker


def _darkness(grey: np.ndarray) -> np.ndarray:
    """How much darker each pixel is than the local paper, as a share of the paper's light.

    The paper is estimated by a morphological closing with a square ``PAPER_KERNEL`` of the
    picture wide, which erases strokes thinner than that, so lighting gradients and shadows
    divide out. The picture is padded by replication first: the closing's own border handling
    would fill a dark strip along the edge (the desk beside the sheet) and make all of it ink.
    """
    height, width = grey.shape
    side = 2 * round(PAPER_KERNEL * max(height, width) / 2) + 1
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.0)
    padded = cv2.copyMakeBorder(smooth, side, side, side, side, cv2.BORDER_REPLICATE)
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (side, side))
    paper = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, square)[side:-side, side:-side]
    paper = np.maximum(paper, grey)
    return (paper - grey) / np.maximum(paper, 0.05)


def _ink_map(darkness: np.ndarray, sheet: np.ndarray | None = None) -> np.ndarray | None:
    """Ink contrast in [0, 1] from a picture's :func:`_darkness`, none off the ``sheet`` of
    paper when one is given, or ``None`` when nothing is written."""
    ink = darkness if sheet is None else np.where(sheet, darkness, 0.0).astype(darkness.dtype)
    # The strongest ink, after a slight blur so that lone noisy pixels do not count.
    strongest = float(cv2.GaussianBlur(ink, (0, 0), 1.0).max())
    if strongest < MIN_CONTRAST:
        return None
    return np.clip(ink, 0.0, strongest)


def _drop_soft_parts(mask: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Drop the ink pixels whose nearest edge is soft (rises by less than ``SHARP_EDGE``), in
    pictures of at least ``EDGE_TEST_SIDE`` whose pen is sharp (``SHARP_PEN``), unless they make
    a part as dark as the pen's strokes (``SOFT_STROKE``).

    A shadow narrower than the paper estimate's kernel counts as ink, but its edges are blurred,
    while a pen stroke is bounded by sharp edges on both sides: each ink pixel is judged by the
    edge it is nearest to, which splits a shadow from a letter it touches. A stroke whose edges
    are soft (anti-aliased, upscaled, smudged) beside sharp ones keeps its dark core, which a
    shadow (20-55% darker than the paper) lacks, so a soft part that dark and stroke-shaped
    stays. An
    out-of-focus picture, whose strokes' edges are all soft, is left as it is.
    """
    if max(mask.shape) < EDGE_TEST_SIDE:
        return mask
    square = np.ones((3, 3), np.uint8)
    rise = cv2.morphologyEx(ink, cv2.MORPH_GRADIENT, square)
    edge = ~mask & cv2.dilate(mask.astype(np.uint8), square).astype(bool)
    if not edge.any() or np.quantile(rise[edge], PEN_EDGE_QUANTILE) < SHARP_PEN:
        return mask
    _, nearest = cv2.distanceTransformWithLabels(
        mask.astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    sharp = np.zeros(int(nearest.max()) + 1, bool)
    sharp[nearest[~mask]] = rise[~mask] >= SHARP_EDGE
    kept = mask & sharp[nearest]
    soft = mask & ~kept
    if not kept.any() or not soft.any():
        return kept
    pen = np.quantile(ink[kept], PEN_EDGE_QUANTILE)
    count, parts = cv2.connectedComponents(soft.astype(np.uint8), connectivity=8)
    depth = cv2.distanceTransform(soft.astype(np.uint8), cv2.DIST_L2, 5)
    for part in range(1, count):
        pixels = parts == part
        width = 2 * float(depth[pixels].max())
        stroke_like = np.count_nonzero(pixels) >= SOFT_STROKE_LENGTH * width**2
        dark = np.quantile(ink[pixels], PEN_EDGE_QUANTILE) >= SOFT_STROKE * pen
        if stroke_like and dark:
            kept |= pixels
    return kept


def _remove_lines(mask: np.ndarray, ink: np.ndarray, sheet: np.ndarray | None = None) -> np.ndarray:
    """Drop thin straight lines that cross most of the picture, or of the ``sheet`` of paper
    when one was found (ruled lines, grids, edges), from the ink ``mask``.

    Long segments are found with a probabilistic Hough transform in the ``ink`` of at least
    ``LINE_LEVEL`` and kept where they are thin (``LINE_WIDTH``), the ``mask`` follows them
    (``LINE_COVER``) and, if they do not cross the whole picture, others run parallel to them
    (``LINE_FAMILY``); along them only the pixels that are not part of a thicker pen stroke are
    removed, and the strokes a line crossed are closed again.
    """
    height, width = mask.shape
    side = max(height, width)
    faint = (ink >= LINE_LEVEL).astype(np.uint8)
    binary = mask.astype(np.uint8)
    near = cv2.dilate(binary, np.ones((3, 3), np.uint8)).astype(bool)
    # The distance to the paper: half a line's width along it (a crossed stroke is an outlier).
    to_paper = cv2.distanceTransform(faint, cv2.DIST_L2, 3)
    paper = np.ones_like(mask) if sheet is None else sheet
    taken = np.zeros_like(binary)  # the lines found so far, left out of the next search
    across, cut = [], []
    # Lines across the picture first; then, in what they leave, the shorter ones that cut its
    # corner or cross a sheet smaller than it (looked for first, a line broken into dashes
    # would be found as pieces, each too short).
    for shortest in (LINE_SPAN, LINE_SPAN * LINE_CHORD):
        left = np.where(cv2.dilate(taken, ellipse(5)) > 0, 0, faint).astype(np.uint8)
        for x1, y1, x2, y2 in _segments(left, round(shortest * min(height, width))):
            if not _spans(x2 - x1, y2 - y1, _chord(x1, y1, x2, y2, paper), (height, width)):
                continue
            on_line = _segment_pixels((x1, y1), (x2, y2))
            thin_enough = 2 * np.median(to_paper[on_line]) <= LINE_WIDTH * side
            if thin_enough and near[on_line].mean() >= LINE_COVER:
                whole = abs(x2 - x1) >= LINE_SPAN * width or abs(y2 - y1) >= LINE_SPAN * height
                (across if whole else cut).append((x1, y1, x2, y2))
                cv2.line(taken, (x1, y1), (x2, y2), 1, thickness=1)
    centres = np.zeros_like(binary)
    for x1, y1, x2, y2 in across + [line for line in cut if _ruled(line, across + cut)]:
        cv2.line(centres, (x1, y1), (x2, y2), 1, thickness=1)
    if not centres.any():
        return mask
    depth = to_paper[centres.astype(bool)]
    thin = 1 + int(np.ceil(2 * np.median(depth)))
    lines = cv2.dilate(centres, ellipse(thin)).astype(bool)
    strokes = cv2.morphologyEx(binary, cv2.MORPH_OPEN, ellipse(thin + 2)).astype(bool)
    kept = (mask & ~(lines & ~strokes)).astype(np.uint8)
    healed = cv2.morphologyEx(kept, cv2.MORPH_CLOSE, ellipse(thin + 2)).astype(bool)
    return healed & mask


def _segments(faint: np.ndarray, shortest: int) -> list[list[int]]:
    """The straight runs (x1, y1, x2, y2) at least ``shortest`` px long in the ``faint`` ink,
    by a probabilistic Hough transform (gaps of up to 2% of the picture's side bridged)."""
    side = max(faint.shape)
    found = cv2.HoughLinesP(
        faint,
        rho=1,
        theta=np.pi / 360,
        threshold=round(0.4 * side),
        minLineLength=shortest,
        maxLineGap=max(2, round(0.02 * side)),
    )
    return [] if found is None else found.reshape(-1, 4).tolist()


def _ruled(line: tuple[int, ...], found: list[tuple[int, ...]]) -> bool:
    """Whether ``line`` has at least ``LINE_FAMILY`` other ``found`` lines parallel to it (within
    a degree): a page's ruling or grid, not a lone straight edge (a sheet's, a desk's)."""
    angle = np.arctan2(line[3] - line[1], line[2] - line[0])
    parallel = sum(
        abs(np.sin(angle - np.arctan2(y2 - y1, x2 - x1))) <= np.sin(np.radians(1.0))
        for x1, y1, x2, y2 in found
    )
    return parallel - 1 >= LINE_FAMILY


def _spans(dx: int, dy: int, chord: tuple[int, int], shape: tuple[int, ...]) -> bool:
    """Whether a segment ``dx`` across and ``dy`` down runs along ``LINE_SPAN`` of the ``chord``
    (rows, columns) of the picture or sheet it lies on, one that reaches ``LINE_CHORD`` of the
    picture of ``shape`` that way."""
    return any(
        abs(run) >= LINE_SPAN * reach and reach >= LINE_CHORD * extent
        for run, reach, extent in zip((dy, dx), chord, shape, strict=True)
    )


def _chord(x1: int, y1: int, x2: int, y2: int, sheet: np.ndarray) -> tuple[int, int]:
    """How far (rows, columns) the ``sheet`` reaches along the straight line through (``x1``,
    ``y1``) and (``x2``, ``y2``), from its first pixel on that line to its last."""
    height, width = sheet.shape
    length = max(np.hypot(x2 - x1, y2 - y1), 1.0)
    steps = np.arange(-(height + width), height + width + 1)
    xs = np.rint(x1 + steps * (x2 - x1) / length).astype(int)
    ys = np.rint(y1 + steps * (y2 - y1) / length).astype(int)
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    xs, ys = xs[inside], ys[inside]
    on_sheet = sheet[ys, xs]
    if not on_sheet.any():
        return height, width
    return int(np.ptp(ys[on_sheet])) + 1, int(np.ptp(xs[on_sheet])) + 1


def _segment_pixels(start: tuple[int, int], end: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The (rows, columns) of the pixels on the segment from ``start`` to ``end`` (x, y)."""
    steps = max(abs(end[0] - start[0]), abs(end[1] - start[1])) + 1
    xs = np.rint(np.linspace(start[0], end[0], steps)).astype(int)
    ys = np.rint(np.linspace(start[1], end[1], steps)).astype(int)
    return ys, xs


def _drop_border_blobs(mask: np.ndarray) -> np.ndarray:
    """Drop ink touching the picture's edge (desk, fingers, shadows, paper edges) when a
    letter-sized group of ink stands clear of the edge; otherwise keep everything. In a tight
    crop (the clear ink spans ``TIGHT_CROP`` of the picture) a part of the letter cut by the edge
    (ㅔ's ㅓ beside its ㅣ) stays: drawn with the same pen, not much bigger than the clear ink,
    not across the picture, and within ``PART_GAP`` of it."""
    height, width = mask.shape
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    touching = np.isin(np.arange(1, count), _at_frame(labels))
    if not touching.any() or touching.all():
        return mask
    inner = np.flatnonzero(~touching) + 1
    inner_mask = np.isin(labels, inner)
    inner_side, side = box_side(ink_box(inner_mask)), max(height, width)
    if inner_side < MIN_LETTER_SIDE * side:
        return mask
    if inner_side < TIGHT_CROP * side:
        return inner_mask
    pen = stroke_width(inner_mask)
    near = cv2.dilate(inner_mask.astype(np.uint8), ellipse(2 * round(PART_GAP * inner_side) + 1))
    for part in np.flatnonzero(touching) + 1:
        piece = labels == part
        if (
            max(w[part - 1], h[part - 1]) <= min(SAME_PEN_MAX * inner_side, LINE_SPAN * side)
            and stroke_width(piece) <= SAME_PEN_MAX * pen
            and near[piece].any()
        ):
            inner_mask |= piece
    return inner_mask


def _drop_specks(mask: np.ndarray) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= max(4, SPECK * areas.max())) + 1
    return np.isin(labels, keep)


def _one_letter(mask: np.ndarray) -> np.ndarray | None:
    """The ink kept as the letter (:func:`_main_group`), or ``None`` when the picture shows
    several letters: three groups of ink or more side by side or one above another
    (:func:`_count_letters`, on all the ink), or kept ink that is letters written closer
    together than that (:func:`_close_letters`)."""
    if _count_letters(mask[ink_box(mask)]) >= 3:
        return None
    kept = _main_group(mask)
    return None if _close_letters(kept[ink_box(kept)]) else kept


def _count_letters(mask: np.ndarray) -> int:
    """How many groups of ink stand side by side, or one above another (the more of the two),
    each a sizeable share of the ink: a row of letters, or a column of them (letters written
    down a page). The parts of one letter stacked one above another (ㅎ's and ㅊ's top
    strokes) sit too close to count apart, as side by side."""
    return max(_side_by_side(mask), _side_by_side(mask.T))


def _close_letters(mask: np.ndarray) -> bool:
    """Whether ``mask`` (ink cropped to its box) is a row or a column of letters written a few
    pixels apart: across or down, where it is at least :data:`ROW_PENS` pen widths high, it is
    cut into letters (:func:`_cut_into_letters`) or holds two lines of writing
    (:func:`ml.reading.blocks.count_lines`). Of validation letters (seeds 2000 and 3000, every
    informal style, as pictures and photos) it refuses none of 8,320."""
    pen = stroke_width(mask)
    for row in (mask, np.ascontiguousarray(mask.T)):
        if row.shape[0] >= ROW_PENS * pen and (_cut_into_letters(row) or count_lines(row) > 1):
            return True
    return False


def _cut_into_letters(row: np.ndarray) -> bool:
    """Whether the block cutting (:func:`ml.reading.blocks.split_row`) makes
    :data:`SEVERAL_PIECES` pieces or more of the ``row`` (ink cropped to its box), most of them
    at least :data:`PIECE_HEIGHT` of its height."""
    pieces = split_row(row)
    if len(pieces) < SEVERAL_PIECES:
        return False
    boxes = [ink_box(row[:, piece]) for piece in pieces]
    heights = [box_shape(box)[0] for box in boxes if box is not None]
    return float(np.median(heights)) >= PIECE_HEIGHT * row.shape[0]


def _side_by_side(mask: np.ndarray) -> int:
    """How many groups of ink stand side by side, each a sizeable share of the ink.

    Parts of one letter (ㅆ's two ㅅ, ㅐ's bars) sit closer than letters of a word: column runs
    of ink are merged across gaps narrower than a third of the ink's height.
    """
    height = mask.shape[0]
    column_ink = mask.sum(axis=0)
    inked = np.flatnonzero(column_ink)
    breaks = np.flatnonzero(np.diff(inked) > max(3, height / 3))
    groups = np.split(inked, breaks + 1)
    total = column_ink.sum()
    return sum(column_ink[g].sum() >= 0.1 * total for g in groups)


def _solidity(cropped: np.ndarray) -> float:
    """The share of the closing (3x3) of ink ``cropped`` to its box that is ink: about 1 for
    strokes, less for grain."""
    ink = np.pad(cropped, 2).astype(np.uint8)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    return float(ink.sum() / max(int(closed.sum()), 1))


def _groups(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, int] | None:
    """The ink grouped by nearness (within ``PART_GAP`` of the biggest stroke's size): each
    pixel's group label, each group's ink, and the group with the most ink; ``None`` when the
    ink is one or no stroke."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    size = max(stats[largest, cv2.CC_STAT_WIDTH], stats[largest, cv2.CC_STAT_HEIGHT])
    grouped = cv2.dilate(mask.astype(np.uint8), ellipse(2 * round(PART_GAP * size / 2) + 1))
    _, groups = cv2.connectedComponents(grouped, connectivity=8)
    ink = np.bincount(groups[mask], minlength=groups.max() + 1)
    ink[0] = 0
    return groups, ink, int(np.argmax(ink))


def _main_group(mask: np.ndarray) -> np.ndarray:
    """The group of ink around the biggest stroke, plus any group that rivals it.

    Parts of one letter lie within ``PART_GAP`` of the biggest stroke's size of each other;
    stray marks (app icons, specks) lie further and are dropped. A group with at least ``RIVAL``
    of the main one's ink, whose width and height both reach ``RIVAL`` of the main one's size
    and whose strokes are as thick as if the same pen drew them (a far-flung part of the letter,
    or a second letter; not a row of icons, not the thin edge of the sheet) is kept, so that
    the model, not the cropping, judges it.
    """
    found = _groups(mask)
    if found is None:
        return mask
    groups, ink, main = found
    main_ink = mask & (groups == main)
    main_side, main_pen = box_side(ink_box(main_ink)), stroke_width(main_ink)
    kept = [main]
    for group in np.flatnonzero(ink >= RIVAL * ink[main]):
        other = mask & (groups == group)
        if (
            group != main
            and min(box_shape(ink_box(other))) >= RIVAL * main_side
            and stroke_width(other) >= SAME_PEN * main_pen
        ):
            kept.append(group)
    return mask & np.isin(groups, kept)


def _writing_row(mask: np.ndarray) -> np.ndarray:
    """The main group of ink (:func:`_groups`) and every group within ``ROW_REACH`` (across,
    down) of its height of it or of another group kept with ``ROW_STEP_INK`` of its ink (the
    blocks of a word, a block's own parts); stray marks further off (app icons, a toolbar's
    edge, specks, the dots of dotted paper beyond the writing's neighbours) are dropped."""
    found = _groups(mask)
    if found is None:
        return mask
    groups, ink, main = found
    kept = groups == main
    stepping = (ink >= ROW_STEP_INK * ink[main])[groups]
    height = box_shape(ink_box(kept))[0]
    across, down = (max(1, round(reach * height)) for reach in ROW_REACH)
    around = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * across + 1, 2 * down + 1))
    for _ in range(MAX_ROW_STEPS):
        reach = cv2.dilate((kept & stepping).astype(np.uint8), around)
        grown = _groups_within(groups, mask, reach)
        if (grown == kept).all():
            break
        kept = grown
    return mask & kept


def _dots_of(row: np.ndarray, specks: np.ndarray | None) -> np.ndarray:
    """The specks (small groups of ink) within :data:`DOT_REACH` pen widths of the ``row`` of
    writing: the short top stroke of ㅊ or ㅎ in a word written small is smaller than a speck
    (:data:`SPECK` of the largest group of ink, a whole block's strokes), and without it ㅊ
    reads as ㅈ. Specks further off are dust."""
    if specks is None:
        return np.zeros_like(row)
    reach = max(1, round(DOT_REACH * stroke_width(row)))
    _, labels = cv2.connectedComponents(specks.astype(np.uint8), connectivity=8)
    return _groups_within(labels, specks, grow(row, reach))


def _groups_within(labels: np.ndarray, mask: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Every group of ink (``labels``, 0 for none) with a pixel of ``mask`` inside ``region``,
    whole."""
    near = np.unique(labels[mask & region.astype(bool)])
    return np.isin(labels, near[near > 0])


def _apart(found: Ink, row: np.ndarray, lines: int) -> Blocks:
    """The ``row`` of writing cut into blocks (of a picture of ``lines`` lines) with the groups
    of ink left out of it (:func:`_left_out`): their blocks (``apart``: another line of
    writing, or an app's icon, which the syllable reader tells apart,
    :func:`ml.reading.text.route`; or a letter written beside the others); the groups in one
    line with the row (:func:`_in_line`), each whole and where it begins, with the specks near
    them given back as the row's are (:func:`_dots_of`: a letter's short stroke); and the box of
    the row and those groups together (``None`` when none is). The row and the groups in line
    with it are turned straight knowing the turn that stands all of them straight
    (:func:`ml.reading.blocks.upright_tilt`, :func:`ml.reading.blocks.level`)."""
    parts = _left_out(found, row)
    boxes = [ink_box(part) for part in parts]
    in_line = _in_line(boxes, ink_box(row)) if parts else []
    joined = [part for part, joins in zip(parts, in_line, strict=True) if joins]
    line_tilt = None
    if joined:
        line = np.logical_or.reduce([row, *joined])
        line_tilt = upright_tilt(line[ink_box(line)])
    written = _cut(found, row, lines, line_tilt)
    images, group_of, wholes, columns, together = [], [], [], [], row.copy()
    for part, box, joins in zip(parts, boxes, in_line, strict=True):
        blocks = _cut(found, part, 1, line_tilt) if joins else find_blocks(found.ink, part)
        if not len(blocks):
            continue
        images.extend(blocks.images)
        joins = joins and blocks.whole is not None
        group_of += [len(wholes) if joins else -1] * len(blocks)
        if joins:
            wholes.append(blocks.whole)
            columns.append(box[1].start)
            together |= part
    if not images:
        return written
    return replace(
        written,
        apart=np.stack(images),
        apart_groups=tuple(group_of),
        group_wholes=np.stack(wholes) if wholes else no_blocks(),
        group_columns=tuple(columns),
        beside=ink_box(together) if wholes else None,
    )


def _left_out(found: Ink, row: np.ndarray) -> list[np.ndarray]:
    """The groups of ink left out of the ``row`` of writing that are at least ``APART`` of its
    height, each as a mask."""
    left_out = found.mask & ~row
    grouped = _groups(found.mask) if left_out.any() else None
    if grouped is None:
        return []
    groups, _, _ = grouped
    height = box_shape(ink_box(row))[0]
    parts = [left_out & (groups == group) for group in np.unique(groups[left_out])]
    return [part for part in parts if max(box_shape(ink_box(part))) >= APART * height]


def _cut(found: Ink, writing: np.ndarray, lines: int, line_tilt: float | None) -> Blocks:
    """The ``writing`` (the row, or a group of ink in line with it) with the specks near it
    (:func:`_dots_of`) cut into blocks, knowing its line's turn (``line_tilt``;
    :func:`ml.reading.blocks.find_blocks`)."""
    return find_blocks(found.ink, writing | _dots_of(writing, found.specks), lines, line_tilt)


def _in_line(boxes: list[tuple[slice, slice]], row: tuple[slice, slice]) -> list[bool]:
    """Which of the groups of ink in ``boxes`` lie in one line with the ``row`` of writing:
    beside it or beside a group that is (a tilted row of letters written apart climbs or falls
    from one letter to the next, so its last letter may share little height with its first),
    as it lies or moved along the line's slope to the group's place (:func:`_slope`: a steep
    row's small letters share little height even with the one before). A group is beside
    another when they share :data:`BESIDE` of the lower one's height."""
    in_line = [False] * len(boxes)
    line = [row]
    while True:
        slope = _slope(line)
        joining = [k for k, box in enumerate(boxes) if not in_line[k] and _joins(box, line, slope)]
        if not joining:
            return in_line
        for k in joining:
            in_line[k] = True
            line.append(boxes[k])


def _joins(box: tuple[slice, slice], line: list[tuple[slice, slice]], slope: float) -> bool:
    """Whether ink in ``box`` lies beside a box of the ``line``, as it lies or moved along the
    line's ``slope`` to ``box``'s place."""
    return any(_beside(box, other) or _beside(box, _along(other, slope, box)) for other in line)


def _slope(line: list[tuple[slice, slice]]) -> float:
    """How far a ``line`` of boxes of ink falls per column, from their centres (least squares;
    0 for one box, at most :data:`MAX_SLOPE` either way)."""
    if len(line) < 2:
        return 0.0
    columns = np.array([(box[1].start + box[1].stop) / 2 for box in line])
    rows = np.array([(box[0].start + box[0].stop) / 2 for box in line])
    spread = float(np.sum((columns - columns.mean()) ** 2))
    if spread == 0:
        return 0.0
    fall = float(np.sum((columns - columns.mean()) * (rows - rows.mean()))) / spread
    return float(np.clip(fall, -MAX_SLOPE, MAX_SLOPE))


def _along(box: tuple[slice, slice], slope: float, to: tuple[slice, slice]) -> tuple[slice, slice]:
    """``box`` moved down by ``slope`` rows a column from its centre column to that of ``to``."""
    shift = round(slope * ((to[1].start + to[1].stop) - (box[1].start + box[1].stop)) / 2)
    return slice(box[0].start + shift, box[0].stop + shift), box[1]


def _beside(box: tuple[slice, slice], other: tuple[slice, slice]) -> bool:
    """Whether ink in ``box`` lies beside the ink in ``other`` rather than above or below it."""
    shared = min(box[0].stop, other[0].stop) - max(box[0].start, other[0].start)
    return shared >= BESIDE * min(box_shape(box)[0], box_shape(other)[0])


def _place(glyph: np.ndarray) -> np.ndarray:
    """Scale the cropped glyph into the 20 px box and centre its ink mass on a 28x28 canvas."""
    height, width = glyph.shape
    scale = BOX / max(height, width)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    small = cv2.resize(glyph, (new_w, new_h), interpolation=cv2.INTER_AREA).clip(0.0, 1.0)
    mass = small.sum()
    ys, xs = np.indices(small.shape)
    cy = (ys * small).sum() / mass if mass > 0 else new_h / 2
    cx = (xs * small).sum() / mass if mass > 0 else new_w / 2
    top = int(np.clip(round(SIZE / 2 - cy - 0.5), 0, SIZE - new_h))
    left = int(np.clip(round(SIZE / 2 - cx - 0.5), 0, SIZE - new_w))
    canvas = np.zeros((SIZE, SIZE), dtype=np.float32)
    canvas[top : top + new_h, left : left + new_w] = small
    return canvas
