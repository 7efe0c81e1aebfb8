"""The syllable reader's flywheel at a realistic size (``hangul-bot syllable-flywheel``): a few
learners send syllables in a style the shipped reader reads poorly, a retrain (as ``/retrain``
runs it, from their exported blocks) learns from them, and blocks of that style it never saw are
read before and after.

The style: blocks built from one dev writer's own letter pictures
(:mod:`ml.writing.real_syllables`), by default block1: the writer the shipped reader reads
worst, and the one a reader trained with real letters (``train-syllables --data``) leaves out. Each
letter's pictures are split in two halves (even and odd pictures): the learners' blocks are made
of one half, the measuring blocks of the other and of other syllables, so that no letter picture
is both learned from and measured on. The learners are that one hand with different pictures and
syllables each, not different people: the dev set has three writers.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ml.jobs.retrain import retrain
from ml.jobs.retrain_job import FINE_TUNE_EPOCHS, FINE_TUNE_LR, RetrainConfig, write_samples
from ml.jobs.syllable_retrain import score_blocks
from ml.reading.registry import Registry
from ml.reading.syllables import DEFAULT_MODEL, SyllableModel
from ml.training.collected import COLLECTED_SHARE
from ml.training.data import letters_by_writer
from ml.training.syllable_data import SyllablePicture, SyllableSet, syllable_set
from ml.writing.held_out import HELD_OUT_SEED
from ml.writing.real_syllables import real_blocks

Letters = dict[str, list[np.ndarray]]


@dataclass(frozen=True)
class SyllableFlywheel:
    """How the flywheel is run."""

    learners: int = 4
    per_learner: int = 28
    """Syllables each learner sends (each a block of their letters)."""
    measure: int = 300
    """Blocks of the style measured on, before and after."""
    writer: str = "block1"
    synthetic_syllables: int = 1000
    fixed_syllables_every: int = 5
    seed: int = 0
    tuning: bool = False
    """Measure on other syllables made of the learners' half of the pictures instead of the unseen
    half: for choosing a retrain's schedule without touching the reported figures."""
    collected_share: float = COLLECTED_SHARE
    fine_tune_lr: float = FINE_TUNE_LR
    epochs: int = FINE_TUNE_EPOCHS


def halves(data_root: Path, writer: str) -> tuple[Letters, Letters]:
    """The writer's letter pictures, even and odd ones of each letter apart."""
    letters = letters_by_writer(data_root).get(writer, {})
    return (
        {x: pictures[0::2] for x, pictures in letters.items()},
        {x: pictures[1::2] for x, pictures in letters.items()},
    )


def blocks_of(letters: Letters, count: int, seed: int) -> SyllableSet:
    """``count`` everyday syllables made of ``letters``, in canonical form."""
    made = real_blocks({"writer": letters}, count, seed=seed)
    return syllable_set([SyllablePicture(b.syllable, "real", b.image) for b in made])


def run_flywheel(data_root: Path, config: SyllableFlywheel = SyllableFlywheel()) -> dict:
    """Collect, retrain (in a scratch registry starting from the shipped reader), measure."""
    taught, unseen = halves(data_root, config.writer)
    sent = [
        blocks_of(taught, config.per_learner, config.seed * 100 + k) for k in range(config.learners)
    ]
    measured = blocks_of(taught if config.tuning else unseen, config.measure, HELD_OUT_SEED)
    with tempfile.TemporaryDirectory() as scratch:
        registry = Registry(Path(scratch) / "registry")
        path = Path(scratch) / "blocks.npz"
        write_samples(
            path,
            ids=np.arange(sum(len(s) for s in sent)),
            images=np.concatenate([s.images for s in sent]),
            labels=np.array([x for s in sent for x in s.syllables]),
            learners=np.concatenate([np.full(len(s), k + 1) for k, s in enumerate(sent)]),
        )
        before = score_blocks(SyllableModel(registry.current(DEFAULT_MODEL)), measured)
        retrain_config = RetrainConfig(
            block_samples=str(path),
            models=[DEFAULT_MODEL],
            synthetic_syllables=config.synthetic_syllables,
            fixed_syllables_every=config.fixed_syllables_every,
            seed=config.seed,
            collected_share=config.collected_share,
            fine_tune_lr=config.fine_tune_lr,
            epochs=config.epochs,
        )
        report = retrain(retrain_config, registry)
        after = score_blocks(SyllableModel(registry.current(DEFAULT_MODEL)), measured)
        [decision] = report["models"] or [None]
        candidate = None
        if decision:
            trained = registry.get(DEFAULT_MODEL, decision["after_version"])
            candidate = round(score_blocks(SyllableModel(trained), measured).accuracy, 4)
    return {
        "config": asdict(config),
        "collected_blocks": sum(len(s) for s in sent),
        "syllable_data": report["syllable_data"],
        "refused": report["refused"],
        "promoted": report["promoted"],
        "reason": decision["reason"] if decision else report["refused"],
        "style_before": round(before.accuracy, 4),
        "style_after": round(after.accuracy, 4),
        "style_candidate": candidate,
        "style_blocks": before.n,
        # every learner's blocks, read by the current reader and by readers trained without them
        "learners_judged": [decision["learners_before"], decision["learners_after"]]
        if decision
        else None,
        "fixed_before": decision["before"]["accuracy"] if decision else None,
        "fixed_after": decision["after"]["accuracy"] if decision else None,
        "worst_letter_drop": decision["worst_letter_drop"] if decision else None,
    }
