"""The real python-telegram-bot Application against a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.loader import Knowledge
from bot.telegram.app import Webhook, build_application, running
from bot.telegram.delivery import RetryPolicy, split_text
from tests.conftest import database_settings
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, SentRecord

STAFF = -1001234
ADMIN = 900
FAST_RETRIES = RetryPolicy(attempts=15, first_delay=0.01, max_delay=0.05, max_retry_after=0.05)


def settings_for(api: FakeBotApi, database: Path | str) -> Settings:
    """Settings pointing the bot at the fake server and a temporary database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=api.url,
        staff_chat_id=STAFF,
        **database_settings(database),
    )


async def reply_to(api: FakeBotApi, chat_id: int, since: int) -> SentRecord:
    """The next message the bot sends to a chat after `since` records."""
    return await api.wait_for(lambda r: r.chat_id == chat_id and not r.is_edit, since=since)


async def staff_message_known(bot: Any, record: SentRecord) -> SentRecord:
    """Wait until the bot has stored which case a staff-chat message belongs to.

    The fake server records a message the moment it answers the HTTP call; the bot stores the
    id a moment later. An administrator is never that fast; a test is.
    """
    store = bot.bot_data["frontdesk"].store
    for _ in range(100):
        if await store.telegram.case_of_message(record.chat_id, record.message_id) is not None:
            return record
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {record.message_id} was never linked to a case")


async def open_case(api: FakeBotApi, patient: int, text: str, bot: Any) -> SentRecord:
    """A patient writes something that needs a person; returns the case card."""
    since = len(api.sent)
    api.user_message(patient, text, first_name="Anna")
    card = await api.wait_for(
        lambda r: r.chat_id == STAFF and "Case #" in (r.text or ""), since=since
    )
    return await staff_message_known(bot, card)


async def test_patient_asking_about_implants_gets_the_bundled_cost(
    api: FakeBotApi, bot: Any
) -> None:
    api.user_message(501, "hi, can i get implants? how much")
    reply = await reply_to(api, 501, 0)
    assert "Panoramic X-ray" in (reply.text or "")
    assert "crown" in (reply.text or "").lower()
    assert "$" in (reply.text or "")


async def test_emergency_posts_a_case_card_with_take_and_close(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 502, "my whole cheek is swollen and it throbs", bot)
    patient_reply = await reply_to(api, 502, 0)
    assert "EMERGENCY" in (card.text or "")
    assert "tg://user?id=502" in (card.text or "")
    assert "my whole cheek is swollen" in (card.text or "")
    assert card.buttons == [["Take", "Close"]]
    assert "911" in (patient_reply.text or "")


async def test_administrator_and_patient_talk_through_the_case(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 503, "i want to talk to a real person", bot)
    since = len(api.sent)
    api.user_message(
        ADMIN,
        "Hello Anna, this is Maria. How can I help?",
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=card.message_id,
        first_name="Maria",
    )
    delivered = await reply_to(api, 503, since)
    assert delivered.text == "Hello Anna, this is Maria. How can I help?"

    since = len(api.sent)
    api.user_message(503, "I need to move my appointment to Friday")
    relayed = await api.wait_for(lambda r: r.chat_id == STAFF and not r.is_edit, since=since)
    await staff_message_known(bot, relayed)
    assert "I need to move my appointment to Friday" in (relayed.text or "")
    assert relayed.reply_to_message_id == card.message_id
    assert [r for r in api.sent[since:] if r.chat_id == 503] == []

    since = len(api.sent)
    api.user_message(
        ADMIN,
        "Done, see you Friday at 10",
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=relayed.message_id,
        first_name="Maria",
    )
    assert (await reply_to(api, 503, since)).text == "Done, see you Friday at 10"


async def test_take_shows_who_took_the_case(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 504, "this is a complaint, i was overcharged", bot)
    since = len(api.sent)
    api.callback_query(
        ADMIN, "case:take:1", message_chat_id=STAFF, message_id=card.message_id, first_name="Maria"
    )
    edit = await api.wait_for(lambda r: r.is_edit and r.message_id == card.message_id, since=since)
    assert "taken by Maria" in (edit.text or "")


