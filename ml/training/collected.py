"""Learners' collected samples for a retrain: split by learner, and weighted so that they count.

A real bot collects tens to a few hundred pictures from a handful of learners. Two things make so
few pictures useful:

- **Held out per learner.** A learner's pictures look alike, so a candidate judged on pictures by
  learners it trained on is judged on what it memorised. :func:`split_by_learner` keeps whole
  learners out of training (about :data:`HELD_OUT_SHARE` of them, at least one), always the same
  ones for the same learners (ranked by a hash of their key), and the gate judges on them.
- **Weighted.** Among ten thousand synthetic images, a hundred pictures barely move a model.
  :func:`weigh` repeats them until they make up ``share`` of the training set; training distorts
  every copy differently (:mod:`ml.training.augment`), so the repeats are augmented variants.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ml.reading.alphabet import LETTERS, index_of
from ml.training.data import LetterSet, empty_set

HELD_OUT_SHARE = 0.2
"""Share of the learners whose pictures judge a candidate instead of training it."""
MIN_LEARNERS = 2
"""Fewer learners than this leave none to judge by: such a retrain trains nothing."""
COLLECTED_SHARE = 0.2
"""Share of the training set the collected pictures make up after :func:`weigh` (chosen with
``hangul-bot flywheel --tuning``; README, "How well it reads")."""


@dataclass(frozen=True)
class LearnerSplit:
    """Collected samples split learner-disjointly for a retrain."""

    training: LetterSet
    held_out: LetterSet
    training_ids: list[int]
    training_learners: int
    held_out_learners: int
    skipped: int
    """Samples left out as unusable: a label that is not one of the 40 letters."""


def learner_rank(learner: int) -> str:
    """A learner's place in a fixed order that no key's size decides (a hash of the key)."""
    return hashlib.sha256(f"learner:{learner}".encode()).hexdigest()


def held_out_learners(learners: set[int], share: float = HELD_OUT_SHARE) -> set[int]:
    """Which learners judge rather than train: ``round(share * n)`` of them, at least one, the
    first ones by a hash of their key (so the same learners, as long as the count holds); none
    when fewer than :data:`MIN_LEARNERS` learners."""
    if len(learners) < MIN_LEARNERS:
        return set()
    count = min(len(learners) - 1, max(1, round(share * len(learners))))
    return set(sorted(learners, key=learner_rank)[:count])


def split_by_learner(
    ids: np.ndarray,
    images: np.ndarray,
    labels: np.ndarray,
    learners: np.ndarray,
    share: float = HELD_OUT_SHARE,
) -> LearnerSplit:
    """The samples as training and held-out sets, whole learners on one side or the other."""
    known = np.array([label in LETTERS for label in labels], bool)
    ids, images, labels, learners = ids[known], images[known], labels[known], learners[known]
    samples = LetterSet(
        images,
        np.array([index_of(x) for x in labels], np.int64),
        np.array([f"learner:{k}" for k in learners]),
        [f"sample:{i}" for i in ids],
    )
    judges = held_out_learners(set(learners.tolist()), share)
    held = np.isin(learners, list(judges))
    return LearnerSplit(
        training=samples.subset(~held),
        held_out=samples.subset(held),
        training_ids=ids[~held].tolist(),
        training_learners=len(set(learners[~held].tolist())),
        held_out_learners=len(judges),
        skipped=int((~known).sum()),
    )


def no_samples() -> LearnerSplit:
    """The split of a retrain given no collected samples."""
    return LearnerSplit(empty_set(), empty_set(), [], 0, 0, 0)


def weigh(collected: LetterSet, others: int, share: float = COLLECTED_SHARE) -> LetterSet:
    """``collected`` repeated so that it makes up about ``share`` of a training set holding
    ``others`` other images (at least once each)."""
    if not len(collected) or share <= 0:
        return collected
    return LetterSet.concat([collected] * copies(len(collected), others, share))


def copies(count: int, others: int, share: float) -> int:
    """How many times ``count`` collected pictures are repeated to make up about ``share`` of a
    training set holding ``others`` other images (at least once)."""
    return max(1, round(share * others / ((1 - share) * count)))
