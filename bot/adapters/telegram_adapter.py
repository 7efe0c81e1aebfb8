"""The Telegram adapter (python-telegram-bot 22): Telegram updates in, tutor calls, messages out.

Photos and images sent as files are read; stickers, voice, video and other messages get a
friendly reply; inline-keyboard buttons carry tutor commands as their callback data. Long
polling by default, a webhook (with a secret token) when configured. Telegram's flood limits
and 429 retry-after answers are handled by PTB's ``AIORateLimiter``; timeouts and 5xx answers are
retried a few times, then logged; a learner's recorded attempt is committed before any reply is
sent, so a failed send loses nothing. It also implements the reminder ``Notifier``.

Run it through ``hangul-bot run`` with ``TELEGRAM_TOKEN`` set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from urllib.parse import urlparse

import httpx
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.adapters.gate import LearnerGate
from bot.adapters.handling import Work, fit_to, fixed, refuse_upload, serve_learner
from bot.app.settings import TelegramSettings
from bot.core import commands, texts
from bot.core.replies import LearnerUnreachable, Reply, Sender
from bot.core.tutor import Tutor
from ml.reading.decode import MAX_FILE_BYTES
from ml.reading.verdicts import Verdict

log = logging.getLogger(__name__)

PLATFORM = "telegram"
CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
CONCURRENT_UPDATES = 64
"""Updates handled at once. More only queue for the HTTP connection pool and the database: with
200 learners sending at once (``tests/load_telegram.py``), 16, 32 and 64 all answered ~66
pictures/s with p95 ~3.5 s, 256 only 51/s with p95 8.9 s."""
SEND_TRIES = 3
DOWNLOAD_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.command) for b in row]
            for row in reply.buttons
        ]
    )


async def _retrying(call: Callable[[], Awaitable[object]]) -> None:
    """Run a Bot API call, retrying timeouts and server errors (429s are the rate limiter's)."""
    for attempt in range(SEND_TRIES):
        try:
            await call()
            return
        except (Forbidden, BadRequest, RetryAfter):
            raise
        except NetworkError:
            if attempt == SEND_TRIES - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)


