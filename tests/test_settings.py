"""Settings come from the environment over an optional .env file, and every one is honoured."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.settings import Settings, process_settings
from bot_fixtures import free_port
from ml.writing.fonts import font_dirs, use_extra_font_dirs


def test_settings_read_the_environment_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("HANGUL_DATABASE_URL=sqlite:///from-file.db\nHANGUL_MODEL=mlp\n")
    settings = Settings.load(
        {"HANGUL_MODEL": "lenet", "HANGUL_ADMINS": " telegram:1, discord:2 "}, env_file
    )
    assert settings.database_url == "sqlite:///from-file.db"
    assert settings.model == "lenet"
    assert settings.admins == {"telegram:1", "discord:2"}


def test_without_configuration_the_default_is_an_embedded_sqlite_file(tmp_path):
    settings = Settings.load({}, tmp_path / "absent.env")
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.admins == frozenset() and settings.model == "lenet"


def test_the_bot_runs_without_the_training_extras():
    """The bot's image has no torch: nothing it imports may need it."""
    blocked = "import sys; sys.modules['torch'] = sys.modules['torchvision'] = None; "
    modules = (
        "bot.app.hangul_bot, bot.app.service, bot.adapters.telegram_adapter, "
        "bot.adapters.discord_adapter, bot.adapters.console, bot.benchmarks.tutor_load, "
        "bot.app.hangul_ml, bot.app.retraining, bot.app.retrain_watch"
    )
    subprocess.run([sys.executable, "-c", f"{blocked}import {modules}"], check=True, timeout=120)


EVERY_SETTING = [
    ("HANGUL_DATABASE_URL", "sqlite:///x.db", lambda s: s.database_url, "sqlite:///x.db"),
    ("HANGUL_ADMINS", "telegram:1", lambda s: s.admins, {"telegram:1"}),
    ("HANGUL_MODEL", "mlp", lambda s: s.model, "mlp"),
    ("HANGUL_SYLLABLE_MODEL", "OFF", lambda s: s.syllable_model, None),
    ("HANGUL_WORKER_URL", "http://w:8000", lambda s: s.worker_url, "http://w:8000"),
    ("HANGUL_WORKER_TIMEOUT", "0.5", lambda s: s.worker_timeout, 0.5),
    ("HANGUL_BASE_DATA", "/a:/b", lambda s: s.base_data, ("/a", "/b")),
    ("HANGUL_MODEL_REGISTRY", "/models", lambda s: s.registry.root, Path("/models")),
    ("HANGUL_FONT_DIRS", "/fonts", lambda s: s.font_dirs, ("/fonts",)),
    ("HANGUL_RETRAIN_GPUS", "0.5", lambda s: s.retrain_gpus, 0.5),
    ("HANGUL_NEW_LETTERS_PER_DAY", "3", lambda s: s.teaching.new_letters_per_day, 3),
    ("HANGUL_SOUND_CACHE", "/sounds", lambda s: s.teaching.speaker.cache_dir, Path("/sounds")),
    ("RAY_ADDRESS", "head:6379", lambda s: s.ray.api_address, "http://head:8265"),
    ("RAY_API_SERVER_ADDRESS", "http://h:1", lambda s: s.ray.api_address, "http://h:1"),
    ("RAY_AUTH_TOKEN", "ray-secret", lambda s: s.ray.token, "ray-secret"),
    ("TELEGRAM_TOKEN", "123:abc", lambda s: s.telegram.token, "123:abc"),
    ("DISCORD_TOKEN", "d-token", lambda s: s.discord.token, "d-token"),
]
TELEGRAM = [
    ("TELEGRAM_BASE_URL", "http://t/bot", lambda t: t.base_url, "http://t/bot"),
    ("TELEGRAM_BASE_FILE_URL", "http://t/file", lambda t: t.base_file_url, "http://t/file"),
    ("TELEGRAM_WEBHOOK_URL", "https://b/tg", lambda t: t.webhook_url, "https://b/tg"),
    ("TELEGRAM_WEBHOOK_SECRET", "s3cret", lambda t: t.webhook_secret, "s3cret"),
    ("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1", lambda t: t.webhook_listen, "127.0.0.1"),
    ("TELEGRAM_WEBHOOK_PORT", "9443", lambda t: t.webhook_port, 9443),
    ("TELEGRAM_MAX_MESSAGES_PER_SECOND", "5", lambda t: t.max_messages_per_second, 5.0),
]
DISCORD = [
    ("DISCORD_API_BASE", "http://d/api", lambda d: d.api_base, "http://d/api"),
    ("DISCORD_GATEWAY_URL", "ws://d/gw", lambda d: d.gateway_url, "ws://d/gw"),
    ("DISCORD_ADMIN_ROLES", "7,8", lambda d: d.admin_roles, {"7", "8"}),
    ("DISCORD_SHARD_COUNT", "2", lambda d: d.shard_count, 2),
]
ALL_VARIABLES = (
    [row[0] for row in EVERY_SETTING] + [row[0] for row in TELEGRAM] + [row[0] for row in DISCORD]
)


