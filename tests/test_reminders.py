"""Contact only with consent: reminders, staff tasks, opt-out, erasure and the customer card."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.loader import Knowledge
from bot.reminders import QuietHours, plan_appointment
from bot.telegram.app import build_application, running
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram import (
    ADMIN,
    FAST_RETRIES,
    STAFF,
    open_case,
    reply_to,
    settings_for,
)

CLINIC_ZONE = ZoneInfo("America/New_York")
PATIENT = 701


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
        """Move to a clinic-local time."""
        self.now = dt.datetime(year, month, day, hour, minute, tzinfo=CLINIC_ZONE)
        return self.now


@pytest.fixture
def clock() -> Clock:
    """Starts on 2026-12-01 10:00 clinic time."""
    return Clock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=CLINIC_ZONE))


@pytest.fixture
async def bot(
    api: FakeBotApi, tmp_path: Path, knowledge: Knowledge, clock: Clock
) -> AsyncIterator[Any]:
    """The real Application with a hand-moved clock."""
    application = build_application(
        settings_for(api, tmp_path / "bot.sqlite3"),
        knowledge,
        retry_policy=FAST_RETRIES,
        clock=clock,
    )
    async with running(application, poll_timeout=1):
        yield application


def runtime(bot: Any) -> Any:
    """The bot's runtime (store, scheduler...)."""
    return bot.bot_data["frontdesk"]


async def say(api: FakeBotApi, text: str, patient: int = PATIENT) -> str:
    """The patient writes; returns the bot's reply."""
    since = len(api.sent)
    api.user_message(patient, text, first_name="Anna")
    return (await reply_to(api, patient, since)).text or ""


async def press(api: FakeBotApi, data: str, patient: int = PATIENT) -> str:
    """The patient presses a button; returns the bot's reply."""
    since = len(api.sent)
    api.callback_query(patient, data, message_id=1)
    return (await reply_to(api, patient, since)).text or ""


async def staff_says(api: FakeBotApi, text: str, reply_to_id: int | None) -> str:
    """An administrator writes in the staff chat; returns the bot's answer there."""
    since = len(api.sent)
    api.user_message(
        ADMIN,
        text,
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=reply_to_id,
        first_name="Maria",
    )
    record = await api.wait_for(lambda r: r.chat_id == STAFF and not r.is_edit, since=since)
    return record.text or ""


async def staff_closes(api: FakeBotApi, card_id: int, patient: int = PATIENT) -> None:
    """An administrator sends /close in reply to the card; the patient is told."""
    since = len(api.sent)
    api.user_message(
        ADMIN, "/close", chat_id=STAFF, chat_type="supergroup", reply_to_message_id=card_id
    )
    await reply_to(api, patient, since)


async def agree_to(api: FakeBotApi, kind: str, patient: int = PATIENT) -> None:
    """The patient asks for reminders and agrees to one kind."""
    await say(api, "can you remind me about my appointments please", patient)
    await press(api, f"consent:{kind}", patient)
    confirmation = (await press(api, f"consent:{kind}:yes", patient)).lower()
    assert "noted" in confirmation or "recorded" in confirmation


async def appointment_recorded(api: FakeBotApi, bot: Any, request: str) -> tuple[Any, str]:
    """Consent to appointment reminders, a case, and an appointment on 2026-12-03 at 14:30.

    Returns the case card and the administrator's answer to /remind.
    """
    await agree_to(api, "appointment")
    card = await open_case(api, PATIENT, request, bot)
    answer = await staff_says(api, "/remind appointment 2026-12-03 14:30 Dr. Kim", card.message_id)
    return card, answer


async def reminders_to(api: FakeBotApi, bot: Any, patient: int = PATIENT) -> list[str]:
    """Every reminder text the patient received (the outbox knows which sends were reminders)."""
    assert await runtime(bot).courier.idle(), "the outbox did not drain"
    rows = await runtime(bot).store.database.fetch_all(
        "SELECT telegram_message_id FROM outbox WHERE purpose = 'reminder' AND status = 'sent' "
        "AND chat_id = ?",
        (patient,),
    )
    ids = {row[0] for row in rows}
    return [r.text or "" for r in api.messages_to(patient) if r.message_id in ids]


