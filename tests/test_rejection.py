"""Tuning the "not a letter" threshold on validation data."""

import numpy as np

from ml.reading.alphabet import NOT_A_LETTER_INDEX
from ml.training.data import LetterSet
from ml.training.models import build
from ml.training.rejection import (
    MAX_CONTEXT_JUNK,
    MAX_CONTEXT_THRESHOLD,
    MIN_THRESHOLD,
    accepted_in_context,
    context_threshold,
    pictured_letters,
    tune_threshold,
)
from ml.training.train import TrainConfig, train


def _toy(n: int, label: int, bright: bool, seed: int) -> LetterSet:
    rng = np.random.default_rng(seed)
    images = (rng.random((n, 28, 28)) * (255 if bright else 40)).astype(np.uint8)
    return LetterSet(images, np.full(n, label), np.array(["toy"] * n), [])


def test_threshold_keeps_letters_and_rejects_separable_junk():
    letters, junk = _toy(200, 3, False, 0), _toy(200, NOT_A_LETTER_INDEX, True, 1)
    model = train(LetterSet.concat([letters, junk]), TrainConfig(epochs=10), progress=False).model
    tuned = tune_threshold(model, _toy(100, 3, False, 2), _toy(100, NOT_A_LETTER_INDEX, True, 3))
    assert MIN_THRESHOLD <= tuned["not_a_letter_threshold"] <= 0.99
    assert tuned["validation_letters_rejected"] <= 0.01
    assert tuned["validation_junk_rejected"] > 0.9
    assert tuned["not_a_letter_threshold"] <= tuned["not_a_letter_threshold_in_context"] <= 0.9
    assert tuned["validation_junk_accepted_in_context_worst_letter"] <= MAX_CONTEXT_JUNK


def test_an_untrained_model_gets_the_floor_threshold():
    letters, junk = _toy(50, 0, False, 0), _toy(50, NOT_A_LETTER_INDEX, True, 1)
    tuned = tune_threshold(build("mlp"), letters, junk)
    assert tuned["not_a_letter_threshold"] == MIN_THRESHOLD
    assert tuned["validation_letters"] == 50 and tuned["validation_junk"] == 50


def test_pictured_validation_letters_come_back_through_the_preprocessing():
    pictured = pictured_letters(1)  # one phone photo of each letter
    assert len(pictured) >= 36 and pictured.images.shape[1:] == (28, 28)
    assert set(pictured.labels.tolist()) <= set(range(40)) and len(set(pictured.labels)) >= 36


def test_the_context_threshold_lets_through_at_most_a_little_junk_per_asked_letter():
    rng = np.random.default_rng(0)
    junk = np.zeros((400, NOT_A_LETTER_INDEX + 1))
    junk[:, NOT_A_LETTER_INDEX] = np.linspace(0.0, 1.0, 400)  # "not a letter" from 0 to 1
    junk[np.arange(400), rng.integers(0, 2, 400)] = 0.01  # best letter: ㄱ or ㄲ
    bar = context_threshold(junk, 0.1)
    assert 0.1 < bar < 0.2  # ~1% of the junk lies in each 0.01 step, half of it per letter
    assert accepted_in_context(junk, 0.1, bar).max() <= MAX_CONTEXT_JUNK
    assert accepted_in_context(junk, 0.1, bar + 0.02).max() > MAX_CONTEXT_JUNK
    assert context_threshold(np.zeros((10, NOT_A_LETTER_INDEX + 1)), 0.3) == MAX_CONTEXT_THRESHOLD
