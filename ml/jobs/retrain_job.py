"""A retrain as a job: submitted to a background process, watched through a status file.

Each job has a folder under ``<registry>/jobs/<job id>/`` holding ``config.json``, ``status.json``
(``state``: a :class:`JobState`; ``progress`` 0–1; ``message``; ``report`` when done; ``error``
when failed). The job runs ``python -m ml.jobs.retrain FOLDER`` (:func:`ml.jobs.retrain.run`),
which finds the registry two folders up:

- on a Ray cluster when one is configured (:class:`ml.jobs.ray_jobs.RayCluster`), as a Ray job
  (its log is the Ray job's), on a node with ``gpus`` free GPUs when above 0; after a promotion
  it switches the cluster's model worker to the new versions. The registry must be the same path
  on the submitter and the cluster's nodes (a shared volume), and so must the base data folders;
- else as a local background process, logging to ``log.txt`` in the job's folder.

A job that ended without finishing (killed, stopped, out of memory) reads as failed; the current
models are untouched, since promotion is its last step.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import numpy as np

from ml.jobs.ray_jobs import ENDED, NO_CLUSTER, RayCluster, RayJobsError
from ml.reading.registry import Registry
from ml.training.collected import COLLECTED_SHARE

log = logging.getLogger(__name__)

LETTER_MODELS = ("lenet", "mlp")
SYLLABLE_MODELS = ("syllable-lenet",)
MODEL_NAMES = LETTER_MODELS + SYLLABLE_MODELS
"""What a retrain trains unless told otherwise: both letter readers and the syllable reader."""
FINE_TUNE_EPOCHS = 6
FINE_TUNE_LR = 5e-4
"""Peak learning rate of a fine-tuning retrain, chosen on the flywheel's tuning learners
(``hangul-bot flywheel --tuning --models lenet --lr X``; other learners and ordinary writers
than those reported): 2e-3 gained the style 25.9 points with a largest ordinary-letter drop of
1.0, 1e-3 30.5 and 1.0, 5e-4 30.0 and 0.5."""
DISTILLATION = 1.0
SCRATCH_EPOCHS = 30
MAX_LETTER_DROP = 0.05
"""A candidate may not read any letter more than this much worse than the current model."""
STATUS_FILE = "status.json"
REPORT_FILE = "retrain_report.json"
CONFUSION_FILE = "retrain_confusion.png"
"""Written next to each candidate in the registry (``<model>/<version>/``)."""
STATUS_LOCK = "status.lock"
CONFIG_FILE = "config.json"
JOBS_FOLDER = "jobs"


class JobState(StrEnum):
    """Where a retrain job is."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


@dataclass
class RetrainConfig:
    """What a retrain trains on and how it decides (see :mod:`ml.jobs.retrain`)."""

    real_folders: list[str] = field(default_factory=list)
    samples: str | None = None
    """Collected letters (:func:`write_samples`); None: no collected samples."""
    block_samples: str | None = None
    """Collected syllable blocks of syllables and words (:func:`write_samples`)."""
    synthetic_per_letter: int = 300
    synthetic_syllables: int = 1000
    """Syllables drawn for a syllable reader's synthetic base data (4 pictures each, with
    letters and junk for its kind head)."""
    fixed_syllables_every: int = 5
    """A syllable reader's fixed held-out set takes every this-many-th everyday syllable."""
    epochs: int = FINE_TUNE_EPOCHS
    held_out_per_letter: int = 100
    max_letter_drop: float = MAX_LETTER_DROP
    models: Sequence[str] = MODEL_NAMES
    seed: int = 0
    fine_tune: bool = True
    """Start each candidate from the current model's weights (at ``fine_tune_lr``); False trains
    from scratch (give it ``SCRATCH_EPOCHS``). Fine-tuning is ~5x faster and moves the letters
    the new samples do not touch less (``hangul-bot flywheel``, README)."""
    fine_tune_lr: float = FINE_TUNE_LR
    distillation: float = DISTILLATION
    """When fine-tuning: how strongly a candidate keeps the current model's outputs on the images
    that model reads right (:attr:`ml.training.train.TrainConfig.distillation`)."""
    collected_share: float = COLLECTED_SHARE
    """Share of the training set the collected training pictures are weighted to."""
    requested_by: str | None = None
    """Who asked (``platform:id``), to be told how it goes; None from the command line."""
    font_dirs: list[str] = field(default_factory=list)
    """Font folders besides the system's, for the synthetic letters."""
    update_worker: bool = False
    """Switch the Ray cluster's model worker to the versions promoted (set when the job runs on
    the cluster)."""


def default_epochs(fine_tune: bool) -> int:
    """Epochs for a retrain that gives none: fewer when it fine-tunes the current model."""
    return FINE_TUNE_EPOCHS if fine_tune else SCRATCH_EPOCHS


@dataclass(frozen=True)
class CollectedSamples:
    """Learners' samples for a retrain: ``ids`` (N,), ``images`` uint8 (N, side, side) with ink
    = 255 (letters 28x28; syllable blocks 32x32, a word's blocks sharing its id), ``labels`` (N,)
    one letter or syllable each, ``learners`` (N,) an opaque key per learner (who wrote what, so
    that whole learners can be held out), ``skipped``: stored samples left out as corrupt."""

    ids: np.ndarray
    images: np.ndarray
    labels: np.ndarray
    learners: np.ndarray
    skipped: int = 0


