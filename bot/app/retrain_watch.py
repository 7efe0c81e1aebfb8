"""Telling the admin who started a retrain how it goes, in their chat.

Each tick reads the jobs' status files and pushes any new stage to the admin through their
platform's notifier, then the decisions once the job has finished. What was last sent is kept in
the job's folder (``notified.json``), so a restarted bot does not repeat itself. Once a job has
promoted a model, the collected samples it trained on are marked used by that version, so that
the next ``/retrain`` knows whether anything new has come in.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.app.retraining import describe_job, mark_samples_used
from bot.core.replies import LearnerUnreachable, Notifier, Picture, Reply, Sender
from ml.jobs.ray_jobs import NO_CLUSTER, RayCluster
from ml.jobs.retrain_job import CONFIG_FILE, CONFUSION_FILE, FINISHED, jobs_root, status
from ml.reading.registry import Registry
from storage.database import Database

log = logging.getLogger(__name__)

NOTIFIED_FILE = "notified.json"
TICK_SECONDS = 5


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@dataclass
class RetrainWatcher:
    """Pushes retrain progress to the admins who asked for it (and marks the samples a promoted
    model used, given the database)."""

    registry: Registry
    notifiers: Mapping[str, Notifier]
    db: Database | None = None
    cluster: RayCluster = NO_CLUSTER

    async def tick(self) -> int:
        """Send what changed since the last tick; returns how many messages were sent."""
        sent = 0
        for config_path in sorted(jobs_root(self.registry).glob(f"*/{CONFIG_FILE}")):
            sent += await self._follow(config_path.parent)
        return sent

    async def _follow(self, folder: Path) -> int:
        notified = _read(folder / NOTIFIED_FILE)
        if notified.get("done"):
            return 0
        current = await asyncio.to_thread(status, folder, self.cluster)
        done = current["state"] in FINISHED
        if done and self.db is not None and current.get("report"):
            await mark_samples_used(self.db, current["report"])
        platform, _, account = (_read(folder / CONFIG_FILE).get("requested_by") or "").partition(
            ":"
        )
        notifier = self.notifiers.get(platform)
        text = describe_job(folder.name, current) if notifier else None
        sent = 0
        if text is not None and text != notified.get("text"):
            pictures = self._confusion_pictures(current) if done else ()
            try:
                await notifier.send(Sender(platform, account), [Reply(text, pictures)])
                sent = 1
            except LearnerUnreachable:
                log.warning("the admin who started retrain %s cannot be reached", folder.name)
        if done or sent:
            (folder / NOTIFIED_FILE).write_text(json.dumps({"text": text, "done": done}))
        return sent

    def _confusion_pictures(self, current: dict) -> tuple[Picture, ...]:
        """The candidates' confusion matrices, from the registry."""
        pictures = []
        for model in (current.get("report") or {}).get("models", []):
            path = self.registry.root / model["name"] / str(model["after_version"]) / CONFUSION_FILE
            if model["after_version"] and path.is_file():
                pictures.append(Picture(path.read_bytes(), f"{model['name']}-confusion.png"))
        return tuple(pictures)