async def test_close_hands_back_and_the_bot_answers_again(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 505, "can someone call me back please", bot)
    since = len(api.sent)
    api.callback_query(ADMIN, "case:close:1", message_chat_id=STAFF, message_id=card.message_id)
    handback = await reply_to(api, 505, since)
    assert "back" in (handback.text or "").lower()

    since = len(api.sent)
    api.user_message(505, "what are your opening hours")
    answer = await reply_to(api, 505, since)
    assert "Saturday" in (answer.text or "")


async def test_close_command_in_reply_closes_the_case(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 506, "i want to speak to the administrator", bot)
    since = len(api.sent)
    api.user_message(
        ADMIN, "/close", chat_id=STAFF, chat_type="supergroup", reply_to_message_id=card.message_id
    )
    assert "back" in ((await reply_to(api, 506, since)).text or "").lower()


async def test_cases_lists_open_cases(api: FakeBotApi, bot: Any) -> None:
    await open_case(api, 507, "my tooth got knocked out", bot)
    since = len(api.sent)
    api.user_message(ADMIN, "/cases", chat_id=STAFF, chat_type="supergroup")
    listing = await reply_to(api, STAFF, since)
    assert "#1 · emergency" in (listing.text or "")


async def test_restart_in_the_middle_of_a_case_keeps_the_relay_working(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    settings = settings_for(api, database)
    first = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(first, poll_timeout=1):
        card = await open_case(api, 508, "let me talk to a human", first)

    second = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(second, poll_timeout=1):
        since = len(api.sent)
        api.user_message(
            ADMIN,
            "Hi, Maria here",
            chat_id=STAFF,
            chat_type="supergroup",
            reply_to_message_id=card.message_id,
        )
        assert (await reply_to(api, 508, since)).text == "Hi, Maria here"
        since = len(api.sent)
        api.user_message(508, "thank you Maria")
        relayed = await reply_to(api, STAFF, since)
        assert "thank you Maria" in (relayed.text or "")


async def test_non_staff_pressing_take_is_refused(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, 509, "i need a person", bot)
    api.callback_query(666, "case:take:1", message_chat_id=666, message_id=1)
    await api.wait_for_call(
        "answerCallbackQuery", lambda c: "staff" in str(c.params.get("text", ""))
    )
    case = await bot.bot_data["frontdesk"].store.cases.get(1)
    assert case is not None and case.taken_by is None
    assert not [r for r in api.sent if r.is_edit and r.message_id == card.message_id]


async def test_patient_sending_close_is_refused_and_nothing_closes(
    api: FakeBotApi, bot: Any
) -> None:
    await open_case(api, 510, "i want a human", bot)
    since = len(api.sent)
    api.user_message(510, "/close")
    refusal = await reply_to(api, 510, since)
    assert "only for the clinic's staff" in (refusal.text or "")
    case = await bot.bot_data["frontdesk"].store.cases.get(1)
    assert case is not None and case.status == "open"


async def test_two_hundred_patients_at_once_each_get_every_reply_once(
    api: FakeBotApi, bot: Any
) -> None:
    patients = range(10_000, 10_200)
    for patient in patients:
        api.user_message(patient, "what are your opening hours")
        api.user_message(patient, "how much is teeth whitening")
    for patient in patients:
        await api.wait_for_count(patient, 2, timeout=60)
    await asyncio.sleep(0.3)
    for patient in patients:
        texts = [r.text or "" for r in api.messages_to(patient)]
        assert len(texts) == 2
        assert "Saturday" in texts[0] and "$" in texts[1]


async def test_every_reply_arrives_when_30_percent_of_sends_fail(
    api: FakeBotApi, bot: Any
) -> None:
    api.fail_rate(methods={"sendMessage"}, rate=0.3, codes=(429, 502), retry_after=1)
    patients = range(20_000, 20_040)
    for patient in patients:
        api.user_message(patient, "where are you located")
    for patient in patients:
        await api.wait_for_count(patient, 1, timeout=60)
    await asyncio.sleep(0.3)
    assert all(len(api.messages_to(patient)) == 1 for patient in patients)
    failures = [c for c in api.calls if c.method == "sendMessage" and not c.ok]
    assert failures


async def test_a_repeated_update_is_answered_once(api: FakeBotApi, bot: Any) -> None:
    update = api.user_message(511, "what is your phone number")
    await api.wait_for_count(511, 1)
    api.repeat_update(update)
    await api.wait_drained()
    await asyncio.sleep(0.5)
    assert len(api.messages_to(511)) == 1


async def test_a_patient_who_blocked_the_bot_is_marked_unreachable(
    api: FakeBotApi, bot: Any
) -> None:
    api.block(512)
    api.user_message(512, "what are your opening hours")
    await api.wait_for_call("sendMessage", lambda c: c.error_code == 403)
    store = bot.bot_data["frontdesk"].store
    for _ in range(50):
        patient = await store.patients.find("telegram:512")
        if patient is not None and patient.unreachable:
            break
        await asyncio.sleep(0.05)
    assert patient is not None and patient.unreachable and patient.opted_out


async def test_photos_get_a_please_write_reply_and_go_to_staff_during_a_case(
    api: FakeBotApi, bot: Any
) -> None:
    since = len(api.sent)
    api.user_message(513, photo=True)
    assert "text" in ((await reply_to(api, 513, since)).text or "").lower()
    card = await open_case(api, 513, "please connect me to a person", bot)
    since = len(api.sent)
    api.user_message(513, voice=True)
    copied = await api.wait_for(
        lambda r: r.chat_id == STAFF and r.method == "copyMessage", since=since
    )
    assert copied.reply_to_message_id == card.message_id


async def test_messages_in_other_groups_are_ignored(api: FakeBotApi, bot: Any) -> None:
    api.user_message(514, "how much is a filling", chat_id=-555, chat_type="group")
    api.user_message(515, "how much is a crown")
    await api.wait_for_count(515, 1)
    assert api.messages_to(-555) == []


async def test_a_stale_button_gets_a_polite_answer(api: FakeBotApi, bot: Any) -> None:
    since = len(api.sent)
    api.callback_query(516, "intent:no_such_intent", message_id=77)
    reply = await reply_to(api, 516, since)
    assert "person" in (reply.text or "").lower()


async def test_did_you_mean_buttons_fit_in_64_bytes(knowledge: Knowledge) -> None:
    for name in knowledge.intents:
        assert len(f"intent:{name}".encode()) <= 64


def test_long_replies_are_split_within_the_telegram_limit() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 150 for i in range(12))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


