"""Admin commands. The tutor checks the sender is an admin and audits every call; each handler
returns its replies and the outcome to audit (``done`` or ``failed``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot import texts
from bot.replies import Reply
from bot.turn import Turn
from ml.registry import RegistryError
from ml.serve import Classifier
from storage import queries

if TYPE_CHECKING:
    from bot.tutor import Tutor

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
    model); the tutor serves it from now on."""
    name = args[0].lower() if args else tutor.classifier.model.name
    if name not in MODEL_NAMES:
        return [Reply(texts.ROLLBACK_FAILED.format(error=f"no model {name!r}"))], "failed"
    try:
        model = await asyncio.to_thread(tutor.registry.rollback, name)
    except RegistryError as error:
        return [Reply(texts.ROLLBACK_FAILED.format(error=error))], "failed"
    if name == tutor.classifier.model.name:
        tutor.classifier = await asyncio.to_thread(Classifier, model)
    return [Reply(texts.ROLLED_BACK.format(name=name, version=model.version))], "done"


async def retrain(turn: Turn, args: list[str]) -> tuple[list[Reply], str]:
    """/retrain: training jobs arrive with the model worker; until then, say so."""
    return [Reply(texts.RETRAIN_UNAVAILABLE)], "failed"
