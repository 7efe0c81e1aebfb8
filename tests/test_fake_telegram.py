"""The fake Bot API server, proven with the real python-telegram-bot: polling, webhook, files,
buttons, commands and injected failures."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot_fixtures import free_port
from fake_telegram import FakeTelegram

USER = 1001
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


def application_for(fake: FakeTelegram) -> Application:
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


def bot_for(fake: FakeTelegram, **kwargs) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, **kwargs)


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:
    """Run the application with long polling, and shut it down cleanly."""
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def reply_with_args(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"quiz {context.args}")


async def test_long_polling_delivers_text_and_commands_and_confirms_them(fake):
    application = application_for(fake)
    application.add_handler(CommandHandler("quiz", reply_with_args))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(application):
        fake.user_text(USER, "안녕")
        fake.user_text(USER, "/quiz 3")
        hello, command = await fake.wait_for(USER, 2)
    assert (hello.method, hello.text) == ("sendMessage", "안녕")
    assert command.text == "quiz ['3']"
    async with bot_for(fake) as bot:
        assert (await bot.get_webhook_info()).pending_update_count == 0
    assert fake.requests[:2] == ["getMe", "deleteWebhook"] and fake.unknown_methods == []


async def test_a_photo_the_user_sent_is_downloaded_byte_for_byte(fake):
    async def measure(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        data = await (await update.message.photo[-1].get_file()).download_as_bytearray()
        context.bot_data["photo"] = bytes(data)
        await update.message.reply_text(str(len(data)))

    application = application_for(fake)
    application.add_handler(MessageHandler(filters.PHOTO, measure))
    async with polling(application):
        fake.user_photo(USER, PICTURE, caption="ㅏ")
        [reply] = await fake.wait_for(USER, 1)
    assert reply.text == str(len(PICTURE)) and application.bot_data["photo"] == PICTURE
    assert "getFile" in fake.requests and len(fake.downloads) == 1


async def test_a_photo_with_buttons_then_a_press_is_answered_and_edited(fake):
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = [InlineKeyboardButton(letter, callback_data=letter) for letter in "ㅏㅓ"]
        markup = InlineKeyboardMarkup([buttons])
        await update.message.reply_photo(PICTURE, caption="Which one?", reply_markup=markup)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        await query.edit_message_reply_markup(None)
        await query.message.reply_text(f"You chose {query.data}")

    application = application_for(fake)
    application.add_handler(CommandHandler("ask", ask))
    application.add_handler(CallbackQueryHandler(pressed))
    async with polling(application):
        fake.user_text(USER, "/ask")
        [question] = await fake.wait_for(USER, 1)
        fake.press_button(USER, question.message_id, "ㅓ")
        edit, answer = (await fake.wait_for(USER, 3))[1:]
    assert (question.method, question.photo, question.text) == ("sendPhoto", PICTURE, "Which one?")
    assert [b["callback_data"] for b in question.reply_markup["inline_keyboard"][0]] == ["ㅏ", "ㅓ"]
    assert (edit.method, edit.message_id, edit.reply_markup) == (
        "editMessageReplyMarkup",
        question.message_id,
        None,
    )
    assert answer.text == "You chose ㅓ" and len(fake.answered_callbacks) == 1


async def test_the_command_list_is_recorded_and_checked(fake):
    commands = [BotCommand("quiz", "Start a quiz"), BotCommand("help", "How it works")]
    async with bot_for(fake) as bot:
        await bot.set_my_commands(commands)
        assert fake.commands == [c.to_dict() for c in commands]
        assert await bot.get_my_commands() == tuple(commands)
        with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Quiz-2", "Not a valid name")])
        await bot.delete_my_commands()
    assert fake.commands == []


async def test_blocked_users_rate_limits_server_errors_and_slow_answers(fake, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta, no warning
    async with bot_for(fake, request=HTTPXRequest(read_timeout=0.2)) as bot:
        fake.block(2002)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(2002, "hello?")
        fake.fail_next("sendMessage", 429, retry_after=1)
        fake.fail_next("sendMessage", 502)
        with pytest.raises(RetryAfter) as rate_limited:
            await bot.send_message(USER, "one")
        assert rate_limited.value.retry_after == dt.timedelta(seconds=1)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "two")
        fake.delay_next("sendMessage", 2)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "three")
        await bot.send_message(USER, "four")
    assert [m.text for m in fake.sent] == ["four"]
    with pytest.raises(TimeoutError, match="got 1 of 2 messages within 0.05s:\n  sendMessage #1"):
        await fake.wait_for(USER, 2, timeout=0.05)


async def test_edits_documents_and_refusals_of_the_real_api(fake):
    async with bot_for(fake) as bot:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="next")]])
        message = await bot.send_message(USER, "Question", reply_markup=keyboard)
        await message.edit_text("Answer")
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("Answer", USER, message.message_id)
        sent = await bot.send_document(USER, b"%PDF-1.4", filename="notes.pdf")
        assert sent.document.file_name == "notes.pdf"
        assert await (await sent.document.get_file()).download_as_bytearray() == b"%PDF-1.4"
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendHangulLesson", api_kwargs={"chat_id": USER})
    edit, document = fake.sent[1:]
    assert (edit.method, edit.text, edit.reply_markup) == ("editMessageText", "Answer", None)
    assert (document.document, document.text) == (b"%PDF-1.4", None)
    assert fake.unknown_methods == ["sendHangulLesson"]
    with pytest.raises(InvalidToken):
        async with Bot("654321:WRONG", base_url=fake.base_url):
            pass


async def test_webhook_mode_posts_updates_with_the_secret_token(fake):
    port = free_port()
    application = application_for(fake)
    application.add_handler(MessageHandler(filters.TEXT, echo))
    url = f"http://127.0.0.1:{port}/tg"
    async with application:
        await application.start()
        await application.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="tg", webhook_url=url, secret_token="s3cret"
        )
        fake.user_text(USER, "over the webhook")
        [reply] = await fake.wait_for(USER, 1)
        fake.webhook["secret_token"] = "wrong"
        fake.user_text(USER, "forged")
        async with asyncio.timeout(5):
            while not fake.webhook_errors:
                await asyncio.sleep(0.01)
        await application.updater.stop()
        await application.stop()
    assert reply.text == "over the webhook"
    assert fake.webhook == {
        "url": url,
        "secret_token": "wrong",
        "max_connections": 40,
        "allowed_updates": None,
    }
    assert fake.webhook_errors == ["update 2: HTTP 403"] and len(fake.sent) == 1


async def test_json_bodies_and_query_strings_are_understood_too(fake):
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with aiohttp.ClientSession(f"{fake.base_url}{fake.token}/") as http:
        body = {"chat_id": USER, "text": "as JSON", "reply_markup": markup}
        async with http.post("sendMessage", json=body) as answer:
            sent = (await answer.json())["result"]
        async with http.get(
            "sendChatAction", params={"chat_id": USER, "action": "typing"}
        ) as answer:
            assert await answer.json() == {"ok": True, "result": True}
    assert sent["reply_markup"] == fake.sent[0].reply_markup == markup
    assert fake.requests == ["sendMessage", "sendChatAction"]
