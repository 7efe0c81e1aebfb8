"""A retrain as a job: submitted to a background process, watched through a status file.

Each job has a folder under ``<registry>/jobs/<job id>/`` holding ``config.json``, ``status.json``
(``state``: queued, running, succeeded or failed; ``progress`` 0–1; ``message``; ``report``
when done; ``error`` when failed) and ``log.txt``. The job process runs
``python -m ml.retrain_job FOLDER``. A job whose process died without finishing (killed, out of
memory) reads as failed; the current models are untouched, since promotion is its last step.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ml.registry import Registry

log = logging.getLogger(__name__)

MODEL_NAMES = ("lenet", "mlp")
MAX_LETTER_DROP = 0.05
"""A candidate may not read any letter more than this much worse than the current model."""
STATUS_FILE = "status.json"
CONFIG_FILE = "config.json"
FINISHED = ("succeeded", "failed")


@dataclass
class RetrainConfig:
    """What a retrain trains on and how it decides (see :mod:`ml.retrain`)."""

    real_folders: list[str] = field(default_factory=list)
    samples: str | None = None
    synthetic_per_letter: int = 300
    epochs: int = 30
    held_out_per_letter: int = 50
    max_letter_drop: float = MAX_LETTER_DROP
    models: Sequence[str] = MODEL_NAMES
    seed: int = 0
    requested_by: str | None = None
    """Who asked (``platform:id``), to be told how it goes; None from the command line."""


def jobs_root(registry: Registry) -> Path:
    return registry.root / "jobs"


def _write_status(folder: Path, **status) -> None:
    path = folder / STATUS_FILE
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update(status, updated=datetime.now(UTC).isoformat(timespec="seconds"))
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def submit(config: RetrainConfig, registry: Registry) -> Path:
    """Start a retrain in a background process; returns the job's folder."""
    job_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = jobs_root(registry) / job_id
    folder.mkdir(parents=True)
    (folder / CONFIG_FILE).write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    _write_status(folder, state="queued", progress=0.0, message="queued")
    env = {**os.environ, "HANGUL_MODEL_REGISTRY": str(registry.root)}
    with open(folder / "log.txt", "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "ml.retrain_job", str(folder)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    _write_status(folder, pid=process.pid, host=socket.gethostname())
    log.info("retrain job %s started (pid %d)", job_id, process.pid)
    return folder


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


def status(folder: Path) -> dict:
    """The job's status; a job whose process is gone without finishing is failed (checked only
    on the machine that runs it: elsewhere the status file is all there is)."""
    current = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    here = current.get("host") in (None, socket.gethostname())
    if current["state"] not in FINISHED and here and not _alive(current.get("pid")):
        _write_status(folder, state="failed", error="the job process ended without finishing")
        current = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    return current


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


def tell_worker() -> None:
    """On a Ray cluster (``RAY_ADDRESS``), make the model worker serve the promoted versions in
    place; a worker that is not running is no error (it loads the current versions on start)."""
    if not os.environ.get("RAY_ADDRESS"):
        return
    try:
        from ml import worker

        log.info("worker now serves %s", worker.update_versions())
    except Exception:
        log.warning("could not update the model worker; it serves the old versions", exc_info=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    raise SystemExit(run(Path(sys.argv[1])))
