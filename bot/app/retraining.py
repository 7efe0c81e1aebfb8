"""The retrain workflow, on the side that owns the database: export the trusted, consented samples
as plain arrays, run the retrain job (a Ray job or a local process), word how it goes, switch the
model worker after a rollback, and mark the samples a promoted model was trained on.

``hangul-ml retrain``, the admin's ``/retrain`` and ``/rollback`` (through
:class:`ProcessOperations`), ``hangul-bot flywheel`` and the retrain watcher all go through here.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app.settings import REGISTRY_VARIABLE, Settings
from bot.core import texts
from bot.core.operations import OperationRefused, RetrainStarted
from ml.jobs.ray_jobs import RayJobsError
from ml.jobs.retrain_job import (
    FINISHED,
    JobState,
    RetrainConfig,
    jobs_root,
    latest_job,
    status,
    submit,
    trained_versions,
    write_samples,
)
from ml.reading.syllables import is_syllable_model
from ml.training.collected import MIN_LEARNERS
from storage.database import Database
from storage.exports import TrainingSamples, block_arrays, mark_used, training_arrays

log = logging.getLogger(__name__)

MOVED_LETTERS = 5
"""A finished job's message lists the letters whose held-out accuracy changed most."""


async def export_samples(session: AsyncSession, folder: Path) -> tuple[Path, TrainingSamples]:
    """Write the trainable letter samples in ``session`` to a new file in ``folder`` for a
    retrain."""
    return await write_export(await training_arrays(session), folder)


async def export_blocks(session: AsyncSession, folder: Path) -> tuple[Path, TrainingSamples]:
    """Write the blocks of the trainable syllable and word samples in ``session`` to a new file
    in ``folder`` for a retrain of the syllable reader."""
    return await write_export(await block_arrays(session), folder, "blocks")


