"""Retraining: train candidate models on the base data plus the learners' collected samples,
judge each against the model it would replace, and promote it only if it is better.

A candidate learns from every collected sample, weighted to a fixed share of the training set
(:mod:`ml.training.collected`). It is judged on two sets by :mod:`ml.jobs.gate`, and the report
gives both, before and after:

- **the learners' pictures, each read by a reader that never saw its learner**: the learners are
  dealt into folds (:func:`ml.training.collected.learner_folds`), a reader is trained the same way
  without each fold and reads it (:func:`cross_fitted`), and their readings pooled must be
  strictly better than the current model's on the same pictures. So every collected picture
  judges the recipe, where one held-out learner's few dozen could not tell a gain from chance;
- **the fixed held-out set**, which never changes between runs and is never trained on (stroke-
  drawn letters by held-out writers, seed :data:`ml.writing.held_out.HELD_OUT_SEED`, and
  renderings in the held-out fonts, all 40 letters), read by the candidate: a guard against
  regression, overall (at most :data:`ml.jobs.gate.FIXED_SET_TOLERANCE` worse) and per letter (at
  most ``max_letter_drop``).

Letter readers learn from collected letters; the syllable reader (:mod:`ml.jobs.syllable_retrain`)
from the blocks of collected syllables and words, judged the same way on its own sets. A family
given collected samples from fewer than two learners (or none) is not trained, and the report's
``skipped`` says why: there would be no learner to judge by; when no family is left the retrain
trains nothing (``refused``). One given no samples file (``hangul-ml retrain`` without a
database: new base data) is judged on the fixed set alone and must beat it overall. Either way
the report (data counts, before/after per set and per letter, the decision) is written next to
the candidate in the registry, with a confusion-matrix image for letter readers.

Only one retrain runs at a time per registry (an exclusive lock file). Progress goes to a
callback, which :mod:`ml.jobs.retrain_job` writes to a status file for whoever submitted the job.
Collected samples arrive as plain arrays in ``.npz`` files
(:func:`ml.jobs.retrain_job.write_samples`), which the process that owns the database writes
before it submits the job.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from ml.evaluation.evaluate import Report
from ml.evaluation.plots import plot_confusion
from ml.evaluation.quality import read_letters, score, score_readings
from ml.jobs.gate import Decision, settle
from ml.jobs.retrain_job import (
    CONFIG_FILE,
    CONFUSION_FILE,
    JobState,
    RetrainConfig,
    read_samples,
    write_status,
)
from ml.jobs.syllable_retrain import (
    SyllableRetrain,
    block_counts,
    fixed_blocks,
    load_blocks,
    retrain_syllable_reader,
)
from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.registry import ModelVersion, Registry
from ml.reading.syllables import is_syllable_model
from ml.training.collected import (
    MIN_LEARNERS,
    CollectedLetters,
    collected_letters,
    cross_fit,
    learner_folds,
    no_samples,
    weigh,
)
from ml.training.collected_blocks import CollectedBlocks
from ml.training.data import LetterSet, empty_set
from ml.training.pipeline import train_and_save
from ml.training.recipe import TrainingData, assemble, held_out_fonts, load_real
from ml.training.synth import font_letters, stroke_letters
from ml.training.train import TrainConfig
from ml.writing.fonts import use_extra_font_dirs
from ml.writing.held_out import HELD_OUT_SEED

log = logging.getLogger(__name__)

LOCK_FILE = "retrain.lock"

Progress = Callable[[str, float], None]
"""``progress(message, fraction_done)``."""


class RetrainBusy(RuntimeError):
    """Another retrain holds the registry's lock."""


