"""Secrets never printed: every log record, every traceback (logged or uncaught) and every line
``hangul-bot`` prints on failing has the settings' secrets replaced by ``***``."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from bot.app.settings import Settings

NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler.executors.default")
"""Libraries that log every request (httpx puts the Telegram token in its URLs) at INFO."""


class Redactor:
    """Replaces the secrets it knows in any text."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


class RedactSecrets(logging.Filter):
    """Replace secrets in log records, their tracebacks included, with ``***``."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def protect_output(settings: Settings) -> Redactor:
    """Keep the secrets out of every log handler's output and out of uncaught tracebacks, and
    quieten per-request loggers; returns the redactor for what the caller prints itself."""
    redact = Redactor(settings.secrets())
    redacting = RedactSecrets(redact)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

    def uncaught(kind: type[BaseException], error: BaseException, tb: TracebackType | None):
        sys.stderr.write(redact("".join(traceback.format_exception(kind, error, tb))))

    sys.excepthook = uncaught
    threading.excepthook = lambda hook: uncaught(hook.exc_type, hook.exc_value, hook.exc_traceback)
    return redact
