"""Booking requests in the staff chat: the booking card, and administrators answering on it.

A patient's completed request posts a card; in reply to it (or naming `#N`) administrators
`/confirm` or `/propose` a time, `/cancel` it, or write to the patient; `/bookings` lists the
open ones. A card whose patient named an exact time has a button proposing that time. Like
every handler, these only queue outbox rows inside their unit of work.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

from telegram import Message, Update

from bot.core import BookingChanged, BookingRequested, Brain
from bot.core.appointments import cancelled_message, confirmed_messages, proposed_message
from bot.core.outcome import OutgoingMessage
from bot.reminders import plan_appointment
from bot.store import Appointment, BookingRequest, Patient
from bot.telegram import followups, staff
from bot.telegram.arguments import (
    ArgumentProblem,
    BookingTime,
    booking_time_arguments,
    booking_time_form,
    cancel_arguments,
    no_arguments,
)
from bot.telegram.branch_chats import (
    another_branch,
    branch_name,
    chat_for_patient,
    patient_branch,
    sees,
    visible_branches,
)
from bot.telegram.casework import patient_line, recent_lines, service_label
from bot.telegram.delivery import BOOKING_REQUEST, BookingCard, Buttons
from bot.telegram.runtime import Context, Runtime, runtime_of
from bot.telegram.which_case import tell

log = logging.getLogger(__name__)

#: Every message the bot posts about a request starts with its number ("Booking request #3").
BOOKING_NUMBER = re.compile(r"^Booking (?:request )?#(\d+)\b")
CARD_MESSAGES = 6
#: The card's button proposing the patient's wished time: "booking:propose:<request id>".
PROPOSE_BUTTON = re.compile(r"booking:propose:([1-9][0-9]{0,18})")
WISHED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
CLOCK_SLACK = dt.timedelta(seconds=2)  # our clock against Telegram's, both in whole seconds
NEW_OR_RETURNING = {"new": "new patient", "returning": "returning patient"}
CHANGE_NOTES = {
    "another_time": "the patient asks for another time. /propose another one in reply to the "
    "card, or reply to write to them.",
    "cancelled": "the patient cancelled the request.",
    "replaced": "the patient changed their wish before it was answered; the newer request "
    "replaces this one.",
}


# ---------------------------------------------------------------- the card


def _local(runtime: Runtime, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(runtime.front_desk.timezone)


def when_text(runtime: Runtime, moment: dt.datetime, doctor: str | None = None) -> str:
    """A time for the staff, in clinic time: "Tue 08 Dec 2026, 14:30 with Dr. Kim"."""
    return f"{_local(runtime, moment):%a %d %b %Y, %H:%M}" + (f" with {doctor}" if doctor else "")


def _age(delta: dt.timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


async def _appointment_of(runtime: Runtime, request: BookingRequest) -> Appointment | None:
    """The appointment a confirmed request made, if any."""
    if request.patient_id is None:
        return None
    for appointment in await runtime.store.bookings.appointments_of(request.patient_id):
        if appointment.request_id == request.id:
            return appointment
    return None


async def _status_line(runtime: Runtime, request: BookingRequest) -> str:
    if request.status == "open":
        return "Status: waiting for the front desk"
    if request.status == "proposed" and request.proposed_at is not None:
        when = when_text(runtime, request.proposed_at, request.proposed_doctor)
        return f"Status: proposed {html.escape(when)}, waiting for the patient's answer"
    if request.status == "confirmed":
        appointment = await _appointment_of(runtime, request)
        if appointment is not None:
            when = when_text(runtime, appointment.starts_at, appointment.doctor)
            return f"Status: CONFIRMED, appointment #{appointment.id} on {html.escape(when)}"
        return "Status: CONFIRMED"
    return f"Status: {html.escape(request.status)}"


async def _kind_line(runtime: Runtime, request: BookingRequest) -> str | None:
    if request.kind == "new":
        return None
    what = "Move" if request.kind == "reschedule" else "CANCEL"
    if request.appointment_id is None:
        return f"Request: {what.lower()} an appointment (which one was not said)"
    appointment = await runtime.store.bookings.appointment(request.appointment_id)
    shown = (
        f" ({html.escape(when_text(runtime, appointment.starts_at, appointment.doctor))})"
        if appointment is not None
        else ""
    )
    return f"Request: {what} appointment #{request.appointment_id}{shown}"


async def booking_card_text(
    runtime: Runtime, request: BookingRequest, patient: Patient | None
) -> str:
    """The booking card: number, urgency, what for, when, who, status, last messages (HTML)."""
    if request.patient_id is None:
        return f"<b>Booking request #{request.id}</b>\nThe patient's data was erased."
    urgent = " · URGENT" if request.urgency == "urgent" else ""
    lines = [f"<b>Booking request #{request.id}</b>{urgent}"]
    kind = await _kind_line(runtime, request)
    if kind is not None:
        lines.append(kind)
    lines.append(f"For: {html.escape(service_label(runtime, request.service))}")
    when = request.wishes or "not said"
    if request.wishes_understood and request.wishes_understood != request.wishes:
        when += f" (understood: {request.wishes_understood})"
    lines.append(f"When: {html.escape(when)}")
    returning = NEW_OR_RETURNING.get(request.new_or_returning, request.new_or_returning)
    lines.append(f"New or returning: {html.escape(returning or 'not said')}")
    lines.append(f"Name: {html.escape(request.name or 'not said')}")
    lines.append(f"Phone: {html.escape(request.phone or 'no call wanted: reply here')}")
    lines.append(patient_line(patient))
    branch = branch_name(runtime, patient_branch(patient))
    if branch is not None:
        lines.append(f"Branch: {html.escape(branch)}")
    lines.append(f"Asked: {_local(runtime, request.created_at):%Y-%m-%d %H:%M}")
    lines.append(await _status_line(runtime, request))
    if patient is not None:
        lines += await recent_lines(runtime, patient.id, limit=CARD_MESSAGES)
    if request.is_open:
        lines.append("")
        if request.kind == "cancel":
            lines.append("/cancel in reply cancels the appointment and tells the patient.")
        else:
            lines.append(
                "In reply: /confirm YYYY-MM-DD HH:MM [doctor] books it, /propose ... offers a "
                "time, /cancel closes it; any other reply goes to the patient."
            )
    return "\n".join(lines)


def wished_time(runtime: Runtime, request: BookingRequest) -> dt.datetime | None:
    """The exact time the patient named, in clinic time; None if none (or not a real time)."""
    if not WISHED_AT.fullmatch(request.wished_at):
        return None
    try:
        named = dt.datetime.fromisoformat(request.wished_at)
    except ValueError:
        return None
    return named.replace(tzinfo=runtime.front_desk.timezone)


def _time_refusal(request: BookingRequest) -> str | None:
    """Why no time can be confirmed or proposed for this request, if it cannot."""
    if not request.is_open:
        return f"Booking request #{request.id} is {request.status}; nothing changed."
    if request.kind == "cancel":
        return (
            f"Booking request #{request.id} asks to cancel an appointment; reply /cancel to its "
            "card to cancel it. Nothing changed."
        )
    if request.patient_id is None:
        return f"Booking request #{request.id} has no patient any more."
    return None


def _wished_refusal(runtime: Runtime, request: BookingRequest) -> str | None:
    """Why the patient's wished time cannot be proposed now, if it cannot."""
    refusal = _time_refusal(request)
    if refusal is not None:
        return refusal
    starts_at = wished_time(runtime, request)
    if starts_at is None:
        return f"Booking request #{request.id} names no exact time; /propose one in reply."
    when = when_text(runtime, starts_at)
    if request.status == "proposed" and request.proposed_at == starts_at:
        return f"Booking request #{request.id}: {when} is already proposed; nothing changed."
    if starts_at <= runtime.clock():
        return (
            f"Booking request #{request.id}: {when} has already passed; /propose another "
            "time in reply to the card."
        )
    return None


