"""Font-rendered synthetic letters: coverage, reproducibility, held-out fonts."""

import numpy as np
import pytest
from PIL import Image

from ml.reading.alphabet import LETTERS
from ml.reading.ink import stroke_width
from ml.training.recipe import held_out_fonts, training_fonts
from ml.training.synth import font_letters, usable_fonts
from ml.writing.fonts import covers, is_held_out, korean_fonts


@pytest.fixture(scope="module")
def fonts():
    found = korean_fonts()
    if not found:
        pytest.skip("no Korean fonts installed (run the set-up in .ci/run)")
    return list(found)


def test_fonts_are_chosen_by_their_character_map(fonts, tmp_path):
    assert all(covers(f) for f in fonts)
    not_a_font = tmp_path / "fake.ttf"
    not_a_font.write_bytes(b"garbage")
    assert not covers(not_a_font)


def test_every_letter_is_rendered_for_each_sample(fonts):
    data = font_letters(fonts[:3], per_letter=2, seed=0)
    assert len(data) == 80
    assert data.letters() == list(LETTERS)
    assert (data.images.reshape(80, -1).max(axis=1) > 200).all()  # every sample has ink


def test_same_seed_same_images_other_seed_other_images(fonts):
    a = font_letters(fonts[:2], 2, letters=["ㅕ", "ㅢ"], seed=3)
    b = font_letters(fonts[:2], 2, letters=["ㅕ", "ㅢ"], seed=3)
    c = font_letters(fonts[:2], 2, letters=["ㅕ", "ㅢ"], seed=4)
    assert np.array_equal(a.images, b.images) and not np.array_equal(a.images, c.images)
    assert set(a.writers) == {f"font:{f.stem}" for f in usable_fonts(fonts[:2])}


def test_held_out_fonts_never_reach_training(fonts):
    train, held = set(training_fonts()), set(held_out_fonts())
    assert train and held and not train & held
    assert all(is_held_out(f, 0.2) for f in held)


def test_stroke_width_measures_pen_width():
    page = np.zeros((60, 60), bool)
    page[10:50, 20:26] = True  # a 6 px wide bar
    assert 5.0 < stroke_width(page) < 7.5
    assert stroke_width(np.asarray(Image.new("1", (10, 10)))) == 0.0
