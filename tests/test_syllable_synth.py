"""Synthetic syllable blocks for training and browsing: which syllables, drawn how."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ml.reading.alphabet import everyday_syllables
from ml.training.recipe import training_fonts
from ml.training.syllable_synth import (
    EVERYDAY_SHARE,
    SIZE,
    pick_syllables,
    syllable_pictures,
    write_syllable_folders,
)


def test_everyday_syllables_are_picked_more_but_any_block_can_be():
    picked = pick_syllables(200, seed=3)
    assert len(set(picked)) == 200
    everyday = set(everyday_syllables())
    assert sum(s in everyday for s in picked) == round(200 * EVERYDAY_SHARE)
    assert pick_syllables(200, seed=3) == picked and pick_syllables(200, seed=4) != picked


def test_each_syllable_is_drawn_by_writers_informal_writers_and_fonts(tmp_path):
    fonts = training_fonts()
    pictures = syllable_pictures(["닭", "가", "읊"], 6, fonts, seed=1)
    assert [p.syllable for p in pictures] == ["닭"] * 6 + ["가"] * 6 + ["읊"] * 6
    kinds = {p.source.split(":")[0] for p in pictures}
    assert kinds == ({"strokes", "informal", "font"} if fonts else {"strokes", "informal"})
    for picture in pictures:
        assert picture.image.dtype == np.uint8 and picture.image.min() < 128  # inked
        assert picture.image.shape in ((SIZE, SIZE), (2 * SIZE, 2 * SIZE))
    again = syllable_pictures(["닭", "가", "읊"], 6, fonts, seed=1)
    assert all(np.array_equal(a.image, b.image) for a, b in zip(pictures, again, strict=True))
    assert write_syllable_folders(pictures, tmp_path) == 18
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.glob("*/*.png"))
    assert len(written) == 18 and written[0].startswith("가/001-")
    with Image.open(tmp_path / written[0]) as image:
        assert image.mode == "L"
