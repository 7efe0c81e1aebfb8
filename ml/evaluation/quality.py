"""Reading quality where it matters: unseen writers and fonts, phone photos, screens, junk.

* :func:`absent_letters`: the 10 letters the real data lacks, read from synthetic writers and
  fonts that training never saw (stroke writers from another seed, the held-out fonts).
* :func:`robustness`: a model trained without one writer block reads that block's letters as
  clean crops and as phone photos, drawing-app screenshots and transparent PNGs (from
  :mod:`ml.evaluation.robustness`), must refuse junk, and must answer every hostile file with a
  verdict.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from ml.evaluation.evaluate import Report, evaluate_folder, summarize
from ml.evaluation.robustness import build_suite
from ml.reading.alphabet import DATASET30_LETTERS, LETTERS
from ml.reading.classifier import Classifier
from ml.training.data import LetterSet
from ml.training.recipe import held_out_fonts
from ml.training.synth import font_letters, stroke_letters

STYLES = ("clean", "photo", "screen", "alpha", "smooth")
"""The robustness suite's versions of each letter."""
ABSENT_LETTERS = tuple(x for x in LETTERS if x not in DATASET30_LETTERS)
HELD_OUT_STROKE_SEED = 1000
"""Stroke writers from this seed are never used for training (training uses small seeds)."""


def score(classifier: Classifier, data: LetterSet) -> Report:
    """How ``classifier`` reads canonical images ("not a letter" counts as wrong)."""
    probabilities = classifier.probabilities(data.images.astype(np.float32) / 255.0)
    truth = [LETTERS[i] for i in data.labels]
    indices = classifier.letter_indices(probabilities)
    read = [classifier.letters[i] if i >= 0 else None for i in indices]
    verdicts = ["ok" if letter else "not_a_letter" for letter in read]
    return summarize(classifier.version, truth, read, verdicts, classifier.letters)


def _accuracy(classifier: Classifier, data: LetterSet) -> dict:
    """Accuracy, count and per-letter accuracy of ``classifier`` on canonical images."""
    report = score(classifier, data)
    return {
        "accuracy": round(report.accuracy, 4),
        "n": report.n,
        "rejected": report.rejected,
        "per_letter": report.per_letter,
    }


def absent_letters(classifier: Classifier, per_letter: int = 100) -> dict:
    """Accuracy on the 10 absent letters from held-out stroke writers and held-out fonts."""
    writers = stroke_letters(per_letter, ABSENT_LETTERS, seed=HELD_OUT_STROKE_SEED)
    fonts = font_letters(held_out_fonts(), per_letter, ABSENT_LETTERS, seed=HELD_OUT_STROKE_SEED)
    both = LetterSet.concat([writers, fonts])
    return {
        "letters": "".join(ABSENT_LETTERS),
        "held_out_stroke_writers": _accuracy(classifier, writers),
        "held_out_fonts": _accuracy(classifier, fonts),
        "overall": _accuracy(classifier, both)["accuracy"],
    }


def _verdicts(classifier: Classifier, root: Path) -> dict[str, dict[str, int]]:
    """For each ``root/<kind>/`` folder, how many of its files got each verdict."""
    per_kind = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        readings = classifier.read_many([f.read_bytes() for f in sorted(folder.iterdir())])
        per_kind[folder.name] = dict(Counter(r.verdict for r in readings))
    return per_kind


def _rejection(classifier: Classifier, root: Path) -> dict:
    """Share of pictures under ``root/<kind>/`` that get a verdict other than ``ok``."""
    per_kind = {
        kind: round(1 - verdicts.get("ok", 0) / sum(verdicts.values()), 4)
        for kind, verdicts in _verdicts(classifier, root).items()
    }
    return {"rejected": round(float(np.mean(list(per_kind.values()))), 4), "per_kind": per_kind}


def robustness(
    classifier: Classifier,
    letters: LetterSet,
    seed: int = 0,
    junk_per_kind: int = 40,
) -> dict:
    """Build the suite from ``letters`` (unseen by ``classifier``) and read every part of it."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        counts = build_suite(letters, root, seed=seed, junk_per_kind=junk_per_kind)
        figures: dict = {"counts": counts}
        for style in STYLES:
            report = evaluate_folder(classifier, root / style)
            figures[style] = {
                "accuracy": round(report.accuracy, 4),
                "n": report.n,
                "rejected": report.rejected,
                "rejected_by_reason": report.rejected_by_reason,
            }
        real = sum(figures[s]["rejected"] for s in STYLES)
        pictures = sum(figures[s]["n"] for s in STYLES)
        figures["letters_rejected"] = round(real / pictures, 4)
        figures["junk"] = _rejection(classifier, root / "junk")
        figures["hostile_verdicts"] = _verdicts(classifier, root / "hostile")
        for style in STYLES[1:]:
            figures[f"{style}_minus_clean"] = round(
                figures[style]["accuracy"] - figures["clean"]["accuracy"], 4
            )
    return figures


def letters_by_index(data: LetterSet, per_letter: int, seed: int = 0) -> LetterSet:
    """Up to ``per_letter`` images of each letter in ``data``, chosen at random."""
    rng = np.random.default_rng(seed)
    keep = np.concatenate(
        [
            rng.permutation(np.flatnonzero(data.labels == label))[:per_letter]
            for label in np.unique(data.labels)
        ]
    )
    mask = np.zeros(len(data), bool)
    mask[keep] = True
    return data.subset(mask)
