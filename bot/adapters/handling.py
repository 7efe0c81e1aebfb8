"""What both chat adapters do around the core: admit a learner through the gate, run the work, turn
a failure into a friendly reply, send; and which uploads are worth downloading at all."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.adapters.gate import LearnerGate
from bot.core import texts
from bot.core.replies import Reply, Sender
from ml.reading.decode import MAX_FILE_BYTES

log = logging.getLogger(__name__)

Work = Callable[[Sender], Awaitable[list[Reply]]]
Send = Callable[[list[Reply]], Awaitable[None]]


async def serve_learner(
    gate: LearnerGate,
    sender: Sender,
    work: Work,
    send: Send,
    platform_errors: tuple[type[Exception], ...] = (),
    always_answer: bool = False,
) -> None:
    """Admit ``sender`` through ``gate`` (a flood gets one "slow down", or one each time with
    ``always_answer``), run ``work`` for them, one message at a time, and ``send`` its replies
    before their next message is handled. ``platform_errors`` raised by the work mean the chat
    service is in trouble; anything else is a bug. Either way the learner gets a friendly reply
    and nothing else is affected."""
    key = f"{sender.platform}:{sender.platform_id}"
    if not gate.admit(key):
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
    """Why an upload is not worth downloading (not an image, or larger than any picture the
    reader accepts), or None. ``content_type`` None: the platform says it is a photo."""
    if content_type is not None and not content_type.startswith("image/"):
        return Reply(texts.NOT_AN_IMAGE_FILE)
    if size and size > MAX_FILE_BYTES:
        return Reply(texts.TOO_BIG_TO_DOWNLOAD.format(megabytes=size / 2**20))
    return None


def fixed(text: str) -> Work:
    """Work whose answer is always ``text``."""

    async def answer(sender: Sender) -> list[Reply]:
        return [Reply(text)]

    return answer
