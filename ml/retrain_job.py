"""A retrain as a job: submitted to a background process, watched through a status file.

Each job has a folder under ``<registry>/jobs/<job id>/`` holding ``config.json``, ``status.json``
(``state``: queued, running, succeeded or failed; ``progress`` 0–1; ``message``; ``report``
when done; ``error`` when failed). The job runs ``python -m ml.retrain_job FOLDER``:

- on a Ray cluster when ``RAY_ADDRESS`` (or ``RAY_API_SERVER_ADDRESS``) is set, as a Ray job
  (:mod:`ml.ray_jobs`; its log is the Ray job's), on a node with ``HANGUL_RETRAIN_GPUS`` free GPUs
  when that is above 0. The registry must be the same path on the submitter and the cluster's
  nodes (a shared volume), and so must the base data folders;
- else as a local background process, logging to ``log.txt`` in the job's folder.

A job that ended without finishing (killed, stopped, out of memory) reads as failed; the current
models are untouched, since promotion is its last step.
"""

from __future__ import annotations

import fcntl
import importlib.util
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
from pathlib import Path

from ml import ray_jobs
from ml.registry import REGISTRY_ENV, Registry

log = logging.getLogger(__name__)

MODEL_NAMES = ("lenet", "mlp")
FINE_TUNE_EPOCHS = 6
SCRATCH_EPOCHS = 30
MAX_LETTER_DROP = 0.05
"""A candidate may not read any letter more than this much worse than the current model."""
STATUS_FILE = "status.json"
REPORT_FILE = "retrain_report.json"
CONFUSION_FILE = "retrain_confusion.png"
"""Written next to each candidate in the registry (``<model>/<version>/``)."""
STATUS_LOCK = "status.lock"
CONFIG_FILE = "config.json"
FINISHED = ("succeeded", "failed")
GPUS_ENV = "HANGUL_RETRAIN_GPUS"


@dataclass
class RetrainConfig:
    """What a retrain trains on and how it decides (see :mod:`ml.retrain`)."""

    real_folders: list[str] = field(default_factory=list)
    samples: str | None = None
    synthetic_per_letter: int = 300
    epochs: int = FINE_TUNE_EPOCHS
    held_out_per_letter: int = 50
    max_letter_drop: float = MAX_LETTER_DROP
    models: Sequence[str] = MODEL_NAMES
    seed: int = 0
    fine_tune: bool = True
    """Start each candidate from the current model's weights (at ``fine_tune_lr``); False trains
    from scratch (give it ``SCRATCH_EPOCHS``). Fine-tuning is ~5x faster and moves the letters
    the new samples do not touch less (``hangul-bot flywheel``, README)."""
    fine_tune_lr: float = 2e-3
    requested_by: str | None = None
    """Who asked (``platform:id``), to be told how it goes; None from the command line."""


def default_epochs(fine_tune: bool) -> int:
    """Epochs for a retrain that gives none: fewer when it fine-tunes the current model."""
    return FINE_TUNE_EPOCHS if fine_tune else SCRATCH_EPOCHS


def jobs_root(registry: Registry) -> Path:
    return registry.root / "jobs"


def _write_status(folder: Path, **status) -> None:
    """Merge ``status`` into the status file (the submitter and the job both write it)."""
    path = folder / STATUS_FILE
    with open(folder / STATUS_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        current.update(status, updated=datetime.now(UTC).isoformat(timespec="seconds"))
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)


def submit(config: RetrainConfig, registry: Registry) -> Path:
    """Start a retrain as a Ray job or a background process; returns the job's folder. Raises
    :class:`ml.ray_jobs.RayJobsError` (the job marked failed) when the cluster refuses it."""
    job_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = jobs_root(registry) / job_id
    folder.mkdir(parents=True)
    (folder / CONFIG_FILE).write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    _write_status(folder, state="queued", progress=0.0, message="queued")
    if ray_jobs.configured():
        _submit_to_ray(folder, registry)
    else:
        _start_process(folder, registry)
    return folder