def booking_buttons(runtime: Runtime, request: BookingRequest) -> Buttons | None:
    """The card's "Propose Tue 1 Dec 15:00" button, while the wished time can be proposed."""
    starts_at = wished_time(runtime, request)
    if starts_at is None or _wished_refusal(runtime, request) is not None:
        return None
    local = _local(runtime, starts_at)
    label = f"Propose {local:%a} {local.day} {local:%b %H:%M}"
    return [[{"text": label, "callback_data": f"booking:propose:{request.id}"}]]


async def render_booking_card(runtime: Runtime, request_id: int) -> BookingCard | None:
    """The booking card as it should look now (the courier renders it when it sends)."""
    request = await runtime.store.bookings.get(request_id)
    if request is None:
        return None
    patient = (
        await runtime.store.patients.by_id(request.patient_id)
        if request.patient_id is not None
        else None
    )
    return BookingCard(
        request_id=request.id,
        text=await booking_card_text(runtime, request, patient),
        message_id=request.staff_message_id,
        buttons=booking_buttons(runtime, request) if patient is not None else None,
    )


async def _request_chat(runtime: Runtime, request_id: int) -> int | None:
    """The staff chat of a request: its patient's branch's, else the clinic's."""
    request = await runtime.store.bookings.get(request_id)
    return await chat_for_patient(runtime, request.patient_id if request is not None else None)


