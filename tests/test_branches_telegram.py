"""Branches on Telegram: each branch's cases and requests in its own staff chat."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core import BookingRequested
from bot.loader import load_or_raise
from bot.store import Store
from bot.telegram.app import build_application, running
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, SentRecord
from tests.test_booking_telegram import ANNA, card_linked, effects_reach_telegram
from tests.test_branches import LIMITED_MANAGER, MAPLE_CHAT, RIVERSIDE_CHAT, two_branch_data
from tests.test_reminders import CLINIC_ZONE, Clock, agree_to, reminders_to
from tests.test_telegram import ADMIN, FAST_RETRIES, STAFF, reply_to

ZONE = CLINIC_ZONE


@pytest.fixture
def clock() -> Clock:
    """Starts on 2026-12-01 10:00 clinic time."""
    return Clock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZONE))


@pytest.fixture
async def bot(api: FakeBotApi, tmp_path: Path, clock: Clock) -> AsyncIterator[Any]:
    """The real Application of a two-branch clinic, with a clinic-wide staff chat too."""
    knowledge = load_or_raise(*two_branch_data(tmp_path))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=api.url,
        staff_chat_id=STAFF,
        manager_ids=[LIMITED_MANAGER],
        database_path=tmp_path / "bot.sqlite3",
    )
    application = build_application(settings, knowledge, retry_policy=FAST_RETRIES, clock=clock)
    async with running(application, poll_timeout=1):
        yield application


def runtime(bot: Any) -> Any:
    """The bot's runtime: store, courier, scheduler."""
    return bot.bot_data["frontdesk"]


async def say(api: FakeBotApi, patient: int, text: str) -> SentRecord:
    """A patient writes; returns the bot's first reply."""
    since = len(api.sent)
    api.user_message(patient, text, first_name="Anna")
    return await reply_to(api, patient, since)


async def goes_to(api: FakeBotApi, patient: int, branch: str) -> None:
    """The patient asks where the clinic is and presses their branch's button."""
    question = await say(api, patient, "where are you?")
    assert question.buttons == [["Maple Avenue: 24 Maple Avenue"], ["Riverside: 8 Elm Street"]]
    since = len(api.sent)
    api.callback_query(patient, f"branch:{branch}", message_id=question.message_id)
    await reply_to(api, patient, since)


async def case_card_in(api: FakeBotApi, chat: int, patient: int, text: str) -> SentRecord:
    """A patient asks for a person; returns the case card posted in `chat`."""
    since = len(api.sent)
    api.user_message(patient, text, first_name="Anna")
    return await api.wait_for(
        lambda r: r.chat_id == chat and "Case #" in (r.text or "") and not r.is_edit,
        since=since,
    )


async def staff_in(api: FakeBotApi, chat: int, text: str, user: int = ADMIN, **reply: Any) -> str:
    """A staff member writes in a staff chat; returns the bot's answer there."""
    since = len(api.sent)
    api.user_message(user, text, chat_id=chat, chat_type="supergroup", first_name="Maria", **reply)
    found = await api.wait_for(lambda r: r.chat_id == chat and not r.is_edit, since=since)
    return found.plain_text or found.text or ""


async def test_a_case_from_a_patient_of_branch_a_goes_to_as_chat_and_from_b_to_bs(
    api: FakeBotApi, bot: Any
) -> None:
    await goes_to(api, 801, "maple")
    await goes_to(api, 802, "riverside")
    maple = await case_card_in(api, MAPLE_CHAT, 801, "i want to talk to a person")
    riverside = await case_card_in(api, RIVERSIDE_CHAT, 802, "i want to talk to a person")
    assert "Branch: Maple Avenue" in (maple.plain_text or "")
    assert "Branch: Riverside" in (riverside.plain_text or "")
    assert not [r for r in api.messages_to(STAFF) if "Case #" in (r.text or "")]

    since = len(api.sent)
    api.user_message(
        ADMIN,
        "Hello, Maria here",
        chat_id=RIVERSIDE_CHAT,
        chat_type="supergroup",
        reply_to_message_id=riverside.message_id,
    )
    answer = await reply_to(api, 802, since)
    assert answer.text == "Hello, Maria here"


