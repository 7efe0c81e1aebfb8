"""What both chat adapters do around the core: take each platform event once, admit the learner
through the gate, run the work, turn a failure into a friendly reply, send; and which uploads are
worth downloading at all."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.adapters.gate import LearnerGate, PictureAdmission
from bot.core import texts
from bot.core.replies import Reply, Sender
from ml.reading.decode import MAX_FILE_BYTES

log = logging.getLogger(__name__)

Work = Callable[[Sender], Awaitable[list[Reply]]]
Send = Callable[[list[Reply]], Awaitable[None]]
FirstDelivery = Callable[[str, str], Awaitable[bool]]

NOT_IMAGES = ("text/", "audio/", "video/", "application/pdf", "application/zip")
"""Upload types refused unread; anything else (``image/*``, ``application/octet-stream``, none)
is downloaded and left to the picture reader, which knows a picture by its bytes."""


async def serve_learner(
    gate: LearnerGate,
    sender: Sender,
    work: Work,
    send: Send,
    *,
    event: tuple[FirstDelivery, str] | None = None,
    picture: bool = False,
    platform_errors: tuple[type[Exception], ...] = (),
    always_answer: bool = False,
) -> None:
    """Handle one platform event for ``sender``: dropped if ``event`` (the tutor's
    ``first_delivery`` and the event's id) says it was taken in before; then through ``gate``
    (typed messages take a token, pictures queue), ``work`` run for the learner one message at a
    time, and its replies ``send``-t before their next message is handled. ``platform_errors``
    raised by the work mean the chat service is in trouble; anything else is a bug. Either way
    the learner gets a friendly reply and nothing else is affected. ``always_answer``: the
    platform needs an answer even to a dropped message (a Discord interaction)."""
    if event is not None:
        first_delivery, event_id = event
        if not await first_delivery(sender.platform, event_id):
            log.info("dropped a %s event delivered twice", sender.platform)
            return
    key = f"{sender.platform}:{sender.platform_id}"
    if picture:
        admission = gate.admit_picture(key)
        if admission in (PictureAdmission.FULL, PictureAdmission.FULL_QUIETLY):
            quiet = admission is PictureAdmission.FULL_QUIETLY and not always_answer
            if not quiet:
                await send([Reply(texts.QUEUE_FULL.format(most=gate.max_queued_pictures))])
            return
        if admission is PictureAdmission.QUEUED:
            await send([Reply(texts.ONE_AT_A_TIME)])
    elif not gate.admit(key):
        if gate.first_refusal(key) or always_answer:
            await send([Reply(texts.SLOW_DOWN)])
        return
    async with gate.turn(key):
        try:
            replies = await work(sender)
        except platform_errors as error:
            log.warning("%s failed while handling a message: %r", sender.platform, error)
            replies = [Reply(texts.PLATFORM_TROUBLE)]
        except Exception:
            log.exception("handling a %s message failed", sender.platform)
            replies = [Reply(texts.INTERNAL_ERROR)]
        await send(replies)


def refuse_upload(content_type: str | None, size: int | None) -> Reply | None:
    """Why an upload is not worth downloading (a type that is no picture, or larger than any
    picture the reader accepts), or None."""
    if content_type and content_type.lower().startswith(NOT_IMAGES):
        return Reply(texts.NOT_AN_IMAGE_FILE)
    if size and size > MAX_FILE_BYTES:
        return Reply(texts.TOO_BIG_TO_DOWNLOAD.format(megabytes=size / 2**20))
    return None


def fit_to(limit: int, replies: list[Reply]) -> list[Reply]:
    """``replies`` with every text longer than the platform's ``limit`` split into several
    messages (at line ends where it can), pictures and buttons kept with the last."""
    fitted = []
    for reply in replies:
        parts = _split(reply.text, limit)
        fitted += [Reply(part) for part in parts[:-1]]
        fitted.append(replace(reply, text=parts[-1]) if len(parts) > 1 else reply)
    return fitted


def _split(text: str, limit: int) -> list[str]:
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*parts, text]


def fixed(text: str) -> Work:
    """Work whose answer is always ``text``."""

    async def answer(sender: Sender) -> list[Reply]:
        return [Reply(text)]

    return answer
