"""The booking prompt: which day and time suit the patient; the answer is passed on."""

from __future__ import annotations

import logging

from bot.core.pending import AskedDay
from bot.core.turn import Turn

log = logging.getLogger(__name__)

BOOKING = "booking"


def prompt(turn: Turn, rotation: int) -> None:
    """How booking works, and which day suits (unless the patient already said)."""
    if "day" in turn.details:
        turn.open_topic(BOOKING)
        day_given(turn, turn.details["day"], rotation)
        return
    turn.say(turn.brain.replies.text(BOOKING, rotation))
    turn.open_topic(BOOKING)
    turn.ask(AskedDay())


def day_given(turn: Turn, day: str, rotation: int) -> None:
    """The patient named a day: say it back and what happens next."""
    turn.say(turn.brain.replies.text("answer_booking_day", rotation, noted=day))
    turn.ask(None)
    log.info("patient=%s booking day given", turn.patient.id)