def write_samples(
    path: Path | str,
    *,
    ids: np.ndarray,
    images: np.ndarray,
    labels: np.ndarray,
    learners: np.ndarray,
    skipped: int = 0,
) -> None:
    """Write collected samples for a retrain (``RetrainConfig.samples``; see
    :class:`CollectedSamples`)."""
    np.savez_compressed(
        path,
        ids=np.asarray(ids, np.int64),
        images=np.asarray(images, np.uint8),
        labels=np.asarray(labels, dtype="<U1"),
        learners=np.asarray(learners, np.int64),
        skipped=skipped,
    )


def read_samples(path: Path | str) -> CollectedSamples:
    """What :func:`write_samples` wrote."""
    stored = np.load(path, allow_pickle=False)
    ids = stored["ids"].astype(np.int64)
    return CollectedSamples(
        ids=ids,
        images=stored["images"].astype(np.uint8),
        labels=stored["labels"],
        learners=stored["learners"].astype(np.int64) if "learners" in stored else ids,
        skipped=int(stored["skipped"]) if "skipped" in stored else 0,
    )


def jobs_root(registry: Registry) -> Path:
    return registry.root / JOBS_FOLDER


def latest_job(registry: Registry) -> Path | None:
    """The folder of the job submitted last, or None if none ever was."""
    jobs = jobs_root(registry)
    newest = max(jobs.glob(f"*/{STATUS_FILE}"), default=None) if jobs.is_dir() else None
    return newest.parent if newest else None


def write_status(folder: Path, **status) -> None:
    """Merge ``status`` into the status file (the submitter and the job both write it)."""
    path = folder / STATUS_FILE
    with open(folder / STATUS_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        current.update(status, updated=datetime.now(UTC).isoformat(timespec="seconds"))
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)


def submit(
    config: RetrainConfig,
    registry: Registry,
    cluster: RayCluster = NO_CLUSTER,
    gpus: float = 0.0,
) -> Path:
    """Start a retrain as a Ray job (when ``cluster`` is configured, on a node with ``gpus`` free
    GPUs) or a background process; returns the job's folder. Raises
    :class:`ml.jobs.ray_jobs.RayJobsError` (the job marked failed) when the cluster refuses it."""
    job_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = jobs_root(registry) / job_id
    folder.mkdir(parents=True)
    config = RetrainConfig(**{**asdict(config), "update_worker": cluster.configured})
    (folder / CONFIG_FILE).write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    write_status(folder, state=JobState.QUEUED, progress=0.0, message="queued")
    if cluster.configured:
        _submit_to_ray(folder, cluster, gpus)
    else:
        _start_process(folder)
    return folder


def _submit_to_ray(folder: Path, cluster: RayCluster, gpus: float) -> None:
    command = f"python -m ml.jobs.retrain {shlex.quote(str(folder))}"
    try:
        job = cluster.submit(command, f"hangul-retrain-{folder.name}", num_gpus=gpus)
    except RayJobsError as error:
        write_status(folder, state=JobState.FAILED, error=str(error))
        raise
    write_status(folder, ray_job=job)
    log.info("retrain job %s submitted to Ray as %s", folder.name, job)


def _start_process(folder: Path) -> None:
    with open(folder / "log.txt", "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "ml.jobs.retrain", str(folder)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    write_status(folder, pid=process.pid, host=socket.gethostname())
    log.info("retrain job %s started (pid %d)", folder.name, process.pid)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)  # reap our own child if it ended
        return finished == 0
    except ChildProcessError:  # not our child: ask the kernel whether it exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # it exists, under another user
            return True
        return True


def _read_status(folder: Path) -> dict:
    return json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))


def status(folder: Path, cluster: RayCluster = NO_CLUSTER) -> dict:
    """The job's status; a job that ended without finishing is marked failed (a Ray job is asked
    after on ``cluster``)."""
    current = _read_status(folder)
    if current["state"] in FINISHED:
        return current
    ended = _ended_without_finishing(current, cluster)
    if ended is None:
        return current
    current = _read_status(folder)  # it may have finished since it was read
    if current["state"] not in FINISHED:
        write_status(folder, state=JobState.FAILED, error=ended)
        current = _read_status(folder)
    return current


def _ended_without_finishing(current: dict, cluster: RayCluster) -> str | None:
    """Why an unfinished job is over (its Ray job ended, its process is gone), or None while it
    may still run. A local process is checked only on the machine that runs it, and a Ray job
    only while the job API answers: otherwise the status file is all there is. A job still being
    started (neither its Ray job nor its process recorded yet) may still run."""
    if current.get("ray_job"):
        try:
            details = cluster.state(current["ray_job"])
        except RayJobsError:
            return None
        if details.get("status") not in ENDED:
            return None
        ended = f"{details['status']}: {details.get('message')}"
        return f"the Ray job ended without finishing ({ended})"
    if current.get("pid") is None:
        return None
    here = current.get("host") in (None, socket.gethostname())
    if here and not _alive(current["pid"]):
        return "the job process ended without finishing"
    return None


def wait(
    folder: Path,
    on_progress: Callable[[dict], None] = lambda s: None,
    poll: float = 0.5,
    cluster: RayCluster = NO_CLUSTER,
) -> dict:
    """Wait for the job to finish, calling ``on_progress`` whenever its message changes."""
    last = None
    while True:
        current = status(folder, cluster)
        if current.get("message") != last:
            last = current.get("message")
            on_progress(current)
        if current["state"] in FINISHED:
            return current
        time.sleep(poll)


def trained_versions(report: dict) -> str | None:
    """The versions a finished retrain promoted (``lenet:v0004,mlp:v0005``), or None if none: what
    its collected samples are marked as used by."""
    promoted = [f"{m['name']}:{m['after_version']}" for m in report["models"] if m["promoted"]]
    return ",".join(promoted) or None
