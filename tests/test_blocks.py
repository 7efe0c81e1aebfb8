"""Cutting writing into syllable blocks, and the canonical block."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from ml.reading import blocks, preprocess
from ml.reading.blocks import BLOCK_SIZE, canonical_block, level, split_row
from ml.reading.decode import WORK_SIDE, decode
from ml.reading.ink import ink_box
from ml.reading.preprocess import canonicalize
from ml.writing.syllables import render_syllable, render_word

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WORDS = ("나무", "고양이", "가", "한국어요", "닭", "의자", "바다", "왜")


def _blocks(image: np.ndarray):
    return canonicalize(np.pad(image, 16, constant_values=255), blocks=True).blocks


@pytest.mark.parametrize("word", WORDS)
def test_a_written_word_is_cut_into_its_blocks(word):
    right = 0
    for seed in range(5):
        rng = np.random.default_rng([77, seed])
        image = render_word(word, rng) if len(word) > 1 else render_syllable(word, rng)
        right += len(_blocks(image)) == len(word)
    assert right >= 4  # 99% of 300 random words of 1-4 blocks (writers of another seed)


def test_the_parts_of_one_block_stay_together():
    mask = np.zeros((40, 40), bool)
    mask[2:38, 4:14] = True  # ㄱ-like part
    mask[0:40, 22:26] = True  # a vowel's stem, with a gap between
    assert split_row(mask) == [slice(4, 26)]


def test_blocks_side_by_side_are_cut_at_the_gap_between_them():
    mask = np.zeros((40, 200), bool)
    for left in (0, 50, 100, 150):
        mask[:, left : left + 36] = True
    assert split_row(mask) == [slice(x, x + 36) for x in (0, 50, 100, 150)]


def test_touching_blocks_are_cut_where_the_ink_is_thinnest():
    mask = np.zeros((40, 80), bool)
    mask[:, 0:38] = True
    mask[:, 42:80] = True
    mask[20:23, 38:42] = True  # a joining hairline
    [first, second] = split_row(mask)
    assert 36 <= first.stop <= 42 and 38 <= second.start <= 42


def test_the_canonical_block_is_square_centred_and_in_range():
    glyph = np.zeros((30, 60), np.float32)
    glyph[10:20, 5:55] = 1.0
    block = canonical_block(glyph)
    assert block.shape == (BLOCK_SIZE, BLOCK_SIZE) and block.dtype == np.float32
    assert 0.0 <= block.min() and block.max() <= 1.0
    rows, cols = np.nonzero(block > 0.5)
    assert abs((rows.min() + rows.max()) / 2 - 15.5) <= 1.5
    assert cols.min() <= 3 and cols.max() >= 28
    assert canonical_block(np.zeros((10, 10), np.float32)) is None


def test_a_blank_picture_has_no_blocks_and_a_letter_has_one():
    assert canonicalize(np.full((64, 64), 255, np.uint8), blocks=True).blocks is None
    assert canonicalize(np.full((64, 64), 255, np.uint8)).blocks is None
    ring = np.full((96, 96), 255, np.uint8)
    ring[20:76, 20:76] = 0
    ring[28:68, 28:68] = 255
    assert len(canonicalize(ring, blocks=True).blocks) == 1


def test_two_lines_of_words_are_counted_and_a_stacked_block_is_one_line():
    first = render_word("나무", np.random.default_rng(1))
    second = render_word("바다", np.random.default_rng(2))
    page = np.full((first.shape[0] * 2 + 40, first.shape[1]), 255, np.uint8)
    page[: first.shape[0]] = first
    page[first.shape[0] + 40 :] = second
    assert _blocks(page).lines == 2
    stacked = ("고", "강", "둘", "쾅", "곬", "읊", "뷁")
    assert all(_blocks(render_syllable(syllable, None)).lines == 1 for syllable in stacked)
    # a random writer leaves a wide gap above the final now and then (읊: 1 in 14): two lines
    apart = [
        _blocks(render_syllable(syllable, np.random.default_rng(k))).lines != 1
        for syllable in stacked
        for k in range(20)
    ]
    assert np.mean(apart) <= 0.06
    # A validation writer's word: each block's final sits below a gap after its vowel's bar.
    assert _blocks(render_word("움통", np.random.default_rng([2000, 393, 3]))).lines == 1


def _turned(image: np.ndarray, degrees: float) -> np.ndarray:
    """``image`` (dark on white) turned by ``degrees`` on a larger white canvas."""
    height, width = image.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    turn[:, 2] += 40, 60
    return cv2.warpAffine(image, turn, (width + 80, height + 120), borderValue=255)


@pytest.mark.parametrize("degrees", [-12, -6, 7, 14])
def test_a_tilted_word_is_turned_level_before_it_is_cut(degrees):
    word = render_word("나무사자", np.random.default_rng(1))
    ink = (255 - _turned(word, degrees)).astype(np.float32) / 255
    mask = ink > 0.3
    level_height = ink_box((255 - word) > 76)[0]
    turned, kept = level(ink, mask)
    rows = ink_box(kept)[0]
    assert rows.stop - rows.start <= (level_height.stop - level_height.start) + 4
    assert len(_blocks(_turned(word, degrees))) == 4


def test_straight_writing_is_left_as_it_is():
    word = (255 - render_word("나무", None)).astype(np.float32) / 255  # the clean writer's
    block = (255 - render_syllable("닭", None)).astype(np.float32) / 255
    for ink in (word, block):
        turned, kept = level(ink, ink > 0.3)
        assert turned is ink


@pytest.mark.parametrize("syllable", ["강", "뭘", "티", "닭"])
@pytest.mark.parametrize("degrees", [-13, -9, 8, 14])
def test_a_tilted_block_is_turned_upright(monkeypatch, syllable, degrees):
    image = render_syllable(syllable, None)
    straight = _blocks(image).whole
    tilted = _blocks(_turned(image, degrees)).whole
    assert np.corrcoef(tilted.ravel(), straight.ravel())[0, 1] > 0.9
    monkeypatch.setattr(blocks, "upright_tilt", lambda mask: 0.0)
    as_it_was = _blocks(_turned(image, degrees)).whole
    assert np.corrcoef(as_it_was.ravel(), straight.ravel())[0, 1] < 0.75  # what it fixes


def test_a_letter_written_askew_is_not_turned(monkeypatch):
    """examples/yo.jpg: a ㅛ whose strokes slant every way is about as uneven at any turn."""
    turns = []
    monkeypatch.setattr(
        blocks, "_turned", lambda ink, mask, tilt: turns.append(tilt) or (ink, mask)
    )
    found = preprocess.canonical_from_bytes((EXAMPLES / "yo.jpg").read_bytes(), blocks=True)
    assert found.writing is not None and turns == []


@pytest.mark.parametrize(
    "size, kind",
    [((1600, 1200), "PNG"), ((1280, 960), "JPEG")],  # 2 MP: not kept; a JPEG kept at 640 x 480
)
def test_small_writing_in_a_large_picture_is_cut_from_a_closer_look(monkeypatch, size, kind):
    page = np.full(size[::-1], 255, np.uint8)
    word = render_word("고양이", np.random.default_rng(4), size_per_block=size[0] // 16)
    page[size[1] // 2 : size[1] // 2 + word.shape[0], 500 : 500 + word.shape[1]] = word
    out = io.BytesIO()
    Image.fromarray(page).save(out, kind)
    sides = []
    real_decode = preprocess.decode_greyscale

    def decode(data: bytes, work_side: int = WORK_SIDE, **options):
        sides.append(work_side)
        return real_decode(data, work_side, **options)

    monkeypatch.setattr(preprocess, "decode_greyscale", decode)
    found = preprocess.canonical_with_blocks(out.getvalue())
    assert sides == [preprocess.BLOCKS_ZOOM_SIDE] and len(found.blocks) == 3  # decoded again
    rows, _ = found.blocks.box  # where the writing is at the working size
    assert rows.stop - rows.start < preprocess.ZOOM_BELOW


def test_a_phone_jpeg_keeps_its_decoded_image_for_a_closer_look():
    out = io.BytesIO()
    Image.fromarray(np.full((3024, 4032), 250, np.uint8)).save(out, "JPEG")
    assert decode(out.getvalue()).source is None  # kept only when asked
    decoded = decode(out.getvalue(), keep=True)
    assert decoded.grey.shape == (240, WORK_SIDE)
    closer = decoded.closer(480)  # from the reduced-scale decoding, 504 x 378
    assert closer.shape == (360, 480)
    assert decoded.closer(WORK_SIDE).tobytes() == decoded.grey.tobytes()
    assert decoded.closer(preprocess.ZOOM_SIDE).shape == (378, 504)  # what was kept
    assert decoded.closer(preprocess.ZOOM_SIDE, strict=True) is None  # that close: decode again
    again = decode(out.getvalue(), preprocess.BLOCKS_ZOOM_SIDE, keep=True, longest_only=True)
    assert again.source.size == (1008, 756)  # a quarter of the width, not half
    assert again.grey.shape == (720, preprocess.BLOCKS_ZOOM_SIDE)


def test_a_picture_kept_whole_is_looked_at_closer_from_what_was_kept():
    out = io.BytesIO()
    Image.fromarray(np.full((500, 700), 250, np.uint8)).save(out, "JPEG")
    decoded = decode(out.getvalue(), keep=True)
    assert decoded.stored_side == 700
    assert decoded.closer(preprocess.BLOCKS_ZOOM_SIDE, strict=True).shape == (500, 700)


def test_only_specks_near_the_writing_join_it():
    row = np.zeros((60, 120), bool)
    row[20:24, 10:110] = True  # a stroke 4 px wide
    specks = np.zeros_like(row)
    specks[14:16, 50:52] = True  # 4 px above it
    specks[50:52, 50:52] = True  # 26 px below it: dust
    dots = preprocess._dots_of(row, specks)
    assert dots[14:16, 50:52].all() and not dots[40:].any()
    assert not preprocess._dots_of(row, None).any()
