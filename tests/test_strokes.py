"""Stroke-drawn synthetic letters: the stroke data, random writers, stroke-order pictures."""

import io

import numpy as np
import pytest
from PIL import Image

from ml.reading.alphabet import LETTERS
from ml.reading.preprocess import canonicalize
from ml.training.synth import stroke_letters
from ml.writing.stroke_order import stroke_order_gif, stroke_order_image
from ml.writing.strokes import STROKES, render_letter

# The standard stroke counts (획수) of the 40 letters.
STANDARD_STROKE_COUNTS = {
    "ㄱ": 1, "ㄲ": 2, "ㄴ": 1, "ㄷ": 2, "ㄸ": 4, "ㄹ": 3, "ㅁ": 3, "ㅂ": 4, "ㅃ": 8, "ㅅ": 2,
    "ㅆ": 4, "ㅇ": 1, "ㅈ": 2, "ㅉ": 4, "ㅊ": 3, "ㅋ": 2, "ㅌ": 3, "ㅍ": 4, "ㅎ": 3,
    "ㅏ": 2, "ㅐ": 3, "ㅑ": 3, "ㅒ": 4, "ㅓ": 2, "ㅔ": 3, "ㅕ": 3, "ㅖ": 4, "ㅗ": 2, "ㅘ": 4,
    "ㅙ": 5, "ㅚ": 3, "ㅛ": 3, "ㅜ": 2, "ㅝ": 4, "ㅞ": 5, "ㅟ": 3, "ㅠ": 3, "ㅡ": 1, "ㅢ": 2,
    "ㅣ": 1,
}  # fmt: skip


def clean(letter: str) -> np.ndarray:
    return canonicalize(render_letter(letter, None)).image


@pytest.mark.parametrize("letter", LETTERS)
def test_every_letter_has_strokes_and_renders_with_ink_on_paper(letter):
    assert STROKES[letter]
    picture = render_letter(letter, np.random.default_rng(0), size=64)
    assert picture.shape == (64, 64) and picture.dtype == np.uint8
    assert picture.min() < 40  # dark ink
    border = np.concatenate([picture[0], picture[-1], picture[:, 0], picture[:, -1]])
    assert (border == 255).all()  # the letter keeps a margin of white paper


def test_stroke_counts_follow_the_standard_table():
    assert list(STROKES) == list(LETTERS)
    assert {letter: len(strokes) for letter, strokes in STROKES.items()} == STANDARD_STROKE_COUNTS


def test_open_strokes_run_top_to_bottom_or_left_to_right():
    for letter, strokes in STROKES.items():
        for stroke in strokes:
            if stroke.closed:
                continue
            dx, dy = stroke.points[-1] - stroke.points[0]
            assert dy >= 0 and (dy > 0 or dx > 0), (letter, stroke.points)


def test_giyeok_turns_right_then_down_and_nieun_down_then_right():
    (giyeok,) = STROKES["ㄱ"]
    (nieun,) = STROKES["ㄴ"]
    first, second = np.diff(giyeok.points, axis=0)
    assert first[0] > abs(first[1]) and second[1] > abs(second[0])
    first, second = np.diff(nieun.points, axis=0)
    assert first[1] > abs(first[0]) and second[0] > abs(second[1])


def test_ieung_is_one_circle_drawn_counter_clockwise_from_the_top():
    (ring,) = STROKES["ㅇ"]
    x, y = ring.points[:, 0], ring.points[:, 1]
    assert ring.closed and y[0] == y.min()
    # With y pointing down, a counter-clockwise loop on the page has a negative shoelace area.
    assert np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) < 0


def test_vowel_ticks_come_in_writing_order():
    long_first = {"ㅏ", "ㅑ"}  # the long stroke first, then the ticks to its right
    ticks_first = {"ㅓ", "ㅕ"}  # the ticks on the left first, then the long stroke
    for letter in long_first | ticks_first:
        heights = [np.ptp(s.points[:, 1]) for s in STROKES[letter]]
        long_stroke = int(np.argmax(heights))
        assert long_stroke == (0 if letter in long_first else len(heights) - 1)


def test_same_seed_same_images_other_seed_other_images():
    a = stroke_letters(3, letters=["ㅕ", "ㅢ"], seed=3)
    b = stroke_letters(3, letters=["ㅕ", "ㅢ"], seed=3)
    c = stroke_letters(3, letters=["ㅕ", "ㅢ"], seed=4)
    assert np.array_equal(a.images, b.images)
    assert not np.array_equal(a.images, c.images)


def test_every_sample_canonicalises_and_is_labelled_with_its_writer():
    data = stroke_letters(2, seed=5)
    assert len(data) == 2 * len(LETTERS)
    assert data.letters() == list(LETTERS)
    assert data.images.shape[1:] == (28, 28) and data.images.dtype == np.uint8
    assert (data.images.reshape(len(data), -1).max(axis=1) > 200).all()
    assert data.writers.tolist() == ["strokes:5:0", "strokes:5:1"] * len(LETTERS)


def test_no_samples_asked_no_samples_given():
    assert len(stroke_letters(0)) == 0


@pytest.mark.parametrize(("a", "b"), [("ㅏ", "ㅓ"), ("ㅗ", "ㅜ"), ("ㅛ", "ㅠ"), ("ㄱ", "ㄴ")])
def test_look_alike_letters_render_clearly_differently(a, b):
    assert np.abs(clean(a) - clean(b)).mean() > 0.05


@pytest.mark.parametrize(("a", "b"), [("ㅏ", "ㅓ"), ("ㅓ", "ㅏ"), ("ㅗ", "ㅜ"), ("ㅜ", "ㅗ")])
def test_random_writers_never_turn_a_letter_into_its_mirror_image(a, b):
    own, other = clean(a), clean(b)
    for k in range(20):
        sample = canonicalize(render_letter(a, np.random.default_rng([1, k]))).image
        assert np.abs(sample - own).mean() < np.abs(sample - other).mean()


def test_stroke_order_image_is_an_rgb_picture_of_the_requested_size():
    picture = stroke_order_image("ㄹ", size=200)
    assert picture.mode == "RGB" and picture.size == (200, 200)
    colours = {c for _, c in picture.getcolors(maxcolors=200 * 200)}
    assert len(colours) > 4  # grey letter, coloured strokes and numbers on white


def test_stroke_order_gif_draws_each_stroke_over_several_frames():
    animation = Image.open(io.BytesIO(stroke_order_gif("ㅘ", size=128)))
    assert animation.format == "GIF" and animation.size == (128, 128)
    assert animation.n_frames > len(STROKES["ㅘ"])
