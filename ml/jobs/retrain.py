"""Retraining: train candidate models on the base data plus the learners' collected samples,
judge each against the model it would replace, and promote it only if it is better.

Collected samples are split by learner (:mod:`ml.training.collected`): a few learners' pictures
are held out to judge by, the rest are weighted to a fixed share of the training set. A candidate
is judged on two sets and the report gives both, before and after:

- **the held-out learners' pictures**: it must read them strictly better than the current model;
- **the fixed held-out set**, which never changes between runs and is never trained on (stroke-
  drawn letters by held-out writers, seed :data:`ml.evaluation.quality.HELD_OUT_STROKE_SEED`, and
  renderings in the held-out fonts, all 40 letters): a guard against regression, overall (at most
  :data:`FIXED_SET_TOLERANCE` worse) and per letter (at most ``max_letter_drop``).

A retrain given collected samples from fewer than two learners (or none) trains nothing and says
why: there would be no learner to judge by. One given no samples file (``hangul-ml retrain``
without a database: new base data) is judged on the fixed set alone and must beat it overall.
Either way the report (data counts, before/after per set and per letter, the decision) is written
next to the candidate in the registry, with a confusion-matrix image.

Only one retrain runs at a time per registry (an exclusive lock file). Progress goes to a
callback, which :mod:`ml.jobs.retrain_job` writes to a status file for whoever submitted the job.
Collected samples arrive as plain arrays in an ``.npz`` file
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

from ml.evaluation.evaluate import Report
from ml.evaluation.plots import plot_confusion
from ml.evaluation.quality import HELD_OUT_STROKE_SEED, score
from ml.jobs.retrain_job import (
    CONFIG_FILE,
    CONFUSION_FILE,
    REPORT_FILE,
    JobState,
    RetrainConfig,
    read_samples,
    write_status,
)
from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.registry import Registry
from ml.training.collected import (
    MIN_LEARNERS,
    LearnerSplit,
    no_samples,
    split_by_learner,
    weigh,
)
from ml.training.data import LetterSet, empty_set
from ml.training.pipeline import train_and_save
from ml.training.recipe import TrainingData, assemble, held_out_fonts, load_real
from ml.training.synth import font_letters, stroke_letters
from ml.training.train import TrainConfig
from ml.writing.fonts import use_extra_font_dirs

log = logging.getLogger(__name__)

FIXED_SET_TOLERANCE = 0.005
"""A candidate judged on learners' pictures may read the fixed held-out set this much worse
overall (sampling noise), no more."""
LOCK_FILE = "retrain.lock"

Progress = Callable[[str, float], None]
"""``progress(message, fraction_done)``."""


class RetrainBusy(RuntimeError):
    """Another retrain holds the registry's lock."""


@dataclass
class Decision:
    """One model's comparison and what was decided: ``before``/``after`` on the fixed held-out
    set, ``learners_before``/``learners_after`` on the held-out learners' pictures (None when the
    retrain had no collected samples)."""

    name: str
    before_version: str
    after_version: str | None
    before: dict
    after: dict
    learners_before: dict | None
    learners_after: dict | None
    worst_letter_drop: float
    promoted: bool
    reason: str


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


def load_samples(path: str | Path | None) -> LearnerSplit:
    """Collected samples split by learner (:func:`ml.training.collected.split_by_learner`); the
    split's ``skipped`` adds those the export left out as corrupt."""
    if path is None:
        return no_samples()
    stored = read_samples(path)
    split = split_by_learner(stored.ids, stored.images, stored.labels, stored.learners)
    return replace(split, skipped=split.skipped + stored.skipped)


def refusal(config: RetrainConfig, split: LearnerSplit) -> str | None:
    """Why a retrain given collected samples cannot be judged fairly, or None if it can."""
    if config.samples is None:
        return None
    learners = split.training_learners + split.held_out_learners
    if learners == 0:
        return "no collected pictures to learn from, so nothing was trained"
    if learners < MIN_LEARNERS:
        return (
            f"pictures from only one learner: a retrain needs at least {MIN_LEARNERS} learners, "
            "some to learn from and one to judge by, so nothing was trained"
        )
    return None


def fixed_set(per_letter: int) -> LetterSet:
    """The fixed evaluation set (see the module docstring)."""
    half = per_letter // 2
    writers = stroke_letters(per_letter - half, LETTERS, seed=HELD_OUT_STROKE_SEED)
    fonts = font_letters(held_out_fonts(), half, LETTERS, seed=HELD_OUT_STROKE_SEED)
    return LetterSet.concat([writers, fonts])


def worst_drop(before: Report, after: Report) -> tuple[str, float]:
    """The letter whose accuracy fell most from ``before`` to ``after``, and by how much."""
    drops = {x: before.per_letter[x] - after.per_letter.get(x, 0.0) for x in before.per_letter}
    return max(drops.items(), key=lambda item: item[1])


def compare(before: Report, after: Report, max_drop: float) -> tuple[bool, float, str]:
    """Whether ``after`` should replace ``before`` judged on one set; the worst per-letter drop;
    why."""
    letter, worst = worst_drop(before, after)
    if after.accuracy <= before.accuracy:
        return False, worst, f"not better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"
    if worst > max_drop:
        return False, worst, f"{letter} fell by {worst:.1%} (more than {max_drop:.0%})"
    return True, worst, f"better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"


