"""Booking requests in the staff chat, against the real Application and the fake Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.console import render
from bot.core import BookingChanged, BookingRequested, Outcome
from bot.loader import Knowledge
from bot.store import BookingRequest, NewRequest, Store
from bot.telegram.app import build_application, running
from bot.telegram.patients import deliver_outcome
from tests.fake_bot_api import FakeBotApi, SentRecord
from tests.test_telegram import (
    ADMIN,
    FAST_RETRIES,
    STAFF,
    private_update,
    reply_to,
    settings_for,
)

ANNA = NewRequest(
    service="hygiene",
    wishes="next tuesday afternoon",
    wishes_understood="Tue 1 Dec, afternoon",
    new_or_returning="new",
    name="Anna Kowalska",
)


def runtime_of(bot: Any) -> Any:
    """The bot's runtime: its store, courier and core."""
    return bot.bot_data["frontdesk"]


def some_day(bot: Any, days: int = 12) -> dt.date:
    """A day a little ahead, in the clinic's zone."""
    zone = runtime_of(bot).front_desk.timezone
    return dt.datetime.now(zone).date() + dt.timedelta(days=days)


def said(day: dt.date) -> str:
    """The day as the patient reads it: "Tuesday 8 December"."""
    return f"{day:%A} {day.day} {day:%B}"


async def patient_wrote(api: FakeBotApi, patient: int, text: str) -> None:
    """A patient writes to the bot and is answered (so the bot knows them)."""
    since = len(api.sent)
    api.user_message(patient, text, first_name="Anna")
    await reply_to(api, patient, since)


async def effects_reach_telegram(bot: Any, patient: int, *effects: Any) -> None:
    """The core's effects, delivered the way a patient's turn delivers them."""
    update = Update.de_json(private_update(900_000 + patient, patient, "(turn)"), bot.bot)
    store: Store = runtime_of(bot).store
    async with store.unit_of_work():
        await deliver_outcome(runtime_of(bot), update, Outcome(effects=list(effects)))


async def request_booking(
    api: FakeBotApi, bot: Any, patient: int, request: NewRequest = ANNA
) -> tuple[SentRecord, BookingRequest]:
    """A patient completes a booking request; returns its card in the staff chat, linked."""
    await patient_wrote(api, patient, "hello, i'd like to book a cleaning")
    store: Store = runtime_of(bot).store
    found = await store.patients.find(f"telegram:{patient}")
    assert found is not None
    async with store.unit_of_work():
        made = await store.bookings.create(found.id, request)
    since = len(api.sent)
    await effects_reach_telegram(bot, patient, BookingRequested(made.id, made.urgency))
    card = await card_of(api, made.id, since)
    await card_linked(store, made.id)
    return card, made


async def card_of(api: FakeBotApi, request_id: int, since: int = 0) -> SentRecord:
    """The booking card of a request as first posted."""
    return await api.wait_for(
        lambda r: (
            r.chat_id == STAFF
            and not r.is_edit
            and (r.plain_text or "").startswith(f"Booking request #{request_id}")
            and "For:" in (r.plain_text or "")
        ),
        since=since,
    )


async def card_linked(store: Store, request_id: int) -> None:
    """Wait until the bot stored which message is the request's card (a person is slower)."""
    for _ in range(100):
        request = await store.bookings.get(request_id)
        if request is not None and request.staff_message_id is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"booking request {request_id} was never linked to its card")


def staff_says(api: FakeBotApi, text: str, reply_to_message_id: int | None = None) -> int:
    """An administrator writes in the staff chat; returns where to look for what follows."""
    since = len(api.sent)
    api.user_message(
        ADMIN,
        text,
        chat_id=STAFF,
        chat_type="supergroup",
        reply_to_message_id=reply_to_message_id,
        first_name="Maria",
    )
    return since


async def card_edit(api: FakeBotApi, card: SentRecord, since: int, showing: str) -> SentRecord:
    """The card's edit that shows something."""
    return await api.wait_for(
        lambda r: r.is_edit and r.message_id == card.message_id and showing in (r.text or ""),
        since=since,
    )


