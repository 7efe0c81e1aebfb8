"""Tuning the "not a letter" verdict: the probability threshold on the models' extra output.

The threshold is chosen on validation data that training never sees (stroke writers and junk drawn
from :data:`VALIDATION_SEED`): the lowest value that rejects at most :data:`MAX_LETTER_REJECTS` of
the validation letters, never below :data:`MIN_THRESHOLD`. The validation letters are clean
canonical letters and, because learners send pictures, the same kind of writers' letters sent as
phone photos, screenshots and transparent PNGs (:mod:`ml.writing.picture_styles`) and read back
through the preprocessing. The threshold is stored in the model's meta and applied by
:class:`ml.reading.classifier.Classifier`.

A quiz knows the letter it asks for, so it may accept a refused picture whose best letter is that
one (:func:`ml.reading.classifier.in_quiz_context`) unless it is clearly junk: its "not a letter"
probability reaches a second, higher threshold. That one is the highest value (at most
:data:`MAX_CONTEXT_THRESHOLD`) at which, whatever letter a quiz asks, at most
:data:`MAX_CONTEXT_JUNK` of the validation junk would be read as that letter beyond what the
plain threshold lets through. Junk for measuring comes from another generator
(:mod:`ml.evaluation.suite_junk`) and the suite's letters from real writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
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
MIN_THRESHOLD = 0.05
"""Floor of the threshold: on the validation letters the shipped models' 99th percentile is far
lower (~0.01-0.05), and a floor keeps the threshold from following noise in a small sample. It
was 0.1 until the informal writers joined the training data; on the validation data the shipped
LeNet then refused 0.16% of the letters at either floor and 97.6% of the junk at 0.05 against
95.7% at 0.1 (the MLP's own 1% point lies above both)."""
MAX_CONTEXT_JUNK = 0.01
"""Share of junk a quiz's context may let through in addition, for the worst-placed letter."""
MAX_CONTEXT_THRESHOLD = 0.9
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


def probabilities(model: nn.Module, data: LetterSet) -> np.ndarray:
    """The model's class probabilities for each image of ``data``."""
    device = next(model.parameters()).device
    x = torch.from_numpy(data.images).to(device).float().div(255).unsqueeze(1)
    model.eval()
    with torch.inference_mode():
        return torch.softmax(model(x), dim=1).cpu().numpy()


def accepted_in_context(junk: np.ndarray, threshold: float, bar: float) -> np.ndarray:
    """For each letter a quiz may ask, the share of ``junk`` (rows of class probabilities) read
    as that letter only thanks to the context: best letter that one, "not a letter" probability
    at least ``threshold`` but below ``bar``."""
    best = junk[:, : len(LETTERS)].argmax(axis=1)
    p = junk[:, NOT_A_LETTER_INDEX]
    let_in = (p >= threshold) & (p < bar)
    return np.bincount(best[let_in], minlength=len(LETTERS)) / max(len(junk), 1)


def context_threshold(junk: np.ndarray, threshold: float) -> float:
    """The highest bar (a 0.01 grid) that keeps :func:`accepted_in_context` at most
    :data:`MAX_CONTEXT_JUNK` for every letter."""
    bar = threshold
    for candidate in np.arange(np.ceil(threshold * 100) / 100, MAX_CONTEXT_THRESHOLD + 1e-9, 0.01):
        if accepted_in_context(junk, threshold, float(candidate)).max() > MAX_CONTEXT_JUNK:
            break
        bar = float(candidate)
    return round(bar, 4)


def fit_threshold(model: nn.Module) -> dict:
    """:func:`tune_threshold` on the standard :func:`validation_data` (junk from the fonts
    training uses)."""
    return tune_threshold(model, *standard_validation_data(tuple(training_fonts())))


@cache
def standard_validation_data(fonts: tuple[Path, ...]) -> tuple[LetterSet, LetterSet]:
    """:func:`validation_data` with ``fonts``, made once a process (callers only read it): it is
    the same for every model, and drawing and preprocessing its pictures takes some 15-30 s on a
    2-core CPU, while a retrain trains up to five readers of each model."""
    return validation_data(fonts)


def tune_threshold(model: nn.Module, letters: LetterSet, junk: LetterSet) -> dict:
    """The threshold for ``model`` and what it does on the validation data."""
    letter_rows, junk_rows = probabilities(model, letters), probabilities(model, junk)
    on_letters, on_junk = letter_rows[:, NOT_A_LETTER_INDEX], junk_rows[:, NOT_A_LETTER_INDEX]
    threshold = max(MIN_THRESHOLD, float(np.quantile(on_letters, 1 - MAX_LETTER_REJECTS)))
    threshold = round(min(threshold, 0.99), 4)
    bar = context_threshold(junk_rows, threshold)
    misread = letter_rows[:, : len(LETTERS)].argmax(axis=1) != letters.labels
    letters_in_context = (on_letters >= bar) | (misread & (on_letters >= threshold))
    return {
        "not_a_letter_threshold": threshold,
        "not_a_letter_threshold_in_context": bar,
        "validation_letters_rejected_in_context": round(float(letters_in_context.mean()), 4),
        "validation_junk_accepted_in_context_worst_letter": round(
            float(accepted_in_context(junk_rows, threshold, bar).max()), 4
        ),
        "validation_letters": len(letters),
        "validation_junk": len(junk),
        "validation_letters_rejected": round(float((on_letters >= threshold).mean()), 4),
        "validation_junk_rejected": round(float((on_junk >= threshold).mean()), 4),
    }
