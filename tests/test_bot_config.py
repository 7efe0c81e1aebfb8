"""Settings come from the environment over an optional .env file."""

from __future__ import annotations

import subprocess
import sys

from bot.config import Settings


def test_settings_read_the_environment_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("HANGUL_DATABASE_URL=sqlite:///from-file.db\nHANGUL_MODEL=mlp\n")
    settings = Settings.load(
        {"HANGUL_MODEL": "lenet", "HANGUL_ADMINS": " telegram:1, discord:2 "}, env_file
    )
    assert settings.database_url == "sqlite:///from-file.db"
    assert settings.model == "lenet"
    assert settings.is_admin("telegram", "1") and settings.is_admin("discord", "2")
    assert not settings.is_admin("telegram", "2")


def test_without_configuration_the_default_is_an_embedded_sqlite_file(tmp_path):
    settings = Settings.load({}, tmp_path / "absent.env")
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.admins == frozenset() and settings.model == "lenet"


def test_the_bot_runs_without_the_training_extras():
    """The bot's image has no torch: nothing it imports may need it."""
    blocked = "import sys; sys.modules['torch'] = sys.modules['torchvision'] = None; "
    modules = "bot.cli, bot.service, bot.telegram_app, bot.discord_app, bot.console, bot.bench"
    subprocess.run([sys.executable, "-c", f"{blocked}import {modules}"], check=True, timeout=120)
