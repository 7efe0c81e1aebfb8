"""Learners' syllable blocks for retraining the syllable reader: weighted and dealt into folds of
whole learners as collected letters are (:mod:`ml.training.collected`: the same share, the same
:func:`ml.training.collected.learner_folds`), each fold judged by a reader trained without it
(:mod:`ml.jobs.syllable_retrain`); the reader promoted learns from all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.reading.alphabet import is_syllables
from ml.reading.blocks import BLOCK_SIZE, KINDS
from ml.training.collected import COLLECTED_SHARE, copies
from ml.training.syllable_data import SyllableSet, syllable_labels


@dataclass(frozen=True)
class CollectedBlocks:
    """The blocks of collected syllables and words, each with the learner who wrote it."""

    blocks: SyllableSet
    """Sources name the learner (``learner:K``)."""
    learners: np.ndarray
    """(N,) the learner key of each block."""
    ids: list[int]
    """The samples (pictures) the blocks come from."""
    skipped: int
    """Samples left out as unusable (the export's count, and blocks not labelled a syllable)."""

    @property
    def learner_count(self) -> int:
        return len(set(self.learners.tolist()))


def block_set(images: np.ndarray, labels: np.ndarray, learners: np.ndarray) -> SyllableSet:
    """Collected blocks (uint8, ink = 255) labelled with their syllables as a
    :class:`SyllableSet` whose sources name the learner."""
    return SyllableSet(
        np.asarray(images, np.uint8).reshape(-1, BLOCK_SIZE, BLOCK_SIZE),
        np.array([syllable_labels(s) for s in labels], np.int64).reshape(-1, 3),
        np.full(len(labels), KINDS.index("syllable"), np.int64),
        [str(s) for s in labels],
        [f"learner:{k}" for k in learners],
    )


def collected_blocks(
    ids: np.ndarray, images: np.ndarray, labels: np.ndarray, learners: np.ndarray, skipped: int = 0
) -> CollectedBlocks:
    """The exported blocks whose labels are syllables, with their learners."""
    known = np.array([is_syllables(str(label)) for label in labels], bool)
    ids, images, labels, learners = ids[known], images[known], labels[known], learners[known]
    return CollectedBlocks(
        blocks=block_set(images, labels, learners),
        learners=np.asarray(learners, np.int64),
        ids=sorted(set(ids.tolist())),
        skipped=skipped + int((~known).sum()),
    )


def no_blocks() -> CollectedBlocks:
    """What a retrain given no collected blocks has."""
    return collected_blocks(
        np.zeros(0, np.int64),
        np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.uint8),
        np.array([]),
        np.zeros(0, np.int64),
    )


def weigh_blocks(
    collected: SyllableSet, others: int, share: float = COLLECTED_SHARE
) -> SyllableSet:
    """``collected`` repeated so that it makes up about ``share`` of a training set holding
    ``others`` other blocks (at least once each); training jitters every copy differently."""
    if not len(collected) or share <= 0:
        return collected
    return SyllableSet.concat([collected] * copies(len(collected), others, share))