async def test_a_booking_request_posts_a_card_with_service_wishes_and_name(
    api: FakeBotApi, bot: Any
) -> None:
    card, made = await request_booking(api, bot, 601)
    text = card.plain_text or ""
    assert text.startswith(f"Booking request #{made.id}\n")
    assert "URGENT" not in text
    assert "For: Professional cleaning" in text
    assert "When: next tuesday afternoon (understood: Tue 1 Dec, afternoon)" in text
    assert "New or returning: new patient" in text
    assert "Name: Anna Kowalska" in text
    assert "Phone: no call wanted: reply here" in text
    assert 'href="tg://user?id=601"' in (card.text or "")
    assert "i'd like to book a cleaning" in text


async def test_an_urgent_request_says_urgent_on_its_card(api: FakeBotApi, bot: Any) -> None:
    request = NewRequest(
        service="a broken crown",
        wishes="today if possible",
        name="Tom Berg",
        phone="+1 413 555 0199",
        urgency="urgent",
    )
    card, made = await request_booking(api, bot, 602, request)
    text = card.plain_text or ""
    assert text.startswith(f"Booking request #{made.id} · URGENT")
    assert "For: a broken crown" in text
    assert "Phone: +1 413 555 0199" in text


async def test_confirm_in_reply_books_it_tells_the_patient_and_plans_reminders(
    api: FakeBotApi, bot: Any
) -> None:
    card, made = await request_booking(api, bot, 603)
    day = some_day(bot)
    since = staff_says(api, f"/confirm {day} 14:30 Dr. Kim", card.message_id)

    confirmation = await reply_to(api, 603, since)
    text = confirmation.text or ""
    assert said(day) in text and "14:30" in text and "Dr. Kim" in text
    assert "24 Maple Avenue" in text
    offer = await api.wait_for(lambda r: r.chat_id == 603 and bool(r.buttons), since=since)
    assert offer.buttons == [["Yes, remind me"]]

    answer = await reply_to(api, STAFF, since)
    assert (answer.text or "").startswith(
        f"Booking request #{made.id} confirmed: appointment #1 on {day:%a %d %b %Y}, 14:30 "
        "with Dr. Kim."
    )
    assert "Reminder(s) planned:" in (answer.text or "")
    assert "NOT agreed to appointment reminders" in (answer.text or "")
    await card_edit(api, card, since, "CONFIRMED, appointment #1")

    store: Store = runtime_of(bot).store
    request = await store.bookings.get(made.id)
    assert request is not None and request.status == "confirmed"
    assert made.patient_id is not None
    [appointment] = await store.bookings.appointments_of(made.patient_id)
    zone = runtime_of(bot).front_desk.timezone
    assert appointment.starts_at == dt.datetime.combine(day, dt.time(14, 30), zone)
    assert appointment.doctor == "Dr. Kim" and appointment.status == "confirmed"
    reminders = await store.contact.reminders_of(made.patient_id)
    assert sorted(r.template for r in reminders) == [
        "reminder_appointment_day_before",
        "reminder_appointment_soon",
    ]
    [audit] = await store.database.fetch_all(
        "SELECT actor, subject FROM audit_log WHERE action = 'booking_confirmed'"
    )
    assert tuple(audit) == (f"staff:{ADMIN}", f"booking:{made.id} appointment:1")


async def test_confirm_naming_the_request_works_without_a_reply(api: FakeBotApi, bot: Any) -> None:
    _, made = await request_booking(api, bot, 604)
    day = some_day(bot, days=3)
    since = staff_says(api, f"/confirm #{made.id} {day} 09:00")
    assert "09:00" in ((await reply_to(api, 604, since)).text or "")


