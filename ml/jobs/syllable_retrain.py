"""Retraining a syllable reader on the syllables and words learners wrote.

A candidate starts from the current reader's weights (or from scratch) and trains on synthetic
blocks (:func:`ml.training.syllable_data.training_pictures`, letters and junk for the kind head
included) plus every collected block, weighted to a share of the set
(:mod:`ml.training.collected_blocks`). It is judged by the same gate as the letter readers
(:mod:`ml.jobs.gate`):

- **the learners' blocks, each read by a reader that never saw its learner**, whole syllables:
  the learners are dealt into folds (:func:`ml.training.collected.learner_folds`), a reader
  is trained the same way without each fold and reads it, and their readings pooled must be
  strictly better than the current reader's on the same blocks. So every collected block judges
  the recipe, where one held-out learner's few dozen blocks could not tell a gain of a few points
  from chance; the candidate itself learns from all of them;
- **the fixed held-out set**: every ``fixed_syllables_every``-th everyday syllable by held-out
  stroke writers and in held-out fonts, never trained on, read by the candidate. Overall at most
  :data:`ml.jobs.gate.FIXED_SET_TOLERANCE` worse; per letter inside (each position's letter,
  "(no final)" included) at most ``max_letter_drop`` worse, for letters the set holds at least
  :data:`MIN_GUARDED` times (fewer would make one block a big drop).

A block counts as read right when the reader takes it for a syllable and all three letters are
right. Without collected blocks (a retrain on new base data) the fixed set alone decides.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch import nn

from ml.evaluation.evaluate import Report
from ml.jobs.gate import Decision, settle
from ml.jobs.retrain_job import RetrainConfig, read_samples
from ml.reading.alphabet import decompose, everyday_syllables
from ml.reading.blocks import BLOCK_SIZE
from ml.reading.registry import ModelVersion, Registry
from ml.reading.syllables import NAME_PREFIX, BlockReading, SyllableModel
from ml.training.collected import cross_fit, learner_folds
from ml.training.collected_blocks import (
    CollectedBlocks,
    collected_blocks,
    no_blocks,
    weigh_blocks,
)
from ml.training.export import write_model_folder
from ml.training.syllable_data import (
    SyllableSet,
    held_out_pictures,
    syllable_set,
    training_set,
)
from ml.training.syllable_models import LEARNING_RATE, OUTPUTS, train_syllable_model
from ml.training.syllable_pipeline import syllable_meta

MIN_GUARDED = 20
"""A letter inside is guarded against falling only where the fixed set holds it this often."""
NO_FINAL = "(no final)"
SYNTHETIC_PER_SYLLABLE = 4
"""Pictures of each synthetic syllable in a retrain's base data (stroke, informal, font...)."""


def load_blocks(path: str | Path | None) -> CollectedBlocks:
    """The collected blocks of an export file; none without a file."""
    if path is None:
        return no_blocks()
    stored = read_samples(path)
    return collected_blocks(
        stored.ids, stored.images, stored.labels, stored.learners, stored.skipped
    )


def block_counts(collected: CollectedBlocks) -> dict:
    """What the report says of the collected blocks."""
    return {
        "blocks_for_training": len(collected.blocks),
        "pictures_for_training": len(collected.ids),
        "learners_for_training": collected.learner_count,
        "judging_folds": len(learner_folds(collected.learners)),
        "collected_skipped_corrupt": collected.skipped,
    }


def fixed_blocks(every: int) -> SyllableSet:
    """The fixed held-out set (see the module docstring)."""
    return syllable_set(held_out_pictures(syllables=everyday_syllables()[::every]))


def read_blocks(model: SyllableModel, data: SyllableSet) -> list[BlockReading]:
    """How ``model`` reads the canonical blocks of ``data``."""
    return model.read(data.images.astype(np.float32) / 255.0)


def score_readings(version: str, readings: Sequence[BlockReading], data: SyllableSet) -> Report:
    """How right ``readings`` of ``data`` are: whole syllables, and each letter inside."""
    right = [
        r.kind == "syllable" and r.text == s for r, s in zip(readings, data.syllables, strict=True)
    ]
    asked: dict[str, int] = {}
    read_right: dict[str, int] = {}
    for reading, syllable in zip(readings, data.syllables, strict=True):
        for position, letter in enumerate(decompose(syllable)):
            key = letter or NO_FINAL
            asked[key] = asked.get(key, 0) + 1
            seen = reading.jamo[position][0][0]
            read_right[key] = read_right.get(key, 0) + int(seen == letter)
    guarded = sorted(x for x in asked if asked[x] >= MIN_GUARDED)
    return Report(
        model=version,
        n=len(right),
        correct=sum(right),
        rejected=0,
        per_letter={x: round(read_right[x] / asked[x], 4) for x in guarded},
        per_letter_n={x: asked[x] for x in guarded},
        confused_pairs=[],
    )


