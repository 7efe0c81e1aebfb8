"""A fake Discord (REST API, gateway websocket, attachment CDN) for end-to-end tests of an
unmodified discord.py 2.7 client.

``FakeDiscord`` is an aiohttp web server on 127.0.0.1. Inside ``fake.pointing_discord()``,
discord.py sends every REST call to ``fake.api_base`` (interaction callbacks and webhook followups
included: they use the same ``discord.http.Route``) and opens its gateway websocket at
``fake.gateway_url``. Attachments are served from ``{fake.url}/attachments/...``, which is the
``url`` every attachment payload carries, so ``Attachment.read()`` needs no patching.

What it fakes:

* login (``GET /users/@me``, ``GET /oauth2/applications/@me``, which is where discord.py learns the
  application id), ``GET /gateway`` and ``GET /gateway/bot``;
* the gateway: HELLO, heartbeats, IDENTIFY → READY (then GUILD_CREATE for the ``guild_ids`` given
  to the constructor, each on its shard), RESUME (missed events are replayed, then RESUMED),
  sharding (one session per IDENTIFY; guild events go to shard ``(guild_id >> 22) % count``, DMs to
  shard 0). Frames are sent as plain-text JSON: discord.py asks for ``compress=zlib-stream`` (or
  zstd-stream) but only decompresses binary frames;
* global slash commands (``PUT``/``GET /applications/{id}/commands``);
* users acting: slash commands with string, integer, boolean, number and attachment options, in a
  DM or in a guild (invented on first use, with one text channel); button clicks on the bot's
  messages; direct messages with attachments; messages posted in a guild's text channel, which
  the bot sees whole only when they mention it (without the MESSAGE_CONTENT intent Discord sends
  other guild messages with no content and no attachments);
* the bot answering: interaction callbacks (message, deferred, deferred update, update message;
  autocomplete and modal callbacks are only recorded), followups (the first one after a deferred
  response replaces the "thinking" message, as on Discord), get/edit/delete of webhook messages,
  channel messages, opening DM channels, ``GET /channels/{id}``, ``GET /users/{id}``; JSON or
  multipart bodies (``payload_json`` + ``files[n]``);
* failures: users who refuse DMs (403, code 50007), injected errors (429 with the headers
  discord.py needs to retry, or any other status), a dropped gateway connection, interactions
  acknowledged twice (400, code 40060) or followed up before being acknowledged (404, code 10015),
  a wrong token (401 on REST, close code 4004 on the gateway), and a DM to a bot that did not ask
  for the DIRECT_MESSAGES intent (``dm()`` raises, since Discord would not deliver it).

What it does not fake: the MESSAGE_CONTENT intent itself, members and roles
beyond an empty role list, guild commands, subcommands and user/channel/role/mentionable options,
select menus, modal submissions, message edits or deletes through ``/channels``, reactions,
threads, voice, presences, member chunking, the 3-second and 15-minute interaction deadlines,
gateway compression, real rate-limit buckets (inject 429s instead), avatars and other CDN assets.
Any other route answers 404 and is listed in ``unhandled``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import fnmatch
import itertools
import json
import math
import mimetypes
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import yarl
from aiohttp import WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

JSON = dict[str, Any]
Upload = tuple[str, bytes, str]  # filename, data, content type
CONTENT_LIMIT = 2000

API_VERSION = 10
API_PREFIX = f"/api/v{API_VERSION}"
GATEWAY_PATH = "/gateway"
HEARTBEAT_INTERVAL_MS = 41_250
DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = str((1 << 53) - 1)
ATTACHMENT_SIZE_LIMIT = 10 * 2**20

# gateway opcodes
DISPATCH, HEARTBEAT, IDENTIFY, RESUME = 0, 1, 2, 6
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
GUILD_MESSAGES_INTENT = 1 << 9
DIRECT_MESSAGES_INTENT = 1 << 12

# interaction types, callback types, option types, message flags
APPLICATION_COMMAND, MESSAGE_COMPONENT = 2, 3
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE = 4, 5, 6, 7
PLAIN_OPTION_TYPES = {3, 4, 5, 10}  # string, integer, boolean, number
ATTACHMENT_OPTION = 11
EPHEMERAL, LOADING = 1 << 6, 1 << 7


@dataclass
class Response:
    """Something the bot said: an interaction callback, a followup, an edit or a channel message.

    ``content``, ``embeds``, ``components`` and ``files`` are what the bot sent in that request;
    ``ephemeral`` is whether the resulting message is ephemeral (a followup replacing a deferred
    "thinking" message keeps the flag of the defer); ``raw`` is a copy of the resulting message
    (the request body for callbacks that make none, such as a modal).
    """

    kind: str  # "callback", "followup", "edit" or "message"
    interaction_id: int | None
    channel_id: int | None
    user_id: int | None  # the interaction's user, or the recipient of a DM channel message
    content: str
    ephemeral: bool
    embeds: list[JSON]
    components: list[JSON]
    files: list[tuple[str, bytes]]
    raw: JSON
    callback_type: int | None = None  # callbacks only: 4 message, 5 deferred, 6, 7 update, ...


class _ApiError(Exception):
    """A Discord error answer: HTTP status, message and JSON error code."""

    def __init__(self, status: int, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code

    def response(self) -> web.Response:
        return _json({"message": self.message, "code": self.code}, self.status)


@dataclass
class _Failure:
    """An error to answer instead of the next ``times`` matching requests."""

    method: str
    pattern: str
    status: int
    retry_after: float | None
    times: int

    def matches(self, method: str, path: str) -> bool:
        return self.method == method and fnmatch.fnmatchcase(path, self.pattern)

    def response(self) -> web.Response:
        # discord.py takes a 429 without a Via header for a Cloudflare ban and does not retry it.
        headers = {"Via": "1.1 google"}
        if self.retry_after is not None:
            headers["Retry-After"] = str(math.ceil(self.retry_after))
        if self.status != HTTPStatus.TOO_MANY_REQUESTS:
            phrase = HTTPStatus(self.status).phrase
            return _json({"message": f"{self.status}: {phrase}", "code": 0}, self.status, headers)
        retry_after = self.retry_after or 0.0
        headers |= {
            "X-RateLimit-Limit": "1",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Scope": "user",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry_after}
        return _json(body | {"global": False}, self.status, headers)


@dataclass(eq=False)
class _Session:
    """A gateway session: one IDENTIFY, on one shard, resumable on a new socket."""

    id: str
    shard: tuple[int, int]
    intents: int
    ws: web.WebSocketResponse
    history: list[JSON] = field(default_factory=list)  # every dispatch, for RESUME to replay


@dataclass
class _Interaction:
    """An interaction the fake sent, and what the bot has done with it."""

    id: int
    type: int
    user_id: int
    channel_id: int
    message_id: int | None  # the message a button was clicked on
    acknowledged: bool = False
    original_id: int | None = None  # the message the callback made or updated


class _Gateway:
    """The gateway websocket: HELLO, heartbeats, IDENTIFY, RESUME and dispatching events."""

    def __init__(
        self, token: str, greet: Callable[[tuple[int, int], str], list[tuple[str, JSON]]]
    ) -> None:
        self._token = token
        self._greet = greet  # (shard, session id) → the events that open a session (READY, ...)
        self._sessions: dict[str, _Session] = {}
        self._by_shard: dict[int, _Session] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._ready = asyncio.Event()
        self.identifies: list[JSON] = []
        self.resumes: list[JSON] = []

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await _send(ws, {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._receive(ws, json.loads(message.data))
        finally:
            self._sockets.discard(ws)
        return ws

    async def _receive(self, ws: web.WebSocketResponse, payload: JSON) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            await _send(ws, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(ws, data)
        elif op == RESUME:
            await self._resume(ws, data)
        # presence updates, member requests and voice state updates are ignored

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        if data.get("token") != self._token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies.append(data)
        shard_id, count = data.get("shard", (0, 1))
        session = _Session(secrets.token_hex(16), (shard_id, count), data.get("intents", 0), ws)
        self._sessions[session.id] = self._by_shard[shard_id] = session
        for event, payload in self._greet(session.shard, session.id):
            await self._send_event(session, event, payload)
        if all(shard in self._by_shard for shard in range(count)):
            self._ready.set()

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        session = self._sessions.get(data.get("session_id"))
        if session is None or data.get("token") != self._token:
            await _send(ws, {"op": INVALID_SESSION, "d": False})
            return
        self.resumes.append(data)
        session.ws = ws
        for frame in session.history:
            if frame["s"] > (data.get("seq") or 0):
                await _send(ws, frame)
        await self._send_event(session, "RESUMED", {})

    async def _send_event(self, session: _Session, event: str, data: JSON) -> None:
        frame = {"op": DISPATCH, "t": event, "s": len(session.history) + 1, "d": data}
        session.history.append(frame)
        if not session.ws.closed:
            with contextlib.suppress(ConnectionResetError):  # kept in history for a RESUME
                await _send(session.ws, frame)

    async def dispatch(
        self, event: str, data: JSON, guild_id: int | None = None, intent: int = 0
    ) -> None:
        """Send ``event`` on the shard of ``guild_id`` (shard 0 for DMs)."""
        count = max((session.shard[1] for session in self._by_shard.values()), default=1)
        session = self._by_shard.get(_shard_of(guild_id, count))
        if session is None:
            raise RuntimeError(f"no client has identified on the shard that gets this {event}")
        if intent and not session.intents & intent:
            raise RuntimeError(
                f"the bot did not ask for intent {intent:#x}, so Discord would not send {event}"
            )
        await self._send_event(session, event, data)

    async def wait_ready(self, timeout: float) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout)

    async def disconnect(self, code: int) -> None:
        """Close every open gateway socket with ``code``; sessions stay resumable."""
        await asyncio.gather(*(ws.close(code=code) for ws in list(self._sockets)))


class FakeDiscord:
    """A fake Discord server for one bot application; see the module docstring."""

    def __init__(
        self,
        token: str = "fake-discord-token",
        application_id: int = 900000000000000001,
        bot_id: int | None = None,
        guild_ids: Iterable[int] = (),
        member_roles: dict[int, list[int]] | None = None,
    ) -> None:
        """``bot_id`` defaults to ``application_id``, as for Discord bots; ``guild_ids`` are the
        guilds the bot is in, announced in READY and GUILD_CREATE; ``member_roles`` gives the
        role ids each user holds in every guild (the roles exist in every guild)."""
        self.token = token
        self.application_id = application_id
        self.bot_id = bot_id or application_id
        self.guild_ids = list(guild_ids)
        self.member_roles = member_roles or {}
        self.url = self.api_base = self.gateway_url = ""
        self.commands: list[JSON] = []  # global application commands as last synced
        self.responses: list[Response] = []
        self.requests: list[str] = []  # "METHOD path", path relative to api_base
        self.unhandled: list[str] = []  # requests to routes the fake does not know
        self._gateway = _Gateway(token, self._greet)
        self._counter = itertools.count(1)
        self._users: dict[int, JSON] = {self.bot_id: self._bot_user()}
        self.owner_id = self._snowflake()  # the application's owner
        self._channels: dict[int, JSON] = {}
        self._dm_channels: dict[int, int] = {}  # user id → DM channel id
        self._guild_channels: dict[int, int] = {}  # guild id → its text channel id
        self._messages: dict[int, JSON] = {}  # the bot's messages
        self._interactions: dict[str, _Interaction] = {}  # by token
        self._files: dict[str, tuple[bytes, str]] = {}  # attachment id → data, content type
        self._forbidden: set[int] = set()
        self._failures: list[_Failure] = []
        self._responded = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    # -- life cycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1 and set ``url``, ``api_base`` and ``gateway_url``."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 2**20)
        app.add_routes(self._routes())
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self.api_base = f"{self.url}{API_PREFIX}"
        self.gateway_url = f"ws://127.0.0.1:{port}{GATEWAY_PATH}"

    async def stop(self) -> None:
        """Close the gateway sockets and stop listening."""
        await self._gateway.disconnect(code=1001)
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def pointing_discord(self) -> Iterator[None]:
        """Point discord.py at this fake (call after ``start``), restoring it on exit.

        Sets ``discord.http.Route.BASE = api_base`` (all REST, interaction callbacks and webhooks)
        and ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)`` (a
        ``yarl.URL``, not a str). The READY payload's ``resume_gateway_url`` and
        ``GET /gateway/bot`` point at the fake too; attachment URLs are the fake's own.
        """
        if not self.url:
            raise RuntimeError("start the fake before pointing discord.py at it")
        saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self.api_base, yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved

    async def wait_ready(self, timeout: float = 10) -> None:
        """Until a client has identified and been sent READY (on every shard, if sharded)."""
        await self._gateway.wait_ready(timeout)

    @property
    def identifies(self) -> list[JSON]:
        """The IDENTIFY payloads received (``shard``, ``intents``, ...)."""
        return self._gateway.identifies

    @property
    def resumes(self) -> list[JSON]:
        """The RESUME payloads received."""
        return self._gateway.resumes

    # -- what users and Discord do ---------------------------------------------------------

    async def slash(
        self,
        user_id: int,
        command: str,
        options: dict[str, Any] | None = None,
        guild_id: int | None = None,
        attachment: Upload | None = None,
    ) -> int:
        """``user_id`` runs the bot's global slash command ``command``; returns the interaction id.

        In a DM when ``guild_id`` is None, else in that guild's text channel. ``attachment``
        (filename, bytes, content type) fills the command's first attachment option.
        """
        registered = self._command(command)
        channel = self._context_channel(user_id, guild_id)
        options = self._options(registered, options or {}, attachment, int(channel["id"]))
        data = {"id": registered["id"], "name": command, "type": 1} | options
        return await self._interact(user_id, APPLICATION_COMMAND, data, guild_id, channel)

    async def click(self, user_id: int, message_id: int, custom_id: str) -> int:
        """``user_id`` clicks the button ``custom_id`` on the bot's message; returns the
        interaction id. The guild and channel are the message's."""
        message = self._messages.get(message_id)
        if message is None:
            raise LookupError(f"the bot sent no message {message_id}")
        component = _find_component(message["components"], custom_id)
        if component is None:
            raise LookupError(f"message {message_id} has no component with custom_id {custom_id!r}")
        data = {"custom_id": custom_id, "component_type": component["type"]}
        channel = self._channels[int(message["channel_id"])]
        guild_id = int(channel["guild_id"]) if "guild_id" in channel else None
        return await self._interact(user_id, MESSAGE_COMPONENT, data, guild_id, channel, message)

    async def dm(self, user_id: int, content: str = "", attachments: Iterable[Upload] = ()) -> int:
        """``user_id`` sends the bot a direct message; returns the message id."""
        channel_id = int(self._dm_channel(user_id)["id"])
        stored = [self._store_attachment(channel_id, *upload) for upload in attachments]
        message = self._message(channel_id, self._user(user_id), {"content": content}, stored)
        await self._gateway.dispatch("MESSAGE_CREATE", message, intent=DIRECT_MESSAGES_INTENT)
        return int(message["id"])

    async def post(
        self,
        user_id: int,
        guild_id: int,
        content: str = "",
        attachments: Iterable[Upload] = (),
        mention_bot: bool = False,
    ) -> int:
        """``user_id`` posts in ``guild_id``'s text channel (mentioning the bot first if
        ``mention_bot``); returns the message id. The bot gets the content and attachments only
        when it is mentioned, as a bot without the MESSAGE_CONTENT intent does."""
        channel_id = int(self._guild_channel(guild_id)["id"])
        if mention_bot:
            content = f"<@{self.bot_id}> {content}".strip()
        stored = [self._store_attachment(channel_id, *upload) for upload in attachments]
        message = self._message(channel_id, self._user(user_id), {"content": content}, stored)
        message["guild_id"] = str(guild_id)
        member = self._member(user_id)
        del member["user"]  # MESSAGE_CREATE's member leaves out the user (it is the author)
        message["member"] = member
        if mention_bot:
            message["mentions"] = [self._users[self.bot_id]]
        else:
            message["content"], message["attachments"] = "", []
        await self._gateway.dispatch(
            "MESSAGE_CREATE", message, guild_id=guild_id, intent=GUILD_MESSAGES_INTENT
        )
        return int(message["id"])

    def forbid_dm(self, user_id: int) -> None:
        """Later messages to ``user_id``'s DM channel fail: 403, code 50007."""
        self._forbidden.add(user_id)

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` ``method`` requests whose path (relative to ``api_base``)
        matches the glob ``path_pattern`` (e.g. ``/channels/*/messages``) with ``status``.

        A 429 carries ``retry_after`` (default 0) in its JSON body and X-RateLimit headers, so
        discord.py sleeps and retries; discord.py also retries 500, 502, 504 and 524, after 1 s.
        """
        self._failures.append(_Failure(method.upper(), path_pattern, status, retry_after, times))

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's gateway connections; discord.py reconnects and RESUMEs."""
        await self._gateway.disconnect(code)

    # -- what the bot did ------------------------------------------------------------------

    def responses_to(self, user_id: int) -> list[Response]:
        """The responses concerning ``user_id``, in order."""
        return [response for response in self.responses if response.user_id == user_id]

    async def wait_for(self, user_id: int, count: int, timeout: float = 10) -> list[Response]:
        """Until at least ``count`` responses concern ``user_id``; returns them all."""
        try:
            async with asyncio.timeout(timeout), self._responded:
                await self._responded.wait_for(lambda: len(self.responses_to(user_id)) >= count)
        except TimeoutError:
            arrived = [(r.kind, r.content) for r in self.responses_to(user_id)]
            raise TimeoutError(
                f"{count} responses to user {user_id} expected within {timeout} s; got {arrived}"
            ) from None
        return self.responses_to(user_id)

    # -- the world: users, channels, guilds, messages, attachments --------------------------

    def _snowflake(self) -> int:
        milliseconds = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (milliseconds << 22) | (next(self._counter) & 0x3FFFFF)

    def _bot_user(self) -> JSON:
        return {
            "id": str(self.bot_id),
            "username": "FakeBot",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "public_flags": 0,
        }

    def _user(self, user_id: int) -> JSON:
        """The user ``user_id``, created on first use as ``user<id>``."""
        if user_id not in self._users:
            self._users[user_id] = {
                "id": str(user_id),
                "username": f"user{user_id}",
                "discriminator": "0",
                "global_name": None,
                "avatar": None,
                "public_flags": 0,
            }
        return self._users[user_id]

    def _member(self, user_id: int) -> JSON:
        return {
            "user": self._user(user_id),
            "roles": [str(role) for role in self.member_roles.get(user_id, [])],
            "joined_at": _timestamp(self._snowflake()),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
        }

    def _dm_channel(self, user_id: int) -> JSON:
        """The DM channel between the bot and ``user_id``, opened on first use."""
        if user_id not in self._dm_channels:
            channel_id = self._dm_channels[user_id] = self._snowflake()
            self._channels[channel_id] = {
                "id": str(channel_id),
                "type": 1,
                "recipients": [self._user(user_id)],
                "last_message_id": None,
                "flags": 0,
            }
        return self._channels[self._dm_channels[user_id]]

    def _guild_channel(self, guild_id: int) -> JSON:
        """The text channel of ``guild_id``, made on first use."""
        if guild_id not in self._guild_channels:
            channel_id = self._guild_channels[guild_id] = self._snowflake()
            self._channels[channel_id] = {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
            }
        return self._channels[self._guild_channels[guild_id]]

    def _context_channel(self, user_id: int, guild_id: int | None) -> JSON:
        return self._dm_channel(user_id) if guild_id is None else self._guild_channel(guild_id)

    def _recipient(self, channel_id: int) -> int | None:
        """The user at the other end of a DM channel; None for guild channels."""
        channel = self._channels[channel_id]
        return int(channel["recipients"][0]["id"]) if channel["type"] == 1 else None

    def _role_ids(self) -> list[int]:
        return sorted({role for roles in self.member_roles.values() for role in roles})

    def _guild(self, guild_id: int) -> JSON:
        """A GUILD_CREATE payload: @everyone, one text channel, the bot as the only member."""
        everyone = {"id": str(guild_id), "name": "@everyone", "permissions": ALL_PERMISSIONS}
        return {
            "id": str(guild_id),
            "name": f"guild{guild_id}",
            "unavailable": False,
            "large": False,
            "member_count": 1,
            "joined_at": _timestamp(self._snowflake()),
            "features": [],
            "roles": [everyone | {"position": 0}] + [_role(r) for r in self._role_ids()],
            "channels": [self._guild_channel(guild_id)],
            "members": [self._member(self.bot_id)],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }

    def _greet(self, shard: tuple[int, int], session_id: str) -> list[tuple[str, JSON]]:
        """READY, then a GUILD_CREATE for each of the bot's guilds on ``shard``."""
        guilds = [guild for guild in self.guild_ids if _shard_of(guild, shard[1]) == shard[0]]
        ready = {
            "v": API_VERSION,
            "user": self._users[self.bot_id],
            "session_id": session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": list(shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "guilds": [{"id": str(guild), "unavailable": True} for guild in guilds],
            "private_channels": [],
        }
        return [("READY", ready)] + [("GUILD_CREATE", self._guild(guild)) for guild in guilds]

    def _store_attachment(
        self, channel_id: int, filename: str, data: bytes, content_type: str
    ) -> JSON:
        """Keep ``data`` on the fake CDN; returns its attachment object."""
        attachment_id = str(self._snowflake())
        self._files[attachment_id] = (data, content_type)
        url = f"{self.url}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"
        return {
            "id": attachment_id,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    def _message(self, channel_id: int, author: JSON, body: JSON, attachments: list[JSON]) -> JSON:
        message_id = self._snowflake()
        return {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": author,
            "content": body.get("content") or "",
            "timestamp": _timestamp(message_id),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }

    def _bot_message(
        self, channel_id: int, body: JSON, uploads: list[Upload], interaction: bool = False
    ) -> JSON:
        """A message by the bot (through an interaction's webhook if ``interaction``), kept."""
        stored = [self._store_attachment(channel_id, *upload) for upload in uploads]
        message = self._message(channel_id, self._users[self.bot_id], body, stored)
        if interaction:
            app = str(self.application_id)
            message |= {"webhook_id": app, "application_id": app}
        self._messages[int(message["id"])] = message
        return message

    def _edit(self, message: JSON, body: JSON, uploads: list[Upload]) -> None:
        """Apply an edit: the fields given, kept attachments plus new uploads, no "thinking"."""
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ("" if key == "content" else [])
        if "attachments" in body:
            kept = {str(attachment.get("id")) for attachment in body["attachments"]}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in kept]
        channel_id = int(message["channel_id"])
        message["attachments"] += [self._store_attachment(channel_id, *u) for u in uploads]
        message["flags"] &= ~LOADING
        message["edited_timestamp"] = _timestamp(self._snowflake())

    # -- interactions ----------------------------------------------------------------------

    def _command(self, name: str) -> JSON:
        for command in self.commands:
            if command["name"] == name and command.get("type", 1) == 1:
                return command
        registered = sorted(command["name"] for command in self.commands)
        raise LookupError(f"the bot registered no slash command /{name}; it has {registered}")

    def _options(
        self, command: JSON, values: dict[str, Any], attachment: Upload | None, channel_id: int
    ) -> JSON:
        """The ``options`` (and ``resolved``) of a slash command's interaction data."""
        declared = {option["name"]: option for option in command.get("options", [])}
        options = [self._plain_option(command, declared, name, v) for name, v in values.items()]
        resolved: JSON = {}
        if attachment is not None:
            name = next((n for n, o in declared.items() if o["type"] == ATTACHMENT_OPTION), None)
            if name is None:
                raise ValueError(f"/{command['name']} has no attachment option")
            stored = self._store_attachment(channel_id, *attachment)
            options.append({"name": name, "type": ATTACHMENT_OPTION, "value": stored["id"]})
            resolved = {"attachments": {stored["id"]: stored}}
        given = {option["name"] for option in options}
        missing = [n for n, o in declared.items() if o.get("required") and n not in given]
        if missing:
            raise ValueError(f"/{command['name']} needs the options {missing}")
        return {"options": options, "resolved": resolved} if resolved else {"options": options}

    @staticmethod
    def _plain_option(command: JSON, declared: dict[str, JSON], name: str, value: Any) -> JSON:
        option = declared.get(name)
        if option is None:
            raise ValueError(f"/{command['name']} has no option {name!r}; it has {list(declared)}")
        if option["type"] not in PLAIN_OPTION_TYPES:
            raise ValueError(f"the fake cannot fill option {name!r} of type {option['type']}")
        return {"name": name, "type": option["type"], "value": value}

    async def _interact(
        self,
        user_id: int,
        kind: int,
        data: JSON,
        guild_id: int | None,
        channel: JSON,
        message: JSON | None = None,
    ) -> int:
        """Send INTERACTION_CREATE; returns the interaction id."""
        message_id = None if message is None else int(message["id"])
        interaction = _Interaction(self._snowflake(), kind, user_id, int(channel["id"]), message_id)
        token = secrets.token_hex(32)
        self._interactions[token] = interaction
        payload = {
            "id": str(interaction.id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": channel["id"],
            "channel": channel,
            "app_permissions": ALL_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild_id is None:
            payload |= {"user": self._user(user_id), "context": 1}  # bot DM
        else:
            who = {"member": self._member(user_id), "context": 0}  # guild
            payload |= {"guild_id": str(guild_id), "guild_locale": "en-US"} | who
        if message is not None:
            payload["message"] = message
        await self._gateway.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return interaction.id

    def _answer(
        self, interaction: _Interaction, callback_type: int, data: JSON, uploads: list[Upload]
    ) -> JSON | None:
        """Carry out an interaction callback; returns the message it made or updated."""
        if callback_type in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            if callback_type == DEFERRED_CHANNEL_MESSAGE:
                data, uploads = {"flags": (data.get("flags") or 0) | LOADING}, []
            message = self._bot_message(interaction.channel_id, data, uploads, interaction=True)
        elif callback_type in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            if interaction.message_id is None:
                raise _ApiError(400, "This interaction has no message to update", 50035)
            message = self._messages[interaction.message_id]
            if callback_type == UPDATE_MESSAGE:
                self._edit(message, data, uploads)
        else:
            return None  # autocomplete choices and modals are only recorded
        interaction.original_id = int(message["id"])
        return message

    @staticmethod
    def _callback_result(
        interaction: _Interaction, callback_type: int, message: JSON | None
    ) -> JSON:
        """The interaction callback response discord.py asks for with ``?with_response``."""
        callback: JSON = {"id": str(interaction.id), "type": interaction.type}
        resource: JSON = {"type": callback_type}
        if message is not None:
            callback |= {
                "response_message_id": message["id"],
                "response_message_loading": bool(message["flags"] & LOADING),
                "response_message_ephemeral": bool(message["flags"] & EPHEMERAL),
            }
            if callback_type in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                resource["message"] = message
        return {"interaction": callback, "resource": resource}

    async def _record(
        self,
        kind: str,
        sent: JSON,
        uploads: list[Upload],
        result: JSON,
        interaction: _Interaction | None = None,
        callback_type: int | None = None,
    ) -> None:
        if interaction is None:
            channel_id = int(result["channel_id"])
            user_id = self._recipient(channel_id)
        else:
            channel_id, user_id = interaction.channel_id, interaction.user_id
        response = Response(
            kind=kind,
            interaction_id=None if interaction is None else interaction.id,
            channel_id=channel_id,
            user_id=user_id,
            content=sent.get("content") or "",
            ephemeral=bool((result.get("flags") or 0) & EPHEMERAL),
            embeds=sent.get("embeds") or [],
            components=sent.get("components") or [],
            files=[(filename, data) for filename, data, _ in uploads],
            raw=copy.deepcopy(result),
            callback_type=callback_type,
        )
        async with self._responded:
            self.responses.append(response)
            self._responded.notify_all()

    # -- HTTP plumbing -----------------------------------------------------------------------

    def _routes(self) -> list[web.RouteDef]:
        api = API_PREFIX
        webhook_message = f"{api}/webhooks/{{application_id}}/{{token}}/messages/{{message_id}}"
        return [
            web.get(GATEWAY_PATH, self._gateway.handle),
            web.get("/attachments/{channel_id}/{attachment_id}/{filename}", self._download),
            web.get(f"{api}/users/@me", self._get_me),
            web.post(f"{api}/users/@me/channels", self._open_dm),
            web.get(f"{api}/users/{{user_id}}", self._get_user),
            web.get(f"{api}/oauth2/applications/@me", self._get_application),
            web.get(f"{api}/gateway", self._get_gateway),
            web.get(f"{api}/gateway/bot", self._get_gateway_bot),
            web.get(f"{api}/applications/{{application_id}}/commands", self._get_commands),
            web.put(f"{api}/applications/{{application_id}}/commands", self._put_commands),
            web.post(f"{api}/interactions/{{interaction_id}}/{{token}}/callback", self._callback),
            web.post(f"{api}/webhooks/{{application_id}}/{{token}}", self._followup),
            web.get(webhook_message, self._get_webhook_message),
            web.patch(webhook_message, self._edit_webhook_message),
            web.delete(webhook_message, self._delete_webhook_message),
            web.get(f"{api}/channels/{{channel_id}}", self._get_channel),
            web.post(f"{api}/channels/{{channel_id}}/messages", self._post_message),
        ]

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Record the call, answer injected failures, check the token, turn errors into JSON."""
        if request.path == GATEWAY_PATH:
            return await handler(request)
        path = request.path.removeprefix(API_PREFIX)
        self.requests.append(f"{request.method} {path}")
        try:
            if request.match_info.http_exception is not None:
                self.unhandled.append(f"{request.method} {path}")
                raise _ApiError(404, "404: Not Found")
            failure = self._take_failure(request.method, path)
            if failure is not None:
                return failure.response()
            self._check_token(request)
            return await handler(request)
        except _ApiError as error:
            return error.response()

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.matches(method, path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _check_token(self, request: web.Request) -> None:
        """Bot routes need ``Authorization: Bot <token>``; interaction webhooks, the CDN don't."""
        open_prefixes = ("/attachments/", f"{API_PREFIX}/interactions/", f"{API_PREFIX}/webhooks/")
        if request.path.startswith(open_prefixes):
            return
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise _ApiError(401, "401: Unauthorized")

    def _check_application(self, request: web.Request) -> None:
        if request.match_info["application_id"] != str(self.application_id):
            raise _ApiError(404, "Unknown Application", 10002)

    def _channel(self, raw_id: str) -> JSON:
        channel = self._channels.get(int(raw_id)) if raw_id.isdigit() else None
        if channel is None:
            raise _ApiError(404, "Unknown Channel", 10003)
        return channel

    def _webhook_interaction(self, request: web.Request) -> _Interaction:
        interaction = self._interactions.get(request.match_info["token"])
        if request.match_info["application_id"] != str(self.application_id) or not interaction:
            raise _ApiError(404, "Unknown Webhook", 10015)
        return interaction

    def _webhook_message(self, request: web.Request) -> tuple[_Interaction, JSON]:
        interaction = self._webhook_interaction(request)
        raw_id = request.match_info["message_id"]
        message_id = interaction.original_id if raw_id == "@original" else int(raw_id)
        message = self._messages.get(message_id) if message_id is not None else None
        if message is None:
            raise _ApiError(404, "Unknown Message", 10008)
        return interaction, message

    # -- REST handlers -------------------------------------------------------------------------

    async def _download(self, request: web.Request) -> web.Response:
        stored = self._files.get(request.match_info["attachment_id"])
        if stored is None:
            raise _ApiError(404, "404: Not Found")
        data, content_type = stored
        return web.Response(body=data, content_type=content_type)

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json(self._users[self.bot_id])

    async def _get_user(self, request: web.Request) -> web.Response:
        return _json(self._user(int(request.match_info["user_id"])))

    async def _open_dm(self, request: web.Request) -> web.Response:
        body = await request.json()
        return _json(self._dm_channel(int(body["recipient_id"])))

    async def _get_application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(self.application_id),
                "name": "FakeBot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self._user(self.owner_id),
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,  # else discord.py warns it gets no interactions
                "bot": self._users[self.bot_id],
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_commands(self, request: web.Request) -> web.Response:
        self._check_application(request)
        return _json(self.commands)

    async def _put_commands(self, request: web.Request) -> web.Response:
        """Replace the global commands; a command keeps its id while its name stays."""
        self._check_application(request)
        known = {command["name"]: command["id"] for command in self.commands}
        app = str(self.application_id)
        self.commands = [
            {"type": 1, "description": ""}
            | command
            | {
                "id": known.get(command["name"]) or str(self._snowflake()),
                "application_id": app,
                "version": str(self._snowflake()),
            }
            for command in await request.json()
        ]
        return _json(self.commands)

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self._interactions.get(request.match_info["token"])
        if interaction is None or str(interaction.id) != request.match_info["interaction_id"]:
            raise _ApiError(404, "Unknown interaction", 10062)
        if interaction.acknowledged:
            raise _ApiError(400, "Interaction has already been acknowledged.", 40060)
        body, uploads = await _read_body(request)
        callback_type, data = body["type"], body.get("data") or {}
        message = self._answer(interaction, callback_type, data, uploads)
        interaction.acknowledged = True
        await self._record("callback", data, uploads, message or body, interaction, callback_type)
        if "with_response" not in request.query:
            return web.Response(status=204)
        return _json(self._callback_result(interaction, callback_type, message))

    async def _followup(self, request: web.Request) -> web.Response:
        interaction = self._webhook_interaction(request)
        if not interaction.acknowledged:
            raise _ApiError(404, "Unknown Webhook", 10015)
        body, uploads = await _read_body(request)
        original = self._messages.get(interaction.original_id or 0)
        if original is not None and original["flags"] & LOADING:
            self._edit(original, body, uploads)  # the first followup replaces "thinking..."
            message = original
        else:
            message = self._bot_message(interaction.channel_id, body, uploads, interaction=True)
        await self._record("followup", body, uploads, message, interaction)
        return _json(message)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        return _json(self._webhook_message(request)[1])

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        interaction, message = self._webhook_message(request)
        body, uploads = await _read_body(request)
        self._edit(message, body, uploads)
        await self._record("edit", body, uploads, message, interaction)
        return _json(message)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        _, message = self._webhook_message(request)
        del self._messages[int(message["id"])]
        return web.Response(status=204)

    async def _get_channel(self, request: web.Request) -> web.Response:
        return _json(self._channel(request.match_info["channel_id"]))

    async def _post_message(self, request: web.Request) -> web.Response:
        channel_id = int(self._channel(request.match_info["channel_id"])["id"])
        if self._recipient(channel_id) in self._forbidden:
            raise _ApiError(403, "Cannot send messages to this user", 50007)
        body, uploads = await _read_body(request)
        message = self._bot_message(channel_id, body, uploads)
        await self._record("message", body, uploads, message)
        return _json(message)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": discord.py parses nothing else (web.json_response adds a charset).
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


async def _send(ws: web.WebSocketResponse, payload: JSON) -> None:
    await ws.send_str(json.dumps(payload))


async def _read_body(request: web.Request) -> tuple[JSON, list[Upload]]:
    """The JSON payload and the files of a JSON or multipart (``payload_json`` + ``files[n]``)
    body; a file's content type is guessed from its name, as Discord does. Content over
    :data:`CONTENT_LIMIT` characters is refused, as Discord refuses it."""
    payload, uploads = await _read_parts(request)
    if len(payload.get("content") or "") > CONTENT_LIMIT:
        raise _ApiError(400, "Invalid Form Body (content: Must be 2000 or fewer in length.)", 50035)
    return payload, uploads


async def _read_parts(request: web.Request) -> tuple[JSON, list[Upload]]:
    if request.content_type != "multipart/form-data":
        return (await request.json() if request.body_exists else {}), []
    payload: JSON = {}
    uploads: list[Upload] = []
    async for part in await request.multipart():
        if part.name == "payload_json":
            payload = json.loads(await part.text())
        elif part.filename:
            content_type = mimetypes.guess_type(part.filename)[0] or "application/octet-stream"
            uploads.append((part.filename, bytes(await part.read()), content_type))
    return payload, uploads


def _find_component(components: list[JSON], custom_id: str) -> JSON | None:
    """The component with ``custom_id`` among ``components``, searching rows and sections."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        accessory = [component["accessory"]] if "accessory" in component else []
        found = _find_component(component.get("components", []) + accessory, custom_id)
        if found is not None:
            return found
    return None


def _shard_of(guild_id: int | None, shard_count: int) -> int:
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


def _timestamp(snowflake: int) -> str:
    milliseconds = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(milliseconds / 1000, UTC).isoformat()


def _role(role_id: int) -> JSON:
    """A role without permissions."""
    return {
        "id": str(role_id),
        "name": f"role{role_id}",
        "color": 0,
        "hoist": False,
        "position": 1,
        "permissions": "0",
        "managed": False,
        "mentionable": False,
    }