def test_appointment_reminders_are_the_day_before_and_two_hours_before() -> None:
    quiet = QuietHours.parse("21:00", "09:00")
    event = dt.datetime(2026, 12, 3, 14, 30, tzinfo=CLINIC_ZONE)
    planned = plan_appointment(event, quiet)
    assert [p.due_at.astimezone(CLINIC_ZONE) for p in planned] == [
        dt.datetime(2026, 12, 2, 14, 30, tzinfo=CLINIC_ZONE),
        dt.datetime(2026, 12, 3, 12, 30, tzinfo=CLINIC_ZONE),
    ]


def test_a_reminder_due_in_quiet_hours_moves_to_their_end() -> None:
    quiet = QuietHours.parse("21:00", "09:00")
    event = dt.datetime(2026, 12, 3, 8, 30, tzinfo=CLINIC_ZONE)
    day_before, _ = plan_appointment(event, quiet)
    assert day_before.due_at.astimezone(CLINIC_ZONE) == dt.datetime(
        2026, 12, 2, 9, 0, tzinfo=CLINIC_ZONE
    )


async def test_consent_is_recorded_with_kind_channel_time_and_wording(
    api: FakeBotApi, bot: Any
) -> None:
    await say(api, "please send me reminders")
    wording = await press(api, "consent:checkup")
    assert "free" in wording and "warranty" in wording
    confirmation = await press(api, "consent:checkup:yes")
    assert "recorded" in confirmation.lower() or "noted" in confirmation.lower()
    store = runtime(bot).store
    patient = await store.patients.find(f"telegram:{PATIENT}")
    [consent] = await store.contact.consents(patient.id)
    assert (consent.kind, consent.channel, consent.wording) == ("checkup", "telegram", wording)
    assert consent.granted_at and consent.withdrawn_at is None


async def test_consent_then_appointment_gives_exactly_two_reminders_across_a_restart(
    api: FakeBotApi, tmp_path: Path, knowledge: Knowledge, clock: Clock
) -> None:
    settings = settings_for(api, tmp_path / "bot.sqlite3")
    first = build_application(settings, knowledge, retry_policy=FAST_RETRIES, clock=clock)
    async with running(first, poll_timeout=1):
        card, answer = await appointment_recorded(api, first, "i want to talk to a person")
        assert "Wed 02 Dec 14:30" in answer and "Thu 03 Dec 12:30" in answer
        assert "NOT agreed" not in answer
        await staff_closes(api, card.message_id)

        clock.set(2026, 12, 2, 14, 0)
        await runtime(first).scheduler.run_due(clock())
        assert await reminders_to(api, first) == []
        clock.set(2026, 12, 2, 14, 30)
        await runtime(first).scheduler.run_due(clock())
        [day_before] = await reminders_to(api, first)
        assert "tomorrow" in day_before and "14:30" in day_before and "Dr. Kim" in day_before
        assert "Thursday, 3 December" in day_before

    second = build_application(settings, knowledge, retry_policy=FAST_RETRIES, clock=clock)
    async with running(second, poll_timeout=1):
        clock.set(2026, 12, 2, 15, 0)
        await runtime(second).scheduler.run_due(clock())
        assert len(await reminders_to(api, second)) == 1
        clock.set(2026, 12, 3, 12, 30)
        await runtime(second).scheduler.run_due(clock())
        await runtime(second).scheduler.run_due(clock())
        texts = await reminders_to(api, second)
        assert len(texts) == 2
        assert "today at 14:30" in texts[1]


async def test_no_reminder_without_consent(api: FakeBotApi, bot: Any, clock: Clock) -> None:
    card = await open_case(api, PATIENT, "can i speak to the administrator", bot)
    answer = await staff_says(api, "/remind appointment 2026-12-03 14:30 Dr. Kim", card.message_id)
    assert "NOT agreed" in answer
    clock.set(2026, 12, 3, 12, 30)
    counts = await runtime(bot).scheduler.run_due(clock())
    assert counts["sent"] == 0 and counts["skipped"] == 2
    assert await reminders_to(api, bot) == []


