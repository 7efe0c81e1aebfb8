"""Junk drawings for the "not a letter" output: reproducible, labelled, every kind drawn."""

import numpy as np
import pytest

from ml.reading.alphabet import NOT_A_LETTER_INDEX
from ml.training.junk import COMPOUNDS, KINDS, jamo_pairs, junk_set
from ml.writing.strokes import STROKES


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_draws_a_greyscale_picture_with_marks(kind, korean_font):
    picture = KINDS[kind](np.random.default_rng(3), [korean_font])
    assert picture.dtype == np.uint8 and picture.ndim == 2
    assert np.ptp(picture) >= 64


def test_junk_set_is_labelled_not_a_letter_and_reproducible(korean_font):
    first = junk_set(36, [korean_font], seed=4)
    again = junk_set(36, [korean_font], seed=4)
    other = junk_set(36, [korean_font], seed=5)
    assert len(first) > 24 and set(first.labels.tolist()) == {NOT_A_LETTER_INDEX}
    assert {w.removeprefix("junk:") for w in first.writers} == set(KINDS)
    assert np.array_equal(first.images, again.images)
    assert not np.array_equal(first.images[:10], other.images[:10])


def test_without_fonts_the_font_kinds_are_skipped():
    kinds = {w.removeprefix("junk:") for w in junk_set(24, [], seed=0).writers}
    assert kinds == set(KINDS) - {"syllables", "symbols"}


def test_compound_pairs_name_real_letters_and_pairs_are_wider_than_one_letter():
    assert all(a in STROKES and b in STROKES for a, b in COMPOUNDS)
    picture = jamo_pairs(np.random.default_rng(0))
    ink_rows, ink_cols = np.nonzero(picture < 128)
    assert max(np.ptp(ink_rows), np.ptp(ink_cols)) > 80  # two 64 px letters side by side
