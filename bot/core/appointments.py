"""What the patient is told when the front desk proposes or confirms a time for a request.

The staff side (Telegram) calls these; the wording lives in `replies/conversation.yaml`.
A confirmation carries date, time, place and doctor, never anything clinical.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.core.brain import Brain
from bot.core.outcome import OutgoingMessage
from bot.core.pending import ChooseReminder, ProposalAnswer
from bot.core.turn import choice


def said_date(moment: dt.datetime, zone: ZoneInfo) -> str:
    """The day for a patient, in the clinic's zone: "Tuesday 8 December"."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}"


def said_time(moment: dt.datetime, zone: ZoneInfo) -> str:
    """The time for a patient, on the 24-hour clock: "14:30"."""
    return f"{moment.astimezone(zone):%H:%M}"


def _doctor(doctor: str | None) -> str:
    return f" with {doctor}" if doctor else ""


def proposed_message(
    brain: Brain, request_id: int, starts_at: dt.datetime, doctor: str | None, zone: ZoneInfo
) -> OutgoingMessage:
    """A time the front desk proposes, with buttons to accept it or ask for another."""
    text = brain.replies.text(
        "booking_proposed",
        request_id,
        date=said_date(starts_at, zone),
        time=said_time(starts_at, zone),
        doctor=_doctor(doctor),
    )
    buttons = (
        choice("Yes, that suits me", ProposalAnswer(request_id, accepted=True)),
        choice("Another time, please", ProposalAnswer(request_id, accepted=False)),
    )
    return OutgoingMessage(text, buttons)


def confirmed_messages(
    brain: Brain,
    appointment_id: int,
    starts_at: dt.datetime,
    doctor: str | None,
    zone: ZoneInfo,
    wants_reminders: bool,
) -> list[OutgoingMessage]:
    """The confirmation (date, time, place, doctor), and once, the offer of a reminder."""
    text = brain.replies.text(
        "booking_confirmed",
        appointment_id,
        date=said_date(starts_at, zone),
        time=said_time(starts_at, zone),
        doctor=_doctor(doctor),
    )
    messages = [OutgoingMessage(text)]
    if not wants_reminders:
        button = choice("Yes, remind me", ChooseReminder("appointment"))
        offer = brain.replies.text("booking_reminder_offer", appointment_id)
        messages.append(OutgoingMessage(offer, (button,)))
    return messages


def cancelled_message(
    brain: Brain, appointment_id: int, starts_at: dt.datetime, zone: ZoneInfo
) -> OutgoingMessage:
    """The front desk cancelled the appointment (at the patient's request)."""
    return OutgoingMessage(
        brain.replies.text(
            "booking_appointment_cancelled",
            appointment_id,
            date=said_date(starts_at, zone),
            time=said_time(starts_at, zone),
        )
    )
