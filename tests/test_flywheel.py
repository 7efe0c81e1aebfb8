"""The flywheel measurement: its learners write a style the shipped model reads poorly, their
confirmed pictures become training samples through the tutor, and a retrain is measured on them."""

from __future__ import annotations

import numpy as np

from bot.benchmarks.flywheel import FlywheelConfig, run_flywheel
from ml.reading.alphabet import LETTERS, index_of
from ml.reading.classifier import Classifier
from ml.reading.preprocess import canonicalize
from ml.reading.registry import Registry
from ml.writing.strokes import render_letter


def read_right(classifier: Classifier, flick: bool) -> float:
    images, labels = [], []
    for letter in LETTERS:
        for n in range(4):
            rng = np.random.default_rng([31, index_of(letter), n])
            canonical = canonicalize(render_letter(letter, rng, flick=flick))
            if canonical.image is not None:
                images.append(canonical.image)
                labels.append(index_of(letter))
    indices = classifier.letter_indices(classifier.probabilities(np.stack(images)))
    return float((indices == np.array(labels)).sum() / (4 * len(LETTERS)))


def test_flicked_strokes_are_a_style_the_shipped_model_reads_poorly(tmp_path):
    classifier = Classifier.open(Registry(tmp_path).current("lenet"))
    plain, flicked = read_right(classifier, flick=False), read_right(classifier, flick=True)
    assert plain > 0.95
    assert flicked < plain - 0.2


async def test_confirmed_pictures_become_samples_and_a_retrain_is_measured(tmp_path):
    config = FlywheelConfig(
        learners=2,
        pictures_per_letter=1,
        letters="ㄱㄴㄷㄹ",
        test_learners=1,
        test_pictures_per_letter=1,
        ordinary_per_letter=2,
        synthetic_per_letter=4,
        epochs=1,
        models=["lenet"],
    )
    figures = await run_flywheel(config, tmp_path)
    collected = figures["collected"]
    assert collected["pictures_sent"] == 2 * 4
    assert collected["samples_exported"] == collected["pictures_sent"]  # refusals too, confirmed
    assert figures["retrain_refused"] is None
    data = figures["retrain_data"]
    assert (data["learners_for_training"], data["judging_folds"]) == (2, 2)
    assert data["collected_for_training"] == 8  # every learner's pictures train the candidate
    assert data["collected_copies_in_training"] > data["collected_for_training"]  # weighted
    lenet = figures["models"]["lenet"]
    assert lenet["before"]["version"] == "lenet:packaged"
    assert lenet["after"]["version"] == "lenet:v0001"
    assert figures["style_test_pictures"] == 4
    gain = lenet["after"]["style_accuracy"] - lenet["before"]["style_accuracy"]
    assert lenet["style_gain_points"] == round(100 * gain, 2)
    assert lenet["largest_ordinary_letter_drop"]["letter"] in LETTERS
    assert all(0 <= a <= 1 for a in lenet["retrain"]["learners_judged"])
