"""The canonical form and the safe decoder, on drawn letters and hostile files."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageOps

from conftest import centre_of_mass, draw_letter, encode
from ml.decode import MAX_FILE_BYTES, WORK_SIDE, PictureError, decode_greyscale
from ml.preprocess import BOX, SIZE, canonical_from_bytes, canonicalize


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
