"""Informal handwriting from the stroke writer: each habit changes the drawing as it says, the
styles are reproducible, and the held-out ones never reach training."""

import inspect

import numpy as np
import pytest

from ml.reading.alphabet import LETTERS
from ml.reading.ink import box_side, ink_box
from ml.reading.preprocess import canonicalize
from ml.training.synth import informal_letters
from ml.writing.informal import (
    HELD_OUT_STYLES,
    STYLES,
    TRAINING_STYLES,
    Informal,
    corners,
    informal_letter,
    resample,
    rounded,
)
from ml.writing.strokes import STROKES, arc_lengths, render_letter


def _ink(picture: np.ndarray) -> np.ndarray:
    return picture < 128


def test_training_and_held_out_styles_are_disjoint_and_cover_every_style():
    assert not set(TRAINING_STYLES) & set(HELD_OUT_STYLES)
    assert set(TRAINING_STYLES) | set(HELD_OUT_STYLES) == set(STYLES)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_style_draws_every_letter_readably_and_reproducibly(style):
    for label, letter in enumerate(LETTERS):
        picture = informal_letter(letter, style, np.random.default_rng([3, label]))
        again = informal_letter(letter, style, np.random.default_rng([3, label]))
        assert np.array_equal(picture, again)
        assert canonicalize(picture).ok, (style, letter)


def test_rounding_takes_the_corner_off_and_keeps_the_ends():
    corner = resample(np.array([[0.0, 0.0], [0.0, 0.5], [0.5, 0.5]]))
    assert len(corners(corner)) == 1
    soft = rounded(corner, 0.2)
    assert np.allclose(soft[0], corner[0]) and np.allclose(soft[-1], corner[-1])
    assert corners(soft) == []
    assert np.min(np.linalg.norm(soft - [0.0, 0.5], axis=1)) > 0.03  # the corner is cut


def test_an_open_ring_leaves_a_gap_and_a_loop_adds_a_turn_at_each_corner():
    rng = np.random.default_rng(0)
    ring = STROKES["ㅇ"]
    closed = Informal().reshape(ring, [ring[0].points], rng)[0]
    opened = Informal(ring_gap=0.3).reshape(ring, [ring[0].points], rng)[0]
    assert np.linalg.norm(closed[-1] - closed[0]) < 0.02
    assert np.linalg.norm(opened[-1] - opened[0]) > 0.1
    giyeok = STROKES["ㄱ"]
    path = resample(giyeok[0].points)
    looped = Informal(loop_radius=0.05, loop_share=1.0).reshape(giyeok, [path], rng)[0]
    assert arc_lengths(looped)[-1] > arc_lengths(path)[-1] + 2 * np.pi * 0.03


def test_joined_strokes_get_hairlines_only_where_the_pen_could_stay_down():
    rng = np.random.default_rng(0)
    near = [np.array([[0.2, 0.2], [0.2, 0.8]]), np.array([[0.3, 0.5], [0.8, 0.5]])]
    far = [np.array([[0.0, 0.0], [0.1, 0.0]]), np.array([[0.9, 0.9], [1.0, 0.9]])]
    habits = Informal(join_share=1.0)
    [join] = habits.hairlines(near, rng)
    assert np.allclose(join[0], near[0][-1]) and np.allclose(join[-1], near[1][0])
    assert habits.hairlines(far, rng) == []
    assert Informal().hairlines(near, rng) == []


def test_one_stroke_shapes_replace_the_strokes_of_the_letters_that_have_them():
    rng = np.random.default_rng(0)
    assert len(Informal(one_stroke=True).glyph("ㄹ", rng)) == 1
    assert Informal(one_stroke=True).glyph("ㅏ", rng) is STROKES["ㅏ"]
    assert Informal().glyph("ㄹ", rng) is STROKES["ㄹ"]


def test_a_small_letter_sits_in_a_big_white_picture_and_a_thin_pen_inks_less():
    rng = np.random.default_rng
    ordinary = render_letter("ㅁ", rng(1), size=128)
    small = render_letter("ㅁ", rng(1), size=256, informal=Informal(size=0.15))
    assert small.shape == (256, 256)
    assert box_side(ink_box(_ink(small))) < 0.2 * 256 < box_side(ink_box(_ink(ordinary)))
    thin = render_letter("ㅁ", rng(1), size=128, informal=Informal(pen_scale=0.3))
    assert _ink(thin).sum() < 0.5 * _ink(ordinary).sum()


def test_informal_training_letters_are_drawn_in_the_training_styles_and_labelled():
    assert inspect.signature(informal_letters).parameters["styles"].default == TRAINING_STYLES
    data = informal_letters(len(TRAINING_STYLES), letters=["ㄹ"], seed=2)
    assert len(data) == len(TRAINING_STYLES) and set(data.labels.tolist()) == {LETTERS.index("ㄹ")}
    assert all(w.startswith("informal:2:") for w in data.writers)
    assert len(informal_letters(0)) == 0
