"""Tuning the "not a letter" verdict: the probability threshold on the models' extra output.

The threshold is chosen on validation data that training never sees (stroke writers and junk drawn
from :data:`VALIDATION_SEED`): the lowest value that rejects at most :data:`MAX_LETTER_REJECTS` of
the validation letters, never below :data:`MIN_THRESHOLD`. The validation letters are clean
canonical letters and, because learners send pictures, the same kind of writers' letters sent as
phone photos, screenshots and transparent PNGs (:mod:`ml.writing.picture_styles`) and read back
through the preprocessing. The threshold is stored in the model's meta and applied by
:class:`ml.reading.classifier.Classifier`. Junk for measuring comes from another generator
(:mod:`ml.evaluation.suite_junk`) and the suite's letters from real writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ml.reading.alphabet import LETTERS, NOT_A_LETTER_INDEX
from ml.reading.preprocess import canonical_from_bytes
from ml.training.data import LetterSet, empty_set, to_uint8
from ml.training.junk import junk_set
from ml.training.recipe import training_fonts
from ml.training.synth import stroke_letters
from ml.writing.picture_styles import alpha_version, photo_version, screen_version
from ml.writing.strokes import render_letter

VALIDATION_SEED = 500
"""Seed of the validation writers and junk (training uses small seeds, measuring uses 1000)."""
MAX_LETTER_REJECTS = 0.01
MIN_THRESHOLD = 0.1
"""Floor of the threshold: on the validation letters the shipped models' 99th percentile is far
lower (~0.01-0.05), and a floor keeps the threshold from following noise in a small sample."""
PICTURE_STYLES = (photo_version, screen_version, alpha_version)


def validation_data(
    fonts: Sequence[Path], per_letter: int = 10, pictured: int = 6, junk: int = 600
) -> tuple[LetterSet, LetterSet]:
    """Letters by unseen stroke writers (``per_letter`` clean, ``pictured`` as pictures in turn
    of each style) and junk from an unseen seed."""
    clean = stroke_letters(per_letter, seed=VALIDATION_SEED)
    letters = LetterSet.concat([clean, pictured_letters(pictured)])
    return letters, junk_set(junk, fonts, seed=VALIDATION_SEED)


def pictured_letters(per_letter: int) -> LetterSet:
    """Stroke-drawn letters sent as photos, screenshots and transparent PNGs, canonicalised;
    pictures the preprocessing refuses are left out (they never reach the model)."""
    images, labels = [], []
    for label, letter in enumerate(LETTERS):
        for i in range(per_letter):
            rng = np.random.default_rng([VALIDATION_SEED, label, i])
            picture = PICTURE_STYLES[i % len(PICTURE_STYLES)](render_letter(letter, rng), rng)
            canonical = canonical_from_bytes(picture)
            if canonical.ok:
                images.append(to_uint8(canonical.image))
                labels.append(label)
    if not images:
        return empty_set()
    writers = np.array([f"pictured:{VALIDATION_SEED}"] * len(images))
    return LetterSet(np.stack(images), np.array(labels, np.int64), writers)


def not_a_letter_probability(model: nn.Module, data: LetterSet) -> np.ndarray:
    """The model's "not a letter" probability for each image of ``data``."""
    device = next(model.parameters()).device
    x = torch.from_numpy(data.images).to(device).float().div(255).unsqueeze(1)
    model.eval()
    with torch.inference_mode():
        probabilities = torch.softmax(model(x), dim=1)[:, NOT_A_LETTER_INDEX]
    return probabilities.cpu().numpy()


def fit_threshold(model: nn.Module) -> dict:
    """:func:`tune_threshold` on the standard :func:`validation_data` (junk from the fonts
    training uses)."""
    return tune_threshold(model, *validation_data(training_fonts()))


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