async def post_booking_card(runtime: Runtime, request_id: int) -> None:
    """Queue a new request's card for its staff chat (the patient's branch's, else the
    clinic's); delivery links it to the request."""
    chat = await _request_chat(runtime, request_id)
    if chat is None:
        log.warning("booking=%s requested but STAFF_CHAT_ID is not set", request_id)
        return
    await runtime.courier.queue(
        "booking_card", chat, "booking_card", extra={BOOKING_REQUEST: request_id}
    )


async def refresh_booking_card(runtime: Runtime, request_id: int, chat: int | None = None) -> None:
    """Edit the booking card to show the request's status now (in `chat` when the caller
    knows it: the patient may be gone)."""
    chat = chat if chat is not None else await _request_chat(runtime, request_id)
    if chat is None:
        return
    await runtime.courier.queue(
        "edit_booking_card", chat, "card_edit", extra={BOOKING_REQUEST: request_id}
    )


async def booking_note(runtime: Runtime, request_id: int, text: str) -> None:
    """A note for the administrators, in reply to the request's card (found when it is sent)."""
    chat = await _request_chat(runtime, request_id)
    if chat is None:
        return
    await runtime.courier.send(chat, text, "staff_note", extra={BOOKING_REQUEST: request_id})


async def _card_owed(runtime: Runtime, request_id: int) -> bool:
    database = runtime.store.database
    row = await database.fetch_one(
        "SELECT 1 FROM outbox WHERE method = 'booking_card' AND status = 'pending' "
        f"AND {database.json_text('extra', BOOKING_REQUEST)} = ? LIMIT 1",
        (str(request_id),),
    )
    return row is not None


async def repost_missing_booking_cards(runtime: Runtime) -> int:
    """Open requests whose card never reached the staff chat get one queued; returns how many."""
    queued = 0
    for request in await runtime.store.bookings.open_requests():
        if request.staff_message_id is None and not await _card_owed(runtime, request.id):
            if await chat_for_patient(runtime, request.patient_id) is None:
                continue
            async with runtime.store.unit_of_work():
                # Another worker may be queueing this very card: whoever holds the request does.
                if not await runtime.store.bookings.claim_without_card(
                    request.id
                ) or await _card_owed(runtime, request.id):
                    continue
                await post_booking_card(runtime, request.id)
            queued += 1
    return queued


# ---------------------------------------------------------------- what the patient did