async def test_nothing_is_sent_in_quiet_hours(api: FakeBotApi, bot: Any, clock: Clock) -> None:
    await agree_to(api, "hygiene")
    card = await open_case(api, PATIENT, "i need a human please", bot)
    await staff_says(api, "/remind hygiene 2026-12-05", card.message_id)
    clock.set(2026, 12, 5, 22, 0)  # due at 10:00 the same day, but now it's quiet
    await runtime(bot).scheduler.run_due(clock())
    clock.set(2026, 12, 6, 8, 59)
    await runtime(bot).scheduler.run_due(clock())
    assert await reminders_to(api, bot) == []
    clock.set(2026, 12, 6, 9, 0)
    await runtime(bot).scheduler.run_due(clock())
    [text] = await reminders_to(api, bot)
    assert "cleaning" in text


async def test_stop_cancels_pending_reminders_and_confirms(
    api: FakeBotApi, bot: Any, clock: Clock
) -> None:
    card, _ = await appointment_recorded(api, bot, "please get me a real person")
    await staff_closes(api, card.message_id)
    confirmation = await say(api, "stop sending me messages")
    assert "start" in confirmation.lower()
    store = runtime(bot).store
    patient = await store.patients.find(f"telegram:{PATIENT}")
    assert {r.status for r in await store.contact.reminders_of(patient.id)} == {"cancelled"}
    clock.set(2026, 12, 3, 12, 30)
    await runtime(bot).scheduler.run_due(clock())
    assert await reminders_to(api, bot) == []


async def test_a_403_on_a_reminder_opts_the_patient_out(
    api: FakeBotApi, bot: Any, clock: Clock
) -> None:
    await appointment_recorded(api, bot, "connect me with a person")
    api.block(PATIENT)
    clock.set(2026, 12, 2, 14, 30)
    await runtime(bot).scheduler.run_due(clock())
    assert await runtime(bot).courier.idle()
    store = runtime(bot).store
    patient = await store.patients.find(f"telegram:{PATIENT}")
    assert patient.opted_out and patient.unreachable
    reminders = await store.contact.reminders_of(patient.id)
    assert [r.status for r in reminders] == ["skipped", "cancelled"]
    assert (reminders[0].status_reason or "").startswith("not delivered: forbidden")
    assert all(c.withdrawn_at for c in await store.contact.consents(patient.id))


