"""Appointment requests as a patient makes them: one question at a time, nothing asked twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core import BookingChanged, BookingRequested, Brain, FrontDesk, Outcome
from bot.core.pending import ProposalAnswer
from bot.store import NewRequest, Store

PATIENT = "console:anna"
ZONE = ZoneInfo("America/New_York")
#: Wednesday 25 November 2026, 10:00 at the clinic: the front desk is open.
OPEN_HOUR = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)
#: Sunday 29 November 2026, 23:00 at the clinic: closed until Monday morning.
CLOSED_HOUR = dt.datetime(2026, 11, 29, 23, 0, tzinfo=ZONE)


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def requested(outcome: Outcome) -> list[BookingRequested]:
    """The booking requests a turn sent to the front desk."""
    return [effect for effect in outcome.effects if isinstance(effect, BookingRequested)]


@pytest.fixture
def desk_open(brain: Brain, store: Store) -> FrontDesk:
    """The core during opening hours."""
    return FrontDesk(brain, store, clock=lambda: OPEN_HOUR.astimezone(dt.UTC))


@pytest.fixture
def desk_closed(brain: Brain, store: Store) -> FrontDesk:
    """The core on a Sunday night."""
    return FrontDesk(brain, store, clock=lambda: CLOSED_HOUR.astimezone(dt.UTC))


async def talk(desk: FrontDesk, *lines: str) -> list[Outcome]:
    """The patient writes each line in turn."""
    return [await desk.handle_text(PATIENT, line) for line in lines]


async def test_a_request_asks_one_thing_at_a_time_and_reaches_the_front_desk(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(
        desk_open,
        "i'd like to book a cleaning",
        "next tuesday afternoon",
        "first time",
        "Anna Kowalska",
        "no",
    )
    first, when, returning, name, phone = outcomes
    assert "a cleaning" in said(first) and "Which days" in said(first)
    assert "Tue 1 Dec, afternoon" in said(when) and "been to our clinic" in said(when)
    assert "first visit" in said(returning) and "name" in said(returning)
    assert "Anna Kowalska" in said(name) and "call you" in said(name)
    assert [request.urgency for request in requested(phone)] == ["routine"]
    request = await store.bookings.get(requested(phone)[0].request_id)
    assert request is not None
    assert (request.service, request.wishes, request.wishes_understood) == (
        "hygiene",
        "next tuesday afternoon",
        "Tue 1 Dec, afternoon",
    )
    assert (request.new_or_returning, request.name, request.phone) == ("new", "Anna Kowalska", "")
    assert "shortly" in said(phone)


async def test_what_the_patient_said_in_passing_is_not_asked_again(
    desk_open: FrontDesk, store: Store
) -> None:
    await talk(desk_open, "how much is a cleaning", "no problems, just due for one")
    given = await desk_open.handle_text(PATIENT, "next tuesday at 3pm, my name is Anna")
    assert "name" not in said(given).split("Noted")[-1].split(".")[-1]
    assert "Tue 1 Dec, 15:00" in said(given) and "Anna" in said(given)
    last = await talk(desk_open, "been before", "+1 413 555 0100")
    request = await store.bookings.get(requested(last[-1])[0].request_id)
    assert request is not None
    assert (request.service, request.name, request.phone) == ("hygiene", "Anna", "+1 413 555 0100")


@pytest.mark.parametrize(
    "opening",
    [
        "can i come tomorrow?",
        "I need a cleaning next week",
        "i want to make an appointment",
        "Can I bring my daughter in for a cleaning? She's 10.",
    ],
)
async def test_a_request_starts_however_the_patient_asks(
    desk_open: FrontDesk, opening: str
) -> None:
    outcome = await desk_open.handle_text(PATIENT, opening)
    assert outcome.intent == "booking"
    assert "?" in said(outcome)  # the first question of the request


@pytest.mark.parametrize(
    "question",
    ["do you take walk ins?", "do I need to book or can i just come in", "is it a walk in clinic"],
)
async def test_asking_to_walk_in_gets_by_appointment_and_a_request_begins(
    desk_open: FrontDesk, question: str
) -> None:
    outcome = await desk_open.handle_text(PATIENT, question)
    assert outcome.intent == "booking"
    assert "by appointment" in said(outcome) and "same day" in said(outcome)
    assert said(outcome).rstrip().endswith("?")  # the request's first question


async def test_asking_to_book_beside_a_price_starts_the_request_after_the_price(
    desk_open: FrontDesk, brain: Brain
) -> None:
    outcome = await desk_open.handle_text(
        PATIENT, "how much is whitening, can i book it for friday"
    )
    assert outcome.answered == ["whitening", "booking"]
    assert "$" in outcome.messages[0].text
    assert said(outcome).count("?") == 1  # the request's question alone ends the reply
    assert said(outcome).rstrip().endswith("?")
    answered = await desk_open.handle_text(PATIENT, "first time")
    assert answered.intent == "booking"


async def test_a_day_to_come_is_not_asked_as_a_walk_in(desk_open: FrontDesk) -> None:
    outcome = await desk_open.handle_text(PATIENT, "i'd like to book a filling")
    assert outcome.intent == "booking" and "by appointment" not in said(outcome)


async def test_skip_leaves_a_question_out_and_cancel_sends_nothing(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(desk_open, "can i book a checkup", "any weekday after 5", "skip")
    assert "leave that out" in said(outcomes[-1]) and "name" in said(outcomes[-1])
    cancelled = await desk_open.handle_text(PATIENT, "cancel")
    assert "nothing was sent" in said(cancelled)
    assert requested(cancelled) == []
    patient = await store.patients.find(PATIENT)
    assert patient is not None and await store.bookings.requests_of(patient.id) == []


async def test_a_question_in_the_middle_is_answered_and_the_request_goes_on(
    desk_open: FrontDesk, brain: Brain
) -> None:
    await talk(desk_open, "i'd like to book a filling")
    aside = await desk_open.handle_text(PATIENT, "do you work on saturdays?")
    assert "Saturday" in said(aside)
    asked_again = said(aside).splitlines()[-1]
    assert asked_again in brain.knowledge.replies["booking_ask_when"]  # the request goes on
    answered = await desk_open.handle_text(PATIENT, "saturday morning then")
    assert "saturday morning" in said(answered).lower()


async def test_a_thank_you_in_the_middle_is_no_reason_for_the_visit(
    desk_open: FrontDesk, brain: Brain
) -> None:
    await talk(desk_open, "can i come tomorrow at 6pm")
    thanked = await desk_open.handle_text(PATIENT, "thank you so much")
    assert "thank you so much" not in said(thanked).lower()
    assert said(thanked).splitlines()[-1] in brain.knowledge.replies["booking_ask_what"]
    answered = await desk_open.handle_text(PATIENT, "a cleaning")
    assert "a cleaning" in said(answered).lower()


async def test_a_question_about_the_visit_mid_request_is_answered_not_a_new_request(
    desk_open: FrontDesk, brain: Brain
) -> None:
    await talk(desk_open, "i want to book an appointment")
    aside = await desk_open.handle_text(PATIENT, "how long is the appointment")
    assert (aside.intent, aside.facet) == ("checkup", "duration")
    assert "bothering you" not in said(aside)  # no second closing question
    assert said(aside).splitlines()[-1] in brain.knowledge.replies["booking_ask_what"]


async def test_a_check_up_written_in_two_words_is_what_the_visit_is_for(
    desk_open: FrontDesk,
) -> None:
    (first,) = await talk(desk_open, "Hi, I'd like to book a check-up please")
    assert "check-up" in said(first).lower().split("noted:")[1]
    assert "what would you like to come in for" not in said(first).lower()


async def test_an_answer_the_bot_cannot_read_twice_is_left_for_the_front_desk(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "i'd like to book a cleaning", "tomorrow", "first time")
    unclear = await desk_open.handle_text(PATIENT, "12345 ???")
    assert "didn't quite catch" in said(unclear) or "not sure I understood" in said(unclear)
    again = await desk_open.handle_text(PATIENT, "12345 ???")
    assert "front desk can ask" in said(again)


async def test_out_of_hours_the_patient_is_told_when_the_desk_opens(
    desk_closed: FrontDesk,
) -> None:
    last = (
        await talk(
            desk_closed, "book me a checkup tomorrow morning", "returning", "Lee Chan", "no"
        )
    )[-1]
    assert requested(last)
    assert "shortly" not in said(last)
    assert "tomorrow at 08:00" in said(last)  # Monday, seen from Sunday night


async def test_a_proposed_time_accepted_becomes_an_appointment(
    desk_open: FrontDesk, store: Store
) -> None:
    await desk_open.handle_text(PATIENT, "hello")
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    request = await store.bookings.create(patient.id, NewRequest(service="checkup"))
    starts = dt.datetime(2026, 12, 8, 14, 30, tzinfo=ZONE)
    assert await store.bookings.propose(request.id, starts, "Dr. Kim")
    accepted = await desk_open.handle_choice(PATIENT, ProposalAnswer(request.id, True).pack())
    assert "Tuesday 8 December" in said(accepted) and "14:30 with Dr. Kim" in said(accepted)
    assert "24 Maple Avenue" in said(accepted)
    changes = [effect for effect in accepted.effects if isinstance(effect, BookingChanged)]
    assert [change.what for change in changes] == ["accepted"]
    [appointment] = await store.bookings.appointments_of(patient.id)
    assert appointment.starts_at == starts.astimezone(dt.UTC)
    assert "remind" in said(accepted).lower()  # the reminder is offered, not assumed
    again = await desk_open.handle_choice(PATIENT, ProposalAnswer(request.id, True).pack())
    assert "no longer on offer" in said(again)
    assert len(await store.bookings.appointments_of(patient.id)) == 1


async def test_a_proposal_declined_asks_the_desk_for_another_time(
    desk_open: FrontDesk, store: Store
) -> None:
    await desk_open.handle_text(PATIENT, "hello")
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    request = await store.bookings.create(patient.id, NewRequest(service="checkup"))
    await store.bookings.propose(request.id, dt.datetime(2026, 12, 8, 9, tzinfo=ZONE), None)
    declined = await desk_open.handle_choice(PATIENT, ProposalAnswer(request.id, False).pack())
    assert "another one" in said(declined)
    changes = [effect.what for effect in declined.effects if isinstance(effect, BookingChanged)]
    assert changes == ["another_time"]
    assert await store.bookings.appointments_of(patient.id) == []


async def test_someone_else_s_proposal_button_confirms_nothing(
    desk_open: FrontDesk, store: Store
) -> None:
    await desk_open.handle_text("console:other", "hello")
    other = await store.patients.find("console:other")
    assert other is not None
    request = await store.bookings.create(other.id, NewRequest(service="checkup"))
    await store.bookings.propose(request.id, dt.datetime(2026, 12, 8, 9, tzinfo=ZONE), None)
    forged = await desk_open.handle_choice(PATIENT, ProposalAnswer(request.id, True).pack())
    assert "no longer on offer" in said(forged)
    assert await store.bookings.appointments_of(other.id) == []


async def test_a_request_in_progress_survives_a_restart(
    brain: Brain, tmp_path: object, store: Store
) -> None:
    desk = FrontDesk(brain, store, clock=lambda: OPEN_HOUR.astimezone(dt.UTC))
    await talk(desk, "i'd like to book a cleaning", "friday")
    restarted = FrontDesk(brain, store, clock=lambda: OPEN_HOUR.astimezone(dt.UTC))
    outcome = await restarted.handle_text(PATIENT, "first time")
    assert "first visit" in said(outcome)


async def appointment_for(store: Store, desk: FrontDesk) -> int:
    """The patient has a confirmed appointment next Tuesday; returns its number."""
    await desk.handle_text(PATIENT, "hello")
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    request = await store.bookings.create(patient.id, NewRequest(service="checkup"))
    starts = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ZONE)
    appointment = await store.bookings.confirm(request, starts, "Dr. Kim", None)
    assert appointment is not None
    return appointment.id


async def test_i_cannot_come_asks_the_desk_to_cancel_that_appointment(
    desk_open: FrontDesk, store: Store
) -> None:
    appointment_id = await appointment_for(store, desk_open)
    outcome = await desk_open.handle_text(PATIENT, "sorry, i can't come on tuesday")
    [sent] = requested(outcome)
    request = await store.bookings.get(sent.request_id)
    assert request is not None
    assert (request.kind, request.appointment_id) == ("cancel", appointment_id)
    assert "cancel" in said(outcome)


async def test_reschedule_asks_only_for_the_new_time(desk_open: FrontDesk, store: Store) -> None:
    appointment_id = await appointment_for(store, desk_open)
    first = await desk_open.handle_text(PATIENT, "i need to reschedule my appointment")
    assert "Which days" in said(first) or "When would suit" in said(first)
    done = await desk_open.handle_text(PATIENT, "thursday afternoon instead")
    [sent] = requested(done)
    request = await store.bookings.get(sent.request_id)
    assert request is not None
    assert (request.kind, request.appointment_id) == ("reschedule", appointment_id)
    assert "thursday" in request.wishes_understood.lower() or "Thu" in request.wishes_understood


async def test_running_late_gets_the_phone_not_a_request(desk_open: FrontDesk) -> None:
    outcome = await desk_open.handle_text(PATIENT, "running 10 minutes late, sorry")
    assert requested(outcome) == []
    assert "+1 413 555 0142" in said(outcome)


async def test_asking_to_erase_in_the_middle_of_a_request_is_never_read_as_an_answer(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "i'd like to book a cleaning", "tomorrow")
    outcome = await desk_open.handle_text(PATIENT, "actually please delete all my data")
    assert outcome.intent == "forget_me"
    assert "first visit" not in said(outcome) and "been to our clinic" not in said(outcome)


async def test_the_moved_appointment_and_its_reminders_are_cancelled_when_confirmed(
    desk_open: FrontDesk, store: Store
) -> None:
    appointment_id = await appointment_for(store, desk_open)
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    old = await store.bookings.appointment(appointment_id)
    assert old is not None
    await store.contact.add_reminder(
        patient.id,
        "appointment",
        "reminder_appointment_day_before",
        old.starts_at,
        None,
        old.starts_at - dt.timedelta(days=1),
        old.starts_at,
        None,
    )
    move = await store.bookings.create(
        patient.id, NewRequest(kind="reschedule", appointment_id=appointment_id)
    )
    new_time = dt.datetime(2026, 12, 3, 15, 0, tzinfo=ZONE)
    assert await store.bookings.confirm(move, new_time, None, None) is not None
    cancelled = await store.bookings.appointment(appointment_id)
    assert cancelled is not None and cancelled.status == "cancelled"
    [reminder] = await store.contact.reminders_of(patient.id)
    assert reminder.status == "cancelled"


async def test_a_name_beside_another_answer_is_taken_too(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(
        desk_open, "i want to book a checkup", "any weekday morning", "first time, Derek Nguyen"
    )
    assert "Derek Nguyen" in said(outcomes[-1]) and "call you" in said(outcomes[-1])


async def test_a_name_sent_before_it_was_asked_is_taken_and_not_asked_again(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(
        desk_open, "i want to book a checkup", "any weekday morning", "Anna", "first time", "no"
    )
    name_sent, returning, phone = outcomes[2:]
    assert "Anna" in said(name_sent) and "been to our clinic" in said(name_sent)
    assert "first visit" in said(returning) and "name" not in said(returning)
    request = await store.bookings.get(requested(phone)[0].request_id)
    assert request is not None and request.name == "Anna"


async def test_a_word_in_capitals_sent_for_the_first_visit_question_is_no_name(
    desk_open: FrontDesk,
) -> None:
    outcomes = await talk(desk_open, "i want to book a checkup", "any weekday morning", "Perfect")
    assert "Perfect" not in said(outcomes[-1])


async def test_a_day_with_a_part_of_it_is_a_visit_wished_not_a_greeting(
    desk_open: FrontDesk,
) -> None:
    [outcome] = await talk(desk_open, "thursday morning ok?")
    assert outcome.intent == "booking" and "thursday morning" in said(outcome)
    assert "I'm the assistant" not in said(outcome)


async def test_call_me_with_a_number_is_the_phone_not_a_request_for_a_person(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(
        desk_open, "book a cleaning tomorrow", "been before", "Sam Lee", "yes call me 415.555.0923"
    )
    [sent] = requested(outcomes[-1])
    request = await store.bookings.get(sent.request_id)
    assert request is not None and request.phone == "415.555.0923"


async def test_a_day_given_instead_of_the_problem_starts_the_request(
    desk_open: FrontDesk,
) -> None:
    await desk_open.handle_text(PATIENT, "how much does whitening cost?")
    outcome = await desk_open.handle_text(PATIENT, "next friday would be good")
    assert outcome.intent == "booking"
    assert "Fri" in said(outcome)


async def test_a_treatment_and_a_day_with_a_question_mark_is_still_a_request(
    desk_open: FrontDesk,
) -> None:
    outcome = await desk_open.handle_text(
        PATIENT, "want to get my teeth whitened, maybe thursday?"
    )
    assert outcome.intent == "booking"


async def test_a_question_that_answers_nothing_in_the_request_is_answered_as_a_question(
    desk_open: FrontDesk,
) -> None:
    await desk_open.handle_text(PATIENT, "i'd like to book an appointment")
    aside = await desk_open.handle_text(PATIENT, "how much is whitening")
    assert aside.route == "AsideInBooking"
    assert "$" in said(aside)


async def test_a_service_asked_mid_request_after_a_greeting_is_answered_with_one_question(
    desk_open: FrontDesk, brain: Brain
) -> None:
    await desk_open.handle_text(PATIENT, "i need a filling, can i come next tuesday after 5")
    aside, follow_up = await talk(
        desk_open, "hello do you do braces for teenagers", "how long would she wear them"
    )
    assert (aside.route, aside.intent) == ("AsideInBooking", "orthodontics")
    assert "$" in said(aside)
    assert said(aside).count("?") == 1  # the request's question, not the braces' one too
    assert said(aside).splitlines()[-1] in brain.knowledge.replies["booking_ask_returning"]
    assert (follow_up.intent, follow_up.facet) == ("orthodontics", "duration")
    assert "month" in said(follow_up)


@pytest.mark.parametrize("text", ["What's the earliest day you have?", "next available slot?"])
async def test_asking_for_the_earliest_slot_starts_a_request(
    desk_open: FrontDesk, text: str
) -> None:
    outcome = await desk_open.handle_text(PATIENT, text)
    assert outcome.intent == "booking"


async def test_the_earliest_day_asked_after_a_treatment_is_a_request_a_flight_is_not(
    desk_open: FrontDesk,
) -> None:
    await desk_open.handle_text(PATIENT, "do you do clear aligners? for me, im 30")
    await desk_open.handle_text(PATIENT, "my bottom front teeth are crowded")
    outcome = await desk_open.handle_text(PATIENT, "ok whats the earliest day you have")
    assert outcome.intent == "booking"
    flight = await desk_open.handle_text("console:other", "whats the earliest flight you have")
    assert flight.intent != "booking"


async def test_a_first_visit_said_beside_a_service_is_no_slot_asked(desk_open: FrontDesk) -> None:
    outcome = await desk_open.handle_text(PATIENT, "i want a checkup, first time at ur clinic")
    assert outcome.intent == "checkup"


async def test_a_date_and_exact_time_named_is_kept_for_a_one_tap_proposal(
    desk_open: FrontDesk, store: Store
) -> None:
    outcomes = await talk(
        desk_open, "can i book a checkup next tuesday at 3pm", "first time", "Ana Ruiz", "no"
    )
    request = await store.bookings.get(requested(outcomes[-1])[0].request_id)
    assert request is not None and request.wished_at == "2026-12-01T15:00"
    vague = await talk(desk_open, "i'd like to book a cleaning")
    assert requested(vague[-1]) == []


async def test_a_price_and_a_visit_asked_together_get_the_price_then_the_request(
    desk_open: FrontDesk,
) -> None:
    outcome = await desk_open.handle_text(  # (on a weekday: tomorrow we're open)
        "console:pia", "i need a tooth out. how much and can you do it tomorrow"
    )
    texts = [message.text for message in outcome.messages]
    assert "Simple extraction" in texts[0] and "total" in texts[0].lower()
    assert "first visit" in texts[-1]  # the next booking question: new or returning


async def test_a_problem_told_instead_of_the_answer_is_noted_and_the_question_asked_again(
    desk_open: FrontDesk,
) -> None:
    patient = "console:ida"
    await desk_open.handle_text(patient, "i need a tooth out. how much and can you do it tomorrow")
    outcome = await desk_open.handle_text(patient, "upper right, hurts when i chew on it")
    reply = "\n".join(message.text for message in outcome.messages)
    assert "upper right" in reply and "first visit" in reply
    assert "didn't" not in reply and "not sure" not in reply


async def test_a_question_while_asked_a_name_is_answered_not_taken_as_the_name(
    front_desk: FrontDesk,
) -> None:
    patient = "console:ida"
    await front_desk.handle_text(patient, "i'd like to book a cleaning next tuesday morning")
    await front_desk.handle_text(patient, "first time")
    outcome = await front_desk.handle_text(
        patient, "ok thats for later. how long does a cleaning take"
    )
    assert outcome.route == "AsideInBooking"


async def test_days_wished_right_after_the_opening_hours_start_a_request(
    front_desk: FrontDesk,
) -> None:
    patient = "console:ivy"
    await front_desk.handle_text(patient, "Do you have evening slots? I work until 6.")
    outcome = await front_desk.handle_text(patient, "tues or wed would be ideal")
    assert outcome.intent == "booking"
    assert "front desk" in outcome.messages[0].text


async def test_a_request_naming_a_service_is_for_that_service_whatever_the_topic_was(
    front_desk: FrontDesk,
) -> None:
    patient = "console:uma"
    await front_desk.handle_text(patient, "how much is whitening")
    outcome = await front_desk.handle_text(patient, "i'd like to book a cleaning next tuesday")
    reply = outcome.messages[0].text
    assert "a cleaning" in reply and "whitening" not in reply


async def test_a_visit_asked_after_telling_of_a_problem_is_for_that_problem(
    desk_open: FrontDesk, store: Store
) -> None:
    await talk(desk_open, "my tooth broke in half while eating, doesnt hurt tho", "top front one")
    outcome = await desk_open.handle_text(PATIENT, "can you fix it tomorrow morning")
    assert "broken, upper front" in said(outcome)
    assert "What would you like to come in for" not in said(outcome)
    last = await talk(desk_open, "first time", "Anna Kowalska", "no")
    request = await store.bookings.get(requested(last[-1])[0].request_id)
    assert request is not None
    assert request.service == "a problem with a tooth (broken, upper front)"


async def test_a_new_time_and_a_name_given_while_asked_something_else_are_taken(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "how much is a filling", "can i come thursday around 1?")
    outcome = await desk_open.handle_text(PATIENT, "1:15 is fine. name's Tom Baker")
    assert outcome.intent == "booking"
    assert "thursday, 13:15, Tom Baker" in said(outcome)
    assert "Dr." not in said(outcome)


async def test_a_visit_asked_after_a_practical_question_is_for_the_treatment_before(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "how much is an implant", "btw what are your hours on sunday")
    outcome = await desk_open.handle_text(PATIENT, "can we do monday 4:30")
    assert "an implant, monday, 16:30" in said(outcome)


async def test_a_bare_no_is_no_reason_for_the_visit(desk_open: FrontDesk) -> None:
    first = await desk_open.handle_text(PATIENT, "can i come monday at 10?")
    assert "come in for" in said(first)
    outcome = await desk_open.handle_text(PATIENT, "no")
    assert "Noted: no" not in said(outcome)


async def test_a_treatment_chosen_with_a_day_asked_is_a_request_not_its_script_again(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        "console:ria", "is it better to save the tooth with a root canal or just pull it?"
    )
    outcome = await front_desk.handle_text(
        "console:ria", "ok lets do the root canal, any chance next week?"
    )
    assert outcome.intent == "booking" and "root canal" in said(outcome)
    assert "endodontist" not in said(outcome)  # not the root canal's whole answer again


async def test_a_question_while_moving_a_treatment_s_visit_is_about_that_treatment(
    desk_open: FrontDesk, brain: Brain
) -> None:
    _, how_long = await talk(
        desk_open,
        "i need to move my whitening appointment, something came up",
        "how long should i plan for it",
    )
    assert (how_long.intent, how_long.facet) == ("whitening", "duration")
    wordings = brain.knowledge.facet_replies["whitening"]["duration"]
    answer, _, question_again = said(how_long).rpartition("\n")
    assert answer in [
        brain.replies.facet("whitening", "duration", turn) for turn in range(len(wordings))
    ]
    assert "Which days" in question_again  # the new time is still asked for


async def test_free_hours_on_a_weekday_told_after_the_questions_start_a_request(
    desk_open: FrontDesk,
) -> None:
    *_, free = await talk(
        desk_open,
        "hi im a student, is there student discount? and how much is 1 filling",
        "upper right, food keeps getting stuck in it but no pain",
        "can i pay half now and half next month when my loan comes in",
        "wednesdays 12 to 2 im free between lectures",
    )
    assert free.intent == "booking"
    assert "wednesdays, between 12:00 and 14:00" in said(free)


async def test_a_day_asked_beside_another_question_starts_the_request_and_keeps_the_day(
    desk_open: FrontDesk, store: Store
) -> None:
    both, hour, *_, done = await talk(
        desk_open,
        "do you take aetna and can i come in monday morning?",
        "around 9 would be perfect",
        "a cleaning",
        "first time",
        "Ann Lee",
        "no need to call",
    )
    assert both.answered == ["insurance", "booking"]
    assert "What is the visit for?" in said(both)  # the request's first question, not a promise
    assert "monday morning, around 09:00" in said(hour)
    [sent] = requested(done)
    request = await store.bookings.get(sent.request_id)
    assert request is not None
    assert "monday morning, around 09:00" in request.wishes_understood


async def test_a_day_we_are_closed_is_said_and_another_day_asked(desk_open: FrontDesk) -> None:
    sunday, late, saturday = await talk(
        desk_open,
        "can i book a cleaning for sunday at 10",
        "saturday at 4pm then",
        "ok saturday at 11",
    )
    assert "closed on Sunday" in said(sunday) and "Which days" in said(sunday)
    assert "Saturday 09:00–14:00" in said(late) and "Which days" in said(late)
    assert "saturday, 11:00" in said(saturday) and "first visit" in said(saturday)


async def test_hours_within_the_day_s_opening_are_taken_as_they_are(desk_open: FrontDesk) -> None:
    [outcome] = await talk(desk_open, "can i book a cleaning any weekday after 5")
    assert "outside our hours" not in said(outcome) and "closed" not in said(outcome)
    assert "first visit" in said(outcome)


async def test_a_day_wished_after_a_treatment_s_questions_is_a_request_not_a_facet(
    desk_open: FrontDesk,
) -> None:
    *_, wished = await talk(
        desk_open, "implant price?", "how long", "consult next week, any day after 4"
    )
    assert wished.intent == "booking"
    assert "after 16:00" in said(wished)


async def test_bringing_someone_in_for_a_consultation_is_a_request_not_what_to_bring(
    desk_open: FrontDesk,
) -> None:
    await desk_open.handle_text(PATIENT, "My father is 88 and his denture is loose")
    outcome = await desk_open.handle_text(
        PATIENT, "Could I bring him in for a consultation first? Mornings are much better for him."
    )
    assert outcome.intent == "booking" and outcome.facet is None
    assert "morning" in said(outcome)
    asked = await desk_open.handle_text(PATIENT, "what should i bring")
    assert asked.facet == "preparation"  # what to bring is still its own question


async def test_another_day_at_the_same_time_keeps_the_time_of_the_request_sent(
    desk_open: FrontDesk, store: Store
) -> None:
    await talk(
        desk_open,
        "hi can i book a cleaning for next wednesday morning",
        "yes been before",
        "Tom Baker",
        "+1 413 555 0123",
    )
    moved = await desk_open.handle_text(
        PATIENT, "actually can we make it thursday instead, same time"
    )
    request = await store.bookings.get(requested(moved)[0].request_id)
    assert request is not None
    assert "thursday" in request.wishes_understood.lower()
    assert "morning" in request.wishes_understood


async def test_a_day_and_a_time_alone_after_a_treatment_is_a_visit_wished(
    desk_open: FrontDesk,
) -> None:
    await desk_open.handle_text(PATIENT, "do baby teeth even need fillings if they fall out")
    await desk_open.handle_text(PATIENT, "will she get an injection? shes very nervous")
    outcome = await desk_open.handle_text(PATIENT, "wednesday after school?")
    assert outcome.intent == "booking"
    assert "dental clinic" not in said(outcome)


async def test_a_day_asked_for_before_is_kept_when_the_patient_then_gives_only_the_hour(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "my wife has a toothache, could she be seen tomorrow?")
    [outcome] = await talk(desk_open, "She finishes work at 4, so anything after 4:30 is ideal.")
    assert "Thu 26 Nov, after 16:30" in said(outcome)  # tomorrow, after work: not 16:00


async def test_moving_from_one_day_to_another_asks_for_the_new_day(desk_open: FrontDesk) -> None:
    [moved] = await talk(desk_open, "hi need to move my appt from thursday to friday if possible")
    assert requested(moved) and "booked for thursday to friday" in said(moved)
    [hour] = await talk(desk_open, "any time after 2")
    assert requested(hour)  # the move again, not a new visit asking what it is for
    assert "friday, after 14:00" in said(hour)


async def test_a_day_alone_after_a_move_was_sent_is_the_day_to_move_to(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "can i move my cleaning to the weekend? something came up at work")
    [day] = await talk(desk_open, "sunday would be ideal")
    assert "move" in said(day) and "come in for" not in said(day)  # closed sunday: ask again
    [saturday] = await talk(desk_open, "if not then saturday after 12")
    assert requested(saturday) and "saturday, after 12:00" in said(saturday)


async def test_someone_coming_along_at_the_same_time_is_a_request_for_that_time(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "hi need to move my appt from thursday to friday if possible")
    [child] = await talk(
        desk_open, "oh and could my daughter come with me the same time? shes 5, never been"
    )
    assert child.intent == "booking" and "friday" in said(child)


async def test_our_hours_asked_when_asked_which_day_suits_are_answered(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "my gums r receding", "bottom front")
    for question in ("whats ur hours on wed", "ok what hours on wednesday"):
        [hours] = await talk(desk_open, question)
        assert hours.intent == "hours" and "Wednesday" in said(hours), question
        assert not requested(hours)


async def test_a_day_and_an_hour_alone_during_a_treatment_is_a_visit_wished(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "open sun? filling price?", "small 1 top side tooth no pain")
    [visit] = await talk(desk_open, "mon 8am?")
    assert visit.intent == "booking" and "08:00" in said(visit)  # not "I didn't get that"


async def test_free_times_asked_for_are_a_request_not_off_topic(desk_open: FrontDesk) -> None:
    await talk(desk_open, "do you do veneers for teenagers? my son is 15")
    [times] = await talk(desk_open, "what times do you have after school?")
    assert times.intent == "booking" and "dental clinic" not in said(times)


async def test_any_slots_asked_for_is_a_request_not_the_hours(desk_open: FrontDesk) -> None:
    await talk(desk_open, "how much is a cleaning", "just a regular cleaning")
    [slots] = await talk(desk_open, "Any evening slots on Tuesdays?")
    assert slots.intent == "booking" and "evening" in said(slots)


async def test_a_weekday_asked_for_before_is_kept_with_the_hour_given_after(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "my wife has had a toothache since monday, can she come wednesday?")
    [hour] = await talk(desk_open, "i work till 6 so after 6:30 please")
    assert "wednesday, after 18:30" in said(hour)


async def test_a_day_and_time_put_forward_beside_another_question_starts_a_request(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "how much is a cleaning")
    [both] = await talk(desk_open, "can i pay by card? thursday evening ok?")
    assert "payment" in both.answered and "booking" in both.answered  # not our opening hours
    assert "thursday evening" in said(both)


async def test_how_long_since_a_last_visit_is_not_taken_for_a_first_visit(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "can i book a cleaning for friday morning")
    [gap] = await talk(desk_open, "i havent been in 3 years")
    assert "Noted: first visit" not in said(gap)
    assert "been to our clinic before" in said(gap)  # asked again, not guessed


async def test_a_day_put_forward_with_nothing_to_move_is_a_new_request(
    desk_open: FrontDesk,
) -> None:
    for text in ("would wednesday afternoon be ok?", "thursday afternoon works?"):
        [wished] = await talk(desk_open, text)  # not moving a visit, nor our opening hours
        assert wished.intent == "booking" and "afternoon" in said(wished), text
        await talk(desk_open, "cancel")
    [move] = await talk(desk_open, "sorry can we do monday instead")
    assert move.intent in ("booking", "reschedule")


async def test_can_we_both_come_together_is_a_request(desk_open: FrontDesk) -> None:
    await talk(desk_open, "how much is a check-up for my son")
    [both] = await talk(desk_open, "and me as well. could we both come in together?")
    assert both.intent == "booking"  # not "I didn't get that"


async def test_bringing_someone_on_a_day_beside_another_question_starts_a_request(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "do you see children")
    for text in (
        "ok. can i bring her friday? and theres parking nearby right",
        "can we do monday after 3? and is there parking",
    ):
        [both] = await talk(desk_open, text)
        assert "location" in both.answered and "booking" in both.answered, text
        await talk(desk_open, "cancel")


async def test_a_request_question_is_asked_once_when_an_aside_carries_the_request_on(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "can i book a cleaning for saturday")
    [aside] = await talk(desk_open, "do you take cards? saturday morning ok?")
    reply = said(aside).lower()
    assert "morning" in reply
    assert reply.count("first visit") == 1  # the returning question, not asked twice


async def test_an_hour_agreed_beside_another_question_goes_into_the_request(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "could i book a cleaning on tuesday afternoon")
    [aside] = await talk(desk_open, "3 works. is there parking nearby?")
    assert "booking" in aside.answered
    assert "15:00" in said(aside)  # the hour noted, then the request's question again
    assert "been to our clinic before" in said(aside) or "first visit" in said(aside)


async def test_the_day_of_the_visit_to_move_is_told_as_its_own_and_the_new_day_asked(
    desk_open: FrontDesk,
) -> None:
    [move] = await talk(desk_open, "i have an appointment tomorrow at 10, can i reschedule it?")
    assert not requested(move)  # tomorrow at 10 is the visit booked, not the day wished
    assert "which days and times" in said(move).lower()
    [day] = await talk(desk_open, "next tuesday afternoon")
    assert requested(day)
    assert "booked for " in said(day) and "10:00 to Tue " in said(day)


async def test_a_day_refused_after_any_day_but_is_left_out_of_the_request(
    desk_open: FrontDesk,
) -> None:
    [asked] = await talk(
        desk_open, "ok book him in please. afternoons suit him best, any day but monday"
    )
    assert asked.intent == "booking"  # the afternoons are when, not a question of their own
    assert "except monday" in said(asked)


async def test_a_quiet_time_asked_for_is_a_request_the_front_desk_fills_in(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "how much is a cleaning for my brother")
    [quiet] = await talk(desk_open, "is there a quiet time of day? noise really upsets him")
    assert quiet.intent == "booking"  # not "we're a dental clinic"
    assert "quiet time" in said(quiet)
    assert "which days and times" not in said(quiet).lower()  # the desk suggests one


async def test_a_day_put_forward_after_a_sentence_that_only_tells_is_a_request(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "how much is a check up for my dad")
    [wished] = await talk(desk_open, "alright i will drive him over then. tues afternoon ok?")
    assert wished.intent == "booking" and "afternoon" in said(wished)


async def test_a_day_wished_with_nothing_asked_starts_a_request(desk_open: FrontDesk) -> None:
    await talk(desk_open, "hello")
    [wished] = await talk(desk_open, "wed after 4 please")
    assert wished.intent == "booking"  # not "I didn't get that"
    assert "wednesday, after 16:00" in said(wished)


async def test_coming_in_to_have_our_recent_work_seen_asks_for_a_visit_and_gets_the_warranty(
    desk_open: FrontDesk,
) -> None:
    await talk(
        desk_open,
        "had my new dentures fitted here last week, there is a sore spot under the top one. "
        "is that normal?",
    )
    [both] = await talk(
        desk_open, "could i come in to get it adjusted, and do i pay for that since you fitted it"
    )
    assert "warranty" in said(both).lower()  # not the payment methods or the denture's price
    assert "You can pay by" not in said(both)
    assert "When would suit you" in said(both)  # the request for the visit is under way
    assert "after a denture" in said(both) or "after dentures" in said(both)


async def test_a_day_told_earlier_fills_the_request_asked_for_without_one(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "hello, im only free on thursdays. do you do fillings?")
    [booked] = await talk(desk_open, "ok can you book me in")
    assert "thursday" in said(booked).lower()  # not asked again which days suit
    assert "Which days and times suit you" not in said(booked)


async def test_a_closed_day_asked_about_earlier_is_not_put_into_the_request(
    desk_open: FrontDesk,
) -> None:
    await talk(desk_open, "are you open on sundays")
    [booked] = await talk(desk_open, "ok book me in then")
    assert "sunday" not in said(booked).lower()  # we just said we're closed then
