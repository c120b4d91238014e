"""Reliability, end to end: the real Application against the fake Bot API and a real SQLite file.

Each test is a sentence about what a patient or an administrator notices: one answer per
question, edits handled on purpose, long emoji texts delivered, duplicates ignored, failures
and floods absorbed, old data removed on time, and webhook posts confirmed only once stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from bot.loader import Knowledge
from bot.store import to_db_time, utc_now
from bot.telegram.app import Webhook, _housekeeping, build_application, running
from bot.telegram.delivery import RetryPolicy
from bot.telegram.runtime import Runtime, runtime_of
from tests.fake_bot_api import FakeBotApi, SentRecord, utf16_length
from tests.test_reminders import agree_to
from tests.test_telegram import (
    ADMIN,
    FAST_RETRIES,
    STAFF,
    open_case,
    private_update,
    reply_to,
    settings_for,
    staff_message_known,
)

LIMIT = 4096
GRIN = "\N{GRINNING FACE}"  # one character, two UTF-16 units
FAMILY = "\N{MAN}\u200d\N{WOMAN}\u200d\N{GIRL}"  # one emoji of five characters, eight units
SECRET = "s3cret-token-0123456789"


def runtime(application: Any) -> Runtime:
    """The running bot's store, courier and processor."""
    return runtime_of(application)


async def handled(application: Any, update: dict[str, Any], timeout: float = 5.0) -> str:  # noqa: ASYNC109
    """Wait until the bot has handled a stored update and delivered what it queued.

    Returns the update's inbox status ('done', or 'failed' if its handler kept failing).
    """
    store = runtime(application).store
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = await store.database.fetch_one(
            "SELECT status FROM inbox WHERE update_id = ?", (update["update_id"],)
        )
        if row is not None and row["status"] != "pending":
            assert await runtime(application).courier.idle(), "the outbox did not drain"
            return str(row["status"])
        await asyncio.sleep(0.02)
    raise AssertionError(f"update {update['update_id']} was never handled")


def texts(records: list[SentRecord]) -> list[str]:
    """What the recipient reads, message by message."""
    return [record.text or "" for record in records]


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------------------------- edits


async def test_a_patient_who_edits_a_question_outside_a_case_gets_no_second_answer(
    api: FakeBotApi, bot: Any
) -> None:
    question = api.user_message(601, "what are your opening hours")
    first = await reply_to(api, 601, 0)
    assert "Saturday" in (first.text or "")

    edit = api.edit_user_message(question, "what is your address")
    assert await handled(bot, edit) == "done"

    assert texts(api.messages_to(601)) == [first.text]
    assert api.messages_to(STAFF) == []


async def test_a_patients_edit_during_a_case_reaches_the_staff_marked_as_edited(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, 602, "i want to talk to a real person", bot)
    patient_sees = len(api.messages_to(602))
    since = len(api.sent)
    question = api.user_message(602, "can I come on Friday at 10?")
    relayed = await api.wait_for(lambda r: r.chat_id == STAFF and not r.is_edit, since=since)
    assert "Friday at 10" in (relayed.text or "")
    assert "edited" not in (relayed.text or "")

    since = len(api.sent)
    api.edit_user_message(question, "can I come on Friday at 11?")
    edited = await api.wait_for(lambda r: r.chat_id == STAFF and not r.is_edit, since=since)
    assert "(edited)" in (edited.text or "")
    assert "Friday at 11" in (edited.text or "")
    assert edited.reply_to_message_id == card.message_id

    # The administrator answers the edited message; the patient gets that answer, and no echo
    # of their own edit.
    await staff_message_known(bot, edited)
    since = len(api.sent)
    api.user_message(
        ADMIN,
        "Friday at 11 works, see you then",
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=edited.message_id,
        first_name="Maria",
    )
    assert (await reply_to(api, 602, since)).text == "Friday at 11 works, see you then"
    assert len(api.messages_to(602)) == patient_sees + 1