async def test_a_bad_confirm_says_why_and_changes_nothing(api: FakeBotApi, bot: Any) -> None:
    card, made = await request_booking(api, bot, 605)
    today = some_day(bot, days=0)
    day = some_day(bot)
    form = "/confirm [#3] YYYY-MM-DD HH:MM [doctor]"
    for command, answer in [
        (
            f"/confirm {today - dt.timedelta(days=1)} 10:00",
            f"Use {form}; {today - dt.timedelta(days=1)} is in the past (today is {today}).",
        ),
        (
            "/confirm tomorrow 10:00",
            f"Use {form}; 'tomorrow' is not a date like 2027-05-20.",
        ),
        (f"/confirm {day} 25:00", f"Use {form}; 25:00 is not a time of day."),
        (f"/confirm {day}", f"Use {form}; the time is missing."),
        (
            f"/confirm #99 {day} 10:00",
            "There is no booking request #99; /bookings lists the open ones.",
        ),
    ]:
        since = staff_says(api, command, card.message_id)
        assert (await reply_to(api, STAFF, since)).text == answer, command
    since = staff_says(api, f"/confirm {day} 10:00")
    assert (await reply_to(api, STAFF, since)).text == (
        f"Which booking request? Reply /confirm to a booking card, or write {form}."
    )

    store: Store = runtime_of(bot).store
    request = await store.bookings.get(made.id)
    assert request is not None and request.status == "open"
    assert made.patient_id is not None
    assert await store.bookings.appointments_of(made.patient_id) == []
    assert [r.text for r in api.messages_to(605)][1:] == []  # only the first answer

    since = staff_says(api, f"/confirm {day} 10:00", card.message_id)
    await reply_to(api, STAFF, since)
    since = staff_says(api, f"/confirm {day} 11:00", card.message_id)
    assert (await reply_to(api, STAFF, since)).text == (
        f"Booking request #{made.id} is confirmed; nothing changed."
    )
    assert len(await store.bookings.appointments_of(made.patient_id)) == 1


async def test_propose_offers_the_patient_a_time_with_two_buttons(
    api: FakeBotApi, bot: Any
) -> None:
    card, made = await request_booking(api, bot, 606)
    day = some_day(bot)
    since = staff_says(api, f"/propose {day} 16:00 Dr. Lee", card.message_id)
    proposal = await reply_to(api, 606, since)
    assert said(day) in (proposal.text or "") and "16:00" in (proposal.text or "")
    assert proposal.buttons == [["Yes, that suits me"], ["Another time, please"]]
    assert proposal.callback_data == [f"proposal:{made.id}:yes", f"proposal:{made.id}:no"]
    await card_edit(api, card, since, "proposed")
    request = await runtime_of(bot).store.bookings.get(made.id)
    assert request is not None and request.status == "proposed"


def wishing(day: dt.date, at: str = "15:00") -> NewRequest:
    """Anna's request, naming an exact date and time."""
    return replace(ANNA, wishes=f"{said(day)} at {at}", wished_at=f"{day}T{at}")


def press(api: FakeBotApi, data: str, card: SentRecord, user: int = ADMIN) -> int:
    """An administrator presses a button on a card in the staff chat; returns `len(api.calls)`."""
    since = len(api.calls)
    api.callback_query(user, data, message_chat_id=STAFF, message_id=card.message_id)
    return since


async def button_answer(api: FakeBotApi, since: int) -> str:
    """The text the bot answered a pressed button with."""
    answer = await api.wait_for_call("answerCallbackQuery", since=since)
    return str(answer.params.get("text", ""))


async def test_the_card_proposes_the_wished_time_and_a_press_does_what_propose_does(
    api: FakeBotApi, bot: Any
) -> None:
    day = some_day(bot, days=5)
    card, made = await request_booking(api, bot, 623, wishing(day))
    assert card.buttons == [[f"Propose {day:%a} {day.day} {day:%b} 15:00"]]
    assert card.callback_data == [f"booking:propose:{made.id}"]

    sent = len(api.sent)
    calls = press(api, card.callback_data[0], card)
    proposal = await api.wait_for(lambda r: r.chat_id == 623 and bool(r.buttons), since=sent)
    assert said(day) in (proposal.text or "") and "15:00" in (proposal.text or "")
    assert proposal.buttons == [["Yes, that suits me"], ["Another time, please"]]
    assert proposal.callback_data == [f"proposal:{made.id}:yes", f"proposal:{made.id}:no"]
    assert await button_answer(api, calls) == (
        f"Proposed {day:%a %d %b %Y}, 15:00 to the patient."
    )
    edit = await card_edit(api, card, sent, "Status: proposed")
    assert edit.buttons == []  # that time is proposed: nothing left to press

    store: Store = runtime_of(bot).store
    request = await store.bookings.get(made.id)
    zone = runtime_of(bot).front_desk.timezone
    assert request is not None and request.status == "proposed"
    assert request.proposed_at == dt.datetime.combine(day, dt.time(15), zone)
    [audit] = await store.database.fetch_all(
        "SELECT actor, subject FROM audit_log WHERE action = 'booking_proposed'"
    )
    assert tuple(audit) == (f"staff:{ADMIN}", f"booking:{made.id}")

    sent = len(api.sent)
    api.callback_query(623, proposal.callback_data[0], message_id=proposal.message_id)
    await card_edit(api, card, sent, "CONFIRMED")
    await runtime_of(bot).courier.idle()

    sent = len(api.sent)
    calls = press(api, f"booking:propose:{made.id}", card)  # the old button, pressed again
    assert await button_answer(api, calls) == (
        f"Booking request #{made.id} is confirmed; nothing changed."
    )
    await runtime_of(bot).courier.idle()
    assert api.sent[sent:] == []
    request = await store.bookings.get(made.id)
    assert request is not None and request.status == "confirmed"


