"""Hand-overs are honest about the front desk's hours: nobody is promised "now" at night."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import Brain, FrontDesk, HandoffOpened, Outcome
from bot.core.flows.handoff import (
    EMERGENCY,
    LANGUAGE,
    MEDICAL,
    NOT_UNDERSTOOD,
    URGENT,
    WARRANTY,
    handoff_reply_key,
)
from bot.loader import Knowledge, load_knowledge
from bot.models import Clinic, OpeningHours
from bot.opening import DeskHours, desk_hours
from bot.store import Store

PATIENT = "console:opening"
CLINIC_ZONE = ZoneInfo("America/New_York")
#: A week of the demo clinic (Monday-Friday 08:00-19:00, Saturday 09:00-14:00, Sunday closed).
DAYS = {
    "monday": dt.date(2026, 11, 23),
    "tuesday": dt.date(2026, 11, 24),
    "friday": dt.date(2026, 11, 27),
    "saturday": dt.date(2026, 11, 28),
    "sunday": dt.date(2026, 11, 29),
}
HAND_OVER_REASONS = [NOT_UNDERSTOOD, EMERGENCY, URGENT, MEDICAL, WARRANTY, LANGUAGE]
PROMISES_NOW = ("shortly", "right now", "taking over now", "is taking over")


def at(day: str, clock: str) -> dt.datetime:
    """That local time at the clinic, as the UTC datetime the core works with."""
    hour, minute = (int(part) for part in clock.split(":"))
    local = dt.datetime.combine(DAYS[day], dt.time(hour, minute), tzinfo=CLINIC_ZONE)
    return local.astimezone(dt.UTC)


def desk_at(brain: Brain, store: Store, day: str, clock: str) -> FrontDesk:
    """The core with its clock stopped at that local time."""
    return FrontDesk(brain, store, clock=lambda: at(day, clock))


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def cases_opened(outcome: Outcome) -> list[str]:
    """The reasons of the cases a turn opened."""
    return [effect.reason for effect in outcome.effects if isinstance(effect, HandoffOpened)]


@pytest.fixture
def clinic(knowledge: Knowledge) -> Clinic:
    """The demo clinic's facts."""
    return knowledge.clinic


# The desk's hours, one moment at a time.


def test_the_desk_is_open_in_the_middle_of_a_weekday(clinic: Clinic) -> None:
    assert desk_hours(clinic, at("tuesday", "10:00")) == DeskHours(is_open=True)


def test_before_opening_the_desk_opens_today(clinic: Clinic) -> None:
    desk = desk_hours(clinic, at("tuesday", "07:30"))
    assert not desk.is_open
    assert desk.opens == "today at 08:00"


def test_at_closing_time_the_desk_opens_tomorrow(clinic: Clinic) -> None:
    assert desk_hours(clinic, at("tuesday", "18:59")).is_open
    desk = desk_hours(clinic, at("tuesday", "19:00"))
    assert not desk.is_open
    assert desk.opens == "tomorrow at 08:00"


def test_after_friday_closing_the_desk_opens_on_saturday_with_its_own_hours(
    clinic: Clinic,
) -> None:
    assert desk_hours(clinic, at("friday", "21:15")).opens == "tomorrow at 09:00"


def test_saturday_has_short_hours(clinic: Clinic) -> None:
    assert desk_hours(clinic, at("saturday", "13:59")).is_open
    desk = desk_hours(clinic, at("saturday", "14:00"))
    assert not desk.is_open
    assert desk.opens == "on Monday at 08:00"


def test_the_next_open_day_is_found_across_the_weekend(clinic: Clinic) -> None:
    desk = desk_hours(clinic, at("saturday", "20:00"))
    assert desk.opens == "on Monday at 08:00"
    assert desk.opens_at == dt.datetime(2026, 11, 30, 8, 0, tzinfo=CLINIC_ZONE)


def test_sunday_is_closed_all_day(clinic: Clinic) -> None:
    for clock in ("00:30", "11:00", "23:00"):
        desk = desk_hours(clinic, at("sunday", clock))
        assert not desk.is_open
        assert desk.opens == "tomorrow at 08:00"


def test_the_clinics_own_time_zone_decides_not_utc(clinic: Clinic) -> None:
    # 01:30 UTC on Tuesday is still Monday evening in Springfield.
    desk = desk_hours(clinic, dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC))
    assert desk.opens == "tomorrow at 08:00"
    assert desk.opens_at is not None and desk.opens_at.date() == DAYS["tuesday"]


def test_a_clinic_open_one_day_a_week_opens_next_week_after_closing(clinic: Clinic) -> None:
    mondays = clinic.model_copy(
        update={"hours": [OpeningHours(days="Monday", open="09:00", close="12:00")]}
    )
    assert desk_hours(mondays, at("monday", "09:00")).is_open
    assert desk_hours(mondays, at("monday", "12:30")).opens == "next Monday at 09:00"
    assert desk_hours(mondays, at("tuesday", "10:00")).opens == "on Monday at 09:00"


