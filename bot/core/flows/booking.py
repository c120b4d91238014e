"""The booking prompt: which day and time suit the patient; the answer is passed on."""

from __future__ import annotations

import logging

from bot.core.pending import AskedDay
from bot.core.turn import Turn

log = logging.getLogger(__name__)

BOOKING = "booking"


def prompt(turn: Turn, rotation: int) -> None:
    """How booking works, and which day suits (unless the patient already said)."""
    if "day" in turn.details or "time" in turn.details:
        turn.open_topic(BOOKING)
        day_given(turn, when_said(turn.details), rotation)
        return
    turn.say(turn.brain.replies.text(BOOKING, rotation))
    turn.open_topic(BOOKING)
    turn.ask(AskedDay())


def when_said(details: dict[str, str]) -> str:
    """The day and time the patient gave, as said back: "wednesday afternoon, after 14:00"."""
    day, time = details.get("day", ""), details.get("time", "")
    if time and time in day:
        time = ""  # "wednesday afternoon" says the part of the day already
    return ", ".join(part for part in (day, time) if part)


def day_given(turn: Turn, day: str, rotation: int) -> None:
    """The patient named a day: say it back and what happens next."""
    turn.say(turn.brain.replies.text("answer_booking_day", rotation, noted=day))
    turn.ask(None)
    log.info("patient=%s booking day given", turn.patient.id)
