"""Learners' syllable blocks for retraining the syllable reader: split by learner and weighted as
collected letters are (:mod:`ml.training.collected`: the same learners judge, the same share)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ml.reading.alphabet import is_syllables
from ml.reading.blocks import BLOCK_SIZE, KINDS
from ml.training.collected import COLLECTED_SHARE, HELD_OUT_SHARE, copies, held_out_learners
from ml.training.syllable_data import SyllableSet, syllable_labels


@dataclass(frozen=True)
class BlockSplit:
    """Collected blocks split learner-disjointly for a retrain."""

    training: SyllableSet
    held_out: SyllableSet
    training_ids: list[int]
    """The samples (pictures) the training blocks come from."""
    training_learners: int
    held_out_learners: int
    skipped: int
    """Samples left out as unusable (the export's count, and blocks not labelled a syllable)."""


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


def split_blocks_by_learner(
    ids: np.ndarray,
    images: np.ndarray,
    labels: np.ndarray,
    learners: np.ndarray,
    skipped: int = 0,
    share: float = HELD_OUT_SHARE,
) -> BlockSplit:
    """The blocks as training and held-out sets, whole learners on one side or the other."""
    known = np.array([is_syllables(str(label)) for label in labels], bool)
    ids, images, labels, learners = ids[known], images[known], labels[known], learners[known]
    judges = held_out_learners(set(learners.tolist()), share)
    held = np.isin(learners, list(judges))
    blocks = block_set(images, labels, learners)
    return BlockSplit(
        training=blocks.subset(~held),
        held_out=blocks.subset(held),
        training_ids=sorted(set(ids[~held].tolist())),
        training_learners=len(set(learners[~held].tolist())),
        held_out_learners=len(judges),
        skipped=skipped + int((~known).sum()),
    )


def no_blocks() -> BlockSplit:
    """The split of a retrain given no collected blocks."""
    empty = block_set(np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.uint8), np.array([]), np.array([]))
    return BlockSplit(empty, empty, [], 0, 0, 0)


def weigh_blocks(
    collected: SyllableSet, others: int, share: float = COLLECTED_SHARE
) -> SyllableSet:
    """``collected`` repeated so that it makes up about ``share`` of a training set holding
    ``others`` other blocks (at least once each); training jitters every copy differently."""
    if not len(collected) or share <= 0:
        return collected
    return SyllableSet.concat([collected] * copies(len(collected), others, share))