async def test_a_failure_inside_the_bot_still_gets_the_patient_a_polite_answer(
    api: FakeBotApi, bot: Any
) -> None:
    await bot.bot_data["frontdesk"].store.close()  # the database disappears under the bot
    since = len(api.sent)
    api.user_message(517, "how much is a filling")
    apology = await reply_to(api, 517, since)
    assert "went wrong" in (apology.text or "") and "+1" in (apology.text or "")


async def test_a_bad_request_is_recorded_with_its_reason_and_not_retried(
    api: FakeBotApi, bot: Any
) -> None:
    api.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    api.user_message(518, "what are your opening hours")
    await api.wait_for_call("sendMessage", lambda c: c.error_code == 400)
    store = bot.bot_data["frontdesk"].store
    for _ in range(50):
        rows = await store.database.fetch_all(
            "SELECT status, last_error FROM outbox WHERE chat_id = 518"
        )
        if rows and rows[0]["status"] == "failed":
            break
        await asyncio.sleep(0.02)
    assert [tuple(row) for row in rows] == [("failed", "bad request: Can't parse entities")]
    assert len([c for c in api.calls if c.method == "sendMessage"]) == 1


async def test_a_reply_telegram_keeps_refusing_is_delivered_after_a_restart(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    settings = settings_for(api, database)
    patient_backoff = RetryPolicy(first_delay=30.0)
    first = build_application(settings, knowledge, retry_policy=patient_backoff)
    async with running(first, poll_timeout=1):
        api.fail_next("sendMessage", 502, "Bad Gateway", times=1)
        api.user_message(519, "what is your address")
        await api.wait_for_call("sendMessage", lambda c: c.error_code == 502)
        await asyncio.sleep(0.2)
        pending = await first.bot_data["frontdesk"].store.telegram.pending()
        assert len(pending) == 1 and api.messages_to(519) == []

    second = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(second, poll_timeout=1):
        delivered = await api.wait_for(lambda r: r.chat_id == 519, timeout=10)
    assert "Maple Avenue" in (delivered.text or "")
    assert len(api.messages_to(519)) == 1


async def test_one_patients_messages_are_answered_in_order(api: FakeBotApi, bot: Any) -> None:
    questions = [
        ("what are your opening hours", "Saturday"),
        ("what is your address", "Maple Avenue"),
        ("do you take insurance", "insur"),
        ("can i pay by card", "card"),
        ("who are your doctors", "Dr."),
    ]
    for question, _ in questions:
        api.user_message(520, question)
    replies = await api.wait_for_count(520, len(questions), timeout=20)
    for (question, expected), reply in zip(questions, replies, strict=True):
        assert expected in (reply.text or ""), question


def private_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A Bot API update with a private text message, as Telegram posts it to a webhook."""
    user = {"id": user_id, "is_bot": False, "first_name": "Pat"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Pat"},
            "from": user,
            "text": text,
        },
    }


async def test_webhook_mode_answers_only_updates_that_carry_the_secret(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Telegram is told the public https address; locally the bot listens on loopback only.
    webhook = Webhook(
        "https://clinic.example/telegram", "s3cret-token-0123456789", "127.0.0.1", port
    )
    local = f"http://127.0.0.1:{port}/telegram"
    application = build_application(
        settings_for(api, database), knowledge, retry_policy=FAST_RETRIES
    )
    async with running(application, webhook=webhook):
        registered = await api.wait_for_call("setWebhook")
        assert registered.params["secret_token"] == "s3cret-token-0123456789"
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                local,
                json=private_update(1, 531, "what are your opening hours"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "guessed"},
            )
            genuine = await client.post(
                local,
                json=private_update(2, 530, "what are your opening hours"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token-0123456789"},
            )
        assert forged.status_code == 403 and genuine.status_code == 200
        reply = await reply_to(api, 530, 0)
    assert "Saturday" in (reply.text or "")
    assert api.messages_to(531) == []


async def test_in_a_forum_staff_chat_each_case_gets_its_own_topic(
    api: FakeBotApi, bot: Any
) -> None:
    api.user_message(
        ADMIN, "morning all", chat_id=STAFF, chat_type="supergroup", message_thread_id=1
    )  # the staff group has topics
    card = await open_case(api, 521, "i want to talk to a real person", bot)
    assert card.message_thread_id is not None
    topic = api.topics[(STAFF, card.message_thread_id)]
    assert topic["name"].startswith("Case #1")

    since = len(api.sent)
    api.user_message(
        ADMIN,
        "Hi, this is Maria",
        chat_id=STAFF,
        chat_type="supergroup",
        message_thread_id=card.message_thread_id,
    )  # no reply needed in a topic
    assert (await reply_to(api, 521, since)).text == "Hi, this is Maria"

    since = len(api.sent)
    api.user_message(521, "thanks Maria")
    relayed = await reply_to(api, STAFF, since)
    assert relayed.message_thread_id == card.message_thread_id

    since = len(api.sent)
    api.user_message(
        ADMIN,
        "/close",
        chat_id=STAFF,
        chat_type="supergroup",
        message_thread_id=card.message_thread_id,
    )
    await reply_to(api, 521, since)
    await api.wait_for_call("closeForumTopic")
    assert api.topics[(STAFF, card.message_thread_id)]["closed"]


async def test_a_reply_refused_past_the_cap_is_recorded_failed_with_its_reason(
    api: FakeBotApi, bot: Any
) -> None:
    api.fail_next("sendMessage", 502, "Bad Gateway", times=FAST_RETRIES.attempts + 5)
    api.user_message(521, "what is your address")
    store = bot.bot_data["frontdesk"].store
    for _ in range(200):
        rows = await store.database.fetch_all(
            "SELECT status, last_error FROM outbox WHERE chat_id = 521"
        )
        if rows and rows[0]["status"] == "failed":
            break
        await asyncio.sleep(0.02)
    assert rows[0]["status"] == "failed"
    assert rows[0]["last_error"].startswith(f"gave up after {FAST_RETRIES.attempts} attempts")
    calls = [
        c for c in api.calls if c.method == "sendMessage" and str(c.params.get("chat_id")) == "521"
    ]
    assert len(calls) == FAST_RETRIES.attempts
    assert api.messages_to(521) == []


async def test_close_with_a_case_number_past_sqlites_integers_answers_in_one_line(
    api: FakeBotApi, bot: Any
) -> None:
    await open_case(api, 530, "i want to speak to the administrator", bot)
    for command, answer in [
        (
            "/close 99999999999999999999999",
            "Case numbers are whole numbers like #12; '99999999999999999999999' is too large.",
        ),
        ("/close #7", "There is no case #7; /cases lists the open ones."),
        (
            "/close now",
            "Reply /close to a case message, or write /close #12; 'now' is not a case number.",
        ),
        ("/close", "Which case? Reply /close to a case message, or write /close #12."),
    ]:
        since = len(api.sent)
        api.user_message(ADMIN, command, chat_id=STAFF, chat_type="supergroup")
        assert (await reply_to(api, STAFF, since)).text == answer
    since = len(api.sent)
    api.user_message(ADMIN, "/close #1", chat_id=STAFF, chat_type="supergroup")
    assert "back" in ((await reply_to(api, 530, since)).text or "").lower()


async def test_a_case_button_with_a_number_past_sqlites_integers_gets_a_polite_answer(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, 531, "can someone call me back please", bot)
    since = len(api.calls)
    api.callback_query(
        ADMIN,
        "case:take:99999999999999999999",
        message_chat_id=STAFF,
        message_id=card.message_id,
    )
    answer = await api.wait_for_call("answerCallbackQuery", since=since)
    assert answer.params.get("text") == "This case no longer exists."
    since = len(api.sent)
    api.callback_query(ADMIN, "case:take:1", message_chat_id=STAFF, message_id=card.message_id)
    edit = await api.wait_for(lambda r: r.is_edit and r.message_id == card.message_id, since=since)
    assert "taken by" in (edit.text or "")


async def test_a_bug_in_a_handler_gets_a_polite_answer_with_a_person_and_nothing_half_done(
    api: FakeBotApi, bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = bot.bot_data["frontdesk"]
    real_handle_text = runtime.front_desk.handle_text

    async def half_done_then_broken(external_id: str, text: str, **names: Any) -> Any:
        await real_handle_text(external_id, text, **names)  # writes, then a bug strikes
        raise KeyError("a bug")

    monkeypatch.setattr(runtime.front_desk, "handle_text", half_done_then_broken)
    since = len(api.sent)
    api.user_message(522, "how much is a filling")
    apology = await api.wait_for(lambda r: r.chat_id == 522, since=since, timeout=10)
    assert "went wrong" in (apology.text or "")
    assert apology.buttons == [["Talk to a person"]]
    await asyncio.sleep(0.2)
    assert len(api.messages_to(522)) == 1
    store = runtime.store
    assert await store.patients.find("telegram:522") is None  # the half-done turn left nothing
    [row] = await store.database.fetch_all("SELECT status, last_error FROM inbox")
    assert tuple(row) == ("failed", "KeyError")


async def test_a_lone_surrogate_in_a_name_or_text_does_not_lock_the_patient_out(
    api: FakeBotApi, bot: Any
) -> None:
    since = len(api.sent)
    api.user_message(523, "how much is a filling \ud83d", first_name="Ann\udc00")
    first = await reply_to(api, 523, since)
    assert "filling" in (first.text or "").lower()
    since = len(api.sent)
    api.user_message(523, "what is your address", first_name="Ann\udc00")
    assert "Maple Avenue" in ((await reply_to(api, 523, since)).text or "")
