"""Handing the conversation to a person: asked for, needed, or after misunderstandings."""

from __future__ import annotations

import logging

from bot.core.outcome import Choice, RelayedToStaff
from bot.core.pending import TalkToPerson
from bot.core.turn import OpenCase, RecordIncoming, Turn, choice

log = logging.getLogger(__name__)

NOT_UNDERSTOOD = "not_understood"
EMERGENCY = "emergency"
URGENT = "urgent"
MEDICAL = "medical"
#: A problem with the clinic's own earlier work: for a person, under the warranty.
WARRANTY = "warranty_claim"
MISUNDERSTANDINGS_BEFORE_HANDOFF = 2


def person_choice() -> Choice:
    """The "Talk to a person" button."""
    return choice("Talk to a person", TalkToPerson())


def hand_over(turn: Turn, reason: str) -> None:
    """Open a case (or add to the open one) and tell the patient a person will answer."""
    turn.update_patient(pending_choices=None, pending_step=None, misunderstood_streak=0)
    turn.writes.append(OpenCase(reason))
    turn.outcome.intent = turn.outcome.intent or reason
    rotation = turn.history.counts.get(reason, 0)
    turn.say(turn.brain.replies.text(handoff_reply_key(reason), rotation))
    log.info("patient=%s handoff reason=%s", turn.patient.id, reason)


def handoff_reply_key(reason: str) -> str:
    """The reply for a hand-over: an emergency, a visit today, the doctor's say, a warranty."""
    special = {
        EMERGENCY: "handoff_emergency",
        URGENT: "handoff_urgent",
        MEDICAL: "handoff_medical",
        WARRANTY: "handoff_warranty",
    }
    return special.get(reason, "handoff")


def not_understood(turn: Turn) -> None:
    """Say so and offer a person; the second time in a row, hand over."""
    streak = turn.patient.misunderstood_streak + 1
    if streak >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
        turn.update_patient(misunderstood_streak=0)
        hand_over(turn, NOT_UNDERSTOOD)
        return
    person = person_choice()
    turn.update_patient(misunderstood_streak=streak, pending_choices=[person.value])
    turn.say(turn.brain.replies.text("not_understood", streak), (person,))


def relay(turn: Turn, case_id: int) -> None:
    """A person has the conversation: the message goes to them, the bot stays quiet."""
    turn.writes.append(RecordIncoming(turn.text))
    turn.outcome.effects.append(RelayedToStaff(case_id, turn.text))
    log.info("patient=%s relayed to case=%s", turn.patient.id, case_id)
