"""Tests for the fake Bot API server, driven by the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi

SHORT_POLL = dtm.timedelta(seconds=0.2)
# PTB 22 warns whenever RetryAfter.retry_after is read as int; irrelevant here.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake server."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """A real telegram.Bot pointed at the fake server."""
    async with Bot(DEFAULT_TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as b:
        yield b


def build_app(api: FakeBotApi) -> Application:  # type: ignore[type-arg]
    """A real Application pointed at the fake server."""
    return (
        Application.builder()
        .token(DEFAULT_TOKEN)
        .base_url(f"{api.url}/bot")
        .base_file_url(f"{api.url}/file/bot")
        .build()
    )


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application with long polling for the duration of the block."""
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=SHORT_POLL)  # type: ignore[union-attr]
        try:
            yield app
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456789
    assert me.is_bot
    assert me.username == "frontdesk_test_bot"


async def test_wrong_token_is_unauthorized() -> None:
    async with FakeBotApi(token="1:right") as api:
        wrong = Bot("1:wrong", base_url=api.base_url)
        try:
            with pytest.raises(InvalidToken):
                await wrong.initialize()
        finally:
            await wrong.shutdown()
        assert api.calls[-1].error_code == 401


async def test_raw_http_shapes_and_json_bodies(api: FakeBotApi) -> None:
    async def post(path: str, **kwargs: object) -> tuple[int, dict[str, object]]:
        async with http.post(f"{api.url}{path}", **kwargs) as resp:  # type: ignore[arg-type]
            return resp.status, await resp.json()

    connector = aiohttp.TCPConnector(force_close=True)  # no keep-alive sockets left behind
    async with aiohttp.ClientSession(connector=connector) as http:
        status, body = await post("/botnot-a-token/getMe")
        assert status == 401
        assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}

        status, body = await post(f"/bot{DEFAULT_TOKEN}/noSuchMethod")
        assert status == 404
        assert body["description"] == "Not Found: method not found"

        # JSON body with a JSON-string reply_markup and a numeric-looking text; case-insensitive
        markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
        payload = {"chat_id": "77", "text": "123", "reply_markup": markup}
        status, body = await post(f"/bot{DEFAULT_TOKEN}/sendmessage", json=payload)
        assert status == 200 and body["result"]["text"] == "123"  # type: ignore[index]
    record = api.sent[-1]
    assert (record.method, record.chat_id, record.text) == ("sendMessage", 77, "123")
    assert record.callback_data == ["a"]


