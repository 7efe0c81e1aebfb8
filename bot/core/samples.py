"""Keeping a learner's picture as a training sample, only with their consent: the file as sent,
its canonical form, and where its label comes from (:class:`storage.tables.LabelSource`)."""

from __future__ import annotations

import numpy as np

from bot.core.turn import Turn
from storage.tables import Attempt, LabelSource, Sample


def canonical_bytes(canonical: np.ndarray) -> bytes:
    """A canonical image (a letter's 28x28, or a syllable's or word's blocks) as stored with a
    sample: uint8 row-major, ink = 255."""
    return (np.clip(canonical, 0, 1) * 255).round().astype(np.uint8).tobytes()


def keep_sample(
    turn: Turn,
    attempt: Attempt,
    data: bytes,
    canonical: np.ndarray,
    label: str | None,
    source: LabelSource,
) -> bool:
    """Keep the picture of ``attempt`` for training if the learner consented; True if kept."""
    if not turn.learner.consent:
        return False
    turn.session.add(
        Sample(
            learner_id=turn.learner.id,
            attempt_id=attempt.id,
            picture=data,
            canonical=canonical_bytes(canonical),
            label=label,
            label_source=source,
            consent=True,
            created_at=turn.now,
        )
    )
    return True
