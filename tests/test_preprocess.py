"""The canonical form and the safe decoder, on drawn letters and hostile files."""

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from conftest import centre_of_mass, dim_page_on_dark_desk, draw_letter, encode
from ml.reading import preprocess
from ml.reading.decode import MAX_FILE_BYTES, WORK_SIDE, PictureError, decode_greyscale
from ml.reading.ink import stroke_width
from ml.reading.preprocess import BOX, SIZE, ZOOM_SIDE, canonical_from_bytes, canonicalize


def test_canonical_form_follows_the_input_contract(korean_font):
    result = canonical_from_bytes(encode(draw_letter(korean_font, "ㅛ")))
    assert result.ok
    image = result.image
    assert image.shape == (SIZE, SIZE) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0
    assert image.max() > 0.9 and image[0].max() == 0.0 == image[:, 0].max()  # ink = 1 on 0
    rows = np.flatnonzero(image.max(axis=1) > 0.05)
    cols = np.flatnonzero(image.max(axis=0) > 0.05)
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (BOX, BOX + 1)
    cy, cx = centre_of_mass(image)
    assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0


def test_light_strokes_on_dark_canvas_give_the_same_form(korean_font):
    dark_ink = canonical_from_bytes(encode(draw_letter(korean_font, "ㄹ", ink=20, paper=240)))
    light_ink = canonical_from_bytes(encode(draw_letter(korean_font, "ㄹ", ink=230, paper=15)))
    assert np.abs(dark_ink.image - light_ink.image).mean() < 0.02
    assert dark_ink.other is None  # a light picture's polarity is never in doubt


def test_a_dim_page_on_a_dark_desk_is_also_read_as_dark_ink(korean_font):
    result = canonical_from_bytes(encode(dim_page_on_dark_desk(korean_font, "ㅂ")))
    assert result.verdict == "blank"  # the likelier guess: light strokes, and there are none
    clean = canonical_from_bytes(encode(draw_letter(korean_font, "ㅂ", font_size=110)))
    assert result.other is not None and result.other.ok
    assert np.abs(result.other.image - clean.image).mean() < 0.08


def test_size_and_position_do_not_change_the_form(korean_font):
    small = draw_letter(korean_font, "ㅂ", size=(100, 80), font_size=40, offset=(-20, 10))
    large = draw_letter(korean_font, "ㅂ", size=(900, 700), font_size=400, offset=(150, -100))
    a, b = canonical_from_bytes(encode(small)).image, canonical_from_bytes(encode(large)).image
    assert np.abs(a - b).mean() < 0.06


def test_uint8_and_float_inputs_agree(korean_font):
    page = np.asarray(draw_letter(korean_font, "ㅊ"))
    assert np.allclose(canonicalize(page).image, canonicalize(page / 255.0).image, atol=1e-5)


@pytest.mark.parametrize("paper", [0, 128, 255])
def test_blank_pages_are_blank(paper):
    page = Image.new("L", (300, 200), paper)
    result = canonical_from_bytes(encode(page, "JPEG"))
    assert result.verdict == "blank" and result.image is None and result.reason


def test_faint_paper_texture_alone_is_blank():
    rng = np.random.default_rng(0)
    page = (235 + rng.normal(0, 3, (240, 320))).clip(0, 255).astype(np.uint8)
    assert canonical_from_bytes(encode(Image.fromarray(page))).verdict == "blank"


def test_exif_orientation_is_honoured(korean_font):
    upright = draw_letter(korean_font, "ㄱ", size=(200, 200))
    stored_sideways = upright.rotate(90, expand=True)  # what the sensor stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    data = encode(stored_sideways, "JPEG", exif=exif.tobytes(), quality=95)
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size == (200, 200)
    read = canonical_from_bytes(data).image
    expected = canonical_from_bytes(encode(upright, "JPEG", quality=95)).image
    assert np.abs(read - expected).mean() < 0.03


def test_transparent_png_is_composited_over_white(korean_font):
    letter = draw_letter(korean_font, "ㅁ", ink=0, paper=255)
    rgba = Image.new("RGBA", letter.size, (0, 0, 0, 0))
    rgba.putalpha(ImageOps.invert(letter))  # black ink, transparent elsewhere
    result = canonical_from_bytes(encode(rgba))
    assert result.ok
    expected = canonical_from_bytes(encode(letter)).image
    assert np.abs(result.image - expected).mean() < 0.02