async def test_a_patient_without_a_branch_goes_to_the_clinic_wide_staff_chat(
    api: FakeBotApi, bot: Any
) -> None:
    card = await case_card_in(api, STAFF, 803, "i want to talk to a person")
    assert "Branch:" not in (card.plain_text or "")


async def test_cases_in_a_branch_chat_list_only_that_branchs_cases(
    api: FakeBotApi, bot: Any
) -> None:
    await goes_to(api, 801, "maple")
    await goes_to(api, 802, "riverside")
    await case_card_in(api, MAPLE_CHAT, 801, "i want to talk to a person")
    await case_card_in(api, RIVERSIDE_CHAT, 802, "i want to talk to a person")

    at_riverside = await staff_in(api, RIVERSIDE_CHAT, "/cases")
    assert at_riverside.startswith("Open cases (1):") and "#2 · human · Riverside" in at_riverside
    everywhere = await staff_in(api, STAFF, "/cases")
    assert everywhere.startswith("Open cases (2):")
    assert "Maple Avenue" in everywhere and "Riverside" in everywhere
    limited = await staff_in(api, STAFF, "/cases", user=LIMITED_MANAGER)
    assert limited.startswith("Open cases (1):") and "#2" in limited and "#1 " not in limited


async def test_card_in_another_branchs_chat_is_refused_with_where_it_is(
    api: FakeBotApi, bot: Any
) -> None:
    await goes_to(api, 801, "maple")
    await case_card_in(api, MAPLE_CHAT, 801, "i want to talk to a person")
    refused = await staff_in(api, RIVERSIDE_CHAT, "/card #1")
    assert "Maple Avenue branch" in refused and "Customer card" not in refused
    shown = await staff_in(api, MAPLE_CHAT, "/card #1")
    assert "Customer card" in shown


async def test_a_booking_request_goes_to_the_branchs_chat_and_confirm_names_its_address(
    api: FakeBotApi, bot: Any
) -> None:
    await goes_to(api, 804, "riverside")
    store: Store = runtime(bot).store
    found = await store.patients.find("telegram:804")
    assert found is not None and found.branch == "riverside"
    async with store.unit_of_work():
        made = await store.bookings.create(found.id, ANNA)
    since = len(api.sent)
    await effects_reach_telegram(bot, 804, BookingRequested(made.id, made.urgency))
    card = await api.wait_for(
        lambda r: r.chat_id == RIVERSIDE_CHAT and f"Booking request #{made.id}" in (r.text or ""),
        since=since,
    )
    assert "Branch: Riverside" in (card.plain_text or "")
    await card_linked(store, made.id)

    since = len(api.sent)
    api.user_message(
        ADMIN,
        "/confirm 2026-12-08 14:30 Dr. Kim",
        chat_id=RIVERSIDE_CHAT,
        chat_type="supergroup",
        reply_to_message_id=card.message_id,
    )
    confirmation = await reply_to(api, 804, since)
    assert "8 Elm Street" in (confirmation.text or "")
    assert "24 Maple Avenue" not in (confirmation.text or "")


async def test_reminders_name_the_branchs_address_and_phone(
    api: FakeBotApi, bot: Any, clock: Clock
) -> None:
    await agree_to(api, "appointment", patient=805)
    await goes_to(api, 805, "riverside")
    card = await case_card_in(api, RIVERSIDE_CHAT, 805, "can i speak to the administrator")
    answer = await staff_in(
        api,
        RIVERSIDE_CHAT,
        "/remind appointment 2026-12-03 14:30 Dr. Kim",
        reply_to_message_id=card.message_id,
    )
    assert "Reminder(s) planned" in answer
    clock.now = dt.datetime(2026, 12, 2, 14, 30, tzinfo=ZONE)
    await runtime(bot).scheduler.run_due(clock())
    [day_before] = await reminders_to(api, bot, patient=805)
    assert "8 Elm Street" in day_before and "+1 413 555 0177" in day_before
