"""Settings, from environment variables over an optional ``.env`` file (the environment wins):
the one place that reads the environment, for ``hangul-bot`` and ``hangul-ml`` alike. Tokens
never appear in ``repr`` or logs.

Core:

``HANGUL_DATABASE_URL``  database URL (default: a SQLite file under ``~/.local/share``)
``HANGUL_ADMINS``        admins, comma-separated ``platform:id`` (``telegram:123,discord:456``)
``HANGUL_MODEL``         classifier: ``lenet``, ``mlp``, ``name:version`` or a model folder
``HANGUL_SYLLABLE_MODEL`` the syllable and word reader: ``syllable-lenet`` (default), a
                         ``name:version`` or model folder, or ``off`` (letters only)
``HANGUL_WORKER_URL``    the model worker (``hangul-ml worker``); unset: classify in-process
``HANGUL_WORKER_TIMEOUT`` seconds to wait for the worker before classifying in-process (2)
``HANGUL_BASE_DATA``     real class folders a ``/retrain`` trains on besides collected samples
                         (``:``-separated; unset: synthetic letters and collected samples only)
``HANGUL_MODEL_REGISTRY`` the model registry's folder (default under ``~/.local/share``)
``HANGUL_FONT_DIRS``     extra font folders for synthetic letters (``:``-separated)
``HANGUL_NEW_LETTERS_PER_DAY`` new letters a quiz teaches a learner a day (default 5)
``HANGUL_SOUND_CACHE``   where the letters' sound clips are kept once made (default under
                         ``~/.cache``)

Ray (retrains as Ray jobs and the model worker on a cluster):

``RAY_ADDRESS``, ``RAY_API_SERVER_ADDRESS`` (the job API; default: ``RAY_ADDRESS``'s host, port
8265), ``RAY_AUTH_TOKEN``, ``HANGUL_RETRAIN_GPUS`` (GPUs a retrain job asks for; default 0)

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

from bot.core.speech import Speaker
from bot.core.turn import Teaching
from ml.jobs.ray_jobs import NO_CLUSTER, RayCluster
from ml.reading.registry import DEFAULT_ROOT, Registry
from ml.writing.fonts import use_extra_font_dirs
from storage.database import default_url

REGISTRY_VARIABLE = "HANGUL_MODEL_REGISTRY"
"""How a process hands the registry to a process it starts (a Ray job, the worker)."""


DEFAULT_SOUND_CACHE = Path("~/.cache/hangul-tutor/sounds")


def _csv(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _paths(value: str | None) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(os.pathsep) if part)


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
    database: str | None = None
    """The database URL configured (None: the embedded default, :attr:`database_url`)."""
    admins: frozenset[str] = frozenset()
    model: str = "lenet"
    syllable_model: str | None = "syllable-lenet"
    """``None``: pictures are read as single letters only."""
    base_data: tuple[str, ...] = ()
    worker_url: str | None = None
    worker_timeout: float = 2.0
    model_registry: Path = DEFAULT_ROOT.expanduser()
    font_dirs: tuple[str, ...] = ()
    ray: RayCluster = NO_CLUSTER
    retrain_gpus: float = 0.0
    new_letters_per_day: int = 5
    sound_cache: Path = DEFAULT_SOUND_CACHE.expanduser()
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
        registry = get(REGISTRY_VARIABLE)
        sounds = get("HANGUL_SOUND_CACHE")
        return cls(
            database=get("HANGUL_DATABASE_URL") or None,
            admins=_csv(get("HANGUL_ADMINS")),
            model=get("HANGUL_MODEL") or "lenet",
            syllable_model=_syllable_model(get("HANGUL_SYLLABLE_MODEL")),
            worker_url=get("HANGUL_WORKER_URL") or None,
            worker_timeout=float(get("HANGUL_WORKER_TIMEOUT") or 2.0),
            base_data=_paths(get("HANGUL_BASE_DATA")),
            model_registry=Path(registry).expanduser() if registry else DEFAULT_ROOT.expanduser(),
            font_dirs=_paths(get("HANGUL_FONT_DIRS")),
            ray=RayCluster(
                address=get("RAY_ADDRESS") or None,
                api_server=get("RAY_API_SERVER_ADDRESS") or None,
                token=get("RAY_AUTH_TOKEN") or None,
            ),
            retrain_gpus=float(get("HANGUL_RETRAIN_GPUS") or 0),
            new_letters_per_day=int(get("HANGUL_NEW_LETTERS_PER_DAY") or 5),
            sound_cache=Path(sounds).expanduser() if sounds else DEFAULT_SOUND_CACHE.expanduser(),
            telegram=telegram,
            discord=discord,
        )

    @property
    def database_url(self) -> str:
        """The database to use: the one configured, else the embedded SQLite file."""
        return self.database or default_url()

    @property
    def registry(self) -> Registry:
        return Registry(self.model_registry)

    @property
    def teaching(self) -> Teaching:
        """How the tutor teaches: new letters a day, and the speaker of the letters' sounds."""
        return Teaching(self.new_letters_per_day, Speaker(self.sound_cache))

    def secrets(self) -> list[str]:
        """Every secret value, for redacting logs."""
        found = [self.telegram.token, self.telegram.webhook_secret] if self.telegram else []
        found += [self.discord.token] if self.discord else []
        found += [self.ray.token]
        return [secret for secret in found if secret]

    def export_ray_environment(self) -> None:
        """Put the cluster's address and token where Ray's own client reads them (this process's
        environment), for a process about to join the cluster with it."""
        found = {"RAY_ADDRESS": self.ray.address, "RAY_AUTH_TOKEN": self.ray.token}
        os.environ.update({name: value for name, value in found.items() if value})


def process_settings() -> Settings:
    """The settings of this process (the environment over ``./.env``), with what they say about
    the process itself applied: the extra font folders."""
    settings = Settings.load()
    use_extra_font_dirs(settings.font_dirs)
    return settings


def _syllable_model(value: str | None) -> str | None:
    if value and value.strip().lower() == "off":
        return None
    return value or "syllable-lenet"
