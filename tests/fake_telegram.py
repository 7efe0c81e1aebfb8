"""A fake Telegram Bot API server, for end-to-end tests of an unmodified python-telegram-bot.

``FakeTelegram`` is an aiohttp web server on 127.0.0.1 that answers like
https://api.telegram.org/bot<token>/<method> and https://api.telegram.org/file/bot<token>/<path>,
so a real ``telegram.ext.Application`` built with ``.base_url(fake.base_url)`` and
``.base_file_url(fake.base_file_url)`` runs against it, by long polling or by webhook.

What it fakes:

* private chats only (chat id == user id): users send text and commands, photos, documents,
  stickers, voice messages and videos, and press inline buttons on the bot's messages;
* getMe; getUpdates (long polling: ``offset`` confirms updates, ``timeout`` holds the request,
  ``limit``); setWebhook, deleteWebhook, getWebhookInfo (updates are then POSTed to the bot with
  the secret token header); setMyCommands, getMyCommands, deleteMyCommands (the default scope
  and ``chat`` scopes, whose chat must be one the fake has seen); sendMessage,
  sendPhoto, sendDocument, sendAnimation, sendVoice, sendChatAction; setMyDescription,
  setMyShortDescription; editMessageText,
  editMessageReplyMarkup; answerCallbackQuery; getFile and file downloads;
* parameters as JSON, as a URL-encoded form or as multipart/form-data (PTB's httpx transport sends
  forms in which every value that is not a string is JSON-encoded, files as multipart parts);
* failures: blocked users (403), injected errors (429 with ``retry_after``, 5xx), slow answers,
  and some of the real server's refusals (unknown methods, edits that change nothing, getFile on
  files over 20 MB, texts over 4096 and captions over 1024 characters, answering an unknown
  callback query, getUpdates while a webhook is set).

What it does not fake: groups and channels, inline mode, media groups, payments, any other method,
``parse_mode`` and entities in the bot's messages, ``allowed_updates`` filtering, command scopes
other than the default and one chat's, command languages, HTTPS and webhook certificates, sending
files by URL, real picture sizes (every photo is reported as 90x90 and 800x800), and the flood
limits of the real server (inject them instead). A request whose client gives up (a PTB timeout) is
abandoned, so it has no effect.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Hashable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import PurePosixPath
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

JSON = dict[str, Any]

MAX_DOWNLOAD_SIZE = 20 * 2**20  # getFile refuses bigger files, as the real Bot API does
TEXT_LIMIT = 4096  # characters of a message text, as the real Bot API allows
CAPTION_LIMIT = 1024  # characters of a caption
_UPDATES = "updates"  # signal key: an update was queued, or the server is closing
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


@dataclass
class SentMessage:
    """One message the bot sent or edited, as the fake recorded it."""

    method: str
    chat_id: int
    message_id: int
    text: str | None  # the text, or the caption of a photo, document or animation
    photo: bytes | None = None  # the bytes uploaded, when the bot uploaded a file
    document: bytes | None = None
    animation: bytes | None = None
    voice: bytes | None = None
    reply_markup: JSON | None = None
    params: JSON = field(default_factory=dict)  # the parameters as received, files left out


class _ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    @classmethod
    def injected(cls, status: int, retry_after: int | None) -> _ApiError:
        """The error ``fail_next`` asked for: the status's phrase, and ``retry_after`` if any."""
        phrase = HTTPStatus(status).phrase
        if retry_after is None:
            return cls(status, phrase)
        return cls(status, f"{phrase}: retry after {retry_after}", {"retry_after": retry_after})

    def response(self) -> web.Response:
        """The JSON answer the real server gives for this error."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.status)


_UNAUTHORIZED = _ApiError(401, "Unauthorized")
_BLOCKED = _ApiError(403, "Forbidden: bot was blocked by the user")


@dataclass
class _Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str
    content_type: str


@dataclass
class _Call:
    """The parameters of one Bot API call, whichever way they were encoded."""

    params: JSON
    files: dict[str, _Upload]

    @classmethod
    async def read(cls, request: web.Request) -> _Call:
        """Parse the query string and a JSON, URL-encoded or multipart body."""
        params: JSON = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[name] = _Upload(value.file.read(), value.filename, value.content_type)
                else:
                    params[name] = value
        return cls(params, files)

    def required(self, name: str) -> Any:
        """A parameter the method cannot do without."""
        if self.params.get(name) in (None, ""):
            raise _ApiError(400, f"Bad Request: {name} is empty")
        return self.params[name]

    def get_str(self, name: str) -> str | None:
        value = self.params.get(name)
        return None if value is None else str(value)

    def get_int(self, name: str, default: int) -> int:
        try:
            return int(self.params.get(name, default))
        except ValueError:
            raise _ApiError(400, f"Bad Request: {name} is not a number") from None

    def get_float(self, name: str, default: float) -> float:
        try:
            return float(self.params.get(name, default))
        except ValueError:
            raise _ApiError(400, f"Bad Request: {name} is not a number") from None

    def get_bool(self, name: str) -> bool:
        return self.params.get(name) in (True, "true", "True", "1")

    def get_json(self, name: str) -> Any:
        """A structured parameter: JSON-encoded in a form, as it is in a JSON body."""
        value = self.params.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise _ApiError(400, f"Bad Request: can't parse {name} JSON object") from None

    def chat_id(self) -> int:
        """The ``chat_id``: a user id, as only private chats are faked."""
        try:
            return int(self.params["chat_id"])
        except (KeyError, ValueError):
            raise _ApiError(400, "Bad Request: chat not found") from None


@dataclass
class _StoredFile:
    """A file on the fake server, under a file_id and a file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    size: int  # the size reported to the bot, which may differ from len(data)

    def describe(self) -> JSON:
        """The fields every Bot API file object (PhotoSize, Document, ...) has."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }


class _FileStore:
    """The files users and the bot sent, by file_id and by file_path."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._by_id: dict[str, _StoredFile] = {}
        self._by_path: dict[str, _StoredFile] = {}

    def add(self, data: bytes, folder: str, name: str, size: int | None = None) -> _StoredFile:
        """Store ``data``; the file_path gets ``name``'s extension, as Telegram's paths do."""
        number = next(self._numbers)
        path = f"{folder}/file_{number}{PurePosixPath(name).suffix}"
        stored = _StoredFile(
            f"file-{number}", f"unique-{number}", path, data, len(data) if size is None else size
        )
        self._by_id[stored.file_id] = stored
        self._by_path[path] = stored
        return stored

    def get(self, file_id: str) -> _StoredFile | None:
        return self._by_id.get(file_id)

    def at(self, file_path: str) -> _StoredFile | None:
        return self._by_path.get(file_path)