def judge(
    learners: tuple[Report, Report], fixed: tuple[Report, Report], max_drop: float
) -> tuple[bool, float, str]:
    """Whether a candidate should replace the current model: strictly better on the held-out
    learners' pictures, and on the fixed set at most :data:`FIXED_SET_TOLERANCE` worse overall
    and ``max_drop`` worse on any letter. Each pair is (current, candidate)."""
    (learners_before, learners_after), (fixed_before, fixed_after) = learners, fixed
    letter, worst = worst_drop(fixed_before, fixed_after)
    on_learners = f"{learners_before.accuracy:.1%} → {learners_after.accuracy:.1%}"
    on_fixed = f"{fixed_before.accuracy:.2%} → {fixed_after.accuracy:.2%}"
    if learners_after.accuracy <= learners_before.accuracy:
        return False, worst, f"not better on the held-out learners' pictures ({on_learners})"
    if fixed_after.accuracy < fixed_before.accuracy - FIXED_SET_TOLERANCE:
        return False, worst, f"worse on the fixed held-out set ({on_fixed})"
    if worst > max_drop:
        return False, worst, f"{letter} fell by {worst:.1%} on the fixed held-out set"
    better = f"better on the held-out learners' pictures ({on_learners}; fixed set {on_fixed})"
    return True, worst, better


def _figures(report: Report) -> dict:
    return {"accuracy": round(report.accuracy, 4), "n": report.n, "per_letter": report.per_letter}


@dataclass(frozen=True)
class Evaluation:
    """What a candidate is judged on: the fixed held-out set, and the held-out learners' pictures
    (empty when the retrain had no collected samples)."""

    fixed: LetterSet
    learners: LetterSet


def retrain(
    config: RetrainConfig,
    registry: Registry,
    progress: Progress = lambda message, done: None,
) -> dict:
    """Run a whole retrain (see the module docstring) and return its report."""
    with exclusive(registry):
        progress("gathering data", 0.0)
        split = load_samples(config.samples)
        counts = {
            "collected_for_training": len(split.training),
            "learners_for_training": split.training_learners,
            "collected_held_out": len(split.held_out),
            "learners_held_out": split.held_out_learners,
            "collected_skipped_corrupt": split.skipped,
        }
        refused = refusal(config, split)
        if refused:
            progress(refused, 1.0)
            return {
                "data": counts,
                "samples_used": [],
                "models": [],
                "promoted": False,
                "refused": refused,
            }
        real = load_real(config.real_folders) if config.real_folders else empty_set()
        recipe = assemble(real, config.synthetic_per_letter, seed=config.seed)
        weighted = weigh(split.training, len(recipe.data), config.collected_share)
        recipe.data = LetterSet.concat([recipe.data, weighted])
        sets = Evaluation(fixed_set(config.held_out_per_letter), split.held_out)
        counts |= {
            "real_images": len(real),
            "collected_copies_in_training": len(weighted),
            "training_images": len(recipe.data),
            "held_out_images": len(sets.fixed),
        }
        decisions = []
        for n, name in enumerate(config.models):
            step = 1.0 / len(config.models)
            progress(f"training {name}", n * step)
            decisions.append(
                _retrain_one(name, config, registry, recipe, sets, counts, split.training_ids)
            )
            progress(f"{name}: {decisions[-1].reason}", (n + 1) * step)
        report = {
            "data": counts,
            "samples_used": split.training_ids,
            "models": [asdict(d) for d in decisions],
            "promoted": any(d.promoted for d in decisions),
            "refused": None,
        }
        progress("done", 1.0)
        return report


def _retrain_one(
    name: str,
    config: RetrainConfig,
    registry: Registry,
    recipe: TrainingData,
    sets: Evaluation,
    counts: dict,
    used_ids: list[int],
) -> Decision:
    """Train one candidate, save it in the registry, judge it, promote it if it is better."""
    current = registry.current(name)
    train_config = TrainConfig(architecture=name, epochs=config.epochs, seed=config.seed)
    initial = None
    if config.fine_tune:
        train_config.lr, initial = config.fine_tune_lr, current.torch_path
        train_config.distillation = config.distillation
    with tempfile.TemporaryDirectory() as folder:
        saved = train_and_save(
            recipe,
            train_config,
            Path(folder) / name,
            initial_weights=initial,
            data_notes={**counts, "collected_sample_ids": used_ids},
        )
        candidate = registry.add(name, saved.path)
    old, new = Classifier.open(current), Classifier.open(candidate)
    fixed = score(old, sets.fixed), score(new, sets.fixed)
    learners = None
    if len(sets.learners):
        learners = score(old, sets.learners), score(new, sets.learners)
    if learners:
        promoted, worst, reason = judge(learners, fixed, config.max_letter_drop)
    else:
        promoted, worst, reason = compare(*fixed, config.max_letter_drop)
    decision = Decision(
        name,
        current.version,
        candidate.version,
        _figures(fixed[0]),
        _figures(fixed[1]),
        _figures(learners[0]) if learners else None,
        _figures(learners[1]) if learners else None,
        round(worst, 4),
        promoted,
        reason,
    )
    (candidate.path / REPORT_FILE).write_text(
        json.dumps({"data": counts, **asdict(decision)}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    title = f"{name} {candidate.version}"
    plot_confusion(fixed[1].confusion, candidate.path / CONFUSION_FILE, title)
    if promoted:
        registry.promote(name, candidate.version)
        log.info("promoted %s %s: %s", name, candidate.version, reason)
    else:
        log.info("kept %s %s: %s", name, current.version, reason)
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