async def test_a_request_without_an_exact_time_has_no_button(api: FakeBotApi, bot: Any) -> None:
    card, _ = await request_booking(api, bot, 624)
    assert card.reply_markup is None and card.buttons == []


async def test_a_propose_button_is_refused_outside_the_staff_chat_past_or_forged(
    api: FakeBotApi, bot: Any
) -> None:
    card, made = await request_booking(api, bot, 625, wishing(some_day(bot, days=3)))
    data = f"booking:propose:{made.id}"
    since = len(api.calls)
    api.callback_query(625, data, message_id=1)  # the patient, in their own chat
    assert await button_answer(api, since) == "Only the clinic's staff can do this."
    for forged in (f"booking:propose:0{made.id}", f"booking:propose:{made.id}:x", "booking:"):
        assert await button_answer(api, press(api, forged, card)) == (
            "This booking request no longer exists."
        ), forged

    yesterday = some_day(bot, days=-1)
    past_card, past = await request_booking(api, bot, 626, wishing(yesterday, "09:00"))
    assert past_card.buttons == []
    assert await button_answer(api, press(api, f"booking:propose:{past.id}", past_card)) == (
        f"Booking request #{past.id}: {yesterday:%a %d %b %Y}, 09:00 has already passed; "
        "/propose another time in reply to the card."
    )

    await runtime_of(bot).courier.idle()
    store: Store = runtime_of(bot).store
    for request_id in (made.id, past.id):
        request = await store.bookings.get(request_id)
        assert request is not None and request.status == "open"
    assert [r for r in api.sent if r.chat_id in (625, 626) and r.buttons] == []
    assert not [r for r in api.sent if r.is_edit and r.chat_id == STAFF]


async def test_text_in_reply_to_the_card_reaches_the_patient(api: FakeBotApi, bot: Any) -> None:
    card, made = await request_booking(api, bot, 607)
    since = staff_says(api, "Hello Anna, is Thursday morning possible too?", card.message_id)
    relayed = await reply_to(api, 607, since)
    assert relayed.text == "Hello Anna, is Thursday morning possible too?"
    assert made.patient_id is not None
    recent = await runtime_of(bot).store.conversations.recent_messages(made.patient_id, limit=1)
    assert [m.text for m in recent] == ["Hello Anna, is Thursday morning possible too?"]


async def test_bookings_lists_the_open_requests(api: FakeBotApi, bot: Any) -> None:
    _, first = await request_booking(api, bot, 608)
    _, second = await request_booking(
        api, bot, 609, NewRequest(service="implants", name="Ola", urgency="urgent")
    )
    since = staff_says(api, "/bookings")
    listing = (await reply_to(api, STAFF, since)).text or ""
    assert listing.startswith("Open booking requests (2):")
    assert (
        f"#{first.id} · Professional cleaning · Tue 1 Dec, afternoon · Anna Kowalska · asked"
        in listing
    )
    assert f"#{second.id} · URGENT · Dental implants · no time said · Ola" in listing


