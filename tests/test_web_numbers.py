"""The managers' numbers: what real turns, cases, bookings and reminders add up to, per day."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.core import FrontDesk
from bot.store import NewRequest, Store, TurnWrites, utc_now
from bot.web.numbers import (
    DEFAULT_DAYS,
    Period,
    bookings_per_day,
    gather_numbers,
    handoffs_by_level,
    handoffs_by_reason,
    messages_per_day,
    opt_outs_per_day,
    reminders_sent_per_day,
    top_intents,
    unmatched_share,
)

BERLIN = ZoneInfo("Europe/Berlin")
#: 29 March 2026: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC; the day has 23 hours.
SPRING_FORWARD = dt.date(2026, 3, 29)


def noon_zone() -> ZoneInfo:
    """A fixed-offset zone where it is now between 12:00 and 13:00, far from any midnight.

    Rows are stored at the real time, so a test that seeds "today" and reads it back as
    "yesterday" uses this zone: the seeding can never straddle a clinic-local midnight.
    """
    offset = 12 - utc_now().hour  # from -11 to +12 hours; "Etc/GMT-5" means UTC+5
    return ZoneInfo(f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT")


def as_of_tomorrow(zone: ZoneInfo, days: int = DEFAULT_DAYS) -> Period:
    """The period a manager would see tomorrow, so what is seeded now is "yesterday"."""
    return Period.last_days(zone, days, now=utc_now() + dt.timedelta(days=1))


async def chat(front_desk: FrontDesk, patient: str, *texts: str) -> None:
    """A patient writes, turn by turn, as `frontdesk chat` runs them."""
    for text in texts:
        async with front_desk.store.unit_of_work():
            await front_desk.handle_text(f"console:{patient}", text)


async def message_at(
    store: Store, moment: dt.datetime, intent: str | None = "hours", score: float = 0.9
) -> None:
    """One patient message stored at a chosen time, the way a turn stores it."""
    patient = await store.patients.get_or_create("console:timed")
    writes = TurnWrites(patient.id, now=moment)
    writes.record_message("in", "are you open?", intent, score)
    await store.turns.save(writes)


@pytest.fixture
async def busy_yesterday(front_desk: FrontDesk) -> Period:
    """Three patients' real turns (5 messages, 2 handoffs, 1 opt-out), seen from tomorrow."""
    zone = noon_zone()
    await chat(front_desk, "ann", "how much is a cleaning", "zxqv blorp frind", "qwpl zzkt vrrm")
    await chat(front_desk, "bo", "I want to talk to a person")
    await chat(front_desk, "cy", "stop sending me messages")
    return as_of_tomorrow(zone)


async def test_a_manager_sees_yesterday_s_five_messages_and_none_today(
    store: Store, busy_yesterday: Period
) -> None:
    messages = await messages_per_day(store.database, busy_yesterday)
    yesterday, today = busy_yesterday.days[-2], busy_yesterday.last
    assert (messages.on(yesterday), messages.on(today)) == (5, 0)
    assert messages.total == 5


async def test_every_day_of_the_period_is_listed_oldest_first_and_empty_days_are_zero(
    store: Store, busy_yesterday: Period
) -> None:
    messages = await messages_per_day(store.database, busy_yesterday)
    days = [each.day for each in messages.days]
    assert len(days) == DEFAULT_DAYS
    assert days == sorted(days) and days[-1] == busy_yesterday.last
    assert all(later - earlier == dt.timedelta(days=1) for earlier, later in pairwise(days))
    assert [each.count for each in messages.days] == [0] * 28 + [5, 0]


async def test_handoffs_are_counted_by_their_reason(store: Store, busy_yesterday: Period) -> None:
    reasons = await handoffs_by_reason(store.database, busy_yesterday)
    assert reasons.points() == (("human", 1.0), ("not_understood", 1.0))
    assert reasons.total == 2