def test_large_jpeg_is_decoded_at_reduced_size(korean_font):
    photo = draw_letter(korean_font, "ㅎ", size=(4000, 3000), font_size=1500)
    grey = decode_greyscale(encode(photo, "JPEG", quality=85))
    assert max(grey.shape) <= WORK_SIDE and grey.dtype == np.float32


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"hello, this is plain text, not a picture", "not_an_image"),
        (bytes(range(256)) * 8, "not_an_image"),
        (b"%PDF-1.4 fake", "not_an_image"),
    ],
)
def test_non_pictures_get_a_reason_code(data, code):
    result = canonical_from_bytes(data)
    assert result.verdict == code and not result.ok and result.reason


def test_truncated_files_are_reported_as_damaged(korean_font):
    for fmt in ("PNG", "JPEG"):
        data = encode(draw_letter(korean_font, "ㅅ", size=(600, 600), font_size=300), fmt)
        result = canonical_from_bytes(data[: len(data) // 3])
        assert result.verdict == "truncated", fmt


def test_oversized_files_are_refused_before_decoding():
    result = canonical_from_bytes(b"\xff\xd8\xff" + b"\0" * MAX_FILE_BYTES)
    assert result.verdict == "too_large" and "MB" in result.reason


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize("side", [12_000, 100_000])
def test_decompression_bombs_are_refused_from_the_header(side):
    with pytest.raises(PictureError) as caught:
        decode_greyscale(_png_claiming(side, side))
    assert caught.value.code == "too_many_pixels"


def test_gif_first_frame_and_other_formats_decode(korean_font):
    page = draw_letter(korean_font, "ㅠ")
    for fmt in ("GIF", "BMP", "TIFF", "WEBP"):
        assert canonical_from_bytes(encode(page.convert("RGB"), fmt)).ok, fmt


def _lined(page: Image.Image, spacing: int, vertical: bool = False, grey: int = 150):
    arr = np.asarray(page).copy()
    arr[spacing // 2 :: spacing, :] = np.minimum(arr[spacing // 2 :: spacing, :], grey)
    if vertical:
        arr[:, spacing // 2 :: spacing] = np.minimum(arr[:, spacing // 2 :: spacing], grey)
    return Image.fromarray(arr)


def _close(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("vertical", [False, True])
def test_ruled_and_grid_lines_are_removed(korean_font, vertical):
    clean = draw_letter(korean_font, "ㅂ", size=(320, 240), font_size=140)
    lined = _lined(clean, 23, vertical=vertical, grey=90)
    a = canonical_from_bytes(encode(clean)).image
    b = canonical_from_bytes(encode(lined)).image
    assert b is not None and _close(a, b) < 0.05


def test_shadows_and_uneven_light_divide_out(korean_font):
    page = np.asarray(draw_letter(korean_font, "ㅈ", size=(320, 240), font_size=140), np.float32)
    light = np.linspace(0.55, 1.0, 320)[None, :] * np.ones((240, 1))
    light[150:, :120] *= 0.6  # a hand's shadow over a corner
    shaded = Image.fromarray((page * light).astype(np.uint8))
    a = canonical_from_bytes(encode(Image.fromarray(page.astype(np.uint8)))).image
    b = canonical_from_bytes(encode(shaded)).image
    assert b is not None and _close(a, b) < 0.05


def test_pen_width_is_normalised(korean_font):
    from PIL import ImageFilter

    thin = draw_letter(korean_font, "ㅁ", size=(400, 400), font_size=250)
    thick = thin.filter(ImageFilter.MinFilter(15))
    widths = []
    for page in (thin, thick):
        image = canonical_from_bytes(encode(page)).image
        widths.append(stroke_width(image >= 0.5))
    assert all(2.0 <= w <= 4.5 for w in widths), widths
    assert abs(widths[0] - widths[1]) < 1.0


def test_light_ink_living_only_in_the_alpha_channel_is_read(korean_font):
    letter = draw_letter(korean_font, "ㅋ", ink=0, paper=255)
    rgba = Image.new("RGBA", letter.size, (255, 255, 255, 0))  # white ink, transparent canvas
    rgba.putalpha(ImageOps.invert(letter))
    result = canonical_from_bytes(encode(rgba))
    assert result.ok
    assert _close(result.image, canonical_from_bytes(encode(letter)).image) < 0.02


def test_a_row_of_letters_is_refused_as_several(korean_font):
    word = draw_letter(korean_font, "ㄱ ㄴ ㄷ", size=(600, 200), font_size=120)
    result = canonical_from_bytes(encode(word))
    assert result.verdict == "several_letters" and "one letter" in result.reason


def test_a_column_of_letters_is_refused_as_several(korean_font):
    column = draw_letter(korean_font, "ㄱ\nㄴ\nㄷ", size=(300, 600), font_size=120)
    assert canonical_from_bytes(encode(column)).verdict == "several_letters"


@pytest.mark.parametrize("rows", [["ㅎㅛㄸㅎㅑ"], ["ㅃㅖㅍ", "ㅖㄹ"]])
def test_letters_written_close_together_are_refused_as_several(korean_font, rows):
    """Letters a few pixels apart, in a row or two rows: closer than the gaps between a letter's
    own parts, they were squeezed into one bar or blob and read as ㅡ, ㅣ or ㄸ."""
    step, font = 95, ImageFont.truetype(str(korean_font), 110)
    page = Image.new("L", (step * (max(map(len, rows)) + 1), step * (len(rows) + 1)), 240)
    draw = ImageDraw.Draw(page)
    for y, row in enumerate(rows):
        for x, letter in enumerate(row):
            centre = (step * (x + 1), step * (y + 1))
            draw.text(centre, letter, font=font, fill=20, anchor="mm")
    assert canonical_from_bytes(encode(page)).verdict == "several_letters"


def test_a_slanting_stroke_cut_by_ruled_lines_stays_one_letter():
    """A thin ㅣ written slanting across dark ruled lines comes out of the line removal in seven
    short pieces, stacked one below another like no row of letters is."""
    page = np.full((480, 640), 225, np.uint8)
    for y in range(20, 480, 36):
        cv2.line(page, (0, y), (640, y - 40), 120, 3)
    cv2.line(page, (200, 80), (180, 330), 40, 2)
    assert canonical_from_bytes(encode(Image.fromarray(page))).ok


@pytest.mark.parametrize(
    "letter", ["ㅆ", "ㅎ", "ㅊ", "ㅒ", "ㅢ", "ㅙ", "ㅃ", "ㅞ", "ㅕ", "ㅛ", "ㅡ", "ㅣ"]
)
def test_letters_made_of_separate_parts_stay_one_letter(korean_font, letter):
    assert canonical_from_bytes(encode(draw_letter(korean_font, letter))).ok


def test_a_speck_of_a_letter_in_a_big_frame_is_too_small(korean_font):
    page = draw_letter(korean_font, "ㄱ", size=(1600, 1200), font_size=80)
    assert canonical_from_bytes(encode(page)).verdict == "too_small"


def test_heic_pictures_are_decoded(korean_font):
    page = draw_letter(korean_font, "ㅍ").convert("RGB")
    assert canonical_from_bytes(encode(page, "HEIF")).ok


def test_blue_ink_on_lined_paper_reads_like_black_ink(korean_font):
    grey = draw_letter(korean_font, "ㄹ", size=(320, 240), font_size=140)
    ink = np.asarray(grey) < 128
    rgb = np.full((240, 320, 3), (245, 242, 230), np.uint8)
    rgb[11::24, :] = (170, 200, 235)  # light blue rules
    rgb[ink] = (30, 50, 140)
    result = canonical_from_bytes(encode(Image.fromarray(rgb), "JPEG", quality=85))
    assert result.ok and _close(result.image, canonical_from_bytes(encode(grey)).image) < 0.06


def test_stray_marks_away_from_the_letter_are_ignored(korean_font):
    page = np.asarray(draw_letter(korean_font, "ㅗ", size=(400, 300), font_size=160)).copy()
    for x in range(40, 360, 60):  # a row of app icons along the bottom edge, off the border
        page[270:282, x : x + 12] = 20
    a = canonical_from_bytes(
        encode(draw_letter(korean_font, "ㅗ", size=(400, 300), font_size=160))
    ).image
    b = canonical_from_bytes(encode(Image.fromarray(page))).image
    assert b is not None and _close(a, b) < 0.03


def test_dark_ink_on_a_dimly_lit_page_on_a_dark_desk_is_not_inverted(korean_font):
    bright = draw_letter(korean_font, "ㅏ", size=(320, 240), font_size=140)
    dim = np.asarray(bright, np.float32) * 0.4  # paper ~96, ink ~8
    dim[:, :30] = dim[:, -30:] = 20  # the desk shows at both sides
    result = canonical_from_bytes(encode(Image.fromarray(dim.astype(np.uint8)), "JPEG"))
    assert result.ok and _close(result.image, canonical_from_bytes(encode(bright)).image) < 0.04


def test_a_letter_fainter_than_any_pen_is_blank(korean_font):
    faint = draw_letter(korean_font, "ㅎ", size=(320, 240), font_size=140, ink=200, paper=240)
    legible = draw_letter(korean_font, "ㅎ", size=(320, 240), font_size=140, ink=150, paper=240)
    assert canonical_from_bytes(encode(faint)).verdict == "blank"
    assert canonical_from_bytes(encode(legible)).ok


def _corner_photo(pen: int) -> bytes:
    """JPEG of a ㄴ-like corner drawn with a ``pen`` px wide dark pen on a 1600 x 1200 page."""
    page = Image.new("L", (1600, 1200), 235)
    ImageDraw.Draw(page).line([(720, 456), (720, 756), (960, 756)], fill=60, width=pen)
    return encode(page, "JPEG")


def test_a_thin_pen_faded_in_a_large_picture_is_read_from_a_closer_look():
    thin = _corner_photo(3)
    assert canonicalize(decode_greyscale(thin)).verdict == "blank"  # faded at the working size
    read, bold = canonical_from_bytes(thin), canonical_from_bytes(_corner_photo(16))
    assert read.ok and _close(read.image, bold.image) < 0.1


def test_fine_noise_is_not_taken_for_a_thin_pen_when_looked_at_closer():
    rng = np.random.default_rng(1)
    noise = encode(Image.fromarray(rng.integers(0, 256, (1000, 1000), dtype=np.uint8)))
    assert canonicalize(decode_greyscale(noise)).verdict == "blank"
    # its grain, seen closer, is no pen's strokes
    assert canonicalize(decode_greyscale(noise, ZOOM_SIDE)).verdict == "not_a_letter"
    assert canonical_from_bytes(noise).verdict == "blank"


@pytest.mark.parametrize("vertical", [True, False])
def test_a_bar_of_grain_is_not_a_letter_but_the_same_bar_in_ink_is(vertical):
    rng = np.random.default_rng(3)
    page = np.full((400, 400), 235, np.uint8)
    band = (slice(80, 320), slice(185, 215)) if vertical else (slice(185, 215), slice(80, 320))
    solid = page.copy()
    solid[band] = 30
    grain = page.copy()
    grain[band] = np.where(rng.random(grain[band].shape) < 0.5, 30, 235)
    assert canonical_from_bytes(encode(Image.fromarray(solid))).ok  # ㅣ or ㅡ
    assert canonical_from_bytes(encode(Image.fromarray(grain))).verdict == "not_a_letter"


def test_a_far_part_as_big_as_the_letter_is_kept_not_cropped_away(korean_font):
    pair = draw_letter(korean_font, "ㅇ        ㅅ", size=(640, 240), font_size=140)
    single = draw_letter(korean_font, "ㅇ", size=(640, 240), font_size=140)
    kept, alone = canonical_from_bytes(encode(pair)), canonical_from_bytes(encode(single))
    assert kept.ok and alone.ok
    assert _close(kept.image, alone.image) > 0.05  # both letters shrunk into the box


def test_a_thin_edge_of_the_sheet_beside_the_letter_is_not_part_of_it(korean_font):
    page = draw_letter(korean_font, "ㅁ", size=(400, 300), font_size=120, offset=(-80, 0))
    alone = canonical_from_bytes(encode(page)).image
    ImageDraw.Draw(page).line((330, 50, 370, 250), fill=20, width=3)  # the sheet's edge
    with_edge = canonical_from_bytes(encode(page)).image
    assert with_edge is not None and _close(alone, with_edge) < 0.02


def test_an_out_of_focus_photo_keeps_its_letter(korean_font):
    from PIL import ImageFilter

    page = draw_letter(korean_font, "ㄹ", size=(1000, 1000), font_size=600, ink=60, paper=220)
    sharp = canonical_from_bytes(encode(page, "JPEG", quality=85)).image
    blurred = page.filter(ImageFilter.GaussianBlur(12))  # 1.2% of the side: every edge is soft
    result = canonical_from_bytes(encode(blurred, "JPEG", quality=85))
    assert result.ok and result.image.max() > 0.9
    assert _close(sharp, result.image) < 0.1


def _drawn(letter: str, blurred_every: int = 0, blur: float = 0.0) -> bytes:
    """``letter`` written large by the clean stroke writer; with ``blurred_every`` = 2, every
    second stroke has edges blurred by ``blur`` px (an anti-aliased or smudged stroke)."""
    from PIL import ImageDraw, ImageFilter

    from ml.writing.strokes import CLEAN_WRITER, STROKES, ink_path, writer_paths

    side = 640
    paths = writer_paths(STROKES[letter], CLEAN_WRITER, np.random.default_rng(0))
    crisp, soft = Image.new("L", (side, side), 255), Image.new("L", (side, side), 255)
    for k, path in enumerate(paths):
        layer = soft if blurred_every and k % blurred_every == 1 else crisp
        points = 0.15 * side + 0.7 * side * path
        ink_path(ImageDraw.Draw(layer), points, np.full(len(points), 0.063 * side), 0)
    soft = soft.filter(ImageFilter.GaussianBlur(blur)) if blur else soft
    return encode(Image.fromarray(np.minimum(np.asarray(crisp), np.asarray(soft))))


@pytest.mark.parametrize("letter", ["ㄷ", "ㅓ", "ㅂ", "ㅏ"])
@pytest.mark.parametrize("blur", [8, 16])
def test_a_stroke_with_soft_edges_beside_sharp_ones_is_kept(letter, blur):
    sharp = canonical_from_bytes(_drawn(letter)).image
    mixed = canonical_from_bytes(_drawn(letter, blurred_every=2, blur=blur))
    assert mixed.ok and _close(sharp, mixed.image) < 0.15


def _crop(*lines: tuple[int, int, int, int], pen: int = 3) -> np.ndarray:
    """A 28x28 crop of a letter: dark lines on white."""
    page = Image.new("L", (28, 28), 255)
    draw = ImageDraw.Draw(page)
    for line in lines:
        draw.line(line, fill=0, width=pen)
    return np.asarray(page)


def test_a_part_of_the_letter_cut_by_the_edge_of_a_tight_crop_is_kept():
    # ㅔ: its ㅓ (tick and stem) touches the left edge, its ㅣ stands clear of every edge
    e = canonicalize(_crop((0, 13, 8, 13), (8, 4, 8, 23), (17, 2, 17, 25)))
    assert e.ok
    columns = np.flatnonzero(e.image.max(axis=0) > 0.5)
    assert columns.max() - columns.min() >= 10  # both parts, not the ㅣ alone


def test_a_stroke_across_a_whole_crop_is_not_taken_for_a_ruled_line():
    eo = canonicalize(_crop((6, 14, 18, 14), (18, 1, 18, 26), pen=2))  # ㅓ, its stem tall
    assert eo.ok
    rows = np.flatnonzero(eo.image.max(axis=1) > 0.5)
    assert rows.max() - rows.min() >= 15  # the stem is there, not only the tick


def _dashed_line(page: Image.Image, row: int, dash: int, dark: int, light: int) -> Image.Image:
    """``page`` with a printed line along ``row`` as a phone photo shows a faint one: dashes as
    dark as a pen's stroke, the rest of it lighter."""
    arr = np.asarray(page).copy()
    shade = np.where(np.arange(arr.shape[1]) // dash % 2 == 0, dark, light).astype(np.uint8)
    arr[row : row + 2, :] = np.minimum(arr[row : row + 2, :], shade)
    return Image.fromarray(arr)


def test_a_faint_ruled_line_that_breaks_into_dashes_is_removed_where_it_crosses_a_letter(
    korean_font,
):
    clean = draw_letter(korean_font, "ㅂ", size=(320, 240), font_size=140)
    lined = _dashed_line(clean, 120, dash=10, dark=90, light=175)
    a = canonical_from_bytes(encode(clean)).image
    b = canonical_from_bytes(encode(lined)).image
    assert b is not None and _close(a, b) < 0.05


def test_a_line_across_a_sheet_smaller_than_the_picture_is_removed_and_a_stroke_is_not():
    """Ruled lines run from the picture's left edge to the sheet's right edge, 70% of the
    picture's width: lines on that sheet, though not across the picture; a pen stroke on the
    sheet, shorter than the sheet is wide, stays."""
    ink = np.zeros((240, 320), np.float32)
    ink[[30, 60, 90], :224] = 1.0  # printed lines, one pixel thin, to the sheet's edge
    ink[150:154, 40:180] = 1.0  # a long pen stroke
    mask = ink >= 0.5
    sheet = np.zeros_like(mask)
    sheet[:, :224] = True
    kept = preprocess._remove_lines(mask, ink, sheet)
    assert not kept[:100].any() and kept[150:154, 40:180].all()
    assert preprocess._remove_lines(mask, ink, None)[[30, 60, 90], :224].all()


def _lines_picture(*lines: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A 240x320 ink map with thin straight ``lines`` (x1, y1, x2, y2; 2 px wide), and its
    mask."""
    ink = np.zeros((240, 320), np.uint8)
    for x1, y1, x2, y2 in lines:
        cv2.line(ink, (x1, y1), (x2, y2), 1, thickness=2)
    return ink.astype(np.float32), ink.astype(bool)


def test_a_line_that_cuts_a_corner_is_removed_with_its_ruling_but_a_lone_edge_is_not():
    """A line from the left edge to the top edge, shorter than the picture is wide: removed when
    lines parallel to it rule the page, kept alone (the straight edge of a sheet or a desk)."""
    corner = (0, 100, 200, 0)
    ink, mask = _lines_picture(corner, (0, 160, 319, 0), (0, 220, 319, 60))
    assert not preprocess._remove_lines(mask, ink)[:100, :150].any()
    ink, mask = _lines_picture(corner)
    assert preprocess._remove_lines(mask, ink)[:100, :150].sum() > 100


UPSCALED_STEMS = {"eo/eo_67_8.jpg": "ㅓ", "u/u_24_8.jpg": "ㅜ", "yae/yae_86_12.jpg": "ㅒ"}
"""Dev letters whose stem or bar runs across nearly all of the picture."""


def test_a_stem_across_an_upscaled_letter_is_not_taken_for_a_ruled_line(dev_data, monkeypatch):
    """Upscaled 10x with soft edges, these stems are found as lines at ``LINE_LEVEL``; they are
    far wider than a printed line (``LINE_WIDTH``), so they stay and the letters are read."""
    from ml.reading.classifier import Classifier
    from ml.writing.picture_styles import upscaled

    classifier = Classifier.load("lenet")
    pictures = [
        upscaled(np.asarray(Image.open(dev_data / name).convert("L"))) for name in UPSCALED_STEMS
    ]
    truth = list(UPSCALED_STEMS.values())
    assert [r.letter for r in classifier.read_many(pictures)] == truth
    monkeypatch.setattr(preprocess, "LINE_WIDTH", 1.0)
    assert [r.letter for r in classifier.read_many(pictures)] != truth


def test_the_row_of_writing_does_not_hop_along_the_dots_of_dotted_paper(monkeypatch):
    """Two blocks of writing with a line of paper dots running off to the right: the dot next
    to the writing may join the row, the dots beyond it do not."""
    mask = np.zeros((120, 400), bool)
    for left in (20, 70):  # two blocks, 40 px high, of two strokes each
        mask[40:80, left : left + 4] = True
        mask[58:62, left : left + 30] = True
    dots = list(range(118, 400, 20))  # further apart than a block's parts, within a row's reach
    for x in dots:
        mask[59:62, x : x + 3] = True
    row = preprocess._writing_row(mask)
    assert row[40:80, 20:100].sum() == mask[40:80, 20:100].sum()
    assert not row[:, dots[2] :].any()
    monkeypatch.setattr(preprocess, "ROW_STEP_INK", 0.0)
    assert preprocess._writing_row(mask)[:, dots[2] :].any()