class TelegramAdapter:
    """Owns the PTB Application; ``start``/``stop`` fit it into ``hangul-bot run``."""

    platform = PLATFORM

    def __init__(
        self,
        tutor: Tutor,
        settings: TelegramSettings,
        gate: LearnerGate | None = None,
    ) -> None:
        self.tutor = tutor
        self.settings = settings
        self.gate = gate or LearnerGate()
        builder = (
            ApplicationBuilder()
            .token(settings.token)
            .concurrent_updates(CONCURRENT_UPDATES)
            .rate_limiter(
                AIORateLimiter(overall_max_rate=settings.max_messages_per_second, max_retries=3)
            )
        )
        if settings.base_url:
            builder = builder.base_url(settings.base_url)
        if settings.base_file_url:
            builder = builder.base_file_url(settings.base_file_url)
        self.application: Application = builder.build()
        self._files = httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT)
        """Downloads of learners' files (streamed, so that their size can be capped)."""
        on = self.application.add_handler
        on(CallbackQueryHandler(self._on_button))
        on(MessageHandler(filters.PHOTO, self._on_photo))
        on(MessageHandler(filters.Document.ALL, self._on_document))
        on(MessageHandler(filters.TEXT, self._on_text))
        on(MessageHandler(filters.ALL, self._on_other))
        self.application.add_error_handler(self._on_error)

    async def start(self) -> None:
        """Connect: initialise, register the command menus, then poll or set the webhook."""
        app = self.application
        await app.initialize()
        await self._set_command_menus()
        await self._describe_bot()
        await app.start()
        if self.settings.webhook_url:
            await app.updater.start_webhook(
                listen=self.settings.webhook_listen,
                port=self.settings.webhook_port,
                url_path=urlparse(self.settings.webhook_url).path.lstrip("/"),
                webhook_url=self.settings.webhook_url,
                secret_token=self.settings.webhook_secret,
            )
        else:
            await app.updater.start_polling(poll_interval=0)
        log.info(
            "Telegram adapter running (%s)", "webhook" if self.settings.webhook_url else "polling"
        )

    async def _set_command_menus(self) -> None:
        """Learners' commands for everyone; admins (``telegram:<id>`` in the settings) see
        theirs too, in their own chat with the bot."""
        bot = self.application.bot
        learners = [BotCommand(c.name, c.description) for c in commands.LEARNER_COMMANDS]
        await bot.set_my_commands(learners)
        everything = [BotCommand(c.name, c.description) for c in commands.COMMANDS]
        for admin in _telegram_ids(self.tutor.admins):
            try:
                await bot.set_my_commands(everything, scope=BotCommandScopeChat(admin))
            except TelegramError as error:  # the admin has not opened a chat with the bot yet
                log.warning("could not set an admin's command menu: %s", error)

    async def _describe_bot(self) -> None:
        """What a new user sees before they press Start, and on the bot's profile."""
        bot = self.application.bot
        try:
            await bot.set_my_description(texts.BOT_DESCRIPTION)
            await bot.set_my_short_description(texts.BOT_SHORT_DESCRIPTION)
        except TelegramError as error:
            log.warning("could not set the bot's description: %s", error)

    async def stop(self) -> None:
        await self._files.aclose()
        app = self.application
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def send(self, learner: Sender, replies: list[Reply]) -> None:
        """The reminder ``Notifier``: push ``replies`` to a learner's private chat."""
        try:
            await self._send(int(learner.platform_id), replies)
        except Forbidden as error:
            raise LearnerUnreachable(str(error)) from error
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                raise LearnerUnreachable(str(error)) from error
            raise

    async def _send(self, chat_id: int, replies: list[Reply]) -> None:
        for reply in fit_to(TEXT_LIMIT, replies):
            await self._send_one(chat_id, reply)

    async def _send_one(self, chat_id: int, reply: Reply) -> None:
        """A text message, or pictures with the text as the first one's caption (a GIF as an
        animation), then sounds as voice notes; the buttons go on the last message."""
        bot = self.application.bot
        markup = _keyboard(reply)
        caption = reply.text or None
        sends: list[Callable[..., Awaitable[object]]] = []
        if reply.text and (not reply.images or len(reply.text) > CAPTION_LIMIT):
            sends.append(partial(bot.send_message, chat_id, reply.text))
            caption = None
        for n, picture in enumerate(reply.images):
            method = bot.send_animation if picture.filename.endswith(".gif") else bot.send_photo
            sends.append(
                partial(
                    method,
                    chat_id,
                    picture.data,
                    caption=caption if n == 0 else None,
                    filename=picture.filename,
                )
            )
        for sound in reply.audio:
            sends.append(partial(bot.send_voice, chat_id, sound.data, filename=sound.filename))
        for n, send in enumerate(sends):
            last = n == len(sends) - 1
            await _retrying(partial(send, reply_markup=markup if last else None))

    async def _answer(self, update: Update, work: Work, picture: bool = False) -> None:
        """Take the update once, gate the learner, run ``work`` for them and send its replies to
        their chat."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        sender = Sender(PLATFORM, str(user.id), user.full_name)
        await serve_learner(
            self.gate,
            sender,
            work,
            partial(self._send_safely, chat.id),
            event=(self.tutor.first_delivery, str(update.update_id)),
            picture=picture,
            platform_errors=(TelegramError, httpx.HTTPError),
        )

    async def _send_safely(self, chat_id: int, replies: list[Reply]) -> None:
        try:
            await self._send(chat_id, replies)
        except TelegramError as error:
            log.warning("could not send a reply on Telegram: %s", error.__class__.__name__)

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = _without_bot_name(update.effective_message.text or "")
        await self._answer(update, lambda sender: self.tutor.handle_text(sender, text))

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        try:
            await query.answer()
        except TelegramError:
            log.info("could not answer a callback query (it may be too old)")
        command = query.data or ""
        await self._answer(update, lambda sender: self.tutor.handle_text(sender, command))

    async def _on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        photo = update.effective_message.photo[-1]  # the largest size
        await self._answer(
            update, lambda sender: self._picture(sender, photo, photo.file_size), picture=True
        )

    async def _on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        document = update.effective_message.document
        await self._answer(
            update,
            lambda sender: self._picture(sender, document, document.file_size, document.mime_type),
            picture=True,
        )

    async def _picture(
        self, sender: Sender, attachment, size: int | None, content_type: str | None = None
    ) -> list[Reply]:
        """Download a photo or image file (refused before download when it is no image or too
        big) and read it."""
        refusal = refuse_upload(content_type, size)
        if refusal is not None:
            return [refusal]
        file = await attachment.get_file()
        data = await self._download(file.file_path)
        if data is None:
            return [Reply(texts.VERDICTS[Verdict.TOO_LARGE])]
        return await self.tutor.handle_picture(sender, data)

    async def _download(self, url: str) -> bytes | None:
        """The file at ``url``, streamed; None as soon as it proves larger than any picture the
        reader accepts (a file may be bigger than its message says)."""
        data = bytearray()
        async with self._files.stream("GET", url) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > MAX_FILE_BYTES:
                    return None
        return bytes(data)

    async def _on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update.effective_message, Message):
            await self._answer(update, fixed(texts.UNSUPPORTED_MESSAGE))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)


def _without_bot_name(text: str) -> str:
    """A command as Telegram sends it in groups (``/quiz@HangulBot 5``) without the bot's name."""
    first, space, rest = text.strip().partition(" ")
    if first.startswith("/"):
        first = first.split("@")[0]
    return f"{first}{space}{rest}"


def _telegram_ids(admins: frozenset[str]) -> list[int]:
    """The Telegram user ids among admin accounts (``telegram:123``)."""
    ids = []
    for account in sorted(admins):
        platform, _, number = account.partition(":")
        if platform == PLATFORM and number.isdigit():
            ids.append(int(number))
    return ids
