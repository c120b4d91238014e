"""A message in a language the bot does not read: one note, and a person at once."""

from __future__ import annotations

import logging

from bot.core.turn import RecordIncoming, Turn
from bot.language import foreign_language, spoken_named

log = logging.getLogger(__name__)

#: The hand-over reason, and the detail the case card shows ("language: Spanish").
LANGUAGE = "language"


def not_english(turn: Turn) -> bool:
    """Whether the message is clearly in another language; if so, it is kept for the case."""
    spoken = foreign_language(turn.text)
    if spoken is None:
        return False
    turn.writes.append(RecordIncoming(turn.text))
    turn.details = {LANGUAGE: spoken.name}
    turn.note(turn.details)
    turn.outcome.details = dict(turn.details)
    log.info("patient=%s language=%s", turn.patient.id, spoken.code)
    return True


def note(turn: Turn) -> str | None:
    """The note in the patient's language: the assistant reads English, a person will help."""
    spoken = spoken_named(turn.details.get(LANGUAGE, ""))
    if spoken is None:
        return None
    return turn.brain.replies.text(f"language_{spoken.code}")