async def test_unknown_method_via_bot(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("definitelyNotAMethod")


async def test_send_records_markup_and_reply(api: FakeBotApi, bot: Bot) -> None:
    update = api.user_message(42, "hello")
    incoming_id = update["message"]["message_id"]
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Book", callback_data="book")]])
    msg = await bot.send_message(
        42,
        "<b>Hi</b> there",
        parse_mode="HTML",
        reply_markup=keyboard,
        reply_parameters=ReplyParameters(incoming_id),
    )
    assert msg.message_id == incoming_id + 1  # per-chat counter shared with user messages
    assert msg.text == "Hi there"
    assert msg.reply_to_message is not None and msg.reply_to_message.text == "hello"
    [record] = api.messages_to(42)
    assert record.text == "<b>Hi</b> there"
    assert record.reply_to_message_id == incoming_id
    assert record.buttons == [["Book"]]
    assert record.message_id == msg.message_id


async def test_application_echo(api: FakeBotApi) -> None:
    app = build_app(api)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        update = api.user_message(42, "ping")
        record = await api.wait_for(lambda r: r.chat_id == 42 and r.text == "ping")
    assert record.reply_to_message_id is None  # reply_text doesn't quote by default
    assert record.message_id == update["message"]["message_id"] + 1
    assert [c.method for c in api.calls[:2]] == ["getMe", "deleteWebhook"]


async def test_offset_confirmation_delivers_once(api: FakeBotApi) -> None:
    seen: list[int] = []

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        await echo(update, context)

    app = build_app(api)
    app.add_handler(MessageHandler(filters.TEXT, count))
    async with polling(app):
        update = api.user_message(7, "once")
        await api.wait_for_count(7, 1)
        await api.wait_drained()  # PTB confirmed it by polling with offset = update_id + 1
        mark = len(api.calls)
        await api.wait_for_call("getUpdates", since=mark)  # more polls: nothing redelivered
        await api.wait_for_call("getUpdates", since=len(api.calls))
        assert seen == [update["update_id"]]

        api.repeat_update(update)  # Telegram re-sending the same update_id
        await api.wait_for_count(7, 2)
    assert seen == [update["update_id"], update["update_id"]]
    assert api.delivered_update_ids.count(update["update_id"]) == 2
    assert api.pending_updates == []


async def test_get_updates_long_poll_and_offset(api: FakeBotApi, bot: Bot) -> None:
    assert await bot.get_updates(timeout=SHORT_POLL) == ()

    async def later() -> None:
        await asyncio.sleep(0.05)
        api.user_message(1, "a")

    task = asyncio.create_task(later())
    loop = asyncio.get_running_loop()
    started = loop.time()
    updates = await bot.get_updates(timeout=5)
    assert loop.time() - started < 1.0  # woke up on enqueue, not on timeout
    await task
    assert [u.message.text for u in updates if u.message] == ["a"]

    api.user_message(1, "b")
    api.user_message(1, "c")
    assert len(await bot.get_updates(limit=1)) == 1
    again = await bot.get_updates()  # no offset: nothing was confirmed yet
    assert [u.message.text for u in again if u.message] == ["a", "b", "c"]
    rest = await bot.get_updates(offset=again[0].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["b", "c"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_fail_next_maps_to_ptb_errors(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(5, "x")
    assert retry.value.retry_after in (3, dtm.timedelta(seconds=3))

    api.fail_next("sendMessage", 403)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(5, "x")

    api.fail_next("sendMessage", 502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway") as err:
            await bot.send_message(5, "x")
        assert not isinstance(err.value, BadRequest)

    api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(5, "x")

    await bot.send_message(5, "finally")
    assert [r.text for r in api.sent] == ["finally"]
    assert [c.error_code for c in api.calls_of("sendMessage")] == [429, 403, 502, 502, 400, None]


async def test_block_and_fail_rate(api: FakeBotApi, bot: Bot) -> None:
    api.block(9)
    with pytest.raises(Forbidden):
        await bot.send_message(9, "x")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(9, "typing")
    api.unblock(9)
    await bot.send_message(9, "ok")

    api.fail_rate(methods={"sendMessage"}, rate=0.5, codes=(429, 502), retry_after=1, seed=1)
    outcomes: list[str] = []
    for i in range(20):
        try:
            await bot.send_message(9, f"m{i}")
            outcomes.append("ok")
        except RetryAfter:
            outcomes.append("429")
        except NetworkError:
            outcomes.append("502")
    assert {"ok", "429", "502"} <= set(outcomes)
    assert len(api.messages_to(9)) == 1 + outcomes.count("ok")


async def test_markup_validation_like_telegram(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(3, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)reserved"):
        await bot.send_message(3, "Open 9-5.", parse_mode="MarkdownV2")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(3, "x", reply_markup=too_long)
    msg = await bot.send_message(3, r"*Open* 9\-5\.", parse_mode="MarkdownV2")
    assert msg.text == "Open 9-5."
    with pytest.raises(BadRequest, match="(?i)not modified"):
        await bot.edit_message_text(r"*Open* 9\-5\.", 3, msg.message_id, parse_mode="MarkdownV2")
    assert len(api.sent) == 1


async def test_callback_query_round_trip(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
        await update.effective_message.reply_text("Book?", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Booked")
        await query.edit_message_text(f"You chose {query.data}")

    app = build_app(api)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with polling(app):
        api.user_message(11, "/start")
        menu = await api.wait_for(lambda r: r.callback_data == ["yes"])
        update = api.callback_query(11, "yes", message_chat_id=11, message_id=menu.message_id)
        edit = await api.wait_for(lambda r: r.method == "editMessageText")
    assert edit.message_id == menu.message_id and edit.text == "You chose yes"
    assert edit.message.get("reply_markup") is None
    answer = api.callback_answers[update["callback_query"]["id"]]
    assert answer["text"] == "Booked"
    assert len(api.messages_to(11)) == 1  # the edit is not a new message


async def test_copy_forward_topics_and_webhook(api: FakeBotApi, bot: Bot) -> None:
    src = api.user_message(5, "original")["message"]
    copied = await bot.copy_message(-100, from_chat_id=5, message_id=src["message_id"])
    forwarded = await bot.forward_message(-100, from_chat_id=5, message_id=src["message_id"])
    assert forwarded.text == "original" and forwarded.forward_origin is not None
    assert [(r.method, r.text) for r in api.messages_to(-100)] == [
        ("copyMessage", "original"),
        ("forwardMessage", "original"),
    ]
    assert api.messages_to(-100)[0].message_id == copied.message_id

    topic = await bot.create_forum_topic(-100, "Walk-ins")
    sent = await bot.send_message(-100, "hi", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id
    assert await bot.close_forum_topic(-100, topic.message_thread_id)
    with pytest.raises(BadRequest, match="(?i)topic_not_modified"):
        await bot.close_forum_topic(-100, topic.message_thread_id)

    assert await bot.set_webhook("https://example.com/hook", certificate=b"pem")  # multipart
    assert (await bot.get_webhook_info()).has_custom_certificate
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert await bot.delete_webhook()
    await bot.set_my_commands([("start", "Start"), ("hours", "Opening hours")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "hours"]
    assert (await bot.get_chat(5)).first_name == "Pat"


async def test_text_and_caption_limits_count_utf16_units_like_telegram(
    api: FakeBotApi, bot: Bot
) -> None:
    emoji = "\N{GRINNING FACE}"  # outside the BMP: one character, two UTF-16 units
    await bot.send_message(3, emoji * 2048)  # 4,096 units: the limit exactly
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(3, emoji * 2049)  # 2,049 characters but 4,098 units
    await bot.send_message(3, "a" * 4096)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(3, "a" * 4097)
    photo = api.user_message(5, photo=True)["message"]["message_id"]
    await bot.copy_message(-100, 5, photo, caption=emoji * 512)  # 1,024 units
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.copy_message(-100, 5, photo, caption=emoji * 513)
    assert [len(r.text or "") for r in api.sent] == [2048, 4096, 512]


async def test_fail_chat_refuses_only_that_chat(api: FakeBotApi, bot: Bot) -> None:
    api.fail_chat(8, 429, retry_after=2, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(8, "to the flooding chat")
        assert "2 seconds" in str(refused.value)
        await bot.send_message(9, "another chat is served")
    await bot.send_message(8, "served again once the rule is used up")
    assert [r.chat_id for r in api.sent] == [9, 9, 8]

    api.fail_chat(8, 502, times=None)
    for _ in range(3):
        with pytest.raises(NetworkError):
            await bot.send_message(8, "refused until cleared")
    api.clear_failures()
    await bot.send_message(8, "served")
    assert [r.chat_id for r in api.sent] == [9, 9, 8, 8]
    assert api.sent[0].at <= api.sent[-1].at


async def test_an_edited_message_arrives_as_edited_message(api: FakeBotApi) -> None:
    seen: list[tuple[str, str]] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        kind = "edited" if update.edited_message is not None else "new"
        assert update.effective_message is not None
        seen.append((kind, update.effective_message.text or ""))

    app = build_app(api)
    app.add_handler(MessageHandler(filters.ALL, record))
    async with polling(app):
        original = api.user_message(12, "see you at 10")
        api.edit_user_message(original, "see you at 11")
        await api.wait_drained()
        for _ in range(100):
            if len(seen) == 2:
                break
            await asyncio.sleep(0.02)
    assert seen == [("new", "see you at 10"), ("edited", "see you at 11")]
    stored = api.message(12, original["message"]["message_id"])
    assert stored is not None and stored["text"] == "see you at 11" and "edit_date" in stored