_Waiter = tuple[Callable[[], bool], asyncio.Future]


class _Signals:
    """Let coroutines wait for a condition that is re-checked whenever its key is notified.

    Each waiter is woken only by its own key (a chat, a method name), so 200 users waiting for
    their replies cost nothing while other chats are busy.
    """

    def __init__(self) -> None:
        self._waiting: defaultdict[Hashable, list[_Waiter]] = defaultdict(list)

    async def wait(self, key: Hashable, ready: Callable[[], bool], timeout: float) -> None:
        """Return once ``ready()`` holds; raise TimeoutError after ``timeout`` seconds."""
        if ready():
            return
        entry = (ready, asyncio.get_running_loop().create_future())
        self._waiting[key].append(entry)
        try:
            async with asyncio.timeout(timeout):
                await entry[1]
        finally:
            self._waiting[key].remove(entry)

    def notify(self, key: Hashable) -> None:
        """Wake the waiters on ``key`` whose condition now holds."""
        for ready, future in self._waiting.get(key, ()):
            if not future.done() and ready():
                future.set_result(None)


def _now() -> int:
    return int(time.time())


def _data(upload: _Upload | None) -> bytes | None:
    return upload.data if upload else None


def _utf16_length(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    """A fake Bot API server for one bot; use ``async with FakeTelegram() as fake:``.

    Tests play the users with the ``user_*`` methods and ``press_button``, then check what the bot
    did in ``sent`` (or ``await wait_for(...)``), ``answered_callbacks``, ``commands``,
    ``webhook``, ``downloads`` and ``requests``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        username: str = "hangul_test_bot",
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.username = username
        self.url = self.base_url = self.base_file_url = ""  # set by start()

        self.sent: list[SentMessage] = []
        self.answered_callbacks: list[str] = []
        self.commands: list[JSON] = []
        """The command menu of the default scope."""
        self.description = ""
        self.short_description = ""
        self.chat_commands: dict[int, list[JSON]] = {}
        """Command menus set for one chat (``BotCommandScopeChat``)."""
        self.known_chats: set[int] = set()
        """Chats whose user has written to the bot (the only ones a chat scope may name)."""
        self.webhook: JSON | None = None
        self.webhook_errors: list[str] = []
        self.downloads: list[str] = []
        self.requests: list[str] = []

        self._files = _FileStore()
        self._signals = _Signals()
        self._by_chat: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self._bot_messages: dict[tuple[int, int], JSON] = {}
        self._pending: deque[JSON] = deque()  # updates not yet confirmed through getUpdates
        self._updates: dict[int, tuple[int, JSON]] = {}  # every update, for redelivery
        self._update_ids = itertools.count(1)
        self._message_ids: defaultdict[int, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._names: dict[int, str] = {}
        self._blocked: set[int] = set()
        self._failures: defaultdict[str, deque[_ApiError]] = defaultdict(deque)
        self._delays: defaultdict[str, deque[float]] = defaultdict(deque)
        self._deliveries: set[asyncio.Task] = set()
        self._last_delivery: dict[int, asyncio.Task] = {}
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._methods: dict[str, Callable[[_Call], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendAnimation": self._send_animation,
            "sendVoice": self._send_voice,
            "setMyDescription": self._set_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
        }

    # -- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1 and set the URLs."""
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # handler_cancellation: a long poll or a delayed answer ends when PTB gives up on it.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.url}/bot"
        self.base_file_url = f"{self.url}/file/bot"
        self._session = ClientSession(timeout=ClientTimeout(total=10))

    async def stop(self) -> None:
        """End long polls, finish webhook deliveries, and stop listening."""
        self._closing = True
        self._signals.notify(_UPDATES)
        await asyncio.gather(*self._deliveries, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()
        if self._session:
            await self._session.close()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- what users do -----------------------------------------------------------------------

    def user_text(self, user_id: int, text: str, first_name: str = "Learner") -> int:
        """The user sends ``text``; a leading ``/command`` gets its bot_command entity."""
        self._names[user_id] = first_name
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_length(command)}
            ]
        return self._user_message(user_id, content)

    def user_photo(self, user_id: int, data: bytes, caption: str | None = None) -> int:
        """The user sends a photo, offered in two sizes that both hold ``data``."""
        sizes = [
            self._files.add(data, "photos", "photo.jpg").describe()
            | {"width": side, "height": side}
            for side in (90, 800)
        ]
        content: JSON = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user_id, content)

    def user_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        mime_type: str,
        file_size: int | None = None,
    ) -> int:
        """The user sends a file; ``file_size`` overrides the size reported to the bot."""
        stored = self._files.add(data, "documents", file_name, size=file_size)
        document = stored.describe() | {"file_name": file_name, "mime_type": mime_type}
        return self._user_message(user_id, {"document": document})

    def user_sticker(self, user_id: int) -> int:
        """The user sends a (static) sticker."""
        sticker = {"type": "regular", "width": 512, "height": 512, "emoji": "🙂"}
        sticker |= {"is_animated": False, "is_video": False}
        return self._user_media(user_id, "sticker", "stickers", "sticker.webp", sticker)

    def user_voice(self, user_id: int) -> int:
        """The user sends a one-second voice message."""
        voice = {"duration": 1, "mime_type": "audio/ogg"}
        return self._user_media(user_id, "voice", "voice", "voice.oga", voice)

    def user_video(self, user_id: int) -> int:
        """The user sends a one-second video."""
        video = {"width": 320, "height": 240, "duration": 1, "mime_type": "video/mp4"}
        return self._user_media(user_id, "video", "videos", "video.mp4", video)

    def press_button(self, user_id: int, message_id: int, data: str) -> int:
        """The user presses the inline button with callback ``data`` under a bot's message."""
        message = self._bot_messages.get((user_id, message_id))
        if message is None:
            raise ValueError(f"the bot sent no message {message_id} to chat {user_id}")
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "message": message,
            "chat_instance": str(user_id),
            "data": data,
        }
        return self._push(user_id, {"callback_query": query})

    def _user_media(
        self, user_id: int, field_name: str, folder: str, name: str, extra: JSON
    ) -> int:
        """A sticker, voice message or video; its file holds a few placeholder bytes."""
        stored = self._files.add(f"fake {field_name}".encode(), folder, name)
        return self._user_message(user_id, {field_name: stored.describe() | extra})

    def _user_message(self, user_id: int, content: JSON) -> int:
        message = {
            "message_id": next(self._message_ids[user_id]),
            "date": _now(),
            "chat": self._chat(user_id),
            "from": self._user(user_id),
            **content,
        }
        return self._push(user_id, {"message": message})

    def _push(self, chat_id: int, body: JSON) -> int:
        """Queue an update for getUpdates, or POST it to the webhook if one is set."""
        update = {"update_id": next(self._update_ids), **body}
        self._updates[update["update_id"]] = (chat_id, update)
        self.known_chats.add(chat_id)
        if self.webhook:
            self._deliver(chat_id, update, self.webhook)
        else:
            self._pending.append(update)
            self._signals.notify(_UPDATES)
        return update["update_id"]

    def redeliver(self, update_id: int) -> None:
        """POST an update to the webhook again, as Telegram does when it did not hear a timely
        200 (webhook mode only: a polled update is confirmed through its offset)."""
        if not self.webhook:
            raise ValueError("redelivery is faked for webhooks only")
        chat_id, update = self._updates[update_id]
        self._deliver(chat_id, update, self.webhook)

    # -- webhook delivery --------------------------------------------------------------------

    def _deliver(self, chat_id: int, update: JSON, webhook: JSON) -> None:
        """POST in the background; one chat's updates go one after another, in order."""
        previous = self._last_delivery.get(chat_id)
        task = asyncio.create_task(self._post_update(update, webhook, previous))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)
        self._last_delivery[chat_id] = task

    async def _post_update(
        self, update: JSON, webhook: JSON, previous: asyncio.Task | None
    ) -> None:
        if previous:
            await asyncio.wait([previous])
        headers = {}
        if webhook["secret_token"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        assert self._session, "FakeTelegram.start() was not called"
        try:
            async with self._session.post(webhook["url"], json=update, headers=headers) as answer:
                if answer.status != HTTPStatus.OK:
                    self.webhook_errors.append(
                        f"update {update['update_id']}: HTTP {answer.status}"
                    )
        except (ClientError, TimeoutError) as error:
            self.webhook_errors.append(f"update {update['update_id']}: {error!r}")

    # -- what the bot did --------------------------------------------------------------------

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """The messages sent (and edits made) to one chat, in order."""
        return list(self._by_chat[chat_id])

    async def wait_for(self, chat_id: int, count: int, timeout: float = 10) -> list[SentMessage]:
        """Wait until at least ``count`` messages went to the chat, and return them all."""
        sent = self._by_chat[chat_id]
        try:
            await self._signals.wait(("chat", chat_id), lambda: len(sent) >= count, timeout)
        except TimeoutError:
            raise TimeoutError(self._shortfall(chat_id, count, timeout)) from None
        return list(sent)

    async def wait_for_request(self, method: str, timeout: float = 10) -> None:
        """Wait until the bot has called ``method``."""
        try:
            await self._signals.wait(("request", method), lambda: method in self.requests, timeout)
        except TimeoutError:
            message = f"{method} was not called within {timeout}s; calls: {self.requests}"
            raise TimeoutError(message) from None

    @property
    def unknown_methods(self) -> list[str]:
        """Methods the bot called that this fake does not implement (answered with 404)."""
        return [method for method in self.requests if method not in self._methods]

    def _shortfall(self, chat_id: int, count: int, timeout: float) -> str:
        sent = self._by_chat[chat_id]
        lines = [f"\n  {s.method} #{s.message_id}: {s.text!r}" for s in sent] or ["\n  nothing"]
        return (
            f"chat {chat_id} got {len(sent)} of {count} messages within {timeout}s:{''.join(lines)}"
            f"\nlast requests: {self.requests[-10:]}; unknown methods: {self.unknown_methods}; "
            f"webhook errors: {self.webhook_errors}"
        )

    # -- failure injection -------------------------------------------------------------------

    def block(self, user_id: int) -> None:
        """The user blocks the bot: later calls with their chat_id get 403 Forbidden."""
        self._blocked.add(user_id)

    def fail_next(
        self, method: str, status: int, retry_after: int | None = None, times: int = 1
    ) -> None:
        """The next ``times`` calls of ``method`` (after earlier failures) fail with ``status``."""
        self._failures[method].extend([_ApiError.injected(status, retry_after)] * times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` wait ``seconds`` before they are handled."""
        self._delays[method].extend([seconds] * times)

    # -- HTTP --------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        """POST or GET /bot<token>/<method>."""
        if request.match_info["token"] != self.token:
            return _UNAUTHORIZED.response()
        method = request.match_info["method"]
        self.requests.append(method)
        self._signals.notify(("request", method))
        try:
            handler = self._methods.get(method)
            if handler is None:
                raise _ApiError(404, "Not Found: method not found")
            await self._injected(method)
            call = await _Call.read(request)
            if "chat_id" in call.params and call.chat_id() in self._blocked:
                raise _BLOCKED
            result = await handler(call)
        except _ApiError as error:
            return error.response()
        return web.json_response({"ok": True, "result": result})

    async def _injected(self, method: str) -> None:
        """Wait and fail as ``delay_next`` and ``fail_next`` asked."""
        if self._delays[method]:
            await asyncio.sleep(self._delays[method].popleft())
        if self._failures[method]:
            raise self._failures[method].popleft()

    async def _download(self, request: web.Request) -> web.Response:
        """GET /file/bot<token>/<file_path>."""
        if request.match_info["token"] != self.token:
            return _UNAUTHORIZED.response()
        path = request.match_info["path"]
        stored = self._files.at(path)
        if stored is None:
            return _ApiError(404, "Not Found").response()
        self.downloads.append(path)
        return web.Response(body=stored.data)

    # -- Bot API objects ---------------------------------------------------------------------

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Test Bot",
            "username": self.username,
        }

    def _user(self, user_id: int) -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": self._name(user_id)}

    def _chat(self, chat_id: int) -> JSON:
        return {"id": chat_id, "type": "private", "first_name": self._name(chat_id)}

    def _name(self, user_id: int) -> str:
        return self._names.get(user_id, "Learner")

    # -- methods: bot and updates ------------------------------------------------------------

    async def _get_me(self, call: _Call) -> JSON:
        return self._bot_user() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, call: _Call) -> list[JSON]:
        """Drop the updates ``offset`` confirms, then hold the request until one is pending."""
        if self.webhook:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = call.get_int("offset", 0)
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()
        timeout = call.get_float("timeout", 0)
        try:
            await self._signals.wait(
                _UPDATES, lambda: bool(self._pending) or self._closing, timeout
            )
        except TimeoutError:
            pass
        return list(itertools.islice(self._pending, call.get_int("limit", 100)))

    async def _set_webhook(self, call: _Call) -> bool:
        """Set the webhook; an empty url removes it, as in the real API."""
        if call.get_bool("drop_pending_updates"):
            self._pending.clear()
        url = call.get_str("url")
        self.webhook = None
        if url:
            self.webhook = {
                "url": url,
                "secret_token": call.get_str("secret_token"),
                "max_connections": call.get_int("max_connections", 40),
                "allowed_updates": call.get_json("allowed_updates"),
            }
        return True

    async def _delete_webhook(self, call: _Call) -> bool:
        if call.get_bool("drop_pending_updates"):
            self._pending.clear()
        self.webhook = None
        return True

    async def _get_webhook_info(self, call: _Call) -> JSON:
        info: JSON = {"url": "", "has_custom_certificate": False}
        if self.webhook:
            info |= {"url": self.webhook["url"], "max_connections": self.webhook["max_connections"]}
        return info | {"pending_update_count": len(self._pending)}

    async def _set_my_commands(self, call: _Call) -> bool:
        """Store the command list, refusing names and descriptions the real API refuses."""
        commands = call.get_json("commands") or []
        for command in commands:
            if not _COMMAND.fullmatch(command.get("command", "")):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _ApiError(400, "Bad Request: command description is invalid")
        menu = [{"command": c["command"], "description": c["description"]} for c in commands]
        chat = self._scope_chat(call)
        if chat is None:
            self.commands = menu
        else:
            self.chat_commands[chat] = menu
        return True

    async def _get_my_commands(self, call: _Call) -> list[JSON]:
        chat = self._scope_chat(call)
        return self.commands if chat is None else self.chat_commands.get(chat, [])

    async def _delete_my_commands(self, call: _Call) -> bool:
        chat = self._scope_chat(call)
        if chat is None:
            self.commands = []
        else:
            self.chat_commands.pop(chat, None)
        return True

    def _scope_chat(self, call: _Call) -> int | None:
        """The chat of a ``chat`` command scope (None: the default scope); the real server
        refuses other scopes' chats it does not know, and so does the fake."""
        scope = call.get_json("scope") or {"type": "default"}
        if scope.get("type") == "default":
            return None
        if scope.get("type") != "chat":
            raise _ApiError(400, f"Bad Request: the fake has no {scope.get('type')!r} scope")
        chat = int(scope.get("chat_id", 0))
        if chat not in self.known_chats:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat

    # -- methods: messages -------------------------------------------------------------------

    async def _send_message(self, call: _Call) -> JSON:
        text = call.required("text")
        if len(text) > TEXT_LIMIT:
            raise _ApiError(400, "Bad Request: message is too long")
        return self._bot_message(call, "sendMessage", {"text": text})

    async def _send_photo(self, call: _Call) -> JSON:
        upload, stored = self._bot_file(call, "photo", "photos")
        sizes = [stored.describe() | {"width": 800, "height": 800}]
        return self._bot_message(call, "sendPhoto", {"photo": sizes}, photo=_data(upload))

    async def _send_document(self, call: _Call) -> JSON:
        upload, stored = self._bot_file(call, "document", "documents")
        document = stored.describe() | self._file_name(upload)
        content = {"document": document}
        return self._bot_message(call, "sendDocument", content, document=_data(upload))

    async def _send_animation(self, call: _Call) -> JSON:
        upload, stored = self._bot_file(call, "animation", "animations")
        document = stored.describe() | self._file_name(upload)
        animation = document | {"width": 320, "height": 320, "duration": 1}
        content = {"animation": animation, "document": document}  # as the real API answers
        return self._bot_message(call, "sendAnimation", content, animation=_data(upload))

    async def _send_voice(self, call: _Call) -> JSON:
        upload, stored = self._bot_file(call, "voice", "voice")
        voice = stored.describe() | {"duration": 1, "mime_type": "audio/ogg"}
        return self._bot_message(call, "sendVoice", {"voice": voice}, voice=_data(upload))

    async def _set_my_description(self, call: _Call) -> bool:
        """Store the bot's description (what a new user sees before /start), up to 512 chars."""
        description = call.get_str("description") or ""
        if len(description) > 512:
            raise _ApiError(400, "Bad Request: bot description is too long")
        self.description = description
        return True

    async def _set_my_short_description(self, call: _Call) -> bool:
        """Store the bot's short description (its profile page), up to 120 characters."""
        short = call.get_str("short_description") or ""
        if len(short) > 120:
            raise _ApiError(400, "Bad Request: bot short description is too long")
        self.short_description = short
        return True

    async def _send_chat_action(self, call: _Call) -> bool:
        return True

    def _bot_file(self, call: _Call, name: str, folder: str) -> tuple[_Upload | None, _StoredFile]:
        """The file the bot uploaded as part ``name``, or the stored file its file_id names."""
        upload = call.files.get(name)
        if upload:
            return upload, self._files.add(upload.data, folder, upload.filename)
        stored = self._files.get(str(call.required(name)))
        if stored is None:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return None, stored

    @staticmethod
    def _file_name(upload: _Upload | None) -> JSON:
        if upload is None:
            return {}
        return {"file_name": upload.filename, "mime_type": upload.content_type}

    def _bot_message(
        self, call: _Call, method: str, content: JSON, **uploaded: bytes | None
    ) -> JSON:
        """Make, keep and record the Message the bot sent; ``uploaded``: photo=bytes, ..."""
        chat_id = call.chat_id()
        if caption := call.get_str("caption"):
            if len(caption) > CAPTION_LIMIT:
                raise _ApiError(400, "Bad Request: message caption is too long")
            content = content | {"caption": caption}
        message = {
            "message_id": next(self._message_ids[chat_id]),
            "date": _now(),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            **content,
        }
        markup = call.get_json("reply_markup")
        if markup and "inline_keyboard" in markup:  # only inline keyboards come back
            message["reply_markup"] = markup
        self._bot_messages[(chat_id, message["message_id"])] = message
        text = message.get("text", caption)
        self._record(
            SentMessage(
                method,
                chat_id,
                message["message_id"],
                text,
                **uploaded,
                reply_markup=markup,
                params=call.params,
            )
        )
        return message

    async def _edit_message_text(self, call: _Call) -> JSON:
        return self._edit(call, "editMessageText", {"text": call.required("text")})

    async def _edit_message_reply_markup(self, call: _Call) -> JSON:
        return self._edit(call, "editMessageReplyMarkup", {})

    def _edit(self, call: _Call, method: str, changes: JSON) -> JSON:
        """Apply ``changes`` and the new reply_markup (none removes the keyboard)."""
        chat_id, message_id = call.chat_id(), call.get_int("message_id", 0)
        old = self._bot_messages.get((chat_id, message_id))
        if old is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        kept = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date")}
        new = kept | changes
        markup = call.get_json("reply_markup")
        if markup:
            new["reply_markup"] = markup
        if new == {k: v for k, v in old.items() if k != "edit_date"}:
            raise _ApiError(400, _NOT_MODIFIED)
        new["edit_date"] = _now()
        self._bot_messages[(chat_id, message_id)] = new
        text = new.get("text", new.get("caption"))
        self._record(
            SentMessage(method, chat_id, message_id, text, reply_markup=markup, params=call.params)
        )
        return new

    def _record(self, sent: SentMessage) -> None:
        self.sent.append(sent)
        self._by_chat[sent.chat_id].append(sent)
        self._signals.notify(("chat", sent.chat_id))

    # -- methods: buttons and files ----------------------------------------------------------

    async def _answer_callback_query(self, call: _Call) -> bool:
        """Answer a query once; unknown or already answered ones are refused, as for real."""
        query_id = str(call.required("callback_query_id"))
        if query_id not in self._open_callbacks:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        self.answered_callbacks.append(query_id)
        return True

    async def _get_file(self, call: _Call) -> JSON:
        stored = self._files.get(str(call.required("file_id")))
        if stored is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD_SIZE:
            raise _ApiError(400, "Bad Request: file is too big")
        return stored.describe() | {"file_path": stored.file_path}