async def on_booking_requested(runtime: Runtime, effect: BookingRequested) -> None:
    """The patient completed a request: its card goes to the staff chat."""
    await post_booking_card(runtime, effect.request_id)
    log.info("booking=%s card queued (%s)", effect.request_id, effect.urgency)


async def on_booking_changed(runtime: Runtime, effect: BookingChanged) -> None:
    """The patient answered a proposal or cancelled: the card shows it, and a note says so."""
    await refresh_booking_card(runtime, effect.request_id)
    prefix = f"Booking request #{effect.request_id}: "
    if effect.what == "accepted":
        note = await _accepted_note(runtime, effect)
    else:
        note = CHANGE_NOTES.get(effect.what, f"the patient changed it ({effect.what}).")
    await booking_note(runtime, effect.request_id, prefix + note)
    log.info("booking=%s changed by the patient: %s", effect.request_id, effect.what)


async def _accepted_note(runtime: Runtime, effect: BookingChanged) -> str:
    """The patient accepted the proposed time: plan the reminders and say what was booked."""
    appointment = (
        await runtime.store.bookings.appointment(effect.appointment_id)
        if effect.appointment_id is not None
        else None
    )
    if appointment is None:
        return "the patient accepted the proposed time, but no appointment was recorded."
    reminders = await _plan_reminders(runtime, appointment, None)
    when = when_text(runtime, appointment.starts_at, appointment.doctor)
    return f"the patient accepted. Appointment #{appointment.id} is confirmed for {when}.\n" + (
        reminders
    )


async def _plan_reminders(runtime: Runtime, appointment: Appointment, staff_id: int | None) -> str:
    """Appointment reminders as /remind appointment plans them; what the staff is told."""
    event = _local(runtime, appointment.starts_at)
    plans = plan_appointment(event, runtime.scheduler.quiet)
    await followups.record_reminders(
        runtime, appointment.patient_id, "appointment", event, appointment.doctor, plans, staff_id
    )
    text = f"Reminder(s) planned: {followups.planned_times(runtime, plans)} (clinic time)."
    if not await runtime.store.contact.has_consent(appointment.patient_id, "appointment"):
        text += "\n" + followups.no_consent_line("appointment")
    return text


# ---------------------------------------------------------------- the staff chat


async def request_of(runtime: Runtime, message: Message) -> int | None:
    """The booking request a staff message answers: its card, or our message naming it."""
    replied = message.reply_to_message
    if replied is None:
        return None
    request = await runtime.store.bookings.request_with_card(replied.message_id)
    if request is not None:
        return request.id
    # A card whose delivery was not recorded yet, or a note: our messages name the request.
    from_bot = replied.from_user is not None and replied.from_user.is_bot
    number = BOOKING_NUMBER.match(replied.text or "") if from_bot else None
    if number is None:
        return None
    request = await runtime.store.bookings.get(int(number.group(1)))
    if request is not None and replied.date < request.created_at - CLOCK_SLACK:
        # Older than the request: about an erased one whose number was given out again.
        return None
    return int(number.group(1))


async def _named_request(
    runtime: Runtime, message: Message, request_id: int | None, unnamed: str
) -> BookingRequest | None:
    """The request named by number, else the replied-to one; else None, once told why."""
    if request_id is None:
        request_id = await request_of(runtime, message)
        if request_id is None:
            await tell(runtime, message, unnamed)
            return None
    request = await runtime.store.bookings.get(request_id)
    if request is None:
        await tell(
            runtime,
            message,
            f"There is no booking request #{request_id}; /bookings lists the open ones.",
        )
    return request


def _brain_of(runtime: Runtime, patient: Patient) -> Brain:
    """The data the patient is answered from: their branch's address and phone."""
    return runtime.front_desk.brain.for_branch(patient.branch)


async def _patient_of(runtime: Runtime, request: BookingRequest) -> Patient | None:
    if request.patient_id is None:
        return None
    return await runtime.store.patients.by_id(request.patient_id)


