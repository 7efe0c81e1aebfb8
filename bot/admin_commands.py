"""Admin commands. The tutor checks the sender is an admin and audits every call; each handler
returns its replies and the outcome to audit (``done`` or ``failed``)."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from typing import TYPE_CHECKING

from bot import texts
from bot.replies import Reply
from bot.retrain_watch import describe_job
from bot.turn import Turn
from ml import ray_jobs
from ml.registry import RegistryError
from ml.retrain_job import FINISHED, RetrainConfig, jobs_root, status, submit, tell_worker
from ml.serve import LiveClassifier
from storage import queries
from storage.exports import export_training_samples

if TYPE_CHECKING:
    from bot.tutor import Tutor

log = logging.getLogger(__name__)

MODEL_NAMES = ("lenet", "mlp")


async def models(tutor: Tutor, turn: Turn, args: list[str]) -> tuple[list[Reply], str]:
    """/model: the current version of each model, what it was measured at, which one serves."""
    lines = []
    for name in MODEL_NAMES:
        model = tutor.registry.current(name)
        meta = model.meta
        detail = (
            f"junk refused {meta.get('validation_junk_rejected', 0):.1%}, "
            f"letters refused {meta.get('validation_letters_rejected', 0):.1%} "
            f"(validation); {meta.get('metrics', {})}"
        )
        serving = (
            texts.MODEL_SERVING if tutor.classifier.version == f"{name}:{model.version}" else ""
        )
        lines.append(
            texts.MODEL_LINE.format(
                name=name,
                version=model.version,
                serving=serving,
                created=meta.get("created", "?"),
                detail=detail,
            )
        )
    samples = await queries.training_samples(turn.session)
    lines.append(texts.MODEL_SAMPLES.format(count=len(samples)))
    return [Reply("\n".join(lines))], "done"


async def rollback(tutor: Tutor, turn: Turn, args: list[str]) -> tuple[list[Reply], str]:
    """/rollback [lenet|mlp]: back to the previously promoted version (default: the served
    model); a tutor serving the registry's current version switches at once."""
    name = args[0].lower() if args else tutor.classifier.model.name
    if name not in MODEL_NAMES:
        return [Reply(texts.ROLLBACK_FAILED.format(error=f"no model {name!r}"))], "failed"
    try:
        model = await asyncio.to_thread(tutor.registry.rollback, name)
    except RegistryError as error:
        return [Reply(texts.ROLLBACK_FAILED.format(error=error))], "failed"
    await asyncio.to_thread(tell_worker)
    if isinstance(tutor.classifier, LiveClassifier):
        await asyncio.to_thread(tutor.classifier.refresh)
    return [Reply(texts.ROLLED_BACK.format(name=name, version=model.version))], "done"


async def retrain(tutor: Tutor, turn: Turn, args: list[str]) -> tuple[list[Reply], str]:
    """/retrain starts a retrain job on the base data and the trusted, consented samples (only if
    some are new, unless ``/retrain anyway``); ``/retrain status`` shows how the latest one is
    doing."""
    if args not in ([], ["status"], ["anyway"]):
        return [Reply(texts.RETRAIN_USAGE)], "failed"
    jobs = jobs_root(tutor.registry)
    latest = max(jobs.glob("*/status.json"), default=None) if jobs.is_dir() else None
    current = status(latest.parent) if latest else None
    if args == ["status"]:
        if current is None:
            return [Reply(texts.RETRAIN_NONE)], "done"
        return [Reply(describe_job(latest.parent.name, current))], "done"
    if current is not None and current["state"] not in FINISHED:
        return [Reply(describe_job(latest.parent.name, current))], "failed"
    if not ray_jobs.configured() and importlib.util.find_spec("torch") is None:
        return [Reply(texts.RETRAIN_NEEDS_TORCH)], "failed"
    if args != ["anyway"] and not await queries.new_training_sample_count(turn.session):
        return [Reply(texts.RETRAIN_NO_NEW_SAMPLES)], "failed"
    jobs.mkdir(parents=True, exist_ok=True)
    samples = jobs / f"samples-{turn.now:%Y%m%dT%H%M%S%f}.npz"
    exported = await export_training_samples(turn.session, samples)
    config = RetrainConfig(
        real_folders=list(tutor.settings.base_data),
        samples=str(samples),
        requested_by=f"{turn.sender.platform}:{turn.sender.platform_id}",
    )
    try:
        folder = await asyncio.to_thread(submit, config, tutor.registry)
    except ray_jobs.RayJobsError as error:
        log.warning("could not submit a retrain: %s", error)
        return [Reply(texts.RETRAIN_NOT_SUBMITTED)], "failed"
    started = texts.RETRAIN_STARTED.format(job=folder.name, samples=exported.kept)
    if exported.skipped:
        started += "\n" + texts.RETRAIN_SKIPPED_CORRUPT.format(count=exported.skipped)
    return [Reply(started)], "done"