async def test_handoffs_are_counted_by_triage_level_with_urgent_requests_among_them(
    front_desk: FrontDesk, store: Store
) -> None:
    zone = noon_zone()
    await chat(front_desk, "dee", "my face is swollen and i have a fever, tooth is killing me")
    await chat(front_desk, "eve", "I want to talk to a person")
    await chat(front_desk, "fay", "terrible toothache since last night", "yes please")
    levels = await handoffs_by_level(store.database, as_of_tomorrow(zone))
    assert dict(levels.points()) == {"emergency": 1.0, "routine": 1.0, "urgent": 1.0}


async def test_top_intents_count_only_messages_the_bot_understood(
    store: Store, busy_yesterday: Period
) -> None:
    intents = await top_intents(store.database, busy_yesterday)
    assert {each.name: each.count for each in intents.items} == {
        "hygiene": 1,
        "human": 1,
        "opt_out": 1,
    }


async def test_two_misunderstood_messages_of_five_are_a_forty_percent_unmatched_share(
    store: Store, busy_yesterday: Period
) -> None:
    unmatched = await unmatched_share(store.database, busy_yesterday)
    yesterday = unmatched.on(busy_yesterday.days[-2])
    assert (yesterday.scored, yesterday.unmatched) == (5, 2)
    assert yesterday.share == pytest.approx(0.4)
    assert unmatched.share == pytest.approx(0.4)
    assert unmatched.on(busy_yesterday.last).share == 0.0


async def test_an_opt_out_written_by_a_patient_counts_on_its_day(
    store: Store, busy_yesterday: Period
) -> None:
    opt_outs = await opt_outs_per_day(store.database, busy_yesterday)
    assert opt_outs.on(busy_yesterday.days[-2]) == 1 and opt_outs.total == 1


async def test_a_relayed_message_counts_as_a_message_but_not_in_the_unmatched_share(
    front_desk: FrontDesk, store: Store, busy_yesterday: Period
) -> None:
    await chat(front_desk, "bo", "are you there?")  # bo's case is open: relayed to a person
    messages = await messages_per_day(store.database, busy_yesterday)
    unmatched = await unmatched_share(store.database, busy_yesterday)
    assert messages.total == 6
    assert (unmatched.scored, unmatched.unmatched) == (5, 2)


async def test_booking_requests_and_confirmations_count_on_the_day_each_happened(
    store: Store,
) -> None:
    zone = noon_zone()
    ann = await store.patients.get_or_create("console:ann")
    bo = await store.patients.get_or_create("console:bo")
    confirmed = await store.bookings.create(ann.id, NewRequest(service="hygiene"))
    await store.bookings.create(bo.id, NewRequest(service="implants", urgency="urgent"))
    starts = utc_now() + dt.timedelta(days=3)
    assert await store.bookings.confirm(confirmed, starts, "Dr Lee", 7) is not None

    bookings = await bookings_per_day(store.database, as_of_tomorrow(zone))

    assert (bookings.requested.total, bookings.confirmed.total) == (2, 1)
    assert bookings.requested.days[-2].count == 2 and bookings.confirmed.days[-2].count == 1


async def test_only_reminders_actually_sent_are_counted(store: Store) -> None:
    zone = noon_zone()
    patient = await store.patients.get_or_create("console:ann")
    event = utc_now() + dt.timedelta(days=2)
    template = "reminder_appointment_soon"
    ids = [
        await store.contact.add_reminder(
            patient.id, "appointment", template, event, None, utc_now(), event, None
        )
        for _ in range(3)
    ]
    assert await store.contact.finish_reminder(ids[0], "sent", None)
    assert await store.contact.finish_reminder(ids[1], "skipped", "too_late")

    sent = await reminders_sent_per_day(store.database, as_of_tomorrow(zone))

    assert sent.total == 1 and sent.days[-2].count == 1


