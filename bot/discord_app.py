"""The Discord adapter (discord.py 2): slash commands, buttons and direct messages in, tutor calls,
messages out.

Every tutor command is a slash command (options become the command's arguments), ``/check``
reads an image attachment, and pictures (or typed commands) sent in a direct message are answered
there. In a server, personal results are ephemeral. Buttons carry tutor commands as their custom
ids and are answered from ``on_interaction`` (their views are not kept in memory, so buttons keep
working after a restart). Reminders go by direct message; a Forbidden answer turns them off.
discord.py retries 429s and 5xx answers itself; what still fails is logged, never raised.

Run it through ``hangul-bot run`` with ``DISCORD_TOKEN`` set.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot import texts
from bot.config import DiscordSettings
from bot.gate import LearnerGate
from bot.reminders import LearnerUnreachable
from bot.replies import Reply, Sender
from bot.tutor import Tutor
from ml.decode import MAX_FILE_BYTES

log = logging.getLogger(__name__)

PLATFORM = "discord"
READY_TIMEOUT = 60
TEXT_OPTIONS = {
    "hint": ("letter", "A letter (ㄱ), its sound (g) or its name (giyeok)"),
    "remind": ("time", "Your local time, HH:MM (24-hour)"),
    "timezone": ("zone", "Area/City, like Asia/Seoul"),
    "confirm": ("letter", "The letter you meant"),
    "rollback": ("model", "lenet or mlp"),
}
"""Commands whose slash form has one text option, and that option's name and description."""


def point_discord_at(api_base: str | None, gateway_url: str | None) -> None:
    """Use other REST and gateway endpoints (a test server, a proxy). discord.py keeps them in
    class attributes, so this holds for every client in the process."""
    if api_base:
        Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def _files(reply: Reply) -> list[discord.File]:
    return [discord.File(io.BytesIO(p.data), filename=p.filename) for p in reply.images]


def _view(reply: Reply) -> discord.ui.View | None:
    """Buttons whose custom ids are tutor commands. The view is stopped before sending so that
    discord.py does not keep it: clicks are handled in ``on_interaction``."""
    if not reply.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for row, buttons in enumerate(reply.buttons):
        for button in buttons:
            view.add_item(discord.ui.Button(label=button.label, custom_id=button.command, row=row))
    view.stop()
    return view


def _message(reply: Reply) -> dict:
    """Keyword arguments for discord.py's send methods."""
    message: dict = {"content": reply.text or None, "files": _files(reply)}
    view = _view(reply)
    if view is not None:
        message["view"] = view
    return message


