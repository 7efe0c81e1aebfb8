"""Tuning the "not a letter" verdict: the probability threshold on the models' extra output.

The threshold is chosen on validation data that training never sees (stroke writers and junk
drawn from :data:`VALIDATION_SEED`): the lowest value that rejects at most
:data:`MAX_LETTER_REJECTS` of the validation letters, never below :data:`MIN_THRESHOLD`. It is
stored in the model's meta and applied by :class:`ml.serve.Classifier`. The robustness suite,
which measures rejection, is built by another generator (:mod:`ml.robustness`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ml.alphabet import NOT_A_LETTER_INDEX
from ml.data import LetterSet
from ml.junk import junk_set
from ml.strokes import stroke_letters

VALIDATION_SEED = 500
"""Seed of the validation writers and junk (training uses small seeds, measuring uses 1000)."""
MAX_LETTER_REJECTS = 0.01
MIN_THRESHOLD = 0.3


def validation_data(
    fonts: Sequence[Path], per_letter: int = 10, junk: int = 600
) -> tuple[LetterSet, LetterSet]:
    """Letters by unseen stroke writers and junk from an unseen seed."""
    letters = stroke_letters(per_letter, seed=VALIDATION_SEED)
    return letters, junk_set(junk, fonts, seed=VALIDATION_SEED)


def not_a_letter_probability(model: nn.Module, data: LetterSet) -> np.ndarray:
    """The model's "not a letter" probability for each image of ``data``."""
    device = next(model.parameters()).device
    x = torch.from_numpy(data.images).to(device).float().div(255).unsqueeze(1)
    model.eval()
    with torch.inference_mode():
        probabilities = torch.softmax(model(x), dim=1)[:, NOT_A_LETTER_INDEX]
    return probabilities.cpu().numpy()


def tune_threshold(model: nn.Module, letters: LetterSet, junk: LetterSet) -> dict:
    """The threshold for ``model`` and what it does on the validation data."""
    on_letters = not_a_letter_probability(model, letters)
    on_junk = not_a_letter_probability(model, junk)
    threshold = max(MIN_THRESHOLD, float(np.quantile(on_letters, 1 - MAX_LETTER_REJECTS)))
    threshold = round(min(threshold, 0.99), 4)
    return {
        "not_a_letter_threshold": threshold,
        "validation_letters": len(letters),
        "validation_junk": len(junk),
        "validation_letters_rejected": round(float((on_letters >= threshold).mean()), 4),
        "validation_junk_rejected": round(float((on_junk >= threshold).mean()), 4),
    }