def _submit_to_ray(folder: Path, registry: Registry) -> None:
    gpus = float(os.environ.get(GPUS_ENV) or 0)
    command = f"python -m ml.retrain_job {shlex.quote(str(folder))}"
    try:
        job = ray_jobs.submit(
            command, f"hangul-retrain-{folder.name}", {REGISTRY_ENV: str(registry.root)}, gpus
        )
    except ray_jobs.RayJobsError as error:
        _write_status(folder, state="failed", error=str(error))
        raise
    _write_status(folder, ray_job=job)
    log.info("retrain job %s submitted to Ray as %s", folder.name, job)


def _start_process(folder: Path, registry: Registry) -> None:
    env = {**os.environ, REGISTRY_ENV: str(registry.root)}
    with open(folder / "log.txt", "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "ml.retrain_job", str(folder)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    _write_status(folder, pid=process.pid, host=socket.gethostname())
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


def status(folder: Path) -> dict:
    """The job's status; a job that ended without finishing is marked failed."""
    current = _read_status(folder)
    if current["state"] in FINISHED:
        return current
    ended = _ended_without_finishing(current)
    if ended is None:
        return current
    current = _read_status(folder)  # it may have finished since it was read
    if current["state"] not in FINISHED:
        _write_status(folder, state="failed", error=ended)
        current = _read_status(folder)
    return current


def _ended_without_finishing(current: dict) -> str | None:
    """Why an unfinished job is over (its Ray job ended, its process is gone), or None while it
    may still run. A local process is checked only on the machine that runs it, and a Ray job
    only while the job API answers: otherwise the status file is all there is. A job still being
    started (neither its Ray job nor its process recorded yet) may still run."""
    if current.get("ray_job"):
        try:
            details = ray_jobs.state(current["ray_job"])
        except ray_jobs.RayJobsError:
            return None
        if details.get("status") not in ray_jobs.ENDED:
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
    folder: Path, on_progress: Callable[[dict], None] = lambda s: None, poll: float = 0.5
) -> dict:
    """Wait for the job to finish, calling ``on_progress`` whenever its message changes."""
    last = None
    while True:
        current = status(folder)
        if current.get("message") != last:
            last = current.get("message")
            on_progress(current)
        if current["state"] in FINISHED:
            return current
        time.sleep(poll)


def run(folder: Path) -> int:
    """The job process: run the retrain described in ``folder`` and record how it went."""
    from ml.retrain import retrain  # torch: only the job process needs it

    config = RetrainConfig(**json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8")))
    _write_status(folder, state="running", pid=os.getpid(), host=socket.gethostname())

    def progress(message: str, done: float) -> None:
        log.info("%3.0f%% %s", 100 * done, message)
        _write_status(folder, progress=round(done, 3), message=message)

    try:
        report = retrain(config, Registry(), progress)
    except Exception as error:
        log.exception("retrain failed")
        _write_status(folder, state="failed", error=f"{error.__class__.__name__}: {error}")
        return 1
    if report["promoted"]:
        tell_worker()
    _write_status(folder, state="succeeded", report=report)
    return 0


def trained_versions(report: dict) -> str | None:
    """The versions a finished retrain promoted (``lenet:v0004,mlp:v0005``), or None if none: what
    its collected samples are marked as used by."""
    promoted = [f"{m['name']}:{m['after_version']}" for m in report["models"] if m["promoted"]]
    return ",".join(promoted) or None


def tell_worker() -> None:
    """Make the model worker on the Ray cluster serve the registry's current versions in place
    (after a promotion or rollback): directly where this process can join the cluster
    (``RAY_ADDRESS`` set and Ray installed), else through a short Ray job running
    ``hangul-ml worker --update`` where only the job API is known (the bot's image has no Ray).
    No cluster, or a worker that is not running, is no error: a worker loads the current versions
    when it starts."""
    if os.environ.get("RAY_ADDRESS") and importlib.util.find_spec("ray"):
        try:
            from ml import worker

            log.info("worker now serves %s", worker.update_versions())
        except Exception:
            log.warning("could not update the model worker: it serves the old ones", exc_info=True)
    elif ray_jobs.configured():
        job_id = f"hangul-worker-update-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        env = {REGISTRY_ENV: str(Registry().root)}
        try:
            ray_jobs.submit("hangul-ml worker --update", job_id, env)
        except ray_jobs.RayJobsError as error:
            log.warning("could not ask the cluster to update the model worker: %s", error)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    raise SystemExit(run(Path(sys.argv[1])))