async def test_card_shows_the_requests_and_the_appointment(api: FakeBotApi, bot: Any) -> None:
    card, made = await request_booking(api, bot, 610)
    day = some_day(bot)
    since = staff_says(api, f"/confirm {day} 14:30 Dr. Kim", card.message_id)
    await reply_to(api, STAFF, since)
    since = staff_says(api, "/card", card.message_id)
    shown = (await reply_to(api, STAFF, since)).plain_text or ""
    assert f"#{made.id} new: Professional cleaning" in shown and "confirmed" in shown
    assert f"#1 {day} 14:30 with Dr. Kim, Professional cleaning: confirmed" in shown


async def test_cancel_on_a_cancel_request_cancels_the_appointment_and_its_reminders(
    api: FakeBotApi, bot: Any
) -> None:
    card, _ = await request_booking(api, bot, 611)
    day = some_day(bot)
    since = staff_says(api, f"/confirm {day} 14:30", card.message_id)
    await reply_to(api, STAFF, since)
    cancel_card, cancel = await request_booking(
        api, bot, 611, NewRequest(kind="cancel", appointment_id=1, name="Anna Kowalska")
    )
    assert "Request: CANCEL appointment #1" in (cancel_card.plain_text or "")

    since = staff_says(api, "/cancel", cancel_card.message_id)
    told = await reply_to(api, 611, since)
    assert "cancelled" in (told.text or "") and "14:30" in (told.text or "")
    answer = await reply_to(api, STAFF, since)
    assert (answer.text or "").startswith(f"Booking request #{cancel.id} is cancelled.")
    store: Store = runtime_of(bot).store
    assert cancel.patient_id is not None
    [appointment] = await store.bookings.appointments_of(cancel.patient_id)
    assert appointment.status == "cancelled"
    reminders = await store.contact.reminders_of(cancel.patient_id)
    assert len(reminders) == 2 and {r.status for r in reminders} == {"cancelled"}
    await card_edit(api, cancel_card, since, "Status: cancelled")


async def test_the_patient_answering_a_proposal_shows_on_the_card(
    api: FakeBotApi, bot: Any
) -> None:
    card, made = await request_booking(api, bot, 612)
    since = len(api.sent)
    await effects_reach_telegram(bot, 612, BookingChanged(made.id, "another_time"))
    note = await reply_to(api, STAFF, since)
    assert note.text == (
        f"Booking request #{made.id}: the patient asks for another time. /propose another one "
        "in reply to the card, or reply to write to them."
    )
    assert note.reply_to_message_id == card.message_id

    store: Store = runtime_of(bot).store
    zone = runtime_of(bot).front_desk.timezone
    starts_at = dt.datetime.combine(some_day(bot), dt.time(10), zone)
    async with store.unit_of_work():  # what the core does when the patient presses Yes
        appointment = await store.bookings.confirm(made, starts_at, None, None)
    assert appointment is not None
    since = len(api.sent)
    await effects_reach_telegram(bot, 612, BookingChanged(made.id, "accepted", appointment.id))
    note = await reply_to(api, STAFF, since)
    assert (note.text or "").startswith(
        f"Booking request #{made.id}: the patient accepted. Appointment #{appointment.id} is "
        f"confirmed for {starts_at:%a %d %b %Y}, 10:00."
    )
    assert note.reply_to_message_id == card.message_id
    await card_edit(api, card, since, "CONFIRMED")
    assert made.patient_id is not None
    assert len(await store.contact.reminders_of(made.patient_id)) == 2


async def test_a_patient_sending_confirm_is_refused(api: FakeBotApi, bot: Any) -> None:
    _, made = await request_booking(api, bot, 613)
    for command in ("/confirm 2030-01-01 10:00", "/bookings", "/cancel", "/propose"):
        since = len(api.sent)
        api.user_message(613, command)
        refusal = await reply_to(api, 613, since)
        assert "only for the clinic's staff" in (refusal.text or "")
    request = await runtime_of(bot).store.bookings.get(made.id)
    assert request is not None and request.status == "open"