async def write_export(
    samples: TrainingSamples, folder: Path, kind: str = "samples"
) -> tuple[Path, TrainingSamples]:
    """Write ``samples`` to a new file in ``folder`` for a retrain (``kind`` begins its name)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.npz"
    await asyncio.to_thread(partial(write_samples, path, **vars(samples)))
    log.info("exported %d %s (%d corrupt, skipped)", len(samples), kind, samples.skipped)
    return path, samples


def submit_retrain(settings: Settings, config: RetrainConfig) -> Path:
    """Start ``config`` as a job where the settings say (a Ray cluster, else a local process),
    with the settings' font folders; returns the job's folder."""
    config = replace(config, font_dirs=list(settings.font_dirs))
    return submit(config, settings.registry, settings.ray, settings.retrain_gpus)


async def mark_samples_used(db: Database, report: dict) -> None:
    """Mark the samples a finished retrain trained on as used by the versions it promoted."""
    version = trained_versions(report)
    if version is None or not report.get("samples_used"):
        return
    async with db.transaction() as session:
        await mark_used(session, report["samples_used"], version)


def describe_job(job: str, current: dict) -> str:
    """A job's state for the admin: progress, and once it finished the data it used and the
    decisions, with the before/after on the held-out learners and on the fixed held-out set."""
    if current["state"] == JobState.FAILED:
        return texts.RETRAIN_FAILED.format(job=job, error=current.get("error", "?"))
    if current["state"] != JobState.SUCCEEDED:
        return texts.RETRAIN_RUNNING.format(
            job=job, percent=100 * current.get("progress", 0), message=current.get("message", "")
        )
    report = current["report"]
    if report.get("refused"):
        return texts.RETRAIN_REFUSED.format(job=job, reason=report["refused"])
    decisions = "\n".join(_decision(m) for m in report["models"])
    return texts.RETRAIN_DONE.format(job=job, data=_data_used(report), decisions=decisions)


def _data_used(report: dict) -> str:
    """What each family of models trained was given, and which family was left out and why."""
    trained = [is_syllable_model(m["name"]) for m in report["models"]]
    lines = []
    if not all(trained):
        data = report["data"]
        if data.get("judging_folds"):
            wording = texts.RETRAIN_DATA
        elif data.get("learners_held_out"):
            wording = texts.RETRAIN_DATA_HELD_OUT
        else:
            wording = texts.RETRAIN_DATA_BASE_ONLY
        lines.append(wording.format(**data))
    if any(trained):
        data = report["syllable_data"]
        wording = (
            texts.RETRAIN_SYLLABLE_DATA
            if data.get("blocks_for_training")
            else texts.RETRAIN_SYLLABLE_DATA_BASE_ONLY
        )
        lines.append(wording.format(**data))
    for family, reason in report.get("skipped", {}).items():
        lines.append(
            texts.RETRAIN_SKIPPED.format(family=texts.MODEL_FAMILIES[family], reason=reason)
        )
    return "\n".join(lines)


def _decision(model: dict) -> str:
    outcome = model["after_version"] if model["promoted"] else model["before_version"]
    learners = "-"
    if model.get("learners_before"):
        before, after = model["learners_before"]["accuracy"], model["learners_after"]["accuracy"]
        learners = f"{before:.1%} → {after:.1%}"
    sets = texts.RETRAIN_SETS.format(
        learners=learners, before=model["before"]["accuracy"], after=model["after"]["accuracy"]
    )
    decision = texts.RETRAIN_DECISION.format(
        name=model["name"], outcome=outcome, reason=model["reason"]
    )
    return f"{decision}\n{sets}\n{_moved_letters(model)}"


def _moved_letters(model: dict) -> str:
    before, after = model["before"].get("per_letter", {}), model["after"].get("per_letter", {})
    change = {x: after[x] - before[x] for x in before if x in after and after[x] != before[x]}
    moved = sorted(change, key=lambda x: -abs(change[x]))[:MOVED_LETTERS]
    if not moved:
        return texts.RETRAIN_NONE_MOVED
    return texts.RETRAIN_MOVED.format(
        letters=", ".join(f"{x} {before[x]:.0%} → {after[x]:.0%}" for x in moved)
    )


def tell_worker(settings: Settings) -> None:
    """Make the model worker on the Ray cluster serve the registry's current versions in place
    (after a rollback): directly where this process can join the cluster (``RAY_ADDRESS`` set and
    Ray installed), else through a short Ray job running ``hangul-ml worker --update`` where only
    the job API is known (the bot's image has no Ray). No cluster, or a worker that is not
    running, is no error: a worker loads the current versions when it starts."""
    if settings.ray.address and importlib.util.find_spec("ray"):
        try:
            from ml.jobs import worker

            settings.export_ray_environment()
            served = worker.update_versions(settings.model_registry, address=settings.ray.address)
            log.info("worker now serves %s", served)
        except Exception:
            log.warning("could not update the model worker: it serves the old ones", exc_info=True)
    elif settings.ray.configured:
        job_id = f"hangul-worker-update-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        env = {REGISTRY_VARIABLE: str(settings.model_registry)}
        try:
            settings.ray.submit("hangul-ml worker --update", job_id, env)
        except RayJobsError as error:
            log.warning("could not ask the cluster to update the model worker: %s", error)


@dataclass(frozen=True)
class JobProgress:
    """A retrain job's status file, as :class:`bot.core.operations.RetrainProgress`."""

    job: str
    status: dict

    @property
    def finished(self) -> bool:
        return self.status["state"] in FINISHED

    def describe(self) -> str:
        return describe_job(self.job, self.status)


class ProcessOperations:
    """The admin commands' model operations (:class:`bot.core.operations.ModelOperations`) for a
    process with these settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.registry = settings.registry

    async def rollback(self, name: str) -> str:
        model = await asyncio.to_thread(self.registry.rollback, name)
        await asyncio.to_thread(tell_worker, self.settings)
        return model.version

    async def latest_retrain(self) -> JobProgress | None:
        folder = latest_job(self.registry)
        if folder is None:
            return None
        current = await asyncio.to_thread(status, folder, self.settings.ray)
        return JobProgress(folder.name, current)

    async def start_retrain(self, session: AsyncSession, requested_by: str) -> RetrainStarted:
        if not self.settings.ray.configured and importlib.util.find_spec("torch") is None:
            raise OperationRefused(texts.RETRAIN_NEEDS_TORCH)
        letters, blocks = await training_arrays(session), await block_arrays(session)
        pictures = len(letters) + blocks.pictures
        learners = len(set(letters.learners.tolist()) | set(blocks.learners.tolist()))
        if not pictures:
            raise OperationRefused(texts.RETRAIN_NO_SAMPLES)
        if learners < MIN_LEARNERS:
            raise OperationRefused(texts.RETRAIN_ONE_LEARNER.format(samples=pictures))
        folder = jobs_root(self.registry)
        letters_path, _ = await write_export(letters, folder)
        blocks_path, _ = await write_export(blocks, folder, "blocks")
        config = RetrainConfig(
            real_folders=list(self.settings.base_data),
            samples=str(letters_path),
            block_samples=str(blocks_path),
            requested_by=requested_by,
        )
        try:
            folder = await asyncio.to_thread(submit_retrain, self.settings, config)
        except RayJobsError as error:
            log.warning("could not submit a retrain: %s", error)
            raise OperationRefused(texts.RETRAIN_NOT_SUBMITTED) from None
        skipped = letters.skipped + blocks.skipped
        return RetrainStarted(folder.name, pictures, learners, skipped)