@contextmanager
def exclusive(registry: Registry) -> Iterator[None]:
    """Hold the registry's retrain lock, or raise :class:`RetrainBusy`."""
    registry.root.mkdir(parents=True, exist_ok=True)
    with open(registry.root / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RetrainBusy("a retrain is already running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_samples(path: str | Path | None) -> CollectedLetters:
    """The collected letters of an export file, with their learners; ``skipped`` adds those the
    export left out as corrupt. None without a file."""
    if path is None:
        return no_samples()
    stored = read_samples(path)
    collected = collected_letters(stored.ids, stored.images, stored.labels, stored.learners)
    return replace(collected, skipped=collected.skipped + stored.skipped)


def refusal(samples: str | None, learners: int) -> str | None:
    """Why a retrain given a file of collected ``samples`` from ``learners`` learners cannot be
    judged fairly, or None if it can (or was given no file: new base data)."""
    if samples is None:
        return None
    if learners == 0:
        return "no collected pictures to learn from"
    if learners < MIN_LEARNERS:
        return (
            f"pictures from only one learner: a retrain needs at least {MIN_LEARNERS} learners, "
            "some to learn from and one to judge by"
        )
    return None


def fixed_set(per_letter: int) -> LetterSet:
    """The fixed evaluation set (see the module docstring)."""
    half = per_letter // 2
    writers = stroke_letters(per_letter - half, LETTERS, seed=HELD_OUT_SEED)
    fonts = font_letters(held_out_fonts(), half, LETTERS, seed=HELD_OUT_SEED)
    return LetterSet.concat([writers, fonts])


@dataclass
class Families:
    """The models a retrain was asked for, letter and syllable readers, and why a family is left
    out (too few learners to judge it by)."""

    letters: list[str]
    syllables: list[str]
    skipped: dict[str, str]

    @classmethod
    def of(
        cls, config: RetrainConfig, letters: CollectedLetters, blocks: CollectedBlocks
    ) -> Families:
        asked = {
            "letters": [m for m in config.models if not is_syllable_model(m)],
            "syllables": [m for m in config.models if is_syllable_model(m)],
        }
        learners = {
            "letters": (config.samples, letters.learner_count),
            "syllables": (config.block_samples, blocks.learner_count),
        }
        skipped = {
            family: why
            for family, names in asked.items()
            if names and (why := refusal(*learners[family]))
        }
        kept = {family: names if family not in skipped else [] for family, names in asked.items()}
        return cls(kept["letters"], kept["syllables"], skipped)

    @property
    def models(self) -> list[str]:
        return self.letters + self.syllables

    def refused(self) -> str | None:
        """Why nothing is trained, or None when some model is."""
        if self.models:
            return None
        if len(self.skipped) == 1:
            [why] = self.skipped.values()
        else:
            why = "; ".join(f"{family}: {reason}" for family, reason in self.skipped.items())
        return f"{why}, so nothing was trained"


def retrain(
    config: RetrainConfig,
    registry: Registry,
    progress: Progress = lambda message, done: None,
) -> dict:
    """Run a whole retrain (see the module docstring) and return its report."""
    with exclusive(registry):
        progress("gathering data", 0.0)
        letters = load_samples(config.samples)
        blocks = load_blocks(config.block_samples)
        families = Families.of(config, letters, blocks)
        counts = {
            "collected_for_training": len(letters.samples),
            "learners_for_training": letters.learner_count,
            "judging_folds": len(learner_folds(letters.learners)),
            "collected_skipped_corrupt": letters.skipped,
        }
        report = {
            "data": counts,
            "syllable_data": block_counts(blocks),
            "skipped": families.skipped,
            "samples_used": [],
            "models": [],
            "promoted": False,
            "refused": families.refused(),
        }
        if report["refused"]:
            progress(report["refused"], 1.0)
            return report
        decisions: list[Decision] = []
        steps = Steps(progress, len(families.models))
        if families.letters:
            train_letters = _letter_reader_training(config, registry, letters, counts)
            decisions += steps.each(
                families.letters, lambda name: train_letters(name, steps.about(name))
            )
            report["samples_used"] += letters.ids
        if families.syllables:
            job = SyllableRetrain(config, blocks, fixed_blocks(config.fixed_syllables_every))

            def train_syllables(name: str) -> Decision:
                data = report["syllable_data"]
                return retrain_syllable_reader(name, job, registry, data, steps.about(name))

            decisions += steps.each(families.syllables, train_syllables)
            report["samples_used"] += blocks.ids
        report["models"] = [asdict(d) for d in decisions]
        report["promoted"] = any(d.promoted for d in decisions)
        progress("done", 1.0)
        return report


@dataclass
class Steps:
    """Progress through a retrain's ``total`` models, one step each; ``done`` so far."""

    progress: Progress
    total: int
    done: int = 0

    def each(self, names: list[str], train: Callable[[str], Decision]) -> list[Decision]:
        """``train`` each of ``names``, saying so."""
        decisions = []
        for name in names:
            self.say(f"training {name}")
            decisions.append(train(name))
            self.done += 1
            self.say(f"{name}: {decisions[-1].reason}")
        return decisions

    def say(self, message: str) -> None:
        """Report ``message`` with the share of the models done."""
        self.progress(message, self.done / self.total)

    def about(self, name: str) -> Callable[[str], None]:
        """:meth:`say` for one model's own messages while it trains, named after it."""
        return lambda message: self.say(f"{name}: {message}")


@dataclass(frozen=True)
class LetterRetrain:
    """One retrain's letter readers: the base data, the collected letters and the fixed set."""

    config: RetrainConfig
    base: TrainingData
    collected: CollectedLetters
    fixed: LetterSet

    def training(self, samples: LetterSet) -> TrainingData:
        """The base data plus ``samples`` weighted to their share."""
        weighted = weigh(samples, len(self.base.data), self.config.collected_share)
        return TrainingData(LetterSet.concat([self.base.data, weighted]), self.base.summary)

    def fit(
        self, current: ModelVersion, training: TrainingData, out: Path, notes: dict
    ) -> ModelVersion:
        """A reader trained on ``training`` (from ``current``'s weights when fine-tuning),
        written to ``out`` with ``notes`` in its metadata."""
        config = self.config
        train_config = TrainConfig(current.name, epochs=config.epochs, seed=config.seed)
        initial = None
        if config.fine_tune:
            train_config.lr, initial = config.fine_tune_lr, current.torch_path
            train_config.distillation = config.distillation
        saved = train_and_save(
            training, train_config, out, initial_weights=initial, data_notes=notes
        )
        return ModelVersion(current.name, out.name, saved.path)


def cross_fitted(
    job: LetterRetrain,
    current: ModelVersion,
    folds: list[np.ndarray],
    say: Callable[[str], None] = lambda message: None,
) -> Report:
    """How the collected letters are read, each fold by a reader trained without it (see the
    module docstring); ``say`` hears which reader is being trained."""
    samples = job.collected.samples

    def read_without(fold: np.ndarray) -> list[str | None]:
        with tempfile.TemporaryDirectory() as folder:
            training = job.training(samples.subset(~fold))
            judge = job.fit(current, training, Path(folder) / current.name, {})
            return read_letters(Classifier.open(judge), samples.subset(fold))

    read = cross_fit(folds, read_without, say)
    return score_readings(f"{current.name}:cross-fitted", read, samples)


def _letter_reader_training(
    config: RetrainConfig, registry: Registry, collected: CollectedLetters, counts: dict
) -> Callable[[str, Callable[[str], None]], Decision]:
    """Assemble the letter readers' base data once (``counts`` is updated with it); the function
    that trains, judges and maybe promotes one letter reader on it, telling ``say`` (its second
    argument) each training it begins."""
    real = load_real(config.real_folders) if config.real_folders else empty_set()
    job = LetterRetrain(
        config,
        assemble(real, config.synthetic_per_letter, seed=config.seed),
        collected,
        fixed_set(config.held_out_per_letter),
    )
    training = job.training(collected.samples)
    counts |= {
        "real_images": len(real),
        "collected_copies_in_training": len(training.data) - len(job.base.data),
        "training_images": len(training.data),
        "held_out_images": len(job.fixed),
    }
    return lambda name, say: _retrain_one(name, job, training, registry, counts, say)


def _retrain_one(
    name: str,
    job: LetterRetrain,
    training: TrainingData,
    registry: Registry,
    counts: dict,
    say: Callable[[str], None],
) -> Decision:
    """Train one candidate letter reader on all the collected letters, judge it (the learners'
    pictures by readers trained without them, the fixed set by the candidate), save it in the
    registry and promote it if it is better; ``say`` hears each training begin."""
    current = registry.current(name)
    old = Classifier.open(current)
    learners = None
    if folds := learner_folds(job.collected.learners):
        learners = score(old, job.collected.samples), cross_fitted(job, current, folds, say)
    say("training the candidate on all the pictures")
    notes = {**counts, "collected_sample_ids": job.collected.ids}
    with tempfile.TemporaryDirectory() as folder:
        trained = job.fit(current, training, Path(folder) / name, notes)
        candidate = registry.add(name, trained.path)
    new = Classifier.open(candidate)
    fixed = score(old, job.fixed), score(new, job.fixed)
    decision = settle(
        registry, current, candidate, fixed, learners, job.config.max_letter_drop, counts
    )
    title = f"{name} {candidate.version}"
    plot_confusion(fixed[1].confusion, candidate.path / CONFUSION_FILE, title)
    return decision


def run(folder: Path) -> int:
    """The job process: run the retrain described in ``folder`` and record how it went."""
    config = RetrainConfig(**json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8")))
    registry = Registry(folder.parent.parent)
    use_extra_font_dirs(config.font_dirs)
    write_status(folder, state=JobState.RUNNING, pid=os.getpid(), host=socket.gethostname())

    def progress(message: str, done: float) -> None:
        log.info("%3.0f%% %s", 100 * done, message)
        write_status(folder, progress=round(done, 3), message=message)

    try:
        report = retrain(config, registry, progress)
    except Exception as error:
        log.exception("retrain failed")
        write_status(folder, state=JobState.FAILED, error=f"{error.__class__.__name__}: {error}")
        return 1
    if report["promoted"] and config.update_worker:
        _update_worker(registry)
    write_status(folder, state=JobState.SUCCEEDED, report=report)
    return 0


def _update_worker(registry: Registry) -> None:
    """Switch the model worker of the cluster this job runs on to the new versions (a worker that
    is not running is no error: it loads the current versions when it starts)."""
    try:
        from ml.jobs import worker

        log.info("worker now serves %s", worker.update_versions(registry.root, address="auto"))
    except Exception:
        log.warning("could not update the model worker: it serves the old ones", exc_info=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    raise SystemExit(run(Path(sys.argv[1])))
