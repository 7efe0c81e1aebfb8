"""The fake Discord proven with the real discord.py: a Client with a CommandTree logs in, syncs
its slash commands, connects to the gateway and answers slash commands, button clicks and DMs."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands

from fake_discord import FakeDiscord

USER, OTHER = 1001, 2002
GUILD = 5 << 22
EVEN_GUILD, ODD_GUILD = 6 << 22, 7 << 22  # on shard 0 and shard 1 of two
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


@app_commands.command(description="Answer pong")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong", ephemeral=interaction.guild is not None)


@app_commands.command(description="Measure a picture")
async def check(interaction: discord.Interaction, image: discord.Attachment) -> None:
    data = await image.read()
    file = discord.File(io.BytesIO(data[::-1]), filename="reversed.png")
    await interaction.response.send_message(f"{len(data)} bytes", file=file)


@app_commands.command(description="Show a button")
async def menu(interaction: discord.Interaction) -> None:
    button = discord.ui.Button(label="Press", custom_id="press")

    async def pressed(click: discord.Interaction) -> None:
        await click.response.send_message(f"pressed by {click.user.id}")

    button.callback = pressed
    view = discord.ui.View(timeout=None)  # no timeout task left pending at the end
    view.add_item(button)
    await interaction.response.send_message("menu", view=view)


@app_commands.command(description="Think, then answer")
async def think(interaction: discord.Interaction) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    await interaction.followup.send("done")


class Bot(discord.Client):
    """A small bot: the commands above, synced at start-up, and a reply to DMs with attachments."""

    def __init__(self, **options: object) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1, **options)
        self.tree = app_commands.CommandTree(self)
        for command in (ping, check, menu, think):
            self.tree.add_command(command)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if message.author != self.user and message.attachments:
            first = message.attachments[0]
            await message.channel.send(f"got {first.filename}, {len(await first.read())} bytes")


class ShardedBot(Bot, discord.AutoShardedClient):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No 5-second wait between the shards' IDENTIFYs (the default hook sleeps)."""


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, client: discord.Client) -> AsyncIterator[discord.Client]:
    """``client`` started against ``fake`` until READY, closed cleanly on exit."""
    task = asyncio.create_task(client.start(fake.token))
    try:
        await fake.wait_ready()
        yield client
    finally:
        await client.close()
        await task


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        with server.pointing_discord():
            yield server


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[Bot]:
    async with running(fake, Bot()) as client:
        yield client


async def test_ping_is_ephemeral_in_a_guild_but_not_in_a_dm(fake, bot):
    assert {c["name"] for c in fake.commands} == {"ping", "check", "menu", "think"}
    in_dm = await fake.slash(USER, "ping")
    [reply] = await fake.wait_for(USER, 1)
    assert (reply.kind, reply.interaction_id, reply.callback_type) == ("callback", in_dm, 4)
    assert (reply.content, reply.ephemeral) == ("pong", False)
    await fake.slash(USER, "ping", guild_id=GUILD)
    reply = (await fake.wait_for(USER, 2))[-1]
    assert (reply.content, reply.ephemeral) == ("pong", True)
    assert fake.identifies[0]["intents"] == discord.Intents.default().value


async def test_check_reads_the_attachment_and_answers_with_a_file(fake, bot):
    [image] = next(c for c in fake.commands if c["name"] == "check")["options"]
    assert (image["name"], image["type"]) == ("image", 11)
    await fake.slash(USER, "check", attachment=("letter.png", PNG, "image/png"))
    [reply] = await fake.wait_for(USER, 1)
    assert reply.content == f"{len(PNG)} bytes"
    assert reply.files == [("reversed.png", PNG[::-1])]
    assert reply.raw["attachments"][0]["content_type"] == "image/png"
    assert any(call.startswith("GET /attachments/") for call in fake.requests)