async def test_an_administrators_edit_of_a_reply_already_sent_is_not_sent_to_the_patient_again(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, 603, "can someone call me back please", bot)
    since = len(api.sent)
    answer = api.user_message(
        ADMIN,
        "We will call you today at 3 pm",
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=card.message_id,
        first_name="Maria",
    )
    delivered = await reply_to(api, 603, since)
    assert delivered.text == "We will call you today at 3 pm"

    edit = api.edit_user_message(answer, "We will call you today at 4 pm")
    assert await handled(bot, edit) == "done"
    patient_got = [r for r in api.sent[since:] if r.chat_id == 603]
    assert texts(patient_got) == ["We will call you today at 3 pm"]  # once, and not the edit


# ------------------------------------------------------------------------- long emoji text


def assert_within_limit(parts: list[SentRecord]) -> None:
    """Every part within Telegram's limit, counted as Telegram counts: UTF-16 units."""
    lengths = [utf16_length(part.text or "") for part in parts]
    assert all(0 < length <= LIMIT for length in lengths), lengths


async def test_a_reply_of_exactly_4096_utf16_units_of_emoji_arrives_as_one_message(
    api: FakeBotApi, bot: Any
) -> None:
    text = GRIN * (LIMIT // 2)  # 2,048 characters, 4,096 units
    async with runtime(bot).store.unit_of_work():
        await runtime(bot).courier.send(604, text, "patient_reply")
    [delivered] = await api.wait_for_count(604, 1)
    assert delivered.text == text
    assert await runtime(bot).courier.idle()
    assert [c for c in api.calls_of("sendMessage") if not c.ok] == []
    assert len(api.messages_to(604)) == 1


async def test_a_long_emoji_reply_arrives_in_parts_each_within_4096_utf16_units_nothing_refused(
    api: FakeBotApi, bot: Any
) -> None:
    # 4,500 units of grins with spaces, then 4,000 units of family emoji with no break at all.
    text = f"{GRIN} " * 1500 + FAMILY * 500
    async with runtime(bot).store.unit_of_work():
        await runtime(bot).courier.send(605, text, "patient_reply")
    assert await runtime(bot).courier.idle()
    parts = api.messages_to(605)
    assert len(parts) >= 3
    assert_within_limit(parts)
    assert [c for c in api.calls_of("sendMessage") if not c.ok] == []
    joined = "".join(texts(parts))
    assert joined.replace(" ", "") == text.replace(" ", "")  # everything, in order
    for part in texts(parts):  # no family emoji is cut in half
        assert part.count("\N{MAN}") == part.count("\N{GIRL}"), part[:20]
        assert not part.startswith("\u200d") and not part.endswith("\u200d")
    rows = await runtime(bot).store.database.fetch_all(
        "SELECT status FROM outbox WHERE chat_id = 605"
    )
    assert {row["status"] for row in rows} == {"sent"}


async def test_a_patients_longest_emoji_message_during_a_case_reaches_the_staff_in_parts(
    api: FakeBotApi, bot: Any
) -> None:
    await open_case(api, 606, "i want to speak to a person", bot)
    longest = GRIN * (LIMIT // 2)  # the most Telegram lets a patient send: 4,096 units
    since = len(api.sent)
    update = api.user_message(606, longest)
    assert await handled(bot, update) == "done"
    relayed = [r for r in api.sent[since:] if r.chat_id == STAFF and not r.is_edit]
    assert len(relayed) == 2  # "Case #1, patient wrote:" makes it too long for one message
    assert_within_limit(relayed)
    assert "".join(texts(relayed)).count(GRIN) == LIMIT // 2
    assert [c for c in api.calls if c.method == "sendMessage" and not c.ok] == []


# ----------------------------------------------------------------------------- duplicates


async def test_the_same_update_delivered_twice_by_telegram_is_answered_once(
    api: FakeBotApi, bot: Any
) -> None:
    update = api.user_message(607, "what is your phone number")
    api.repeat_update(update)  # a second copy before the first is even answered
    await api.wait_for_count(607, 1)
    api.repeat_update(update)  # and a third after it was answered
    await api.wait_drained()
    await api.wait_for_call("getUpdates", since=len(api.calls))  # the repeats were fetched
    assert await handled(bot, update) == "done"
    assert api.delivered_update_ids.count(update["update_id"]) >= 3
    assert len(api.messages_to(607)) == 1


async def test_a_button_press_delivered_twice_opens_one_case_with_one_card(
    api: FakeBotApi, bot: Any
) -> None:
    press = api.callback_query(608, "person", message_id=1)
    api.repeat_update(press)
    card = await api.wait_for(lambda r: r.chat_id == STAFF and "Case #" in (r.text or ""))
    await api.wait_drained()
    await api.wait_for_call("getUpdates", since=len(api.calls))
    assert await handled(bot, press) == "done"
    cards = [r for r in api.messages_to(STAFF) if "Case #" in (r.text or "")]
    assert cards == [card]
    assert len(api.messages_to(608)) == 1
    assert len(await runtime(bot).store.cases.open_cases()) == 1


# ---------------------------------------------------------------------- blocked, then back


@pytest.mark.parametrize("comes_back_with", ["start", "/start"])
async def test_a_patient_who_blocked_the_bot_and_comes_back_has_their_reminder_consent_again(
    api: FakeBotApi, bot: Any, comes_back_with: str
) -> None:
    patient_id = 609
    await agree_to(api, "appointment", patient=patient_id)
    store = runtime(bot).store
    patient = await store.patients.find(f"telegram:{patient_id}")
    assert patient is not None and await store.contact.has_consent(patient.id, "appointment")

    api.block(patient_id)
    blocked = api.user_message(patient_id, "what are your opening hours")
    assert await handled(bot, blocked) == "done"
    patient = await store.patients.find(f"telegram:{patient_id}")
    assert patient is not None and patient.unreachable
    assert not await store.contact.has_consent(patient.id, "appointment")

    api.unblock(patient_id)
    since = len(api.sent)
    api.user_message(patient_id, comes_back_with, first_name="Anna")
    welcome = await reply_to(api, patient_id, since)
    assert "reminders" in (welcome.text or "").lower()
    patient = await store.patients.find(f"telegram:{patient_id}")
    assert patient is not None and not patient.unreachable and not patient.opted_out
    assert await store.contact.has_consent(patient.id, "appointment")
    active = [c for c in await store.contact.consents(patient.id) if c.withdrawn_at is None]
    assert [c.kind for c in active] == ["appointment"]


# ------------------------------------------------------------------------ failures, floods


async def test_with_30_percent_of_sends_refused_50_patients_get_each_of_2_answers_exactly_once(
    api: FakeBotApi, bot: Any
) -> None:
    api.fail_rate(methods={"sendMessage"}, rate=0.3, codes=(429, 502), retry_after=1)
    patients = range(30_000, 30_050)
    for patient in patients:
        api.user_message(patient, "what are your opening hours")
        api.user_message(patient, "how much is teeth whitening")
    for patient in patients:
        await api.wait_for_count(patient, 2, timeout=30)
    assert await runtime(bot).courier.idle()
    for patient in patients:
        answers = texts(api.messages_to(patient))
        assert len(answers) == 2, (patient, answers)
        assert "Saturday" in answers[0] and "$" in answers[1], (patient, answers)
    refused = [c for c in api.calls_of("sendMessage") if not c.ok]
    assert {c.error_code for c in refused} == {429, 502}
    counts = await runtime(bot).store.telegram.counts()
    assert counts == {"sent": 100}


async def test_one_chat_flooding_while_telegram_throttles_it_does_not_hold_up_other_patients(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    # Telegram's retry_after is honoured (not capped), so the flooding chat really waits 2 s.
    honour_telegram = RetryPolicy(attempts=15, first_delay=0.01, max_delay=0.05)
    application = build_application(
        settings_for(api, database), knowledge, retry_policy=honour_telegram
    )
    flooder = 40_000
    patients = range(40_001, 40_021)
    async with running(application, poll_timeout=1):
        api.fail_chat(flooder, 429, retry_after=2, times=None)
        for _ in range(100):
            api.user_message(flooder, "what are your opening hours")
        await api.wait_for_call(
            "sendMessage", lambda c: c.error_code == 429 and c.params.get("chat_id") == flooder
        )

        wrote: dict[int, float] = {}
        for patient in patients:
            api.user_message(patient, "what is your address")
            wrote[patient] = time.monotonic()
        waited: dict[int, float] = {}
        for patient in patients:
            [answer] = await api.wait_for_count(patient, 1, timeout=10)
            assert "Maple Avenue" in (answer.text or "")
            waited[patient] = answer.at - wrote[patient]

        slowest = max(waited, key=waited.__getitem__)
        assert waited[slowest] < 2.0, f"patient {slowest} waited {waited[slowest]:.2f}s"
        throttled = [c for c in api.calls_of("sendMessage") if c.params.get("chat_id") == flooder]
        assert throttled and all(c.error_code == 429 for c in throttled)
        assert api.messages_to(flooder) == []  # the flood was really held back meanwhile
        api.clear_failures()
        # Stop only once every update is handled: stopping mid-flood is another test's subject.
        await all_handled(application, timeout=15)


async def all_handled(application: Any, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until no stored update is waiting to be handled."""
    store = runtime(application).store
    deadline = time.monotonic() + timeout
    while (await store.inbox.counts()).get("pending", 0):
        assert time.monotonic() < deadline, "updates were left unhandled"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.1)  # the last handler's bookkeeping


async def test_stopping_the_bot_while_it_answers_a_busy_chat_finishes_within_seconds(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    application = build_application(
        settings_for(api, database), knowledge, retry_policy=FAST_RETRIES
    )

    async def session() -> None:
        async with running(application, poll_timeout=1):
            for _ in range(30):
                api.user_message(615, "what are your opening hours")
            await api.wait_for_count(615, 1)  # busy with the rest when the stop comes

    stopping = asyncio.create_task(session())
    done, _ = await asyncio.wait({stopping}, timeout=8)
    if not done:  # un-stick the loops that ignored the stop, so the failure is reported
        loops = [
            task
            for task in asyncio.all_tasks()
            if task.get_name() in {"processor", "courier", "poller"}
        ]
        ignored = sorted(task.get_name() for task in loops if task.cancelling())
        for task in loops:
            task.cancel()
        await stopping
        pytest.fail(f"the bot did not stop within 8 s; cancelled but still running: {ignored}")
    stopping.result()


# ------------------------------------------------------------------------------ retention


async def test_housekeeping_removes_what_is_past_retention_and_keeps_what_is_recent(
    api: FakeBotApi, bot: Any
) -> None:
    settings = runtime(bot).settings
    store = runtime(bot).store
    database = store.database
    now = utc_now()

    def days_ago(days: float) -> str:
        return to_db_time(now - dt.timedelta(days=days))

    patient = await store.patients.get_or_create("telegram:610", "Pat", 610)

    async def rows(sql: str) -> list[str]:
        return sorted(str(row[0]) for row in await database.fetch_all(sql))

    # Each table gets a row just past its retention period and one just within it.
    plan = {
        "messages": settings.message_retention_days,
        "intent_matches": settings.match_retention_days,
        "outbox": settings.outbox_retention_days,
        "inbox": settings.inbox_retention_days,
        "audit_log": settings.audit_retention_days,
        "case_messages": settings.case_message_retention_days,
    }
    closed_cases: dict[str, int] = {}
    for age, label in ((1.0, "old"), (-1.0, "recent")):
        await database.execute(
            "INSERT INTO messages (patient_id, direction, text, created_at) "
            "VALUES (?, 'in', ?, ?)",
            (patient.id, f"{label}-message", days_ago(plan["messages"] + age)),
        )
        await database.execute(
            "INSERT INTO intent_matches (patient_id, intent, score, created_at) "
            "VALUES (?, ?, 0.9, ?)",
            (patient.id, f"{label}-match", days_ago(plan["intent_matches"] + age)),
        )
        for status in ("sent", "failed"):
            await database.execute(
                "INSERT INTO outbox (chat_id, text, purpose, status, created_at) "
                "VALUES (610, '', ?, ?, ?)",
                (f"{label}-{status}", status, days_ago(plan["outbox"] + age)),
            )
        for offset, status in ((0, "done"), (1, "failed")):
            update_id = (9_000_000 if label == "old" else 9_100_000) + offset
            await database.execute(
                "INSERT INTO inbox (update_id, chat_key, payload, status, received_at) "
                "VALUES (?, 610, '', ?, ?)",
                (update_id, status, days_ago(plan["inbox"] + age)),
            )
        await database.execute(
            "INSERT INTO audit_log (at, actor, action) VALUES (?, 'bot', ?)",
            (days_ago(plan["audit_log"] + age), f"{label}-audit"),
        )
        closed_at = days_ago(plan["case_messages"] + age)
        case_id = await database.insert(
            "INSERT INTO handoff_cases (patient_id, reason, status, opened_at, closed_at) "
            "VALUES (?, 'human', 'closed', ?, ?)",
            (patient.id, closed_at, closed_at),
        )
        closed_cases[label] = case_id
        await store.telegram.remember_case_message(STAFF, 70_000 + case_id, case_id)
    # Never removed however old: a message still owed, and the map of a case still open.
    await database.execute(
        "INSERT INTO outbox (chat_id, text, purpose, status, created_at, not_before) "
        "VALUES (610, 'still owed', 'owed', 'pending', ?, '2999-01-01T00:00:00+00:00')",
        (days_ago(400),),
    )
    open_case_id = await database.insert(
        "INSERT INTO handoff_cases (patient_id, reason, status, opened_at) "
        "VALUES (?, 'human', 'open', ?)",
        (patient.id, days_ago(400)),
    )
    await store.telegram.remember_case_message(STAFF, 80_000, open_case_id)

    await _housekeeping(SimpleNamespace(application=bot))  # type: ignore[arg-type]

    assert await rows("SELECT text FROM messages") == ["recent-message"]
    assert await rows("SELECT intent FROM intent_matches") == ["recent-match"]
    assert await rows("SELECT purpose FROM outbox") == ["owed", "recent-failed", "recent-sent"]
    assert await rows("SELECT update_id FROM inbox WHERE update_id >= 9000000") == [
        "9100000",
        "9100001",
    ]
    assert await rows("SELECT action FROM audit_log") == ["recent-audit"]
    kept = await rows("SELECT case_id FROM case_messages")
    assert sorted(kept) == sorted([str(closed_cases["recent"]), str(open_case_id)])
    # The patient and the cases themselves are not retention's to remove.
    assert await store.patients.find("telegram:610") is not None
    assert len(await rows("SELECT id FROM handoff_cases")) == 3
    await database.execute("DELETE FROM outbox WHERE purpose = 'owed'")  # lets the stop be quick


# -------------------------------------------------------------------------------- webhook


async def post(client: httpx.AsyncClient, url: str, update: dict[str, Any]) -> httpx.Response:
    """Telegram posting one update to the bot's webhook."""
    return await client.post(
        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10
    )


@pytest.fixture
async def webhook_bot(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> AsyncIterator[tuple[Any, str]]:
    """The real Application in webhook mode on loopback; yields it and its local URL."""
    port = free_port()
    webhook = Webhook("https://clinic.example/telegram", SECRET, "127.0.0.1", port)
    application = build_application(
        settings_for(api, database), knowledge, retry_policy=FAST_RETRIES
    )
    async with running(application, webhook=webhook):
        await api.wait_for_call("setWebhook")
        yield application, f"http://127.0.0.1:{port}/telegram"


async def stored_ids(application: Any) -> list[int]:
    """The update ids in the bot's inbox."""
    rows = await runtime(application).store.database.fetch_all("SELECT update_id FROM inbox")
    return [int(row[0]) for row in rows]


async def test_a_webhook_post_is_answered_200_only_once_the_update_is_stored(
    api: FakeBotApi, webhook_bot: tuple[Any, str]
) -> None:
    application, url = webhook_bot
    store = runtime(application).store
    async with httpx.AsyncClient() as client:
        # While the database is busy with another write, Telegram gets no answer yet.
        async with store.database.transaction():
            posting = asyncio.create_task(
                post(client, url, private_update(701, 611, "what are your opening hours"))
            )
            await asyncio.sleep(0.3)
            assert not posting.done()
        answered = await posting
        assert answered.status_code == 200
        assert 701 in await stored_ids(application)  # stored by the time Telegram hears 200

        again = await post(client, url, private_update(701, 611, "what are your opening hours"))
        assert again.status_code == 200  # Telegram's retry of the same update: no second answer
    reply = await reply_to(api, 611, 0)
    assert "Saturday" in (reply.text or "")
    assert await runtime(application).courier.idle()
    assert len(api.messages_to(611)) == 1


async def test_a_webhook_post_the_database_cannot_store_gets_a_5xx_so_telegram_retries(
    api: FakeBotApi, webhook_bot: tuple[Any, str]
) -> None:
    application, url = webhook_bot
    store = runtime(application).store
    await store.close()  # the database cannot be written
    async with httpx.AsyncClient() as client:
        refused = await post(client, url, private_update(702, 612, "what is your address"))
    assert 500 <= refused.status_code < 600
    await store.open()
    assert 702 not in await stored_ids(application)


async def test_after_a_database_outage_telegrams_retry_of_a_webhook_post_is_answered(
    api: FakeBotApi, webhook_bot: tuple[Any, str]
) -> None:
    application, url = webhook_bot
    store = runtime(application).store
    async with httpx.AsyncClient() as client:
        answered = await post(client, url, private_update(704, 613, "what are your opening hours"))
        assert answered.status_code == 200
        await api.wait_for_count(613, 1)
        assert await runtime(application).courier.idle()  # nothing in flight when it fails
        await store.close()
        refused = await post(client, url, private_update(703, 613, "what is your address"))
        assert refused.status_code >= 500
        await asyncio.sleep(0.6)  # the bot's loops notice the outage
        await store.open()  # the database is back; Telegram retries the same update
        retried = await post(client, url, private_update(703, 613, "what is your address"))
        assert retried.status_code == 200
    [_, answer] = await api.wait_for_count(613, 2, timeout=5)
    assert "Maple Avenue" in (answer.text or "")


async def test_a_patient_writing_during_a_database_outage_gets_an_apology_then_the_answer(
    api: FakeBotApi, bot: Any
) -> None:
    store = runtime(bot).store
    api.user_message(614, "what are your opening hours")
    await api.wait_for_count(614, 1)
    assert await runtime(bot).courier.idle()  # nothing in flight when the database fails
    await store.close()
    api.user_message(616, "what is your address")
    [apology] = await api.wait_for_count(616, 1)
    assert "went wrong" in (apology.text or "")
    await asyncio.sleep(0.6)  # every loop of the bot meets the outage at least once
    await store.open()
    [_, answer] = await api.wait_for_count(616, 2, timeout=8)
    assert "Maple Avenue" in (answer.text or "")
    assert len(api.messages_to(616)) == 2
