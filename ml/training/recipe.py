"""The standard training data recipe: real class folders plus synthetic letters.

The synthetic half comes in two kinds, half each: font renderings (:mod:`ml.training.synth`) and
stroke-drawn handwriting by random writers (:mod:`ml.writing.strokes`); on top of them, a third as
many letters by writers with informal habits (:mod:`ml.writing.informal`, the training styles).
Junk drawings (:mod:`ml.training.junk`) teach the extra "not a letter" output.

Shared by ``hangul-ml train`` and ``hangul-ml bench`` so that benchmarks measure what ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.training.data import LetterSet, load_folder
from ml.training.junk import junk_set
from ml.training.synth import font_letters, informal_letters, stroke_letters, usable_fonts
from ml.writing.fonts import is_held_out, korean_fonts

JUNK_PER_SYNTHETIC = 8
"""Junk drawings per synthetic sample of one letter: "not a letter" weighs like a few letters."""
INFORMAL_SHARE = 1 / 3
"""Informal letters per synthetic letter, on top of the fonts and ordinary stroke writers."""
FONT_HOLDOUT = 0.2
"""Fraction of fonts never used for training, kept for evaluating unseen "writers"."""


@dataclass
class TrainingData:
    """The assembled training set and a summary of where it came from (for model metadata)."""

    data: LetterSet
    summary: dict


def training_fonts(holdout: float = FONT_HOLDOUT) -> list[Path]:
    """Installed Korean fonts usable for training, minus the held-out ones."""
    return [f for f in usable_fonts(korean_fonts()) if not is_held_out(f, holdout)]


def held_out_fonts(holdout: float = FONT_HOLDOUT) -> list[Path]:
    """The installed Korean fonts kept away from training."""
    return [f for f in usable_fonts(korean_fonts()) if is_held_out(f, holdout)]


def assemble(
    real: LetterSet,
    synthetic_per_letter: int,
    seed: int = 0,
    sources: Sequence[str] = (),
    font_holdout: float = FONT_HOLDOUT,
) -> TrainingData:
    """Real images plus ``synthetic_per_letter`` synthetic samples of each of the 40 letters,
    plus ``JUNK_PER_SYNTHETIC`` times as many junk drawings ("not a letter").

    Half of the synthetic samples are font renderings, half stroke-drawn handwriting; a further
    ``INFORMAL_SHARE`` of them are informal handwriting.
    """
    per_font = synthetic_per_letter // 2
    fonts = training_fonts(font_holdout) if per_font > 0 else []
    rendered = font_letters(fonts, per_font, seed=seed)
    drawn = stroke_letters(synthetic_per_letter - per_font, seed=seed)
    informal = informal_letters(round(synthetic_per_letter * INFORMAL_SHARE), seed=seed)
    junk = junk_set(JUNK_PER_SYNTHETIC * synthetic_per_letter, fonts, seed=seed)
    summary = {
        "real_folders": list(sources),
        "real_images": len(real),
        "real_writers": sorted(set(real.writers.tolist())),
        "real_letters": "".join(real.letters()),
        "synthetic_per_letter": synthetic_per_letter,
        "synthetic_images": len(rendered) + len(drawn) + len(informal),
        "font_images": len(rendered),
        "stroke_images": len(drawn),
        "informal_images": len(informal),
        "junk_images": len(junk),
        "fonts": [f.name for f in fonts],
        "font_holdout_fraction": font_holdout,
        "seed": seed,
    }
    synthetic = LetterSet.concat([rendered, drawn, informal])
    balanced = balance_real_and_synthetic(real, synthetic)
    return TrainingData(LetterSet.concat([balanced, junk]), summary)


def load_real(folders: Sequence[Path | str]) -> LetterSet:
    """All class folders loaded and concatenated."""
    return LetterSet.concat([load_folder(f) for f in folders])


def balance_real_and_synthetic(real: LetterSet, synthetic: LetterSet) -> LetterSet:
    """Real images repeated so that each real letter weighs about as much as its synthetic twin.

    Real handwriting is scarcer than rendered fonts but is what learners send; without this the
    synthetic images would dominate the letters that have real examples.
    """
    if len(real) == 0 or len(synthetic) == 0:
        return LetterSet.concat([real, synthetic])
    real_per_letter = len(real) / len(np.unique(real.labels))
    synthetic_per_letter = len(synthetic) / len(np.unique(synthetic.labels))
    repeats = max(1, round(synthetic_per_letter / real_per_letter))
    return LetterSet.concat([real] * repeats + [synthetic])
