"""The syllable reader: canonical form, three-headed models, training and measuring."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from ml.reading.alphabet import FINALS, INITIALS, MEDIALS
from ml.training.syllable_data import SyllableSet, canonical_syllable, syllable_labels, syllable_set
from ml.training.syllable_models import (
    build_syllable_model,
    evaluate_syllables,
    train_syllable_model,
)
from ml.training.syllable_synth import syllable_pictures


def test_canonical_form_crops_squares_and_centres_the_ink():
    image = np.full((64, 64), 255, np.uint8)
    image[5:15, 40:60] = 0  # a wide bar in a corner
    canonical = canonical_syllable(image, size=32)
    assert canonical.shape == (32, 32) and canonical.dtype == np.float32
    assert canonical.min() == 0.0 and canonical.max() == pytest.approx(1.0)
    rows, cols = np.nonzero(canonical > 0.5)
    assert cols.min() <= 3 and cols.max() >= 28  # the longer side fills the frame, less margin
    assert abs((rows.min() + rows.max()) / 2 - 15.5) <= 1  # centred on the shorter side
    assert abs((cols.min() + cols.max()) / 2 - 15.5) <= 1
    assert not canonical_syllable(np.full((64, 64), 255, np.uint8), size=32).any()


def test_labels_index_the_three_letter_lists():
    assert syllable_labels("닭") == (INITIALS.index("ㄷ"), MEDIALS.index("ㅏ"), FINALS.index("ㄺ"))
    assert syllable_labels("가")[2] == 0


@pytest.mark.parametrize("architecture", ["lenet", "mlp"])
@pytest.mark.parametrize("size", [32, 48])
def test_each_model_has_three_heads(architecture, size):
    initial, medial, final = build_syllable_model(architecture, size)(torch.zeros(2, 1, size, size))
    assert initial.shape == (2, 19) and medial.shape == (2, 21) and final.shape == (2, 28)


def test_training_on_a_few_syllables_learns_them():
    pictures = syllable_pictures(["가", "닭", "읊", "뷁"], 8, fonts=[], seed=2)
    data = syllable_set(pictures, size=32)
    assert data.images.shape == (32, 32, 32) and data.labels.shape == (32, 3)
    model, _ = train_syllable_model("lenet", data, epochs=30, batch=8, lr=3e-3, seed=0)
    assert evaluate_syllables(model, data)["syllable"] >= 0.75  # chance: well under 1%
    again, _ = train_syllable_model("lenet", data, epochs=30, batch=8, lr=3e-3, seed=0)
    pairs = zip(model.state_dict().values(), again.state_dict().values(), strict=True)
    assert all(torch.equal(a, b) for a, b in pairs)


class Fixed(nn.Module):
    """Always reads ㄱ, ㅏ, no final (가)."""

    def __init__(self) -> None:
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(torch.eye(n)[torch.zeros(len(x), dtype=torch.long)] for n in (19, 21, 28))


def test_a_syllable_counts_as_read_only_when_all_three_letters_are():
    syllables = ["가", "각", "거", "나"]
    data = SyllableSet(
        np.zeros((4, 32, 32), np.uint8),
        np.array([syllable_labels(s) for s in syllables], np.int64),
        syllables,
        ["strokes"] * 4,
    )
    figures = evaluate_syllables(Fixed(), data)
    assert figures["syllable"] == 0.25 and figures["n"] == 4
    assert figures["initial"] == 0.75 and figures["medial"] == 0.75 and figures["final"] == 0.75
