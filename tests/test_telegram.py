"""The Telegram adapter end to end: the real python-telegram-bot talks HTTP to a fake Bot API
server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal

import pytest
from sqlalchemy import func, select

from attack_telegram import run_attack
from bot.adapters.telegram_adapter import TelegramAdapter
from bot.app.reminders import Reminders
from bot.app.settings import TelegramSettings
from bot.core import commands, texts
from bot.core.replies import Reply, Sender
from bot_fixtures import LESSON_MESSAGES, SPEAKS, free_port, letter_png, start_hangul_bot
from fake_telegram import FakeTelegram
from load_telegram import run_load
from ml.reading.verdicts import Verdict
from storage.tables import Attempt, Learner

ADMIN, LEARNER = 1, 1001


@pytest.fixture
async def adapter_and_fake(chat_tutor):
    """A running adapter polling a fake Bot API server."""
    async with FakeTelegram() as fake:
        settings = TelegramSettings(
            token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        adapter = TelegramAdapter(chat_tutor, settings)
        await adapter.start()
        try:
            yield adapter, fake
        finally:
            await adapter.stop()


@pytest.fixture
def telegram(adapter_and_fake) -> FakeTelegram:
    return adapter_and_fake[1]


async def test_the_command_list_is_registered(telegram):
    await telegram.wait_for_request("setMyCommands")
    assert [c["command"] for c in telegram.commands] == [c.name for c in commands.LEARNER_COMMANDS]


async def test_an_admin_sees_every_command_in_their_own_menu(chat_tutor):
    async with FakeTelegram() as fake:
        fake.user_text(ADMIN, "/start")  # the admin has opened a chat with the bot
        settings = TelegramSettings(
            token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        adapter = TelegramAdapter(chat_tutor, settings)
        await adapter.start()
        try:
            menu = [c["command"] for c in fake.chat_commands[ADMIN]]
            assert menu == [c.name for c in commands.COMMANDS]
            assert {"model", "rollback", "retrain"} & {c["command"] for c in fake.commands} == set()
        finally:
            await adapter.stop()


async def test_a_command_addressed_to_the_bot_by_name_is_understood(telegram):
    telegram.user_text(LEARNER, "/help@HangulTutorBot")
    [reply] = await telegram.wait_for(LEARNER, 1)
    assert reply.text == commands.help_text()


async def test_a_photo_is_read_and_answered(telegram):
    telegram.user_photo(LEARNER, letter_png("ㅛ"))
    [reply] = await telegram.wait_for(LEARNER, 1)
    assert reply.text.startswith("I read ㅛ")


async def test_a_full_quiz_with_lessons_buttons_and_photos(telegram):
    telegram.user_text(LEARNER, "/quiz 2")
    *lesson, question = await telegram.wait_for(LEARNER, LESSON_MESSAGES + 1)
    assert lesson[0].method == "sendAnimation" and lesson[0].animation.startswith(b"GIF")
    assert lesson[0].text.startswith("New letter: ㅏ")
    if SPEAKS:
        assert lesson[1].method == "sendVoice" and lesson[1].voice.startswith(b"OggS")
    assert "“a”" in question.text and "ㅏ" not in question.text
    buttons = [b["callback_data"] for b in question.reply_markup["inline_keyboard"][0]]
    first = buttons[0].split()[1]
    assert buttons == [f"/hint {first}", f"/skip {first}"]
    telegram.press_button(LEARNER, question.message_id, buttons[0])
    sent = await telegram.wait_for(LEARNER, LESSON_MESSAGES + 2)
    hint = sent[-1]
    assert hint.method == "sendPhoto" and hint.photo.startswith(b"\x89PNG") and "ㅏ" in hint.text
    telegram.user_photo(LEARNER, letter_png("ㅏ"))
    sent = await telegram.wait_for(LEARNER, 2 * LESSON_MESSAGES + 4)
    graded, second = sent[LESSON_MESSAGES + 2], sent[-1]
    assert graded.text.startswith("Right!") and "“n”" in second.text
    telegram.press_button(LEARNER, question.message_id, buttons[1])  # Skip, under question 1
    sent = await telegram.wait_for(LEARNER, 2 * LESSON_MESSAGES + 5)
    assert sent[-1].text.startswith("That button belongs to an earlier question")
    skip = second.reply_markup["inline_keyboard"][0][1]["callback_data"]
    telegram.press_button(LEARNER, second.message_id, skip)
    sent = await telegram.wait_for(LEARNER, 2 * LESSON_MESSAGES + 7)
    assert sent[-2].text.startswith("Skipped")
    assert sent[-1].text.startswith(texts.QUIZ_DONE.format(correct=1, total=2))
    assert len(telegram.answered_callbacks) == 3


async def test_the_bot_describes_itself_to_new_users(telegram):
    assert telegram.description == texts.BOT_DESCRIPTION
    assert telegram.short_description == texts.BOT_SHORT_DESCRIPTION


async def test_an_image_sent_as_a_file_is_read(telegram):
    telegram.user_document(LEARNER, letter_png("ㄹ"), "letter.png", "image/png")
    [reply] = await telegram.wait_for(LEARNER, 1)
    assert reply.text.startswith("I read ㄹ")


async def test_files_that_are_not_pictures_or_too_big_are_refused_before_download(telegram):
    telegram.user_document(LEARNER, b"%PDF-1.4", "notes.pdf", "application/pdf")
    telegram.user_document(LEARNER, b"x", "huge.jpg", "image/jpeg", file_size=50 * 2**20)
    first, second = await telegram.wait_for(LEARNER, 2)
    assert first.text == texts.NOT_AN_IMAGE_FILE
    assert "50 MB" in second.text
    assert "getFile" not in telegram.requests


async def test_stickers_voice_and_video_get_a_friendly_reply(telegram):
    telegram.user_sticker(LEARNER)
    telegram.user_voice(LEARNER)
    telegram.user_video(LEARNER)
    replies = await telegram.wait_for(LEARNER, 3)
    assert all(r.text == texts.UNSUPPORTED_MESSAGE for r in replies)


async def test_deleteme_through_its_confirmation_button(telegram, chat_tutor):
    telegram.user_photo(LEARNER, letter_png("ㅛ"))
    telegram.user_text(LEARNER, "/deleteme")
    ask = (await telegram.wait_for(LEARNER, 2))[-1]
    assert ask.reply_markup["inline_keyboard"][0][0]["callback_data"] == "/deleteme confirm"
    telegram.press_button(LEARNER, ask.message_id, "/deleteme confirm")
    done = (await telegram.wait_for(LEARNER, 3))[-1]
    assert done.text == texts.DELETE_DONE
    async with chat_tutor.db.transaction() as session:
        assert (await session.scalars(select(Attempt))).all() == []


async def test_admin_commands_are_refused_to_learners(telegram):
    telegram.user_text(LEARNER, "/model")
    telegram.user_text(ADMIN, "/model")
    [refused] = await telegram.wait_for(LEARNER, 1)
    [shown] = await telegram.wait_for(ADMIN, 1)
    assert refused.text == texts.ADMIN_ONLY.format(name="model")
    assert "lenet packaged" in shown.text


async def test_a_reminder_is_delivered_and_a_blocked_learner_is_turned_off(
    adapter_and_fake, chat_tutor, clock
):
    adapter, fake = adapter_and_fake
    blocked = 2002
    for user in (LEARNER, blocked):
        fake.user_text(user, "/remind 09:30")
    await fake.wait_for(LEARNER, 1)
    await fake.wait_for(blocked, 1)
    fake.block(blocked)
    clock.advance(minutes=30)
    report = await Reminders(chat_tutor.db, {"telegram": adapter}, clock).tick()
    assert (report.sent, report.unreachable) == (1, 1)
    reminder = (await fake.wait_for(LEARNER, 2))[-1]
    assert reminder.text.startswith("Time for your daily Hangul practice")
    async with chat_tutor.db.transaction() as session:
        found = {x.platform_id: x for x in await session.scalars(select(Learner))}
    assert found[str(LEARNER)].reminders_on and not found[str(blocked)].reminders_on


async def test_rate_limits_and_server_errors_are_retried(telegram):
    telegram.fail_next("sendMessage", 429, retry_after=1)
    telegram.fail_next("sendMessage", 502)
    telegram.user_text(LEARNER, "/help")
    [reply] = await telegram.wait_for(LEARNER, 1, timeout=15)
    assert reply.text == commands.help_text()


async def test_a_flood_from_one_learner_is_throttled(telegram):
    for _ in range(20):
        telegram.user_text(LEARNER, "/help")
    telegram.user_text(2002, "/help")
    [other] = await telegram.wait_for(2002, 1)
    assert other.text == commands.help_text()
    sent = await telegram.wait_for(LEARNER, 9)
    assert [r.text for r in sent].count(texts.SLOW_DOWN) == 1
    assert [r.text for r in sent].count(commands.help_text()) == 8


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_hangul_bot_entry_point_serves_telegram_and_stops_on_sigterm(tmp_path, mode):
    async with FakeTelegram() as fake:
        env = {
            "TELEGRAM_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": fake.base_url,
            "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
        }
        if mode == "webhook":
            env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{free_port()}/telegram"
            env["TELEGRAM_WEBHOOK_LISTEN"] = "127.0.0.1"
            env["TELEGRAM_WEBHOOK_PORT"] = env["TELEGRAM_WEBHOOK_URL"].split(":")[2].split("/")[0]
            env["TELEGRAM_WEBHOOK_SECRET"] = "webhook-secret"
        bot = await start_hangul_bot(tmp_path, env)
        try:
            await fake.wait_for_request("getUpdates" if mode == "polling" else "setWebhook", 60)
            if mode == "webhook":
                await asyncio.sleep(0.5)  # the webhook server starts listening after setWebhook
                assert fake.webhook["secret_token"] == "webhook-secret"
            fake.user_photo(LEARNER, letter_png("ㅛ"))
            [reply] = await fake.wait_for(LEARNER, 1, timeout=30)
            assert reply.text.startswith("I read ㅛ")
        finally:
            bot.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(bot.communicate(), 30)
        log = output.decode()
        assert bot.returncode == 0, log
        assert "shutting down" in log
        assert fake.token not in log and "webhook-secret" not in log
        assert fake.webhook_errors == []


async def test_a_small_load_run_loses_and_duplicates_no_reply():
    figures = await run_load(learners=10, pictures=2)
    assert (figures["lost"], figures["duplicated"], figures["learners_failed"]) == (0, 0, 0)
    assert figures["attempts_stored"] == 20 and figures["bot_exit_code"] == 0


@pytest.fixture
async def webhook_adapter_and_fake(chat_tutor):
    """A running adapter taking updates from the fake server through its webhook."""
    async with FakeTelegram() as fake:
        port = free_port()
        settings = TelegramSettings(
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_secret="s3cret",
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        adapter = TelegramAdapter(chat_tutor, settings)
        await adapter.start()
        await asyncio.sleep(0.5)  # the webhook server starts listening after setWebhook
        try:
            yield adapter, fake
        finally:
            await adapter.stop()


async def test_an_update_delivered_twice_is_handled_once(webhook_adapter_and_fake, chat_tutor):
    _, fake = webhook_adapter_and_fake
    fake.user_text(LEARNER, "/quiz 2")
    await fake.wait_for(LEARNER, LESSON_MESSAGES + 1)
    update = fake.user_photo(LEARNER, letter_png("ㅏ"))
    answered = 2 * LESSON_MESSAGES + 3  # graded, then the next lesson and question
    await fake.wait_for(LEARNER, answered)
    fake.redeliver(update)
    fake.user_text(LEARNER, "/help")  # answered after the redelivery, if it was handled
    sent = await fake.wait_for(LEARNER, answered + 1)
    assert sent[-1].text == commands.help_text() and len(sent) == answered + 1
    async with chat_tutor.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Attempt)) == 1


async def test_a_burst_of_pictures_is_read_in_turn_and_none_is_dropped(telegram):
    for _ in range(30):
        telegram.user_photo(LEARNER, letter_png("ㅛ"))
    sent = await telegram.wait_for(LEARNER, 31, timeout=60)
    texts_sent = [message.text for message in sent]
    assert texts_sent.count(texts.ONE_AT_A_TIME) == 1
    assert sum(text.startswith("I read ㅛ") for text in texts_sent) == 30


async def test_a_file_larger_than_it_says_is_not_downloaded_whole(telegram):
    big = letter_png("ㅛ") + bytes(25 * 2**20)
    telegram.user_document(LEARNER, big, "letter.png", "image/png", file_size=1000)
    [reply] = await telegram.wait_for(LEARNER, 1, timeout=30)
    assert reply.text == texts.VERDICTS[Verdict.TOO_LARGE]


async def test_a_picture_sent_as_an_untyped_file_is_read(telegram):
    telegram.user_document(LEARNER, letter_png("ㅛ"), "letter.png", "application/octet-stream")
    [reply] = await telegram.wait_for(LEARNER, 1)
    assert reply.text.startswith("I read ㅛ")


async def test_a_reply_longer_than_telegram_allows_is_split(adapter_and_fake):
    adapter, fake = adapter_and_fake
    long = "\n".join(f"line {n}: " + "가" * 60 for n in range(200))
    await adapter.send(Sender("telegram", str(LEARNER)), [Reply(long)])
    sent = fake.messages_to(LEARNER)
    assert len(sent) == 4 and all(len(message.text) <= 4096 for message in sent)
    assert "\n".join(message.text for message in sent) == long


async def test_an_ordinary_learner_is_answered_while_others_send_bombs():
    figures = await run_attack(attackers=2, photos=5, small=True)
    assert figures["every_hostile_file_answered"] and figures["bot_alive_at_the_end"]
    assert figures["bot_exit_code"] == 0 and figures["ordinary_photos"] == 5