async def test_days_are_the_clinic_s_calendar_days_even_when_the_clocks_change(
    store: Store,
) -> None:
    for moment in (
        "2026-03-28T22:59:59+00:00",  # 23:59:59 on the 28th in Berlin (UTC+1)
        "2026-03-28T23:00:00+00:00",  # midnight: the 29th
        "2026-03-29T21:59:59+00:00",  # 23:59:59 on the 29th, now UTC+2
        "2026-03-29T22:00:00+00:00",  # midnight: the 30th, 23 hours after the last
    ):
        await message_at(store, dt.datetime.fromisoformat(moment))
    period = Period.last_days(BERLIN, 3, now=dt.datetime(2026, 3, 30, 10, tzinfo=dt.UTC))

    messages = await messages_per_day(store.database, period)

    assert period.days == (SPRING_FORWARD - dt.timedelta(days=1), SPRING_FORWARD, period.last)
    assert [each.count for each in messages.days] == [1, 2, 1]


async def test_what_happened_before_the_period_began_is_left_out(store: Store) -> None:
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    await message_at(store, now - dt.timedelta(days=DEFAULT_DAYS))  # the day before the first
    await message_at(store, now - dt.timedelta(days=DEFAULT_DAYS - 1))  # the first day
    period = Period.last_days(ZoneInfo("UTC"), now=now)

    messages = await messages_per_day(store.database, period)

    assert messages.total == 1 and messages.days[0].count == 1


async def test_top_intents_are_largest_first_ties_by_name_and_cut_at_the_limit(
    store: Store,
) -> None:
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    for intent in ("prices", "hours", "implants", "hours", "prices", "hours", None):
        await message_at(store, now, intent)
    await message_at(store, now, "implants", score=0.3)  # a guess, not understood
    period = Period.last_days(ZoneInfo("UTC"), now=now)

    ranking = await top_intents(store.database, period, limit=2)

    assert ranking.points() == (("hours", 3.0), ("prices", 2.0))
    assert (await top_intents(store.database, period)).count_of("implants") == 1


async def test_a_barely_matched_message_counts_as_unmatched_like_in_the_unmatched_report(
    store: Store,
) -> None:
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    await message_at(store, now, "hours", score=0.9)
    await message_at(store, now, "implants", score=0.3)
    await message_at(store, now, None, score=0.1)
    await message_at(store, now, "prices", score=0.6)
    period = Period.last_days(ZoneInfo("UTC"), 1, now=now)

    unmatched = await unmatched_share(store.database, period)

    assert (unmatched.scored, unmatched.unmatched, unmatched.share) == (4, 2, 0.5)


async def test_an_erased_patient_s_messages_are_gone_but_their_handoff_still_counts(
    front_desk: FrontDesk, store: Store
) -> None:
    zone = noon_zone()
    await chat(front_desk, "dee", "I want to talk to a person")
    patient = await store.patients.find("console:dee")
    assert patient is not None
    await store.erase_patient(patient.id)

    numbers = await gather_numbers(store.database, as_of_tomorrow(zone))

    assert numbers.messages.total == 0
    assert numbers.handoff_reasons.count_of("human") == 1


async def test_the_numbers_carry_intent_names_but_never_what_a_patient_wrote(
    front_desk: FrontDesk, store: Store
) -> None:
    zone = noon_zone()
    secret = "my crown fell off at the lisbon tram stop"
    await chat(front_desk, "eve", secret, "how much is a cleaning")

    shown = repr(await gather_numbers(store.database, as_of_tomorrow(zone)))

    assert "hygiene" in shown
    assert "lisbon" not in shown and "how much" not in shown


def test_a_period_needs_at_least_a_day_and_a_time_with_its_zone() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        Period.last_days(BERLIN, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        Period.last_days(BERLIN, now=dt.datetime(2026, 11, 26, 12))


def test_today_is_the_clinic_s_date_not_the_utc_date() -> None:
    late_evening_utc = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)
    tokyo = Period.last_days(ZoneInfo("Asia/Tokyo"), 1, now=late_evening_utc)
    new_york = Period.last_days(ZoneInfo("America/New_York"), 1, now=late_evening_utc)
    assert tokyo.days == (dt.date(2026, 11, 27),)
    assert new_york.days == (dt.date(2026, 11, 26),)