async def _send_to_patient(
    runtime: Runtime, patient: Patient, messages: list[OutgoingMessage]
) -> None:
    """The core's messages for a patient, to their chat, with their buttons."""
    if patient.chat_id is None:
        return
    for outgoing in messages:
        buttons = [[{"text": c.label, "callback_data": c.value}] for c in outgoing.choices]
        await runtime.courier.send(
            patient.chat_id,
            outgoing.text,
            "patient_reply",
            buttons=buttons or None,
            patient_id=patient.id,
        )
        await runtime.store.conversations.record_message(patient.id, "out", outgoing.text)


def _staff_id(message: Message) -> int | None:
    return message.from_user.id if message.from_user is not None else None


async def _request_for_time(
    runtime: Runtime, message: Message, arguments: list[str], command: str
) -> tuple[BookingRequest, Patient, BookingTime] | None:
    """/confirm or /propose: the parsed time and an open request with its patient, or None."""
    try:
        wanted = booking_time_arguments(
            arguments, runtime.clock().astimezone(runtime.front_desk.timezone), command
        )
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return None
    form = booking_time_form(command)
    request = await _named_request(
        runtime,
        message,
        wanted.request_id,
        f"Which booking request? Reply /{command} to a booking card, or write {form}.",
    )
    if request is None:
        return None
    refusal = _time_refusal(request)
    if refusal is not None:
        await tell(runtime, message, refusal)
        return None
    patient = await _patient_of(runtime, request)
    if patient is None:
        await tell(runtime, message, f"Booking request #{request.id} has no patient any more.")
        return None
    return request, patient, wanted