def score_blocks(model: SyllableModel, data: SyllableSet) -> Report:
    """How ``model`` reads canonical blocks: whole syllables, and each letter inside."""
    return score_readings(model.version, read_blocks(model, data), data)


@dataclass(frozen=True)
class SyllableRetrain:
    """One syllable reader's retrain: the base data, the collected blocks and the fixed set."""

    config: RetrainConfig
    collected: CollectedBlocks
    fixed: SyllableSet

    def base(self) -> SyllableSet:
        """The synthetic blocks every reader of the retrain trains on."""
        return training_set(
            self.config.synthetic_syllables, SYNTHETIC_PER_SYLLABLE, self.config.seed
        )

    def training(self, base: SyllableSet, blocks: SyllableSet) -> SyllableSet:
        """``base`` plus ``blocks`` weighted to their share."""
        weighted = weigh_blocks(blocks, len(base), self.config.collected_share)
        return SyllableSet.concat([base, weighted]) if len(weighted) else base

    def fit(self, current: ModelVersion, training: SyllableSet) -> tuple[nn.Module, float]:
        """A reader trained on ``training`` (from ``current``'s weights when fine-tuning) and
        the seconds it took."""
        config = self.config
        return train_syllable_model(
            current.name.removeprefix(NAME_PREFIX),
            training,
            epochs=config.epochs,
            lr=config.fine_tune_lr if config.fine_tune else LEARNING_RATE,
            seed=config.seed,
            initial_weights=current.torch_path if config.fine_tune else None,
        )


def cross_fitted(
    job: SyllableRetrain,
    current: ModelVersion,
    base: SyllableSet,
    folds: list[np.ndarray],
    say: Callable[[str], None] = lambda message: None,
) -> Report:
    """How the collected blocks are read, each fold by a reader trained without it (see the
    module docstring); ``say`` hears which reader is being trained."""
    blocks = job.collected.blocks
    architecture = current.name.removeprefix(NAME_PREFIX)

    def read_without(fold: np.ndarray) -> list[BlockReading]:
        model, _ = job.fit(current, job.training(base, blocks.subset(~fold)))
        with tempfile.TemporaryDirectory() as folder:
            meta = syllable_meta(architecture, {}, {}, {"cross_fitted": True})
            write_model_folder(model, Path(folder), meta, side=BLOCK_SIZE, outputs=OUTPUTS)
            reader = SyllableModel(ModelVersion(current.name, "fold", Path(folder)))
            return read_blocks(reader, blocks.subset(fold))

    readings = cross_fit(folds, read_without, say)
    return score_readings(f"{current.name}:cross-fitted", readings, blocks)


def retrain_syllable_reader(
    name: str,
    job: SyllableRetrain,
    registry: Registry,
    counts: dict,
    say: Callable[[str], None] = lambda message: None,
) -> Decision:
    """Train one candidate syllable reader on all the collected blocks, judge it (the learners'
    blocks by readers trained without them, the fixed set by the candidate), save it in the
    registry and promote it if it is better; ``counts`` (the data used) is updated with the
    training set's size; ``say`` hears each training begin."""
    config = job.config
    current = registry.current(name)
    old = SyllableModel(current)
    base = job.base()
    collected = job.collected.blocks
    learners = None
    if folds := learner_folds(job.collected.learners):
        learners = score_blocks(old, collected), cross_fitted(job, current, base, folds, say)
    say("training the candidate on all the blocks")
    training = job.training(base, collected)
    model, seconds = job.fit(current, training)
    counts |= {"training_blocks": len(training), "fixed_blocks": len(job.fixed)}
    inherited = current.meta.get("data", {}).get("real_letter_writers", [])
    meta = syllable_meta(
        current.name.removeprefix(NAME_PREFIX),
        {
            **counts,
            "collected_sample_ids": job.collected.ids,
            # a fine-tuned reader still knows the real writers its base was trained on
            "real_letter_writers": inherited if config.fine_tune else [],
        },
        {"train_seconds": round(seconds, 1)},
        {"epochs": config.epochs, "fine_tune": config.fine_tune, "seed": config.seed},
    )
    with tempfile.TemporaryDirectory() as folder:
        write_model_folder(model, Path(folder), meta, side=BLOCK_SIZE, outputs=OUTPUTS)
        candidate = registry.add(name, folder)
    fixed = score_blocks(old, job.fixed), score_blocks(SyllableModel(candidate), job.fixed)
    return settle(registry, current, candidate, fixed, learners, config.max_letter_drop, counts)
