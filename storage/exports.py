"""Collected samples handed to a training run as plain arrays, and marked once a run used them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries import text_training_samples, training_samples
from storage.tables import Sample

log = logging.getLogger(__name__)

SIDE = 28
"""A letter sample's canonical side (``ml.reading.preprocess.INPUT_CONTRACT``)."""
BLOCK_SIDE = 32
"""A syllable block's canonical side (``ml.reading.blocks.BLOCK_CONTRACT``)."""


@dataclass(frozen=True)
class TrainingSamples:
    """The consented samples with trusted labels: ``ids`` (N,), ``images`` uint8 (N, side, side)
    with ink = 255, ``labels`` (N,) one character each, ``learners`` (N,) the learner each came
    from (their database id, which nothing outside the database knows); ``skipped``: stored
    samples left out as corrupt. Letters (:func:`training_arrays`) are one 28x28 image per
    sample; syllables and words (:func:`block_arrays`) one 32x32 block per syllable, the
    sample's id repeated on each of its blocks."""

    ids: np.ndarray
    images: np.ndarray
    labels: np.ndarray
    learners: np.ndarray
    skipped: int

    @property
    def pictures(self) -> int:
        """How many pictures learners sent (a word's blocks come from one)."""
        return len(set(self.ids.tolist()))

    def __len__(self) -> int:
        return len(self.ids)


async def training_arrays(session: AsyncSession) -> TrainingSamples:
    """The letter samples a training run may use, as arrays (see :class:`TrainingSamples`)."""
    stored = await training_samples(session)
    samples = [
        s for s in stored if len(s.canonical or b"") == SIDE * SIDE and len(s.label or "") == 1
    ]
    skipped = len(stored) - len(samples)
    _warn_skipped(skipped)
    return TrainingSamples(
        ids=np.array([s.id for s in samples], np.int64),
        images=np.array(
            [np.frombuffer(s.canonical, np.uint8).reshape(SIDE, SIDE) for s in samples], np.uint8
        ).reshape(-1, SIDE, SIDE),
        labels=np.array([s.label for s in samples], dtype="<U1"),
        learners=np.array([s.learner_id for s in samples], np.int64),
        skipped=skipped,
    )


async def block_arrays(session: AsyncSession) -> TrainingSamples:
    """The syllable blocks of the syllable and word samples a training run may use, each
    labelled with its syllable (see :class:`TrainingSamples`); a sample whose blocks do not
    match its label's syllables is left out as corrupt."""
    stored = await text_training_samples(session)
    block = BLOCK_SIDE * BLOCK_SIDE
    usable = [
        s
        for s in stored
        if all("가" <= c <= "힣" for c in s.label)
        and len(s.canonical or b"") == block * len(s.label)
    ]
    skipped = len(stored) - len(usable)
    _warn_skipped(skipped)
    images = [
        np.frombuffer(s.canonical, np.uint8).reshape(len(s.label), BLOCK_SIDE, BLOCK_SIDE)
        for s in usable
    ]
    return TrainingSamples(
        ids=np.array([s.id for s in usable for _ in s.label], np.int64),
        images=np.concatenate(images)
        if images
        else np.zeros((0, BLOCK_SIDE, BLOCK_SIDE), np.uint8),
        labels=np.array([c for s in usable for c in s.label], dtype="<U1"),
        learners=np.array([s.learner_id for s in usable for _ in s.label], np.int64),
        skipped=skipped,
    )


def _warn_skipped(count: int) -> None:
    if count:
        log.warning("skipped %d corrupt stored samples", count)


async def mark_used(session: AsyncSession, sample_ids: Sequence[int], model_version: str) -> None:
    """Record that the training run of ``model_version`` used these samples (deleted ones are
    simply gone)."""
    await session.execute(
        update(Sample).where(Sample.id.in_(list(sample_ids))).values(used_in_training=model_version)
    )
