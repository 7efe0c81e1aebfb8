"""The Discord adapter (discord.py 2): slash commands, buttons and direct messages in, tutor calls,
messages out.

Every command of the table (:mod:`bot.core.commands`) is a slash command with its options typed,
``/check`` reads an image attachment, and pictures (or typed commands) sent in a direct message, or
posted in a server with a mention of the bot, are answered there. In a server, the answers to
slash commands are ephemeral. Buttons carry tutor commands as their custom ids and are answered
from ``on_interaction`` (their views are not kept in memory, so buttons keep working after a
restart). Reminders go by direct message; a Forbidden answer turns them off.
discord.py retries 429s and 5xx answers itself; what still fails is logged, never raised.

Run it through ``hangul-bot run`` with ``DISCORD_TOKEN`` set.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Literal

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.gate import LearnerGate
from bot.adapters.handling import Work, fit_to, refuse_upload, serve_learner
from bot.app.settings import DiscordSettings
from bot.core import commands, texts
from bot.core.replies import LearnerUnreachable, Reply, Sender
from bot.core.tutor import Tutor

log = logging.getLogger(__name__)

PLATFORM = "discord"
READY_TIMEOUT = 60
TEXT_LIMIT = 2000


def point_discord_at(api_base: str | None, gateway_url: str | None) -> None:
    """Use other REST and gateway endpoints (a test server, a proxy). discord.py keeps them in
    class attributes, so this holds for every client in the process."""
    if api_base:
        Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def _files(reply: Reply) -> list[discord.File]:
    """The reply's pictures and sounds, as attachments."""
    attached = [*reply.images, *reply.audio]
    return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in attached]


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
            for reply in fit_to(TEXT_LIMIT, replies):
                await channel.send(**_message(reply))
        except (discord.Forbidden, discord.NotFound) as error:
            raise LearnerUnreachable(str(error)) from error

    # -- slash commands ----------------------------------------------------------------------

    def _add_commands(self) -> None:
        for command in commands.COMMANDS:
            self.tree.add_command(self._slash_command(command))

        @self.tree.command(name="check", description="Read a picture of one handwritten letter")
        @app_commands.describe(image="A photo or image of one letter")
        async def check(interaction: discord.Interaction, image: discord.Attachment) -> None:
            await self._slash(interaction, lambda s: self._attachment(s, image), picture=True)

    def _slash_command(self, command: commands.Command) -> app_commands.Command:
        """The slash form of a tutor command: its options typed as the table says, handed on as
        the text the command would be typed as."""

        async def callback(interaction: discord.Interaction, **values: object) -> None:
            text = command.text(values)
            await self._slash(interaction, lambda s: self.tutor.handle_text(s, text))

        callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter(
                    "interaction",
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    annotation=discord.Interaction,
                )
            ]
            + [_parameter(option) for option in command.options]
        )
        described = app_commands.describe(**{o.name: o.description for o in command.options})
        return app_commands.Command(
            name=command.name, description=command.description, callback=described(callback)
        )

    async def _slash(
        self, interaction: discord.Interaction, work: Work, picture: bool = False
    ) -> None:
        """Acknowledge at once, then send the tutor's replies as follow-ups (ephemeral in a
        server)."""
        private = interaction.guild is not None
        await interaction.response.defer(ephemeral=private, thinking=True)

        async def send(reply: Reply) -> None:
            await interaction.followup.send(**_message(reply), ephemeral=private)

        await self._serve(
            interaction.user, work, send, str(interaction.id), picture, always_answer=True
        )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button clicks: their custom id is the tutor command to run."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = (interaction.data or {}).get("custom_id", "")
        if custom_id.startswith("/"):
            await self._slash(interaction, lambda s: self.tutor.handle_text(s, custom_id))

    # -- direct messages -----------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A direct message, or a server message that mentions the bot: pictures are read, typed
        commands run, anything else explained. Other server messages are not the bot's."""
        if message.author.bot:
            return
        content = message.content
        if message.guild is not None:
            me = self.client.user
            if me is None or me not in message.mentions:
                return
            content = re.sub(rf"<@!?{me.id}>", "", content).strip()

        async def work(sender: Sender) -> list[Reply]:
            if message.attachments:
                replies = []
                for attachment in message.attachments:
                    replies += await self._attachment(sender, attachment)
                return replies
            if message.stickers or not content:
                return [Reply(texts.UNSUPPORTED_MESSAGE)]
            return await self.tutor.handle_text(sender, content)

        async def send(reply: Reply) -> None:
            await message.channel.send(**_message(reply))

        await self._serve(
            message.author, work, send, str(message.id), picture=bool(message.attachments)
        )

    async def _attachment(self, sender: Sender, attachment: discord.Attachment) -> list[Reply]:
        """Read an image attachment (refused before download when too big or not an image)."""
        refusal = refuse_upload(attachment.content_type or "", attachment.size)
        if refusal is not None:
            return [refusal]
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

    async def _serve(
        self,
        user: discord.User | discord.Member,
        work: Work,
        send: Callable[[Reply], Awaitable[None]],
        event_id: str,
        picture: bool = False,
        always_answer: bool = False,
    ) -> None:
        """The event taken once, the learner through the gate, ``work`` for them, each reply
        through ``send``."""

        async def deliver(replies: list[Reply]) -> None:
            for reply in fit_to(TEXT_LIMIT, replies):
                try:
                    await send(reply)
                except discord.HTTPException as error:
                    log.warning(
                        "could not send a reply on Discord: %s %s", error.status, error.code
                    )
                    return

        await serve_learner(
            self.gate,
            self._sender(user),
            work,
            deliver,
            event=(self.tutor.first_delivery, event_id),
            picture=picture,
            platform_errors=(discord.HTTPException,),
            always_answer=always_answer,
        )


def _parameter(option: commands.Option) -> inspect.Parameter:
    """A slash command's parameter for a table option: typed, with its choices, optional unless
    required (a flag defaults to off)."""
    kind = Literal[option.choices] if option.choices else option.kind
    if option.required:
        default, annotation = inspect.Parameter.empty, kind
    elif option.kind is bool:
        default, annotation = False, kind
    else:
        default, annotation = None, kind | None
    return inspect.Parameter(
        option.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )
