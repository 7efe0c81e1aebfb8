"""Retraining: train candidate models on the base data plus collected samples, compare each with
the model it would replace on a fixed held-out set, and promote it only if it is better.

The held-out set never changes between runs and is never trained on: stroke-drawn letters by
held-out writers (seed :data:`ml.evaluation.quality.HELD_OUT_STROKE_SEED`) and renderings in the
held-out fonts, for all 40 letters, plus the collected samples whose id falls in the held-out slice
(``id % HELD_OUT_EVERY == 0``). A candidate is promoted when its overall accuracy there beats the
current model's and no letter falls by more than ``max_letter_drop``. Either way the report (data
counts, before/after overall and per letter, the decision) is written next to the candidate in the
registry, with a confusion-matrix image.

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
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

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
from ml.reading.alphabet import LETTERS, index_of
from ml.reading.classifier import Classifier
from ml.reading.registry import Registry
from ml.training.data import LetterSet, empty_set
from ml.training.pipeline import train_and_save
from ml.training.recipe import TrainingData, assemble, held_out_fonts, load_real
from ml.training.synth import font_letters, stroke_letters
from ml.training.train import TrainConfig
from ml.writing.fonts import use_extra_font_dirs

log = logging.getLogger(__name__)

HELD_OUT_EVERY = 5
"""Collected samples with ``id % HELD_OUT_EVERY == 0`` are kept for evaluation, never trained on."""
LOCK_FILE = "retrain.lock"

Progress = Callable[[str, float], None]
"""``progress(message, fraction_done)``."""


class RetrainBusy(RuntimeError):
    """Another retrain holds the registry's lock."""


@dataclass
class Decision:
    """One model's comparison and what was decided."""

    name: str
    before_version: str
    after_version: str | None
    before: dict
    after: dict
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


def load_samples(path: str | Path | None) -> tuple[LetterSet, LetterSet, list[int], int]:
    """Collected samples split into (training, held-out) sets, the training ids, and how many
    were skipped as corrupt (by the export, or here: a label that is not one of the letters)."""
    if path is None:
        return empty_set(), empty_set(), [], 0
    ids, images, labels, skipped = read_samples(path)
    known = np.array([label in LETTERS for label in labels], bool)
    skipped += int((~known).sum())
    ids = ids[known]
    samples = LetterSet(
        images[known],
        np.array([index_of(x) for x in labels[known]], np.int64),
        np.array(["learners"] * len(ids)),
        [f"sample:{i}" for i in ids],
    )
    held_out = ids % HELD_OUT_EVERY == 0
    return samples.subset(~held_out), samples.subset(held_out), ids[~held_out].tolist(), skipped


def held_out_set(per_letter: int, collected: LetterSet) -> LetterSet:
    """The fixed evaluation set (see the module docstring)."""
    half = per_letter // 2
    writers = stroke_letters(per_letter - half, LETTERS, seed=HELD_OUT_STROKE_SEED)
    fonts = font_letters(held_out_fonts(), half, LETTERS, seed=HELD_OUT_STROKE_SEED)
    return LetterSet.concat([writers, fonts, collected])


def compare(before: Report, after: Report, max_drop: float) -> tuple[bool, float, str]:
    """Whether ``after`` should replace ``before``; the worst per-letter drop; why."""
    drops = {x: before.per_letter[x] - after.per_letter.get(x, 0.0) for x in before.per_letter}
    letter, worst = max(drops.items(), key=lambda item: item[1])
    if after.accuracy <= before.accuracy:
        return False, worst, f"not better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"
    if worst > max_drop:
        return False, worst, f"{letter} fell by {worst:.1%} (more than {max_drop:.0%})"
    return True, worst, f"better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"


def _figures(report: Report) -> dict:
    return {"accuracy": round(report.accuracy, 4), "n": report.n, "per_letter": report.per_letter}


def retrain(
    config: RetrainConfig,
    registry: Registry,
    progress: Progress = lambda message, done: None,
) -> dict:
    """Run a whole retrain (see the module docstring) and return its report."""
    with exclusive(registry):
        progress("gathering data", 0.0)
        real = load_real(config.real_folders) if config.real_folders else empty_set()
        collected, collected_held_out, used_ids, skipped = load_samples(config.samples)
        recipe = assemble(
            LetterSet.concat([real, collected]), config.synthetic_per_letter, seed=config.seed
        )
        evaluation = held_out_set(config.held_out_per_letter, collected_held_out)
        counts = {
            "real_images": len(real),
            "collected_for_training": len(collected),
            "collected_held_out": len(collected_held_out),
            "collected_skipped_corrupt": skipped,
            "training_images": len(recipe.data),
            "held_out_images": len(evaluation),
        }
        decisions = []
        for n, name in enumerate(config.models):
            step = 1.0 / len(config.models)
            progress(f"training {name}", n * step)
            decisions.append(
                _retrain_one(name, config, registry, recipe, evaluation, counts, used_ids)
            )
            progress(f"{name}: {decisions[-1].reason}", (n + 1) * step)
        report = {
            "data": counts,
            "samples_used": used_ids,
            "models": [asdict(d) for d in decisions],
            "promoted": any(d.promoted for d in decisions),
        }
        progress("done", 1.0)
        return report


def _retrain_one(
    name: str,
    config: RetrainConfig,
    registry: Registry,
    recipe: TrainingData,
    evaluation: LetterSet,
    counts: dict,
    used_ids: list[int],
) -> Decision:
    """Train one candidate, save it in the registry, compare, promote if it is better."""
    current = registry.current(name)
    train_config = TrainConfig(architecture=name, epochs=config.epochs, seed=config.seed)
    initial = None
    if config.fine_tune:
        train_config.lr, initial = config.fine_tune_lr, current.torch_path
    with tempfile.TemporaryDirectory() as folder:
        saved = train_and_save(
            recipe,
            train_config,
            Path(folder) / name,
            initial_weights=initial,
            data_notes={**counts, "collected_sample_ids": used_ids},
        )
        candidate = registry.add(name, saved.path)
    before = score(Classifier.open(current), evaluation)
    after = score(Classifier.open(candidate), evaluation)
    promoted, worst, reason = compare(before, after, config.max_letter_drop)
    decision = Decision(
        name,
        current.version,
        candidate.version,
        _figures(before),
        _figures(after),
        round(worst, 4),
        promoted,
        reason,
    )
    (candidate.path / REPORT_FILE).write_text(
        json.dumps({"data": counts, **asdict(decision)}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    plot_confusion(after.confusion, candidate.path / CONFUSION_FILE, f"{name} {candidate.version}")
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
