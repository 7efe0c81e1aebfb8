"""Settings from environment variables and an optional ``.env`` file (the environment wins).
Tokens never appear in ``repr`` or logs.

Core:

``HANGUL_DATABASE_URL``  database URL (default: a SQLite file under ``~/.local/share``)
``HANGUL_ADMINS``        admins, comma-separated ``platform:id`` (``telegram:123,discord:456``)
``HANGUL_MODEL``         classifier: ``lenet``, ``mlp``, ``name:version`` or a model folder
``HANGUL_WORKER_URL``    the model worker (``hangul-ml worker``); unset: classify in-process
``HANGUL_WORKER_TIMEOUT`` seconds to wait for the worker before classifying in-process (2)
``HANGUL_BASE_DATA``     real class folders a ``/retrain`` trains on besides collected samples
                         (``:``-separated; unset: synthetic letters and collected samples only)

Telegram (the adapter runs when ``TELEGRAM_TOKEN`` is set):

``TELEGRAM_TOKEN``, ``TELEGRAM_BASE_URL``, ``TELEGRAM_BASE_FILE_URL`` (API endpoints; unset: the
real ones), ``TELEGRAM_WEBHOOK_URL`` (set: webhook mode instead of long polling),
``TELEGRAM_WEBHOOK_SECRET``, ``TELEGRAM_WEBHOOK_LISTEN`` (default 0.0.0.0),
``TELEGRAM_WEBHOOK_PORT`` (default 8443), ``TELEGRAM_MAX_MESSAGES_PER_SECOND`` (default 30,
Telegram's limit; higher only for a local Bot API server or paid broadcasts)

Discord (the adapter runs when ``DISCORD_TOKEN`` is set):

``DISCORD_TOKEN``, ``DISCORD_API_BASE``, ``DISCORD_GATEWAY_URL`` (endpoints; unset: the real
ones), ``DISCORD_ADMIN_ROLES`` (comma-separated role ids whose members are admins),
``DISCORD_SHARD_COUNT`` (set: that many shards in this process)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from storage.database import default_url


def _csv(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class TelegramSettings:
    token: str = field(repr=False)
    base_url: str | None = None
    base_file_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    max_messages_per_second: float = 30


@dataclass(frozen=True)
class DiscordSettings:
    token: str = field(repr=False)
    api_base: str | None = None
    gateway_url: str | None = None
    admin_roles: frozenset[str] = frozenset()
    shard_count: int | None = None


@dataclass(frozen=True)
class Settings:
    database_url: str
    admins: frozenset[str] = frozenset()
    model: str = "lenet"
    base_data: tuple[str, ...] = ()
    worker_url: str | None = None
    worker_timeout: float = 2.0
    telegram: TelegramSettings | None = None
    discord: DiscordSettings | None = None

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, env_file: Path = Path(".env")):
        """Settings from ``environ`` (default: the process environment) over ``env_file``."""
        values = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        values.update(os.environ if environ is None else environ)
        get = values.get
        telegram = discord = None
        if get("TELEGRAM_TOKEN"):
            telegram = TelegramSettings(
                token=get("TELEGRAM_TOKEN"),
                base_url=get("TELEGRAM_BASE_URL") or None,
                base_file_url=get("TELEGRAM_BASE_FILE_URL") or None,
                webhook_url=get("TELEGRAM_WEBHOOK_URL") or None,
                webhook_secret=get("TELEGRAM_WEBHOOK_SECRET") or None,
                webhook_listen=get("TELEGRAM_WEBHOOK_LISTEN") or "0.0.0.0",
                webhook_port=int(get("TELEGRAM_WEBHOOK_PORT") or 8443),
                max_messages_per_second=float(get("TELEGRAM_MAX_MESSAGES_PER_SECOND") or 30),
            )
        if get("DISCORD_TOKEN"):
            shards = get("DISCORD_SHARD_COUNT")
            discord = DiscordSettings(
                token=get("DISCORD_TOKEN"),
                api_base=get("DISCORD_API_BASE") or None,
                gateway_url=get("DISCORD_GATEWAY_URL") or None,
                admin_roles=_csv(get("DISCORD_ADMIN_ROLES")),
                shard_count=int(shards) if shards else None,
            )
        return cls(
            database_url=get("HANGUL_DATABASE_URL") or default_url(),
            admins=_csv(get("HANGUL_ADMINS")),
            model=get("HANGUL_MODEL") or "lenet",
            worker_url=get("HANGUL_WORKER_URL") or None,
            worker_timeout=float(get("HANGUL_WORKER_TIMEOUT") or 2.0),
            base_data=tuple(p for p in (get("HANGUL_BASE_DATA") or "").split(":") if p),
            telegram=telegram,
            discord=discord,
        )

    def is_admin(self, platform: str, platform_id: str) -> bool:
        return f"{platform}:{platform_id}" in self.admins

    def secrets(self) -> list[str]:
        """Every secret value, for redacting logs."""
        found = [self.telegram.token, self.telegram.webhook_secret] if self.telegram else []
        found += [self.discord.token] if self.discord else []
        return [secret for secret in found if secret]