class DiscordAdapter:
    """Owns the discord.py client and its command tree."""

    platform = PLATFORM

    def __init__(
        self, tutor: Tutor, settings: DiscordSettings, gate: LearnerGate | None = None
    ) -> None:
        self.tutor = tutor
        self.settings = settings
        self.gate = gate or LearnerGate()
        point_discord_at(settings.api_base, settings.gateway_url)
        intents = discord.Intents.default()
        if settings.shard_count:
            self.client = discord.AutoShardedClient(
                intents=intents, shard_count=settings.shard_count
            )
        else:
            self.client = discord.Client(intents=intents)
        self.tree = app_commands.CommandTree(self.client)
        self._add_commands()
        self.client.setup_hook = self.tree.sync
        self.client.event(self.on_message)
        self.client.event(self.on_interaction)
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        """Log in, connect to the gateway and wait until ready."""
        self._task = asyncio.create_task(self.client.start(self.settings.token))
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._task in done:
                self._task.result()  # raises why the client stopped (a bad token, say)
            raise TimeoutError("Discord did not become ready")
        log.info("Discord adapter running (%s shard(s))", self.client.shard_count or 1)

    async def stop(self) -> None:
        await self.client.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def send(self, learner: Sender, replies: list[Reply]) -> None:
        """The reminder ``Notifier``: a direct message to the learner."""
        try:
            user = self.client.get_user(int(learner.platform_id)) or await self.client.fetch_user(
                int(learner.platform_id)
            )
            channel = user.dm_channel or await user.create_dm()
            for reply in replies:
                await channel.send(**_message(reply))
        except (discord.Forbidden, discord.NotFound) as error:
            raise LearnerUnreachable(str(error)) from error

    # -- slash commands ----------------------------------------------------------------------

    def _add_commands(self) -> None:
        described = {**texts.COMMANDS, **texts.ADMIN_COMMANDS}
        for name, description in described.items():
            if name in ("quiz", "consent"):
                continue
            self.tree.add_command(self._text_command(name, description))

        @self.tree.command(name="quiz", description=texts.COMMANDS["quiz"])
        @app_commands.describe(count="How many letters (default 5)", stop="End the running quiz")
        async def quiz(
            interaction: discord.Interaction, count: int | None = None, stop: bool = False
        ) -> None:
            command = "/quiz stop" if stop else f"/quiz {count if count is not None else ''}"
            await self._slash(interaction, lambda s: self.tutor.handle_text(s, command))

        @self.tree.command(name="consent", description=texts.COMMANDS["consent"])
        async def consent(interaction: discord.Interaction, choice: Literal["on", "off"]) -> None:
            await self._slash(
                interaction, lambda s: self.tutor.handle_text(s, f"/consent {choice}")
            )

        @self.tree.command(name="check", description="Read a picture of one handwritten letter")
        @app_commands.describe(image="A photo or image of one letter")
        async def check(interaction: discord.Interaction, image: discord.Attachment) -> None:
            await self._slash(interaction, lambda s: self._attachment(s, image))

    def _text_command(self, name: str, description: str) -> app_commands.Command:
        """A slash command that hands ``/name [option]`` to the tutor."""
        if name not in TEXT_OPTIONS:

            async def plain(interaction: discord.Interaction) -> None:
                await self._slash(interaction, lambda s: self.tutor.handle_text(s, f"/{name}"))

            return app_commands.Command(name=name, description=description, callback=plain)
        option, about = TEXT_OPTIONS[name]

        async def with_text(interaction: discord.Interaction, value: str | None = None) -> None:
            command = f"/{name} {value or ''}"
            await self._slash(interaction, lambda s: self.tutor.handle_text(s, command))

        callback = app_commands.rename(value=option)(app_commands.describe(value=about)(with_text))
        return app_commands.Command(name=name, description=description, callback=callback)

    async def _slash(
        self, interaction: discord.Interaction, work: Callable[[Sender], Awaitable[list[Reply]]]
    ) -> None:
        """Acknowledge at once, then send the tutor's replies as follow-ups (ephemeral in a
        server)."""
        private = interaction.guild is not None
        await interaction.response.defer(ephemeral=private, thinking=True)
        replies = await self._gated(interaction.user, work) or [Reply(texts.SLOW_DOWN)]

        async def send(reply: Reply) -> None:
            await interaction.followup.send(**_message(reply), ephemeral=private)

        await self._deliver(replies, send)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button clicks: their custom id is the tutor command to run."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = (interaction.data or {}).get("custom_id", "")
        if custom_id.startswith("/"):
            await self._slash(interaction, lambda s: self.tutor.handle_text(s, custom_id))

    # -- direct messages -----------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A direct message: pictures are read, typed commands run, anything else explained."""
        if message.author.bot or message.guild is not None:
            return

        async def work(sender: Sender) -> list[Reply]:
            if message.attachments:
                replies = []
                for attachment in message.attachments:
                    replies += await self._attachment(sender, attachment)
                return replies
            if message.stickers or not message.content:
                return [Reply(texts.UNSUPPORTED_MESSAGE)]
            return await self.tutor.handle_text(sender, message.content)

        replies = await self._gated(message.author, work)

        async def send(reply: Reply) -> None:
            await message.channel.send(**_message(reply))

        await self._deliver(replies, send)

    async def _attachment(self, sender: Sender, attachment: discord.Attachment) -> list[Reply]:
        """Read an image attachment (refused before download when too big or not an image)."""
        if not (attachment.content_type or "").startswith("image/"):
            return [Reply(texts.NOT_AN_IMAGE_FILE)]
        if attachment.size > MAX_FILE_BYTES:
            return [Reply(texts.TOO_BIG_TO_DOWNLOAD.format(megabytes=attachment.size / 2**20))]
        try:
            data = await attachment.read()
        except discord.HTTPException as error:
            log.warning("downloading a Discord attachment failed: %s", error.status)
            return [Reply(texts.PLATFORM_TROUBLE)]
        return await self.tutor.handle_picture(sender, data)

    # -- shared --------------------------------------------------------------------------------

    def _sender(self, user: discord.User | discord.Member) -> Sender:
        roles = {str(role.id) for role in getattr(user, "roles", ())}
        return Sender(
            PLATFORM,
            str(user.id),
            user.display_name,
            platform_admin=bool(roles & self.settings.admin_roles),
        )

    async def _gated(
        self, user: discord.User | discord.Member, work: Callable[[Sender], Awaitable[list[Reply]]]
    ) -> list[Reply]:
        key = f"{PLATFORM}:{user.id}"
        if not self.gate.admit(key):
            return [Reply(texts.SLOW_DOWN)] if self.gate.first_refusal(key) else []
        async with self.gate.turn(key):
            try:
                return await work(self._sender(user))
            except Exception:
                log.exception("handling a Discord event failed")
                return [Reply(texts.INTERNAL_ERROR)]

    @staticmethod
    async def _deliver(replies: list[Reply], send: Callable[[Reply], Awaitable[None]]) -> None:
        for reply in replies:
            try:
                await send(reply)
            except discord.HTTPException as error:
                log.warning("could not send a reply on Discord: %s %s", error.status, error.code)
                return