async def test_forget_me_leaves_no_patient_text_in_the_database(api: FakeBotApi, bot: Any) -> None:
    await say(api, "how much is a root canal for my molar zebra-17")
    card = await open_case(api, PATIENT, "i want a person about giraffe-42", bot)
    since = len(api.sent)
    api.user_message(PATIENT, "my secret detail okapi-99")
    await api.wait_for(lambda r: r.chat_id == STAFF, since=since)
    await say(api, "please delete my data")
    done = await press(api, "erase:yes")
    assert "erase" in done.lower() or "delet" in done.lower()
    note = await api.wait_for(
        lambda r: r.chat_id == STAFF and not r.is_edit and "erase" in (r.text or "")
    )
    assert note.reply_to_message_id == card.message_id
    await asyncio.sleep(0.1)  # the note is posted after the erasure; let its bookkeeping finish
    database = runtime(bot).store.database
    tables = [
        row[0]
        for row in await database.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        for row in await database.fetch_all(f"SELECT * FROM {table}"):  # noqa: S608
            flat = " ".join(str(value) for value in tuple(row))
            for secret in ("zebra-17", "giraffe-42", "okapi-99", str(PATIENT), "Anna"):
                assert secret not in flat, (table, secret)


async def test_forget_me_leaves_no_patient_text_in_any_file_wal_included(
    api: FakeBotApi, bot: Any, tmp_path: Path
) -> None:
    await say(api, "how much is a root canal for my molar zebra-17")
    card = await open_case(api, PATIENT, "i want a person about giraffe-42", bot)
    since = len(api.sent)
    api.user_message(PATIENT, "my secret detail okapi-99")
    await api.wait_for(lambda r: r.chat_id == STAFF, since=since)
    await say(api, "please delete my data")
    await press(api, "erase:yes")
    edited = await api.wait_for(
        lambda r: r.is_edit and r.message_id == card.message_id and "erased" in (r.text or "")
    )
    assert "Anna" not in (edited.text or "") and "okapi-99" not in (edited.text or "")
    assert await runtime(bot).courier.idle()
    secrets = (b"zebra-17", b"giraffe-42", b"okapi-99", b"Anna")
    names, found = files_containing(tmp_path, secrets)
    assert any(name.endswith("-wal") for name in names)
    assert found == []


def files_containing(folder: Path, secrets: tuple[bytes, ...]) -> tuple[list[str], list[str]]:
    """Every file under the folder, and "file: secret" for each secret found in one."""
    names, found = [], []
    for path in folder.rglob("*"):
        if path.is_file():
            names.append(path.name)
            content = path.read_bytes()
            found += [f"{path.name}: {secret!r}" for secret in secrets if secret in content]
    return names, found


async def test_card_lists_what_was_offered_and_when(api: FakeBotApi, bot: Any) -> None:
    await say(api, "how much does a root canal cost")
    card = await open_case(api, PATIENT, "can someone call me", bot)
    text = await staff_says(api, "/card", card.message_id)
    assert "warm_gutta_percha on 20" in text
    assert "root_canal" in text
    assert "#1 human" in text
    audit = await runtime(bot).store.audit.lines()
    assert ("staff:900", "card_viewed") in [(actor, action) for _, actor, action, _ in audit]


async def test_a_feedback_call_becomes_a_staff_task_not_a_patient_message(
    api: FakeBotApi, bot: Any, clock: Clock
) -> None:
    card = await open_case(api, PATIENT, "i'd like a callback from a person", bot)
    answer = await staff_says(
        api, "/task feedback 2026-12-04 agreed to ask how the tooth healed", card.message_id
    )
    assert "Task #1 recorded" in answer
    await staff_closes(api, card.message_id)
    patient_messages = len(api.messages_to(PATIENT))
    clock.set(2026, 12, 4, 10, 0)
    counts = await runtime(bot).scheduler.run_due(clock())
    assert counts["tasks"] == 1
    task = await api.wait_for(lambda r: r.chat_id == STAFF and "Follow-up task" in (r.text or ""))
    assert "agreed to ask how the tooth healed" in (task.text or "")
    assert len(api.messages_to(PATIENT)) == patient_messages
    assert (await runtime(bot).scheduler.run_due(clock()))["tasks"] == 0


async def test_staff_actions_are_audited_with_staff_id(api: FakeBotApi, bot: Any) -> None:
    card = await open_case(api, PATIENT, "talk to a human", bot)
    await staff_says(api, "/remind checkup 2027-06-01", card.message_id)
    since = len(api.sent)
    api.callback_query(ADMIN, "case:take:1", message_chat_id=STAFF, message_id=card.message_id)
    await api.wait_for(lambda r: r.is_edit, since=since)
    await staff_closes(api, card.message_id)
    actions = {(actor, action) for _, actor, action, _ in await runtime(bot).store.audit.lines()}
    assert {
        ("staff:900", "reminder_recorded"),
        ("staff:900", "take"),
        ("staff:900", "close"),
    } <= actions


async def test_a_reminder_missed_while_down_is_sent_on_start_or_skipped_if_too_late(
    api: FakeBotApi, tmp_path: Path, knowledge: Knowledge, clock: Clock
) -> None:
    settings = settings_for(api, tmp_path / "bot.sqlite3")
    first = build_application(settings, knowledge, retry_policy=FAST_RETRIES, clock=clock)
    async with running(first, poll_timeout=1):
        card, _ = await appointment_recorded(api, first, "please let me talk to a person")
        await staff_closes(api, card.message_id)

    clock.set(2026, 12, 3, 12, 45)  # the bot was down through the day-before reminder
    second = build_application(settings, knowledge, retry_policy=FAST_RETRIES, clock=clock)
    async with running(second, poll_timeout=1):
        # No explicit call: the scheduler's first run after start finds what was missed.
        sent = await api.wait_for(
            lambda r: r.chat_id == PATIENT and "today at 14:30" in (r.text or ""), timeout=10
        )
        assert await runtime(second).courier.idle()
        store = runtime(second).store
        patient = await store.patients.find(f"telegram:{PATIENT}")
        reminders = await store.contact.reminders_of(patient.id)
    assert [(r.template, r.status) for r in reminders] == [
        ("reminder_appointment_day_before", "skipped"),
        ("reminder_appointment_soon", "sent"),
    ]
    assert reminders[0].status_reason == "too late to be useful"
    assert "Dr. Kim" in (sent.text or "")


async def test_remind_with_a_case_number_past_sqlites_integers_answers_in_one_line(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, PATIENT, "i want to talk to a person", bot)
    answer = await staff_says(
        api, "/remind #99999999999999999999 appointment 2026-12-03 14:30", card.message_id
    )
    assert answer == (
        "Case numbers are whole numbers like #12; '#99999999999999999999' is too large."
    )
    answer = await staff_says(api, "/remind #7 hygiene 2027-05-20", card.message_id)
    assert answer == "There is no case #7; /cases lists the open ones."
    answer = await staff_says(api, "/remind #1 appointment 2026-12-03 14:30 Dr. Kim", None)
    assert answer.startswith("Recorded for case #1: appointment on Thu 03 Dec at 14:30")


async def test_remind_an_appointment_in_the_year_9999_is_refused_and_nothing_is_stored(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, PATIENT, "can i speak to the administrator", bot)
    answer = await staff_says(api, "/remind appointment 9999-12-25 10:00", card.message_id)
    assert answer == (
        "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 9999-12-25 is more than 5 years ahead."
    )
    answer = await staff_says(api, "/remind appointment 2026-12-03 14:30", card.message_id)
    assert answer.startswith("Recorded for case #1: appointment on Thu 03 Dec at 14:30")
    store = runtime(bot).store
    patient = await store.patients.find(f"telegram:{PATIENT}")
    assert len(await store.contact.reminders_of(patient.id)) == 2


async def test_remind_with_a_wrong_date_or_time_says_which_in_one_line(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, PATIENT, "i need a human please", bot)
    for command, answer in [
        (
            "/remind appointment 2026-13-45 10:00",
            "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 2026-13-45 is not a date.",
        ),
        (
            "/remind appointment 2026-12-03 25:99",
            "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 25:99 is not a time of day.",
        ),
        (
            "/remind hygiene 2026-11-02",
            "Use /remind hygiene YYYY-MM-DD; 2026-11-02 is in the past (today is 2026-12-01).",
        ),
        (
            "/remind appointment 2026-12-03",
            "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; the time is missing.",
        ),
        (
            "/remind dentist 2026-12-03",
            "Use /remind appointment YYYY-MM-DD HH:MM [doctor], or /remind hygiene|checkup "
            "YYYY-MM-DD; 'dentist' is not a kind of reminder.",
        ),
    ]:
        assert await staff_says(api, command, card.message_id) == answer
    answer = await staff_says(api, "/remind checkup 2027-06-01", card.message_id)
    assert answer.startswith("Recorded for case #1: checkup on Tue 01 Jun.")


async def test_remind_without_a_case_asks_which_patient_in_one_line(
    api: FakeBotApi, bot: Any
) -> None:
    answer = await staff_says(api, "/remind hygiene 2027-05-20", None)
    assert answer == (
        "Which patient? Reply /remind to a case message, or name the case: "
        "/remind #12 hygiene YYYY-MM-DD"
    )


async def test_task_and_card_with_wrong_arguments_answer_in_one_line_and_then_work(
    api: FakeBotApi, bot: Any
) -> None:
    card = await open_case(api, PATIENT, "i'd like a callback from a person", bot)
    for command, answer in [
        (
            "/task plan 2026-13-45 the crown",
            "Use /task plan|feedback YYYY-MM-DD <what was agreed>; 2026-13-45 is not a date.",
        ),
        (
            "/task #99999999999999999999 plan 2026-12-10 the crown",
            "Case numbers are whole numbers like #12; '#99999999999999999999' is too large.",
        ),
        (
            "/task plan 2026-12-10",
            "Use /task plan|feedback YYYY-MM-DD <what was agreed>; "
            "the note of what was agreed is missing.",
        ),
        (
            "/card 99999999999999999999999",
            "Case numbers are whole numbers like #12; '99999999999999999999999' is too large.",
        ),
        ("/card #5", "There is no case #5; /cases lists the open ones."),
    ]:
        assert await staff_says(api, command, card.message_id) == answer
    answer = await staff_says(api, "/task plan 2026-12-10 the crown", card.message_id)
    assert answer.startswith("Task #1 recorded")
    assert "Customer card" in await staff_says(api, "/card #1", None)
