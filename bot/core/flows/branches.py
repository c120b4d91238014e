"""Which branch a patient goes to: asked once, only when the answer depends on it, and kept."""

from __future__ import annotations

import logging

from bot.branches import branch_named, label, said
from bot.core.outcome import Choice
from bot.core.pending import ChooseBranch, ChoosingBranch
from bot.core.turn import Turn, choice

log = logging.getLogger(__name__)

BRANCH = "branch"
ASK = "branch_ask"
NOT_CAUGHT = "branch_not_caught"
CHOSEN = "branch_chosen"
CHANGE = "branch_change"


def branch_choices(turn: Turn) -> tuple[Choice, ...]:
    """One button (or numbered option) per branch, in the order clinic.yaml lists them."""
    return tuple(
        choice(label(branch), ChooseBranch(branch.id)) for branch in turn.clinic.knowledge.branches
    )


def ask(turn: Turn, waiting: ChoosingBranch, again: bool = False) -> None:
    """Ask which branch the patient goes to; what they asked is answered once they say."""
    rotation = turn.record(BRANCH)
    choices = branch_choices(turn)
    turn.wait_for(waiting, choices)
    turn.outcome.intent = BRANCH
    asked = waiting.question or waiting.choice
    key = NOT_CAUGHT if again else ASK if asked else CHANGE  # "change my branch": no question
    turn.say(turn.brain.replies.text(key, rotation), choices)
    log.info("patient=%s asked for the branch", turn.patient.id)


def choose(turn: Turn, branch_id: str) -> bool:
    """Keep the branch the patient picked and answer from its data; False if it is unknown."""
    branch = branch_named(turn.clinic.knowledge, branch_id)
    if branch is None:
        return False
    turn.update_patient(branch=branch.id, pending_step=None, pending_choices=None)
    turn.brain = turn.clinic.for_branch(branch.id)
    rotation = turn.record(BRANCH)
    turn.say(turn.brain.replies.text(CHOSEN, rotation, noted=said(branch)))
    log.info("patient=%s branch=%s chosen", turn.patient.id, branch.id)
    return True


def answer_for(turn: Turn, branch_id: str) -> None:
    """Answer this message from a branch the patient named in it; kept if they had none."""
    if branch_named(turn.clinic.knowledge, turn.patient.branch) is None:
        turn.update_patient(branch=branch_id)
    turn.brain = turn.clinic.for_branch(branch_id)
