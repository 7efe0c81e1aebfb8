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
from pathlib import Path

from bot import texts
from bot.reminders import LearnerUnreachable, Notifier
from bot.replies import Picture, Reply, Sender
from ml.registry import Registry
from ml.retrain_job import (
    CONFIG_FILE,
    CONFUSION_FILE,
    FINISHED,
    jobs_root,
    status,
    trained_versions,
)
from storage.database import Database
from storage.exports import mark_used

log = logging.getLogger(__name__)

NOTIFIED_FILE = "notified.json"
TICK_SECONDS = 5


MOVED_LETTERS = 5
"""The finished job's message lists the letters whose held-out accuracy changed most."""


def _moved_letters(model: dict) -> str:
    before, after = model["before"].get("per_letter", {}), model["after"].get("per_letter", {})
    change = {x: after[x] - before[x] for x in before if x in after and after[x] != before[x]}
    moved = sorted(change, key=lambda x: -abs(change[x]))[:MOVED_LETTERS]
    if not moved:
        return texts.RETRAIN_NONE_MOVED
    return texts.RETRAIN_MOVED.format(
        letters=", ".join(f"{x} {before[x]:.0%} → {after[x]:.0%}" for x in moved)
    )


def describe_job(job: str, current: dict) -> str:
    """A job's state for the admin: progress, and the decisions once it finished."""
    if current["state"] == "failed":
        return texts.RETRAIN_FAILED.format(job=job, error=current.get("error", "?"))
    if current["state"] != "succeeded":
        return texts.RETRAIN_RUNNING.format(
            job=job, percent=100 * current.get("progress", 0), message=current.get("message", "")
        )
    decisions = "\n".join(
        texts.RETRAIN_DECISION.format(
            name=m["name"],
            outcome=m["after_version"] if m["promoted"] else m["before_version"],
            before=m["before"]["accuracy"],
            after=m["after"]["accuracy"],
            reason=m["reason"],
        )
        + "\n"
        + _moved_letters(m)
        for m in current["report"]["models"]
    )
    return texts.RETRAIN_DONE.format(job=job, decisions=decisions)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class RetrainWatcher:
    """Pushes retrain progress to the admins who asked for it."""

    def __init__(
        self, registry: Registry, notifiers: Mapping[str, Notifier], db: Database | None = None
    ) -> None:
        self.registry = registry
        self.notifiers = notifiers
        self.db = db

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
        current = await asyncio.to_thread(status, folder)
        done = current["state"] in FINISHED
        if done:
            await self._mark_samples(current)
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

    async def _mark_samples(self, current: dict) -> None:
        report = current.get("report") or {}
        version = trained_versions(report) if report else None
        if self.db is None or version is None or not report.get("samples_used"):
            return
        async with self.db.transaction() as session:
            await mark_used(session, report["samples_used"], version)
