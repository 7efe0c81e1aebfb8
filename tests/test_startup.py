"""``hangul-bot run`` explains why it cannot start: one line, a distinct exit code, no traceback,
no secret; against the real entry point and fake chat servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import errno
import subprocess
from pathlib import Path

import pytest

from bot.app.startup import ExitCode, explain
from bot_fixtures import ENTRY_POINT, free_port, start_hangul_bot
from fake_discord import FakeDiscord
from fake_telegram import FakeTelegram

SECRET = "987654:NEVER-PRINT-THIS-TOKEN"


async def failed_start(folder: Path, env: dict[str, str]) -> tuple[int, str]:
    """The exit code and everything ``hangul-bot run`` printed."""
    bot = await start_hangul_bot(folder, env)
    output, _ = await asyncio.wait_for(bot.communicate(), 120)
    return bot.returncode, output.decode()


def assert_explained(output: str, code: int, expected: ExitCode, *words: str) -> None:
    assert code == expected, output
    assert "Traceback" not in output and SECRET not in output
    [line] = [line for line in output.splitlines() if line.startswith("hangul-bot: ")]
    assert all(word in line for word in words), line


async def test_a_token_telegram_refuses_is_named_not_printed(tmp_path):
    async with FakeTelegram() as fake:
        env = {"TELEGRAM_TOKEN": SECRET, "TELEGRAM_BASE_URL": fake.base_url}
        code, output = await failed_start(tmp_path, env)
    assert_explained(output, code, ExitCode.TOKEN_REFUSED, "TELEGRAM_TOKEN")


async def test_a_token_discord_refuses_is_named_not_printed(tmp_path):
    async with FakeDiscord() as fake:
        env = {
            "DISCORD_TOKEN": SECRET,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
        }
        code, output = await failed_start(tmp_path, env)
    assert_explained(output, code, ExitCode.TOKEN_REFUSED, "DISCORD_TOKEN")


async def test_a_webhook_without_a_secret_is_refused(tmp_path):
    env = {"TELEGRAM_TOKEN": SECRET, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram"}
    code, output = await failed_start(tmp_path, env)
    assert_explained(output, code, ExitCode.CONFIGURATION, "TELEGRAM_WEBHOOK_SECRET")


async def test_an_unreachable_database_is_explained(tmp_path):
    nobody = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    code, output = await failed_start(
        tmp_path, {"TELEGRAM_TOKEN": SECRET, "HANGUL_DATABASE_URL": nobody}
    )
    assert_explained(output, code, ExitCode.DATABASE_UNREACHABLE, "HANGUL_DATABASE_URL")


async def test_a_read_only_database_is_explained(tmp_path):
    path = tmp_path / "tutor.db"
    migrated = subprocess.run(
        [str(ENTRY_POINT), "migrate"],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "HANGUL_DATABASE_URL": f"sqlite:///{path}",
        },
        capture_output=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, output = await failed_start(
        tmp_path, {"TELEGRAM_TOKEN": SECRET, "HANGUL_DATABASE_URL": read_only}
    )
    assert_explained(output, code, ExitCode.DATABASE_NOT_WRITABLE, "takes no writes")


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a full 256 KB tmpfs (skipped where mounting is not allowed)."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        (folder / "filler").write_bytes(bytes(256 * 1024))
    except OSError:  # no space left: as meant
        pass
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


async def test_a_full_disk_is_explained(tmp_path, full_disk):
    env = {"TELEGRAM_TOKEN": SECRET, "HANGUL_DATABASE_URL": f"sqlite:///{full_disk}/tutor.db"}
    code, output = await failed_start(tmp_path, env)
    assert_explained(output, code, ExitCode.DATABASE_NOT_WRITABLE, "takes no writes")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), ExitCode.DATABASE_NOT_WRITABLE),
        (OSError(errno.EROFS, "Read-only file system"), ExitCode.DATABASE_NOT_WRITABLE),
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), ExitCode.DATABASE_UNREACHABLE),
        (RuntimeError("something else"), ExitCode.FAILED),
    ],
)
def test_start_up_errors_map_to_their_exit_codes(error, expected):
    assert explain(error).code == expected
