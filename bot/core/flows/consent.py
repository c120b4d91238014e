"""Contact only with consent: the reminders menu, asking, recording; stop and start."""

from __future__ import annotations

import logging

from bot.core.flows.handoff import person_choice
from bot.core.outcome import OptedIn, OptedOut
from bot.core.pending import AwaitingConsent, ChooseReminder, ConsentAnswer
from bot.core.turn import GrantConsent, OptIn, OptOut, Turn, choice

log = logging.getLogger(__name__)

REMINDER_CHOICES = {
    "appointment": "Appointment reminders",
    "hygiene": "My next cleaning",
    "checkup": "The free six-month check-up",
}


def menu(turn: Turn, rotation: int) -> None:
    """Which reminders the patient can choose."""
    choices = tuple(
        choice(label, ChooseReminder(kind)) for kind, label in REMINDER_CHOICES.items()
    )
    turn.wait_for(None, choices)
    key = "reminders_opted_out" if turn.patient.opted_out else "reminders"  # "will i still
    turn.say(turn.brain.replies.text(key, rotation), choices)  # get the reminder?": no


def ask(turn: Turn, kind: str) -> None:
    """Ask for consent to one kind of reminder, in the words that will be recorded."""
    turn.outcome.intent = "reminders"
    wording = turn.brain.replies.text(f"consent_{kind}", turn.patient.id)
    choices = (
        choice("Yes, I agree", ConsentAnswer(kind, agreed=True)),
        choice("No, thanks", ConsentAnswer(kind, agreed=False)),
    )
    turn.wait_for(AwaitingConsent(kind), choices)
    turn.say(wording, choices)


def answer(turn: Turn, kind: str, agreed: bool) -> None:
    """Record the patient's yes, or take the no as it is."""
    turn.outcome.intent = "reminders"
    replies = turn.brain.replies
    if turn.pending_step != AwaitingConsent(kind):
        turn.say(replies.text("not_understood"), (person_choice(),))
        return
    turn.wait_for(None)
    if not agreed:
        turn.say(replies.text("consent_declined"))
        return
    channel = turn.patient.external_id.partition(":")[0]
    if turn.patient.opted_out:
        turn.writes.append(OptIn())
    wording = replies.text(f"consent_{kind}", turn.patient.id)
    turn.writes.append(GrantConsent(kind, channel, wording))
    log.info("patient=%s consent kind=%s channel=%s", turn.patient.id, kind, channel)
    turn.say(replies.text("consent_given"))


def opt_out(turn: Turn, rotation: int) -> None:
    """Stop every message the patient agreed to."""
    turn.writes.append(OptOut())
    turn.outcome.effects.append(OptedOut())
    turn.say(turn.brain.replies.text("opt_out", rotation))


def opt_in(turn: Turn) -> None:
    """The patient wants messages again."""
    turn.outcome.intent = "opt_in"
    turn.writes.append(OptIn())
    turn.outcome.effects.append(OptedIn())
    turn.say(turn.brain.replies.text("opt_in"))
