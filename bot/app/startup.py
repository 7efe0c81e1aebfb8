"""Start-up that explains itself: whatever stops ``hangul-bot run`` from starting is told in one
line with a distinct exit code (:class:`ExitCode`), never as a traceback, never with a secret in
it, so that a supervisor's crash loop says what to fix."""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Iterator
from enum import IntEnum

from bot.app.settings import Settings

log = logging.getLogger(__name__)


class ExitCode(IntEnum):
    FAILED = 1
    """Anything not foreseen (the log has the details)."""
    CONFIGURATION = 2
    """A setting is missing or contradicts another."""
    DATABASE_UNREACHABLE = 3
    DATABASE_NOT_WRITABLE = 4
    """Read-only, out of disk space, or not ours to write."""
    TOKEN_REFUSED = 5
    PLATFORM_UNREACHABLE = 6


class StartupError(Exception):
    """Why the bot could not start, in words for the operator."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_configuration(settings: Settings) -> None:
    """Refuse settings the bot must not run with."""
    if settings.telegram is None and settings.discord is None:
        raise StartupError(ExitCode.CONFIGURATION, "set TELEGRAM_TOKEN and/or DISCORD_TOKEN")
    telegram = settings.telegram
    if telegram is not None and telegram.webhook_url and not telegram.webhook_secret:
        raise StartupError(
            ExitCode.CONFIGURATION,
            "TELEGRAM_WEBHOOK_URL is set without TELEGRAM_WEBHOOK_SECRET: anyone could post "
            "updates to the webhook; set a secret (1-256 characters: A-Z, a-z, 0-9, _ and -)",
        )


NOT_WRITABLE = (errno.EROFS, errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EDQUOT)
UNREACHABLE = (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT)
NOT_WRITABLE_WORDS = ("readonly", "read-only", "disk is full", "unable to open database file")


def explain(error: BaseException) -> StartupError:
    """What to tell the operator about ``error``, raised while starting (an unforeseen one is
    also logged, traceback and all)."""
    if isinstance(error, StartupError):
        return error
    for cause in _causes(error):
        kind = {c.__name__ for c in type(cause).__mro__}
        module = type(cause).__module__
        text = str(cause).lower()
        if "InvalidToken" in kind and module.startswith("telegram"):
            return StartupError(ExitCode.TOKEN_REFUSED, "Telegram refused TELEGRAM_TOKEN")
        if "LoginFailure" in kind and module.startswith("discord"):
            return StartupError(ExitCode.TOKEN_REFUSED, "Discord refused DISCORD_TOKEN")
        if module.startswith(("telegram", "discord", "aiohttp")) and (
            "NetworkError" in kind or "ClientConnectorError" in kind or "TimedOut" in kind
        ):
            return StartupError(
                ExitCode.PLATFORM_UNREACHABLE, "the chat platform's API could not be reached"
            )
        if (
            isinstance(cause, OSError)
            and cause.errno in NOT_WRITABLE
            or any(words in text for words in NOT_WRITABLE_WORDS)
        ):
            return StartupError(
                ExitCode.DATABASE_NOT_WRITABLE,
                "the database takes no writes (read-only, disk full, or no permission): "
                "check HANGUL_DATABASE_URL and the disk",
            )
        if (
            isinstance(cause, OSError)
            and cause.errno in UNREACHABLE
            or isinstance(cause, socket.gaierror | ConnectionError | TimeoutError)
            or module.startswith("asyncpg")
        ):
            return StartupError(
                ExitCode.DATABASE_UNREACHABLE,
                f"the database could not be reached or refused the connection "
                f"({type(cause).__name__}): check HANGUL_DATABASE_URL",
            )
    log.error("start-up failed", exc_info=error)  # secrets are redacted by the log filter
    return StartupError(
        ExitCode.FAILED, f"start-up failed ({type(error).__name__}); the log has the details"
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and what caused it (SQLAlchemy wraps the driver's error, for one)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
