"""The Discord adapter end to end: the real discord.py talks HTTP and the gateway websocket to a
fake Discord server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select

from bot.adapters.discord_adapter import DiscordAdapter
from bot.app.reminders import Reminders
from bot.app.settings import DiscordSettings
from bot.core import commands, texts
from bot_fixtures import SPEAKS, letter_png, start_hangul_bot
from fake_discord import FakeDiscord
from storage.tables import Attempt, Learner

ADMIN, LEARNER, OTHER = 1, 1001, 2002
GUILD = 5555
ADMIN_ROLE = 777


@asynccontextmanager
async def running(chat_tutor, fake: FakeDiscord, **options):
    """A Discord adapter connected to ``fake`` (``options`` go to DiscordSettings)."""
    with fake.pointing_discord():
        settings = DiscordSettings(
            token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, **options
        )
        adapter = DiscordAdapter(chat_tutor, settings)
        await adapter.start()
        try:
            yield adapter
        finally:
            await adapter.stop()


@pytest.fixture
async def adapter_and_fake(chat_tutor):
    async with FakeDiscord() as fake, running(chat_tutor, fake) as adapter:
        yield adapter, fake


@pytest.fixture
def discord_fake(adapter_and_fake) -> FakeDiscord:
    return adapter_and_fake[1]


def attachment(letter: str) -> tuple[str, bytes, str]:
    return ("letter.png", letter_png(letter), "image/png")


async def test_every_command_is_a_slash_command(discord_fake):
    names = {c["name"] for c in discord_fake.commands}
    assert names == {c.name for c in commands.COMMANDS} | {"check"}


async def test_a_picture_sent_by_direct_message_is_read(discord_fake):
    await discord_fake.dm(LEARNER, attachments=[attachment("ㅛ")])
    [reply] = await discord_fake.wait_for(LEARNER, 1)
    assert reply.kind == "message" and reply.content.startswith("I read ㅛ")


async def test_check_reads_an_attachment_privately_in_a_server(discord_fake):
    await discord_fake.slash(LEARNER, "check", guild_id=GUILD, attachment=attachment("ㄹ"))
    replies = await discord_fake.wait_for(LEARNER, 2)
    answer = [r for r in replies if r.content][-1]
    assert answer.content.startswith("I read ㄹ") and answer.ephemeral


async def test_a_full_quiz_with_lessons_buttons_and_pictures(discord_fake):
    await discord_fake.slash(LEARNER, "quiz", {"count": 2})
    lesson = await _next_text(discord_fake, LEARNER, "New letter: ㅏ")
    attached = {name.rsplit(".", 1)[-1]: data for name, data in lesson.files}
    assert attached["gif"].startswith(b"GIF")
    assert attached["ogg"].startswith(b"OggS") if SPEAKS else "ogg" not in attached
    question = await _next_text(discord_fake, LEARNER, "Question 1 of 2")
    custom_ids = [c["custom_id"] for row in question.components for c in row["components"]]
    asked = custom_ids[0].split()[1]
    assert custom_ids == [f"/hint {asked}", f"/skip {asked}"]
    await discord_fake.click(LEARNER, int(question.raw["id"]), custom_ids[0])
    hint = await _next_text(discord_fake, LEARNER, "ㅏ:")
    assert hint.files and hint.files[0][1].startswith(b"\x89PNG")
    await discord_fake.dm(LEARNER, attachments=[attachment("ㅏ")])
    await _next_text(discord_fake, LEARNER, "Right!")
    second = await _next_text(discord_fake, LEARNER, "Question 2 of 2")
    skip = [c["custom_id"] for row in second.components for c in row["components"]][1]
    await discord_fake.click(LEARNER, int(second.raw["id"]), skip)
    await _next_text(discord_fake, LEARNER, texts.QUIZ_DONE.format(correct=1, total=2))


async def test_a_picture_posted_in_a_server_is_read_when_the_bot_is_mentioned(chat_tutor):
    async with FakeDiscord(guild_ids=[GUILD]) as fake, running(chat_tutor, fake):
        await fake.post(LEARNER, GUILD, "is this right?", attachments=[attachment("ㄹ")])
        await fake.post(LEARNER, GUILD, attachments=[attachment("ㅛ")], mention_bot=True)
        await fake.post(LEARNER, GUILD, "help", mention_bot=True)
        async with asyncio.timeout(20):
            while len(fake.responses) < 2:
                await asyncio.sleep(0.05)
        reading, helped = fake.responses
        assert reading.content.startswith("I read ㅛ") and helped.content == texts.NOT_A_COMMAND
        assert reading.channel_id == helped.channel_id and not reading.ephemeral
        async with chat_tutor.db.transaction() as session:
            [attempt] = await session.scalars(select(Attempt))
        assert attempt.read == "ㅛ"


async def test_help_shows_discords_own_command_forms(discord_fake):
    await discord_fake.slash(LEARNER, "help")
    helped = await _next_text(discord_fake, LEARNER, texts.HELP_INTRO_DISCORD[:20])
    assert "/check" in helped.content and "/quiz [count:] [action:]" in helped.content
    assert "/consent choice:" in helped.content


async def test_stickers_and_other_files_get_a_friendly_reply(discord_fake):
    await discord_fake.dm(LEARNER, attachments=[("notes.pdf", b"%PDF", "application/pdf")])
    [reply] = await discord_fake.wait_for(LEARNER, 1)
    assert reply.content == texts.NOT_AN_IMAGE_FILE


async def test_deleteme_through_its_confirmation_button(discord_fake, chat_tutor):
    await discord_fake.dm(LEARNER, attachments=[attachment("ㅛ")])
    await discord_fake.slash(LEARNER, "deleteme")
    ask = await _next_text(discord_fake, LEARNER, texts.DELETE_ASK)
    await discord_fake.click(LEARNER, int(ask.raw["id"]), "/deleteme confirm")
    await _next_text(discord_fake, LEARNER, texts.DELETE_DONE)
    async with chat_tutor.db.transaction() as session:
        assert (await session.scalars(select(Attempt))).all() == []


async def test_admin_commands_are_refused_to_learners(discord_fake):
    await discord_fake.slash(LEARNER, "model")
    await _next_text(discord_fake, LEARNER, texts.ADMIN_ONLY.format(name="model"))
    await discord_fake.slash(ADMIN, "model")
    await _next_text(discord_fake, ADMIN, "lenet packaged")


async def test_a_reminder_is_a_direct_message_and_forbidden_turns_them_off(
    adapter_and_fake, chat_tutor, clock
):
    adapter, fake = adapter_and_fake
    for user in (LEARNER, OTHER):
        await fake.slash(user, "remind", {"time": "09:30"})
        await _next_text(fake, user, "I'll remind you")
    fake.forbid_dm(OTHER)
    clock.advance(minutes=30)
    report = await Reminders(chat_tutor.db, {"discord": adapter}, clock).tick()
    assert (report.sent, report.unreachable) == (1, 1)
    await _next_text(fake, LEARNER, "Time for your daily Hangul practice")
    async with chat_tutor.db.transaction() as session:
        found = {x.platform_id: x for x in await session.scalars(select(Learner))}
    assert found[str(LEARNER)].reminders_on and not found[str(OTHER)].reminders_on


async def test_rate_limits_and_server_errors_are_retried(discord_fake):
    discord_fake.fail_next("POST", "/channels/*/messages", 429, retry_after=0.2)
    discord_fake.fail_next("POST", "/channels/*/messages", 502)
    await discord_fake.dm(LEARNER, content="/help")
    await _next_text(discord_fake, LEARNER, texts.HELP_INTRO[:20], timeout=20)


async def test_members_of_an_admin_role_may_use_admin_commands(chat_tutor):
    roles = {OTHER: [ADMIN_ROLE]}
    async with FakeDiscord(guild_ids=[GUILD], member_roles=roles) as fake:
        async with running(chat_tutor, fake, admin_roles=frozenset({str(ADMIN_ROLE)})):
            await fake.slash(OTHER, "model", guild_id=GUILD)
            await _next_text(fake, OTHER, "lenet packaged")
            await fake.slash(LEARNER, "model", guild_id=GUILD)
            await _next_text(fake, LEARNER, texts.ADMIN_ONLY.format(name="model"))


async def test_sharded_the_bot_answers_on_every_shard(chat_tutor):
    guilds = [GUILD, GUILD + (1 << 22)]  # a guild's shard is (id >> 22) % shards
    async with FakeDiscord(guild_ids=guilds) as fake:
        async with running(chat_tutor, fake, shard_count=2):
            assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
            for n, guild in enumerate(guilds):
                await fake.slash(LEARNER + n, "help", guild_id=guild)
                await _next_text(fake, LEARNER + n, texts.HELP_INTRO[:20])


async def test_the_hangul_bot_entry_point_serves_discord_and_stops_on_sigterm(tmp_path):
    async with FakeDiscord() as fake:
        env = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
        }
        bot = await start_hangul_bot(tmp_path, env)
        try:
            await fake.wait_ready(timeout=60)
            await asyncio.sleep(3)  # discord.py waits for guilds before it is ready
            await fake.dm(LEARNER, attachments=[attachment("ㅛ")])
            await _next_text(fake, LEARNER, "I read ㅛ", timeout=30)
        finally:
            bot.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(bot.communicate(), 30)
        log = output.decode()
        assert bot.returncode == 0, log
        assert "shutting down" in log and fake.token not in log


async def _next_text(fake: FakeDiscord, user: int, start: str, timeout: float = 10):
    """The first response to ``user`` whose content starts with ``start`` (waiting for it)."""
    for count in range(1, 50):
        replies = await fake.wait_for(user, count, timeout=timeout)
        for reply in replies:
            if (reply.content or "").startswith(start):
                return reply
    raise AssertionError(f"no reply starting {start!r}")