@pytest.mark.parametrize(("name", "value", "read", "expected"), EVERY_SETTING)
def test_every_setting_is_honoured_from_the_env_file(tmp_path, name, value, read, expected):
    env_file = tmp_path / ".env"
    env_file.write_text(f"{name}={value}\n")
    assert read(Settings.load({}, env_file)) == expected


@pytest.mark.parametrize(
    ("name", "value", "read", "expected", "token"),
    [(*row, "TELEGRAM_TOKEN") for row in TELEGRAM] + [(*row, "DISCORD_TOKEN") for row in DISCORD],
)
def test_every_platform_setting_is_honoured_from_the_env_file(
    tmp_path, name, value, read, expected, token
):
    env_file = tmp_path / ".env"
    env_file.write_text(f"{token}=t\n{name}={value}\n")
    settings = Settings.load({}, env_file)
    platform = settings.telegram if token == "TELEGRAM_TOKEN" else settings.discord
    assert read(platform) == expected


def test_the_table_above_covers_every_variable_the_readme_lists():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:HANGUL|TELEGRAM|DISCORD|RAY)_[A-Z_]+)`", readme))
    assert listed - {"HANGUL_TEST_POSTGRES_URL", "HANGUL_NPM_FONT_DIR"} == set(ALL_VARIABLES)


def test_secrets_stay_out_of_the_settings_repr(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_TOKEN=123:abc\nDISCORD_TOKEN=d-token\nRAY_AUTH_TOKEN=r-tok\n")
    settings = Settings.load({}, env_file)
    shown = repr(settings)
    assert not {"123:abc", "d-token", "r-tok"} & set(re.findall(r"[\w:-]+", shown))
    assert set(settings.secrets()) == {"123:abc", "d-token", "r-tok"}


def hangul_ml(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """``hangul-ml`` run in ``folder`` (where its ``.env`` is), with no setting in the
    environment."""
    env = {"PATH": os.environ["PATH"], "HOME": str(folder)}
    return subprocess.run(
        [str(Path(sys.executable).with_name("hangul-ml")), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hangul_ml_uses_the_registry_and_cluster_of_the_env_file(tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}"
    (tmp_path / ".env").write_text(
        f"HANGUL_MODEL_REGISTRY={tmp_path}/models\nRAY_API_SERVER_ADDRESS={nobody}\n"
    )
    listed = hangul_ml(tmp_path, "models", "list", "lenet")
    assert listed.returncode == 0, listed.stderr
    assert "current packaged" in listed.stdout
    retrain = hangul_ml(tmp_path, "retrain", "--models", "lenet")
    assert retrain.returncode == 2 and retrain.stderr.startswith("hangul-ml retrain: ")
    assert f"the Ray job API at {nobody} is unreachable" in retrain.stderr
    assert list((tmp_path / "models" / "jobs").glob("*/status.json"))


def test_the_font_folders_of_the_env_file_are_searched(tmp_path, monkeypatch):
    fonts = tmp_path / "my-fonts"
    fonts.mkdir()
    (tmp_path / ".env").write_text(f"HANGUL_FONT_DIRS={fonts}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANGUL_FONT_DIRS", raising=False)
    try:
        process_settings()
        assert font_dirs()[0] == fonts
    finally:
        use_extra_font_dirs(())
