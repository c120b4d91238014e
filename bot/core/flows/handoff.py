"""Handing the conversation to a person: asked for, needed, or after misunderstandings."""

from __future__ import annotations

import logging

from bot.core.flows import language
from bot.core.flows.language import LANGUAGE
from bot.core.outcome import Choice, RelayedToStaff
from bot.core.pending import TalkToPerson
from bot.core.turn import OpenCase, RecordIncoming, Turn, choice
from bot.opening import DeskHours, desk_hours

log = logging.getLogger(__name__)

NOT_UNDERSTOOD = "not_understood"
EMERGENCY = "emergency"
URGENT = "urgent"
MEDICAL = "medical"
#: A problem with the clinic's own earlier work: for a person, under the warranty.
WARRANTY = "warranty_claim"
#: Worse, not better, after a treatment: the doctor should hear of it.
WORSE_AFTER_TREATMENT = "aftercare"
#: Hand-overs about a problem a patient may go on telling once the case is handed back ("the
#: filling you did fell out" ... "no pain, just a hole there now"): the same person's case.
ABOUT_A_PROBLEM = frozenset({WARRANTY, "complaint"})
MISUNDERSTANDINGS_BEFORE_HANDOFF = 2
#: Said after a closed-hours hand-over when the clinic has an after-hours phone.
AFTER_HOURS_PHONE = "handoff_after_hours_phone"


def person_choice() -> Choice:
    """The "Talk to a person" button."""
    return choice("Talk to a person", TalkToPerson())


def hand_over(turn: Turn, reason: str) -> None:
    """Open a case (or add to the open one) and tell the patient when a person will answer."""
    turn.update_patient(pending_choices=None, pending_step=None, misunderstood_streak=0)
    turn.writes.append(OpenCase(reason))
    turn.outcome.intent = turn.outcome.intent or reason
    again = reason in ABOUT_A_PROBLEM and turn.topic == reason
    if reason in ABOUT_A_PROBLEM:
        turn.ask(None)
        # What the patient tells next is more of it, for a person; "will I have to pay
        # again?" is about the warranty on the treatment named.
        turn.open_topic(reason, turn.service_named())
    elif reason == MEDICAL and not turn.brain.replies.has_facets(str(turn.topic)):
        named = turn.service_named()
        if named is not None:
            turn.open_topic(named)  # "your crowns made of? i have a nickel allergy", "how long"
    rotation = turn.history.counts.get(reason, 0)
    reply = handoff_reply(turn, reason, rotation, again)
    if reason == LANGUAGE:
        reply = "\n\n".join(filter(None, [reply, language.note(turn)]))
    turn.say(reply)
    log.info("patient=%s handoff reason=%s", turn.patient.id, reason)


def handoff_reply(turn: Turn, reason: str, rotation: int = 0, again: bool = False) -> str:
    """What the patient is told: a person shortly while the desk is open, else when it opens;
    `again`: more of a problem just handed over, passed on with it."""
    clinic = turn.brain.knowledge.clinic
    desk = desk_hours(clinic, turn.now)
    replies = turn.brain.replies
    reply = replies.text(handoff_reply_key(reason, desk, again), rotation, opens=desk.opens or "")
    if not desk.is_open and clinic.after_hours_phone:
        phone = clinic.after_hours_phone
        reply += " " + replies.text(AFTER_HOURS_PHONE, rotation, after_hours_phone=phone)
    return reply


def handoff_reply_key(reason: str, desk: DeskHours | None = None, again: bool = False) -> str:
    """The reply for a hand-over's reason (`again`: the message passed on to the same
    person); its closed-hours wording when the desk is closed."""
    special = {
        EMERGENCY: "handoff_emergency",
        URGENT: "handoff_urgent",
        MEDICAL: "handoff_medical",
        WARRANTY: "handoff_warranty",
        WORSE_AFTER_TREATMENT: "handoff_aftercare",
        LANGUAGE: "handoff_language",
    }
    key = "handoff_waiting" if again else special.get(reason, "handoff")
    if desk is None or desk.is_open:
        return key
    if desk.opens is None:  # hours that never open: only that the message is passed on
        return "handoff_emergency_waiting" if reason == EMERGENCY else "handoff_waiting"
    return f"{key}_closed"


def not_understood(turn: Turn, confused: bool = False) -> None:
    """Say so (or, to a patient who didn't follow us, sorry) and offer a person; the second
    time in a row, hand over."""
    streak = turn.patient.misunderstood_streak + 1
    if streak >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
        turn.update_patient(misunderstood_streak=0)
        hand_over(turn, NOT_UNDERSTOOD)
        return
    person = person_choice()
    turn.update_patient(misunderstood_streak=streak, pending_choices=[person.value])
    said = "patient_confused" if confused else "not_understood"
    turn.say(turn.brain.replies.text(said, streak), (person,))


def relay(turn: Turn, case_id: int) -> None:
    """A person has the conversation: the message goes to them, the bot stays quiet."""
    turn.writes.append(RecordIncoming(turn.text))
    turn.outcome.effects.append(RelayedToStaff(case_id, turn.text))
    log.info("patient=%s relayed to case=%s", turn.patient.id, case_id)
