"""Erasing a patient's data: asked, confirmed, done (or cancelled)."""

from __future__ import annotations

import logging

from bot.core.pending import ConfirmingErasure, ErasureAnswer
from bot.core.turn import Erase, Turn, choice

log = logging.getLogger(__name__)


def ask_to_erase(turn: Turn, rotation: int) -> None:
    """Ask before erasing: it cannot be undone."""
    choices = (
        choice("Yes, erase my data", ErasureAnswer(confirmed=True)),
        choice("No, keep it", ErasureAnswer(confirmed=False)),
    )
    turn.wait_for(ConfirmingErasure())
    turn.say(turn.brain.replies.text("forget_me_confirm", rotation), choices)


def answer(turn: Turn, confirmed: bool) -> None:
    """The patient confirmed or cancelled the erasure."""
    turn.outcome.intent = "forget_me"
    if not isinstance(turn.pending_step, ConfirmingErasure):
        turn.say(turn.brain.replies.text("not_understood"))
        return
    if confirmed:
        turn.writes.append(Erase())
        turn.say(turn.brain.replies.text("forget_me_done"))
        log.info("patient=%s data erasure confirmed", turn.patient.id)
        return
    turn.wait_for(None)
    turn.say(turn.brain.replies.text("forget_me_cancelled"))
