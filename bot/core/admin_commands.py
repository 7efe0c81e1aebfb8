"""Admin commands. The tutor checks the sender is an admin and audits every call; each handler
returns its replies and the outcome to audit. Rolling back and retraining are the process's work
(:class:`bot.core.operations.ModelOperations`); the handlers word what comes of it."""

from __future__ import annotations

import asyncio

from bot.core import texts
from bot.core.operations import OperationRefused
from bot.core.replies import Reply
from bot.core.turn import Turn
from ml.reading.syllables import is_syllable_model
from storage import queries
from storage.tables import AdminOutcome

MODEL_NAMES = ("lenet", "mlp", "syllable-lenet")
DONE, FAILED = AdminOutcome.DONE, AdminOutcome.FAILED


async def models(turn: Turn, args: list[str]) -> tuple[list[Reply], AdminOutcome]:
    """/model: the current version of each model, what it was measured at, which one serves."""
    lines = []
    for name in MODEL_NAMES:
        model = turn.registry.current(name)
        meta = model.meta
        detail = f"{meta.get('metrics', {})}"
        if not is_syllable_model(name):
            detail = (
                f"junk refused {meta.get('validation_junk_rejected', 0):.1%}, "
                f"letters refused {meta.get('validation_letters_rejected', 0):.1%} "
                f"(validation); {detail}"
            )
        serving = texts.MODEL_SERVING if f"{name}:{model.version}" in _served(turn) else ""
        lines.append(
            texts.MODEL_LINE.format(
                name=name,
                version=model.version,
                serving=serving,
                created=meta.get("created", "?"),
                detail=detail,
            )
        )
    count = await queries.trainable_sample_count(turn.session)
    lines.append(texts.MODEL_SAMPLES.format(count=count))
    return [Reply("\n".join(lines))], DONE


def _served(turn: Turn) -> tuple[str, ...]:
    """The ``name:version`` of the letter reader and, when there is one, the syllable reader."""
    if turn.text_reader is None:
        return (turn.reader.version,)
    return turn.reader.version, turn.text_reader.syllables.version


async def rollback(turn: Turn, args: list[str]) -> tuple[list[Reply], AdminOutcome]:
    """/rollback [lenet|mlp|syllable-lenet]: back to the previously promoted version (default:
    the served letter model); a tutor serving the registry's current version switches at
    once."""
    name = args[0].lower() if args else turn.reader.name
    if name not in MODEL_NAMES:
        return [Reply(texts.ROLLBACK_FAILED.format(error=f"no model {name!r}"))], FAILED
    if turn.operations is None:
        return [Reply(texts.NOT_HERE)], FAILED
    try:
        version = await turn.operations.rollback(name)
    except LookupError as error:
        return [Reply(texts.ROLLBACK_FAILED.format(error=error))], FAILED
    refresh = turn.reader.refresh
    if is_syllable_model(name) and turn.text_reader is not None:
        refresh = turn.text_reader.syllables.refresh
    await asyncio.to_thread(refresh)
    return [Reply(texts.ROLLED_BACK.format(name=name, version=version))], DONE


async def retrain(turn: Turn, args: list[str]) -> tuple[list[Reply], AdminOutcome]:
    """/retrain starts a retrain job on the base data and the trusted, consented samples (only if
    some are new, unless ``/retrain anyway``); ``/retrain status`` shows how the latest one is
    doing."""
    if args not in ([], ["status"], ["anyway"]):
        return [Reply(texts.RETRAIN_USAGE)], FAILED
    if turn.operations is None:
        return [Reply(texts.NOT_HERE)], FAILED
    latest = await turn.operations.latest_retrain()
    if args == ["status"]:
        return [Reply(latest.describe() if latest else texts.RETRAIN_NONE)], DONE
    if latest is not None and not latest.finished:
        return [Reply(latest.describe())], FAILED
    if args != ["anyway"] and not await queries.new_training_sample_count(turn.session):
        return [Reply(texts.RETRAIN_NO_NEW_SAMPLES)], FAILED
    requested_by = f"{turn.sender.platform}:{turn.sender.platform_id}"
    try:
        started = await turn.operations.start_retrain(turn.session, requested_by)
    except OperationRefused as refusal:
        return [Reply(str(refusal))], FAILED
    text = texts.RETRAIN_STARTED.format(
        job=started.job, samples=started.samples, learners=started.learners
    )
    if started.skipped_corrupt:
        text += "\n" + texts.RETRAIN_SKIPPED_CORRUPT.format(count=started.skipped_corrupt)
    return [Reply(text)], DONE