def test_a_clinic_that_never_opens_says_nothing_about_when(clinic: Clinic) -> None:
    never = clinic.model_copy(update={"hours": [OpeningHours(days="Monday-Sunday", closed=True)]})
    assert desk_hours(never, at("tuesday", "10:00")) == DeskHours(is_open=False)
    closed = desk_hours(never, at("tuesday", "10:00"))
    assert handoff_reply_key("human", closed) == "handoff_waiting"
    assert handoff_reply_key(EMERGENCY, closed) == "handoff_emergency_waiting"


@pytest.mark.parametrize(
    "reason", [NOT_UNDERSTOOD, EMERGENCY, URGENT, MEDICAL, WARRANTY, LANGUAGE]
)
def test_every_kind_of_hand_over_has_a_closed_hours_wording_with_the_opening(
    knowledge: Knowledge, reason: str
) -> None:
    closed = DeskHours(is_open=False, opens="tomorrow at 08:00")
    key = handoff_reply_key(reason, closed)
    assert key.endswith("_closed")
    assert all("{opens}" in wording for wording in knowledge.replies[key])
    assert handoff_reply_key(reason, DeskHours(is_open=True)) == key.removesuffix("_closed")


def test_a_closed_hours_wording_without_the_opening_time_is_refused(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    path = replies / "conversation.yaml"
    text = path.read_text()
    path.write_text(text.replace("it opens {opens}. Your message", "it opens soon. Your message"))
    _, problems = load_knowledge(intents, replies)
    assert any("handoff_closed" in str(p) and "{opens}" in str(p) for p in problems)


# What the patient is told.


async def test_at_night_a_person_is_not_promised_now_but_the_opening_time_is_named(
    brain: Brain, store: Store
) -> None:
    desk = desk_at(brain, store, "sunday", "23:00")
    outcome = await desk.handle_text(PATIENT, "can i talk to a real person please")
    reply = said(outcome).lower()
    assert cases_opened(outcome) == ["human"]
    assert "closed" in reply and "tomorrow at 08:00" in reply
    assert not any(promise in reply for promise in PROMISES_NOW)


async def test_during_hours_a_person_will_reply_shortly(brain: Brain, store: Store) -> None:
    desk = desk_at(brain, store, "tuesday", "10:00")
    outcome = await desk.handle_text(PATIENT, "can i talk to a real person please")
    assert cases_opened(outcome) == ["human"]
    assert "shortly" in said(outcome)
    assert "closed" not in said(outcome)


async def test_an_emergency_at_night_names_the_emergency_number_first(
    brain: Brain, store: Store
) -> None:
    desk = desk_at(brain, store, "sunday", "23:00")
    outcome = await desk.handle_text(PATIENT, "my face is swollen and i have a fever")
    reply = said(outcome)
    assert cases_opened(outcome) == [EMERGENCY]
    phone = brain.knowledge.clinic.phone
    assert reply.index("911") < reply.index(phone)
    assert reply.lower().index("call 911 now") < reply.index("tomorrow at 08:00")
    assert not any(promise in reply.lower() for promise in PROMISES_NOW)


async def test_an_emergency_during_hours_still_gets_a_person_at_once(
    brain: Brain, store: Store
) -> None:
    desk = desk_at(brain, store, "tuesday", "10:00")
    outcome = await desk.handle_text(PATIENT, "my face is swollen and i have a fever")
    assert cases_opened(outcome) == [EMERGENCY]
    assert brain.knowledge.clinic.phone in said(outcome) and "911" in said(outcome)
    assert "closed" not in said(outcome)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("I'm on warfarin, is that a problem?", MEDICAL),
        ("the filling I got from you last week fell out", WARRANTY),
    ],
)
async def test_a_hand_over_for_the_doctor_or_the_warranty_on_saturday_evening_waits_for_monday(
    brain: Brain, store: Store, message: str, reason: str
) -> None:
    desk = desk_at(brain, store, "saturday", "18:00")
    outcome = await desk.handle_text(PATIENT, message)
    reply = said(outcome).lower()
    assert cases_opened(outcome) == [reason]
    assert "on monday at 08:00" in reply
    assert not any(promise in reply for promise in PROMISES_NOW)


async def test_two_misunderstandings_before_opening_say_the_desk_opens_today(
    brain: Brain, store: Store
) -> None:
    desk = desk_at(brain, store, "tuesday", "06:45")
    await desk.handle_text(PATIENT, "zxqv blorp")
    outcome = await desk.handle_text(PATIENT, "qwerty asdf")
    assert cases_opened(outcome) == [NOT_UNDERSTOOD]
    assert "today at 08:00" in said(outcome)


async def test_an_after_hours_phone_is_named_only_out_of_hours(
    knowledge: Knowledge, store: Store
) -> None:
    on_call = knowledge.clinic.model_copy(update={"after_hours_phone": "+1 413 555 0199"})
    brain = Brain.build(dataclasses.replace(knowledge, clinic=on_call))
    night = await desk_at(brain, store, "sunday", "23:00").handle_text(
        PATIENT, "can i talk to a real person please"
    )
    assert "+1 413 555 0199" in said(night)
    day = await desk_at(brain, store, "tuesday", "10:00").handle_text(
        "console:opening-day", "can i talk to a real person please"
    )
    assert "+1 413 555 0199" not in said(day)