async def test_a_button_click_runs_its_callback(fake, bot):
    await fake.slash(USER, "menu", guild_id=GUILD)
    [menu] = await fake.wait_for(USER, 1)
    assert menu.components[0]["components"][0]["custom_id"] == "press"
    clicked = await fake.click(USER, int(menu.raw["id"]), "press")
    reply = (await fake.wait_for(USER, 2))[-1]
    assert (reply.interaction_id, reply.content) == (clicked, f"pressed by {USER}")


async def test_the_first_followup_after_a_defer_replaces_the_thinking_message(fake, bot):
    await fake.slash(USER, "think")
    deferred, followup = await fake.wait_for(USER, 2)
    assert (deferred.callback_type, deferred.content, deferred.ephemeral) == (5, "", True)
    assert (followup.kind, followup.content, followup.ephemeral) == ("followup", "done", True)
    assert followup.raw["id"] == deferred.raw["id"]


async def test_a_dm_with_an_attachment_gets_a_channel_reply(fake, bot):
    await fake.dm(USER, "look", attachments=[("letter.png", PNG, "image/png")])
    [reply] = await fake.wait_for(USER, 1)
    assert (reply.kind, reply.content) == ("message", f"got letter.png, {len(PNG)} bytes")
    assert reply.interaction_id is None


async def test_an_unprompted_dm_arrives_unless_the_user_forbids_dms(fake, bot):
    user = await bot.fetch_user(USER)
    await user.send("hello")
    [message] = await fake.wait_for(USER, 1)
    assert (message.kind, message.content, message.user_id) == ("message", "hello", USER)
    fake.forbid_dm(OTHER)
    refuser = await bot.fetch_user(OTHER)
    with pytest.raises(discord.Forbidden) as refused:
        await refuser.send("hello")
    assert refused.value.code == 50007
    assert fake.responses_to(OTHER) == []


async def test_a_rate_limited_message_is_retried(fake, bot):
    fake.fail_next("POST", "/channels/*/messages", 429, retry_after=0.05)
    channel = await (await bot.fetch_user(USER)).create_dm()
    await channel.send("after a wait")
    [message] = await fake.wait_for(USER, 1)
    assert message.content == "after a wait"
    assert fake.requests.count(f"POST /channels/{channel.id}/messages") == 2


async def test_unknown_routes_and_wrong_tokens_are_refused(fake, bot):
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}", guild_id=1))
    assert fake.unhandled == ["GET /guilds/1"]
    async with discord.Client(intents=discord.Intents.default()) as stranger:
        with pytest.raises(discord.LoginFailure):
            await stranger.login("not-the-token")


async def test_a_dropped_gateway_connection_resumes_and_replays_missed_events(fake, bot):
    await fake.drop_gateway()
    await fake.slash(USER, "ping")
    [reply] = await fake.wait_for(USER, 1)
    assert reply.content == "pong"
    assert (len(fake.identifies), len(fake.resumes)) == (1, 1)


async def test_two_shards_each_identify_and_get_their_guilds(fake):
    fake.guild_ids = [EVEN_GUILD, ODD_GUILD]
    async with running(fake, ShardedBot(shard_count=2)) as client:
        assert [identify["shard"] for identify in fake.identifies] == [[0, 2], [1, 2]]
        await client.wait_until_ready()
        assert {guild.id: guild.shard_id for guild in client.guilds} == {
            EVEN_GUILD: 0,
            ODD_GUILD: 1,
        }
        await fake.slash(USER, "ping", guild_id=ODD_GUILD)
        [reply] = await fake.wait_for(USER, 1)
        assert (reply.content, reply.ephemeral) == ("pong", True)


async def test_no_dm_reaches_a_bot_without_the_direct_messages_intent(fake):
    async with running(fake, discord.Client(intents=discord.Intents(guilds=True))):
        assert fake.identifies[0]["intents"] == discord.Intents(guilds=True).value
        with pytest.raises(RuntimeError, match="intent"):
            await fake.dm(USER, "hello")
