"""Learners' collected samples for a retrain: dealt into folds of whole learners, and weighted so
that they count.

A real bot collects tens to a few hundred pictures from a handful of learners. Two things make so
few pictures useful:

- **Judged by readers that never saw the learner.** A learner's pictures look alike, so a
  candidate judged on pictures by learners it trained on is judged on what it memorised; and one
  held-out learner's few dozen pictures cannot tell a gain of a few points from chance. So every
  learner judges: the learners are dealt into :func:`learner_folds`, a reader is trained the same
  way without each fold and reads it, and their readings pooled judge the recipe on every
  collected picture (:mod:`ml.jobs.retrain`); the candidate itself learns from all of them.
- **Weighted.** Among ten thousand synthetic images, a hundred pictures barely move a model.
  :func:`weigh` repeats them until they make up ``share`` of the training set; training distorts
  every copy differently (:mod:`ml.training.augment`), so the repeats are augmented variants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from ml.reading.alphabet import LETTERS, index_of
from ml.training.data import LetterSet, empty_set

MIN_LEARNERS = 2
"""Fewer learners than this leave none to judge by: such a retrain trains nothing."""
MAX_FOLDS = 4
"""At most this many readers are trained to judge a retrain (one per fold of learners)."""
COLLECTED_SHARE = 0.2
"""Share of the training set the collected pictures make up after :func:`weigh` (chosen with
``hangul-bot flywheel --tuning``; README, "How well it reads")."""

Reading = TypeVar("Reading")


@dataclass(frozen=True)
class CollectedLetters:
    """The collected pictures of letters, each with the learner who wrote it."""

    samples: LetterSet
    """Writers name the learner (``learner:K``)."""
    learners: np.ndarray
    """(N,) the learner key of each picture."""
    ids: list[int]
    """The samples' ids, in order."""
    skipped: int
    """Samples left out as unusable: a label that is not one of the 40 letters."""

    @property
    def learner_count(self) -> int:
        return len(set(self.learners.tolist()))


def learner_rank(learner: int) -> str:
    """A learner's place in a fixed order that no key's size decides (a hash of the key)."""
    return hashlib.sha256(f"learner:{learner}".encode()).hexdigest()


def learner_folds(learners: np.ndarray, most: int = MAX_FOLDS) -> list[np.ndarray]:
    """Masks over the samples, one per fold: each learner's samples all in one fold, the learners
    dealt in turn (ranked by a hash of their key, so the same folds every time) into
    ``min(learners, most)`` folds; none for fewer than :data:`MIN_LEARNERS` learners."""
    keys = sorted(set(learners.tolist()), key=learner_rank)
    if len(keys) < MIN_LEARNERS:
        return []
    count = min(len(keys), most)
    return [np.isin(learners, keys[fold::count]) for fold in range(count)]


def cross_fit(
    folds: list[np.ndarray],
    read_without: Callable[[np.ndarray], Sequence[Reading]],
    say: Callable[[str], None] = lambda message: None,
) -> list[Reading]:
    """Each sample's reading by a reader that never saw its learner: for each of ``folds`` (masks
    over the samples, :func:`learner_folds`; at least one), ``read_without(fold)`` trains a reader
    without the fold's samples and returns its readings of them, in order; ``say`` hears which
    reader is being trained."""
    readings: list = [None] * len(folds[0])
    for number, fold in enumerate(folds, 1):
        say(f"training judging reader {number} of {len(folds)} (without some learners)")
        for row, reading in zip(np.flatnonzero(fold), read_without(fold), strict=True):
            readings[row] = reading
    return readings


def collected_letters(
    ids: np.ndarray, images: np.ndarray, labels: np.ndarray, learners: np.ndarray
) -> CollectedLetters:
    """The samples labelled with one of the 40 letters, with their learners; the others are
    counted as skipped."""
    known = np.array([label in LETTERS for label in labels], bool)
    ids, images, labels, learners = ids[known], images[known], labels[known], learners[known]
    samples = LetterSet(
        np.asarray(images, np.uint8),
        np.array([index_of(x) for x in labels], np.int64),
        np.array([f"learner:{k}" for k in learners]),
        [f"sample:{i}" for i in ids],
    )
    return CollectedLetters(
        samples, np.asarray(learners, np.int64), ids.tolist(), int((~known).sum())
    )


def no_samples() -> CollectedLetters:
    """What a retrain given no collected samples has."""
    return CollectedLetters(empty_set(), np.zeros(0, np.int64), [], 0)


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