async def test_an_open_request_without_a_card_gets_one_after_a_restart(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    settings = settings_for(api, database)
    first = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(first, poll_timeout=1):
        await patient_wrote(api, 614, "hello")
        store: Store = runtime_of(first).store
        patient = await store.patients.find("telegram:614")
        assert patient is not None
        async with store.unit_of_work():  # committed, but its card row was never queued
            made = await store.bookings.create(patient.id, ANNA)

    second = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(second, poll_timeout=1):
        card = await card_of(api, made.id)
        await card_linked(runtime_of(second).store, made.id)
    assert "Anna Kowalska" in (card.plain_text or "")
    assert len([r for r in api.messages_to(STAFF) if "Booking request" in (r.text or "")]) == 1


def test_the_console_shows_booking_requests_and_changes() -> None:
    outcome = Outcome(effects=[BookingRequested(3, "routine"), BookingChanged(3, "another_time")])
    assert render(outcome) == [
        "[booking request #3 sent to the front desk]",
        "[booking request #3: the patient asked for another time]",
    ]


async def test_a_whole_booking_through_patient_messages_and_the_card(
    api: FakeBotApi, bot: Any
) -> None:
    for text in (
        "i'd like to book a cleaning",
        "next tuesday afternoon",
        "first time",
        "Anna Kowalska",
    ):
        await patient_wrote(api, 615, text)
    since = len(api.sent)
    api.user_message(615, "no", first_name="Anna")
    card = await api.wait_for(
        lambda r: r.chat_id == STAFF and "For:" in (r.plain_text or ""), since=since
    )
    text = card.plain_text or ""
    assert "Professional cleaning" in text and "Anna Kowalska" in text
    assert "next tuesday afternoon" in text
    store: Store = runtime_of(bot).store
    [made] = await store.bookings.open_requests()
    await card_linked(store, made.id)

    day = some_day(bot)
    since = staff_says(api, f"/propose {day} 15:00 Dr. Kim", card.message_id)
    proposal = await api.wait_for(lambda r: r.chat_id == 615 and bool(r.buttons), since=since)
    since = len(api.sent)
    api.callback_query(615, proposal.callback_data[0], message_id=proposal.message_id)
    note = await api.wait_for(
        lambda r: r.chat_id == STAFF and "accepted" in (r.text or ""), since=since
    )
    assert note.reply_to_message_id == card.message_id
    assert "15:00 with Dr. Kim" in (note.text or "")
    booked = await api.wait_for(
        lambda r: r.chat_id == 615 and "24 Maple Avenue" in (r.text or ""), since=since
    )
    assert said(day) in (booked.text or "") and "15:00" in (booked.text or "")
    await card_edit(api, card, since, "CONFIRMED")
    assert made.patient_id is not None
    [appointment] = await store.bookings.appointments_of(made.patient_id)
    assert appointment.status == "confirmed" and appointment.doctor == "Dr. Kim"
    assert len(await store.contact.reminders_of(made.patient_id)) == 2


async def test_a_reply_to_the_card_of_an_erased_request_reaches_no_other_patient(
    api: FakeBotApi, bot: Any
) -> None:
    old_card, erased = await request_booking(api, bot, 616)
    store: Store = runtime_of(bot).store
    assert erased.patient_id is not None
    async with store.unit_of_work():
        await store.erase_patient(erased.patient_id)
    _, later = await request_booking(api, bot, 617)
    assert later.id != erased.id  # request numbers are never given out again

    since = staff_says(api, "Hello, this is Maria", old_card.message_id)
    await api.wait_drained()
    await asyncio.sleep(0.3)
    assert [r.text for r in api.sent[since:] if r.chat_id == 617] == []


async def test_erasing_the_patient_blanks_their_booking_card(api: FakeBotApi, bot: Any) -> None:
    card, _ = await request_booking(api, bot, 619)
    since = len(api.sent)
    await patient_wrote(api, 619, "please delete my data")
    await patient_wrote(api, 619, "yes")
    edit = await api.wait_for(
        lambda r: r.is_edit and r.message_id == card.message_id and r.chat_id == STAFF,
        since=since,
    )
    assert "erased" in (edit.plain_text or "")
    assert ANNA.name not in (edit.plain_text or "")
    assert ANNA.phone not in (edit.plain_text or "") if ANNA.phone else True


async def first_card(api: FakeBotApi, since: int) -> str:
    """The text of the first booking card posted after `since`."""
    card = await api.wait_for(
        lambda r: r.chat_id == STAFF and not r.is_edit and "For:" in (r.plain_text or ""),
        since=since,
    )
    return card.plain_text or ""


@pytest.mark.parametrize(
    ("patient", "messages", "service", "wish"),
    [
        (
            620,
            ["can i come next thursday?", "a checkup", "been before", "Tom Baker"],
            "check-up",
            "thursday",
        ),
        (621, ["I need a cleaning next week", "first time", "Ana Lima"], "cleaning", "next week"),
        (
            622,
            ["how much is a filling", "next monday morning", "returning", "Li Wei"],
            "illing",
            "monday",
        ),
    ],
)
async def test_a_request_started_three_ways_reaches_the_staff_chat_as_a_card(
    api: FakeBotApi, bot: Any, patient: int, messages: list[str], service: str, wish: str
) -> None:
    since = len(api.sent)
    for text in messages:
        await patient_wrote(api, patient, text)
    api.user_message(patient, "no, just write here", first_name="Anna")
    card = await first_card(api, since)
    assert service.lower() in card.lower()
    assert wish in card.lower()


async def test_a_toothache_is_a_same_day_request_card_not_911_and_a_swollen_face_a_case(
    api: FakeBotApi, bot: Any
) -> None:
    since = len(api.sent)
    await patient_wrote(api, 630, "terrible toothache since last night")
    advice = [r.text or "" for r in api.sent[since:] if r.chat_id == 630]
    assert not any("taking over" in text for text in advice)
    await patient_wrote(api, 630, "yes please")
    card = await first_card(api, since)
    assert "URGENT" in card and "today" in card

    since = len(api.sent)
    await patient_wrote(api, 631, "my face is swollen and i have a fever, the tooth is throbbing")
    case_card = await api.wait_for(
        lambda r: r.chat_id == STAFF and "Case #" in (r.plain_text or ""), since=since
    )
    assert "EMERGENCY" in (case_card.plain_text or "").upper()
    told = [r.text or "" for r in api.sent[since:] if r.chat_id == 631]
    assert any("911" in text for text in told)


async def test_at_a_closed_hour_nobody_is_promised_now_and_the_opening_is_named(
    api: FakeBotApi, database: Path, knowledge: Knowledge
) -> None:
    sunday_night = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC)  # Sunday 23:00 at the clinic
    settings = settings_for(api, database)
    app = build_application(
        settings, knowledge, retry_policy=FAST_RETRIES, clock=lambda: sunday_night
    )
    async with running(app, poll_timeout=1):
        since = len(api.sent)
        await patient_wrote(api, 640, "i want to talk to a person")
        for text in ("i'd like to book a checkup", "tuesday", "first time", "Kim Park"):
            await patient_wrote(api, 641, text)
        api.user_message(641, "no")
        await first_card(api, since)
        await api.wait_drained()
        told = [r.text or "" for r in api.sent[since:] if r.chat_id in (640, 641)]
    person, booking = told[0], told[-1]
    for reply in (person, booking):
        assert not any(word in reply for word in ("shortly", "taking over", "in a moment"))
        assert "tomorrow at 08:00" in reply


async def test_a_move_sent_again_before_the_desk_answers_replaces_the_first(
    api: FakeBotApi, bot: Any
) -> None:
    await patient_wrote(api, 613, "hi, i have an appointment tomorrow at 11, can i move it?")
    since = len(api.sent)
    await patient_wrote(api, 613, "next tuesday afternoon")
    first = await api.wait_for(
        lambda r: r.chat_id == STAFF and "booked for" in (r.plain_text or ""), since=since
    )
    since = len(api.sent)
    await patient_wrote(api, 613, "actually wednesday morning would be better")
    note = await api.wait_for(
        lambda r: r.chat_id == STAFF and "newer request replaces" in (r.text or ""), since=since
    )
    assert note.reply_to_message_id == first.message_id
    second = await api.wait_for(
        lambda r: r.chat_id == STAFF and "wednesday" in (r.plain_text or "").lower(), since=since
    )
    assert "booked for" in (second.plain_text or "")  # still says which visit moves
    store: Store = runtime_of(bot).store
    patient = await store.patients.find("telegram:613")
    assert patient is not None
    requests = await store.bookings.requests_of(patient.id)
    assert [request.status for request in requests] == ["open", "cancelled"]  # newest first
