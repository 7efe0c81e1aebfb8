"""The robustness suite: degraded letter pictures, junk and hostile uploads, the suite on disk."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image, ImageOps

from ml.evaluation.robustness import build_suite
from ml.evaluation.suite_junk import HOSTILE_KINDS, JUNK_KINDS
from ml.reading.decode import MAX_FILE_BYTES, decode_greyscale
from ml.reading.preprocess import canonical_from_bytes
from ml.training.synth import stroke_letters
from ml.writing.picture_styles import (
    ORIENTATION,
    alpha_version,
    phone_jpeg,
    photo_version,
    screen_version,
)
from ml.writing.strokes import render_letter

LENIENT_HOSTILE = {"wrong_extension", "one_pixel"}


def rng(n: int) -> np.random.Generator:
    return np.random.default_rng([7, n])


def letter_picture(n: int = 0) -> np.ndarray:
    return render_letter("ㅂ", rng(100 + n), 64)


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("make", [photo_version, screen_version, alpha_version])
def test_letter_variants_decode(make):
    for n in range(3):
        grey = decode_greyscale(make(letter_picture(n), rng(n)))
        assert grey.ndim == 2 and grey.size > 0


def test_photo_is_colour_jpeg():
    picture = opened(photo_version(letter_picture(), rng(0)))
    assert picture.format == "JPEG" and picture.mode == "RGB"


def test_photo_is_sometimes_stored_sideways_with_an_orientation_tag():
    tags = set()
    for n in range(12):
        stored = opened(photo_version(letter_picture(), rng(n)))
        tag = stored.getexif().get(ORIENTATION, 1)
        if tag in (6, 8):
            assert ImageOps.exif_transpose(stored).size == stored.size[::-1]
        tags.add(tag)
        if {1, 6} <= tags or {1, 8} <= tags:
            break
    assert {6, 8} & tags and 1 in tags


def test_phone_jpeg_stores_pixels_turned_so_that_the_tag_makes_them_upright():
    upright = Image.new("RGB", (240, 160), "white")
    upright.paste((0, 0, 0), (0, 0, 60, 40))  # a dark corner at the top left
    seen = set()
    for n in range(30):
        data = phone_jpeg(upright, rng(n))
        stored = opened(data)
        tag = stored.getexif().get(ORIENTATION, 1)
        raw = np.asarray(stored.convert("L"))
        if tag in (3, 6, 8):
            assert raw[:30, :30].mean() > 200  # not where a plain viewer would show it
            seen.add(tag)
        shown = np.asarray(ImageOps.exif_transpose(stored).convert("L"))
        assert shown.shape == (160, 240) and shown[:30, :30].mean() < 50
        assert decode_greyscale(data)[:5, :5].mean() < 0.2
    assert seen == {3, 6, 8}


def test_full_size_photo_is_12_megapixels_and_under_the_upload_limit():
    data = photo_version(letter_picture(), rng(3), full_size=True)
    picture = opened(data)
    assert picture.size in ((4032, 3024), (3024, 4032))
    assert ImageOps.exif_transpose(picture).size in ((4032, 3024), (3024, 4032))
    assert len(data) < MAX_FILE_BYTES


def test_screen_version_is_a_light_letter_on_a_dark_canvas():
    for n in range(3):
        picture = opened(screen_version(letter_picture(n), rng(n)))
        assert picture.format == "PNG" and picture.mode == "RGB"
        assert all(300 <= side <= 1200 for side in picture.size)
        grey = np.asarray(picture.convert("L"), np.float32) / 255
        assert np.median(grey) < 0.35 and grey.max() > 0.7


def test_alpha_version_has_a_transparent_canvas_and_the_ink_in_alpha():
    for n in range(4):
        picture = opened(alpha_version(letter_picture(n), rng(n)))
        assert picture.mode == "RGBA"
        alpha = np.asarray(picture)[..., 3]
        assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
        assert alpha.max() == 255
        assert 0.005 < (alpha > 127).mean() < 0.5


def test_alpha_version_sometimes_shows_nothing_without_its_alpha():
    for n in range(30):
        rgb = np.asarray(opened(alpha_version(letter_picture(), rng(n))))[..., :3]
        if rgb.min() == rgb.max():
            return
    pytest.fail("the colour channels always showed something")


@pytest.mark.parametrize("kind", sorted(JUNK_KINDS))
def test_every_junk_kind_is_a_decodable_picture(kind):
    for n in range(3):
        grey = decode_greyscale(JUNK_KINDS[kind](rng(n)))
        assert grey.ndim == 2 and grey.size > 0


@pytest.mark.parametrize("kind", sorted(set(HOSTILE_KINDS) - LENIENT_HOSTILE))
def test_hostile_uploads_are_refused(kind):
    for n in range(4):
        data = HOSTILE_KINDS[kind](rng(n))
        assert isinstance(data, bytes)
        assert canonical_from_bytes(data).verdict != "ok"


@pytest.mark.parametrize("kind", sorted(LENIENT_HOSTILE))
def test_odd_but_real_pictures_get_a_verdict(kind):
    for n in range(3):
        verdict = canonical_from_bytes(HOSTILE_KINDS[kind](rng(n))).verdict
        assert isinstance(verdict, str) and verdict


def test_bomb_claims_a_huge_picture_in_a_few_bytes():
    data = HOSTILE_KINDS["bomb"](rng(0))
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert min(width, height) >= 20_000 and len(data) < 10_000


@pytest.fixture(scope="module")
def tiny_letters():
    return stroke_letters(2, letters=["ㄱ", "ㅏ"])


@pytest.fixture(scope="module")
def suite(tiny_letters, tmp_path_factory):
    out = tmp_path_factory.mktemp("suite")
    return out, build_suite(tiny_letters, out, seed=3, junk_per_kind=1)


def test_build_suite_writes_the_tree(suite):
    out, counts = suite
    for variant, ext in (("clean", "png"), ("photo", "jpg"), ("screen", "png"), ("alpha", "png")):
        files = sorted(p.relative_to(out / variant).as_posix() for p in (out / variant).rglob("*"))
        assert files == [
            "ㄱ", f"ㄱ/0.{ext}", f"ㄱ/1.{ext}", "ㅏ", f"ㅏ/2.{ext}", f"ㅏ/3.{ext}"
        ]  # fmt: skip
        assert counts[variant] == 4
    for group, kinds in (("junk", JUNK_KINDS), ("hostile", HOSTILE_KINDS)):
        for kind in kinds:
            assert len(list((out / group / kind).iterdir())) == counts[f"{group}/{kind}"] == 1
    assert (out / "hostile" / "wrong_extension" / "0.jpg").read_bytes().startswith(b"\x89PNG")
    assert (out / "hostile" / "empty" / "0.jpg").read_bytes() == b""


def test_build_suite_clean_letters_are_dark_on_white(suite):
    out, _ = suite
    clean = np.asarray(Image.open(out / "clean" / "ㄱ" / "0.png"))
    assert clean.shape == (112, 112) and clean[0, 0] == 255 and clean.min() < 50


def test_build_suite_is_deterministic(suite, tiny_letters, tmp_path):
    out, _ = suite
    build_suite(tiny_letters, tmp_path, seed=3, junk_per_kind=1)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert first == again
