"""Collected samples handed to a training run as plain arrays, and marked once a run used them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.queries import training_samples
from storage.tables import Sample

log = logging.getLogger(__name__)

SIDE = 28


@dataclass(frozen=True)
class TrainingSamples:
    """The consented samples with trusted labels: ``ids`` (N,), ``images`` uint8 (N, 28, 28)
    with ink = 255, ``labels`` (N,) jamo, ``learners`` (N,) the learner each came from (their
    database id, which nothing outside the database knows); ``skipped``: stored samples left out
    as corrupt (their canonical image is not 28x28 bytes or their label is not one character)."""

    ids: np.ndarray
    images: np.ndarray
    labels: np.ndarray
    learners: np.ndarray
    skipped: int

    @property
    def learner_count(self) -> int:
        """How many learners the samples come from."""
        return len(set(self.learners.tolist()))

    def __len__(self) -> int:
        return len(self.ids)


async def training_arrays(session: AsyncSession) -> TrainingSamples:
    """The samples a training run may use, as arrays (see :class:`TrainingSamples`)."""
    stored = await training_samples(session)
    samples = [
        s for s in stored if len(s.canonical or b"") == SIDE * SIDE and len(s.label or "") == 1
    ]
    skipped = len(stored) - len(samples)
    if skipped:
        log.warning("skipped %d corrupt stored samples", skipped)
    return TrainingSamples(
        ids=np.array([s.id for s in samples], np.int64),
        images=np.array(
            [np.frombuffer(s.canonical, np.uint8).reshape(SIDE, SIDE) for s in samples], np.uint8
        ).reshape(-1, SIDE, SIDE),
        labels=np.array([s.label for s in samples], dtype="<U1"),
        learners=np.array([s.learner_id for s in samples], np.int64),
        skipped=skipped,
    )


async def mark_used(session: AsyncSession, sample_ids: Sequence[int], model_version: str) -> None:
    """Record that the training run of ``model_version`` used these samples (deleted ones are
    simply gone)."""
    await session.execute(
        update(Sample).where(Sample.id.in_(list(sample_ids))).values(used_in_training=model_version)
    )