async def on_confirm(update: Update, context: Context) -> None:
    """/confirm [#N] DATE TIME [doctor]: book it, plan reminders, tell the patient."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()  # the request cannot change under this turn
    found = await _request_for_time(runtime, message, context.args or [], "confirm")
    if found is None:
        return
    request, patient, wanted = found
    zone = runtime.front_desk.timezone
    starts_at = dt.datetime.combine(wanted.day, wanted.at, zone)
    staff_id = _staff_id(message)
    if request.kind == "reschedule" and request.appointment_id is not None:
        # Cancelling it here also cancels the old appointment's pending reminders.
        await runtime.store.bookings.cancel_appointment(request.appointment_id)
    appointment = await runtime.store.bookings.confirm(request, starts_at, wanted.doctor, staff_id)
    if appointment is None:
        await tell(runtime, message, f"Booking request #{request.id} is closed; nothing changed.")
        return
    reminders = await _plan_reminders(runtime, appointment, staff_id)
    wants_reminders = await runtime.store.contact.has_consent(patient.id, "appointment")
    await _send_to_patient(
        runtime,
        patient,
        confirmed_messages(
            _brain_of(runtime, patient),
            appointment.id,
            starts_at,
            wanted.doctor,
            zone,
            wants_reminders,
        ),
    )
    await runtime.store.audit.record(
        f"staff:{staff_id}",
        "booking_confirmed",
        f"booking:{request.id} appointment:{appointment.id}",
    )
    await refresh_booking_card(runtime, request.id)
    moved = (
        f" (appointment #{request.appointment_id} is cancelled)"
        if request.kind == "reschedule" and request.appointment_id is not None
        else ""
    )
    await tell(
        runtime,
        message,
        f"Booking request #{request.id} confirmed: appointment #{appointment.id} on "
        f"{when_text(runtime, starts_at, wanted.doctor)}{moved}. The patient was told.\n"
        + reminders,
    )
    log.info("booking=%s confirmed as appointment=%s", request.id, appointment.id)


async def on_propose(update: Update, context: Context) -> None:
    """/propose [#N] DATE TIME [doctor]: offer the patient a time with Yes / Another time."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()
    found = await _request_for_time(runtime, message, context.args or [], "propose")
    if found is None:
        return
    request, patient, wanted = found
    starts_at = dt.datetime.combine(wanted.day, wanted.at, runtime.front_desk.timezone)
    proposed = await _propose(
        runtime, request, patient, starts_at, wanted.doctor, _staff_id(message)
    )
    if not proposed:
        await tell(runtime, message, f"Booking request #{request.id} is closed; nothing changed.")
        return
    await tell(
        runtime,
        message,
        f"Booking request #{request.id}: proposed {when_text(runtime, starts_at, wanted.doctor)} "
        "to the patient; their answer will show here.",
    )


async def _propose(
    runtime: Runtime,
    request: BookingRequest,
    patient: Patient,
    starts_at: dt.datetime,
    doctor: str | None,
    staff_id: int | None,
) -> bool:
    """Offer the patient a time and update the card; False if the request closed meanwhile."""
    if not await runtime.store.bookings.propose(request.id, starts_at, doctor):
        return False
    zone = runtime.front_desk.timezone
    proposal = proposed_message(_brain_of(runtime, patient), request.id, starts_at, doctor, zone)
    await _send_to_patient(runtime, patient, [proposal])
    await runtime.store.audit.record(
        f"staff:{staff_id}", "booking_proposed", f"booking:{request.id}"
    )
    await refresh_booking_card(runtime, request.id)
    log.info("booking=%s time proposed by staff=%s", request.id, staff_id)
    return True


async def on_button(update: Update, context: Context) -> None:
    """Propose pressed on a booking card: /propose the patient's wished time; else refused."""
    query = update.callback_query
    if query is None:
        return
    runtime = runtime_of(context)
    if await staff.refused_outside_staff_chat(runtime, update, query, "booking"):
        return
    await runtime.store.database.begin_now()  # the request cannot change under this press
    found = PROPOSE_BUTTON.fullmatch(query.data or "")
    request = await runtime.store.bookings.get(int(found.group(1))) if found else None
    if request is None:
        await staff.answer_button(runtime, query, "This booking request no longer exists.")
        return
    refusal = _wished_refusal(runtime, request)
    patient = await _patient_of(runtime, request) if refusal is None else None
    starts_at = wished_time(runtime, request)
    if refusal is not None or patient is None or starts_at is None:
        gone = f"Booking request #{request.id} has no patient any more."
        await staff.answer_button(runtime, query, refusal or gone)
        return
    if not await _propose(runtime, request, patient, starts_at, None, query.from_user.id):
        await staff.answer_button(
            runtime, query, f"Booking request #{request.id} is closed; nothing changed."
        )
        return
    proposed = f"Proposed {when_text(runtime, starts_at)} to the patient."
    await staff.answer_button(runtime, query, proposed, alert=False)


async def on_cancel(update: Update, context: Context) -> None:
    """/cancel [#N]: close the request; on a request to cancel, cancel that appointment too."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()
    try:
        request_id = cancel_arguments(context.args or [])
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    request = await _named_request(
        runtime,
        message,
        request_id,
        "Which booking request? Reply /cancel to a booking card, or write /cancel #3.",
    )
    if request is None:
        return
    if not request.is_open:
        await tell(
            runtime,
            message,
            f"Booking request #{request.id} is {request.status}; nothing changed.",
        )
        return
    await runtime.store.bookings.close(request.id, "cancelled")
    staff_id = _staff_id(message)
    said = f"Booking request #{request.id} is cancelled."
    if request.kind == "cancel" and request.appointment_id is not None:
        said += await _cancel_appointment(runtime, request, request.appointment_id)
    else:
        said += " The patient was not told: reply to the card to tell them why."
    await runtime.store.audit.record(
        f"staff:{staff_id}", "booking_cancelled", f"booking:{request.id}"
    )
    await refresh_booking_card(runtime, request.id)
    await tell(runtime, message, said)
    log.info("booking=%s cancelled by staff=%s", request.id, staff_id)


async def _cancel_appointment(
    runtime: Runtime, request: BookingRequest, appointment_id: int
) -> str:
    """Cancel the appointment a request names and its reminders; tell the patient."""
    appointment = await runtime.store.bookings.appointment(appointment_id)
    if appointment is None or not await runtime.store.bookings.cancel_appointment(appointment_id):
        return f" Appointment #{appointment_id} was not confirmed, so nothing else changed."
    patient = await _patient_of(runtime, request)
    if patient is not None:
        zone = runtime.front_desk.timezone
        await _send_to_patient(
            runtime,
            patient,
            [
                cancelled_message(
                    runtime.front_desk.brain, appointment.id, appointment.starts_at, zone
                )
            ],
        )
    return (
        f" Appointment #{appointment.id} on {when_text(runtime, appointment.starts_at)} and its "
        "reminders are cancelled; the patient was told."
    )


async def on_bookings(update: Update, context: Context) -> None:
    """/bookings lists the open booking requests, oldest first."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    try:
        no_arguments(context.args or [], "/bookings")
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    requests = await runtime.store.bookings.open_requests()
    visible = visible_branches(runtime, message.chat_id, message.from_user)
    if visible is not None:
        ids = [request.patient_id for request in requests if request.patient_id is not None]
        branch_of = await runtime.store.patients.branches_of(ids)
        requests = [
            request
            for request in requests
            if request.patient_id is not None and sees(visible, branch_of.get(request.patient_id))
        ]
    if not requests:
        await tell(runtime, message, "No open booking requests.")
        return
    now = runtime.clock()
    lines = [f"Open booking requests ({len(requests)}):"]
    for request in requests:
        parts = [f"#{request.id}"]
        if request.urgency == "urgent":
            parts.append("URGENT")
        if request.kind != "new":
            parts.append(request.kind)
        parts.append(service_label(runtime, request.service))
        parts.append(request.wishes_understood or request.wishes or "no time said")
        parts.append(request.name or "no name")
        if request.status == "proposed":
            parts.append("time proposed")
        parts.append(f"asked {_age(now - request.created_at)} ago")
        lines.append(" · ".join(parts))
    await tell(runtime, message, "\n".join(lines))


async def on_staff_reply(update: Update, context: Context) -> None:
    """A reply in the staff chat: to a booking message it goes to that patient, else to a case."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()
    request_id = await request_of(runtime, message)
    if request_id is None:
        await staff.on_reply(update, context)
        return
    request = await runtime.store.bookings.get(request_id)
    patient = await _patient_of(runtime, request) if request is not None else None
    if patient is None or patient.chat_id is None:
        await booking_note(
            runtime,
            request_id,
            f"Booking request #{request_id} has no patient any more; nobody got this message.",
        )
        return
    if message.text:
        await runtime.courier.send(
            patient.chat_id, message.text, "staff_reply", patient_id=patient.id
        )
        await runtime.store.conversations.record_message(patient.id, "out", message.text)
    else:
        await runtime.courier.queue(
            "copy_message",
            patient.chat_id,
            "staff_reply",
            extra={"from_chat_id": message.chat_id, "message_id": message.message_id},
            patient_id=patient.id,
        )
    log.info("booking=%s staff reply queued", request_id)


async def on_card(update: Update, context: Context) -> None:
    """/card in reply to a booking message shows its patient's card; otherwise a case's."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    request_id = None if context.args else await request_of(runtime, message)
    if request_id is None:
        await followups.on_card(update, context)
        return
    request = await runtime.store.bookings.get(request_id)
    patient = await _patient_of(runtime, request) if request is not None else None
    if patient is None:
        await tell(runtime, message, f"Booking request #{request_id} has no patient any more.")
        return
    if not sees(visible_branches(runtime, message.chat_id, message.from_user), patient.branch):
        await tell(runtime, message, another_branch(runtime, patient.branch))
        return
    await runtime.store.audit.record(
        f"staff:{_staff_id(message)}", "card_viewed", f"booking:{request_id}"
    )
    await runtime.courier.send(
        message.chat_id,
        await followups.card_text(runtime, patient),
        "staff_note",
        parse_mode="HTML",
        reply_to_message_id=message.message_id,
    )
