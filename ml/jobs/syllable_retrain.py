"""Retraining a syllable reader on the syllables and words learners wrote.

A candidate starts from the current reader's weights (or from scratch) and trains on synthetic
blocks (:func:`ml.training.syllable_data.training_pictures`, letters and junk for the kind head
included) plus the collected training blocks weighted to a share of the set
(:mod:`ml.training.collected_blocks`). It is judged by the same gate as the letter readers
(:mod:`ml.jobs.gate`):

- **the held-out learners' blocks**, whole syllables: it must read them strictly better;
- **the fixed held-out set**: every :data:`FIXED_EVERY`-th everyday syllable by held-out stroke
  writers and in held-out fonts, never trained on. Overall at most
  :data:`ml.jobs.gate.FIXED_SET_TOLERANCE` worse; per letter inside (each position's letter,
  "(no final)" included) at most ``max_letter_drop`` worse, for letters the set holds at least
  :data:`MIN_GUARDED` times (fewer would make one block a big drop).

A block counts as read right when the reader takes it for a syllable and all three letters are
right. Without collected blocks (a retrain on new base data) the fixed set alone decides.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.evaluation.evaluate import Report
from ml.jobs.gate import Decision, settle
from ml.jobs.retrain_job import RetrainConfig, read_samples
from ml.reading.alphabet import decompose, everyday_syllables
from ml.reading.blocks import BLOCK_SIZE
from ml.reading.registry import Registry
from ml.reading.syllables import NAME_PREFIX, SyllableModel
from ml.training.collected_blocks import (
    BlockSplit,
    no_blocks,
    split_blocks_by_learner,
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

log = logging.getLogger(__name__)

MIN_GUARDED = 20
"""A letter inside is guarded against falling only where the fixed set holds it this often."""
NO_FINAL = "(no final)"
SYNTHETIC_PER_SYLLABLE = 4
"""Pictures of each synthetic syllable in a retrain's base data (stroke, informal, font...)."""


def load_blocks(path: str | Path | None) -> BlockSplit:
    """Collected blocks split by learner; none without a file."""
    if path is None:
        return no_blocks()
    stored = read_samples(path)
    return split_blocks_by_learner(
        stored.ids, stored.images, stored.labels, stored.learners, stored.skipped
    )


def block_counts(split: BlockSplit) -> dict:
    """What the report says of the collected blocks."""
    return {
        "blocks_for_training": len(split.training),
        "pictures_for_training": len(split.training_ids),
        "learners_for_training": split.training_learners,
        "blocks_held_out": len(split.held_out),
        "learners_held_out": split.held_out_learners,
        "collected_skipped_corrupt": split.skipped,
    }


def fixed_blocks(every: int) -> SyllableSet:
    """The fixed held-out set (see the module docstring)."""
    return syllable_set(held_out_pictures(syllables=everyday_syllables()[::every]))


def score_blocks(model: SyllableModel, data: SyllableSet) -> Report:
    """How ``model`` reads canonical blocks: whole syllables, and each letter inside."""
    readings = model.read(data.images.astype(np.float32) / 255.0)
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
        model=model.version,
        n=len(right),
        correct=sum(right),
        rejected=0,
        per_letter={x: round(read_right[x] / asked[x], 4) for x in guarded},
        per_letter_n={x: asked[x] for x in guarded},
        confused_pairs=[],
    )


@dataclass(frozen=True)
class SyllableRetrain:
    """One syllable reader's retrain: the base data, the collected split and the fixed set."""

    config: RetrainConfig
    split: BlockSplit
    fixed: SyllableSet

    def training_set(self) -> SyllableSet:
        """Synthetic blocks plus the collected training blocks weighted to their share."""
        base = training_set(
            self.config.synthetic_syllables, SYNTHETIC_PER_SYLLABLE, self.config.seed
        )
        weighted = weigh_blocks(self.split.training, len(base), self.config.collected_share)
        return SyllableSet.concat([base, weighted]) if len(weighted) else base


def retrain_syllable_reader(
    name: str, job: SyllableRetrain, registry: Registry, counts: dict
) -> Decision:
    """Train one candidate syllable reader, save it in the registry, judge it, promote it if it
    is better; ``counts`` (the data used) is updated with the training set's size."""
    config = job.config
    current = registry.current(name)
    architecture = name.removeprefix(NAME_PREFIX)
    training = job.training_set()
    counts |= {"training_blocks": len(training), "fixed_blocks": len(job.fixed)}
    model, seconds = train_syllable_model(
        architecture,
        training,
        epochs=config.epochs,
        lr=config.fine_tune_lr if config.fine_tune else LEARNING_RATE,
        seed=config.seed,
        initial_weights=current.torch_path if config.fine_tune else None,
    )
    inherited = current.meta.get("data", {}).get("real_letter_writers", [])
    meta = syllable_meta(
        architecture,
        {
            **counts,
            "collected_sample_ids": job.split.training_ids,
            # a fine-tuned reader still knows the real writers its base was trained on
            "real_letter_writers": inherited if config.fine_tune else [],
        },
        {"train_seconds": round(seconds, 1)},
        {"epochs": config.epochs, "fine_tune": config.fine_tune, "seed": config.seed},
    )
    with tempfile.TemporaryDirectory() as folder:
        write_model_folder(model, Path(folder), meta, side=BLOCK_SIZE, outputs=OUTPUTS)
        candidate = registry.add(name, folder)
    old, new = SyllableModel(current), SyllableModel(candidate)
    fixed = score_blocks(old, job.fixed), score_blocks(new, job.fixed)
    learners = None
    if len(job.split.held_out):
        learners = score_blocks(old, job.split.held_out), score_blocks(new, job.split.held_out)
    return settle(registry, current, candidate, fixed, learners, config.max_letter_drop, counts)
