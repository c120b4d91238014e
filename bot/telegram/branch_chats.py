"""Which staff chat each patient's cases and requests go to, and what each staff chat sees.

A patient of a branch with a `staff_chat_id` is that branch's; everyone else (no branch yet,
a branch without a chat, a clinic without branches) goes to the clinic's STAFF_CHAT_ID.
"""

from __future__ import annotations

from telegram import Message, User
from telegram.ext.filters import MessageFilter

from bot.branches import branch_of_chat, branches_for_manager, staff_chat_of, staff_chats
from bot.loader import Knowledge
from bot.models import Branch
from bot.store import HandoffCase, Patient
from bot.telegram.runtime import Runtime

#: A patient whose branch is not known, as `visible_branches` names them.
NO_BRANCH = ""


def _knowledge(runtime: Runtime) -> Knowledge:
    return runtime.front_desk.brain.knowledge


def chat_for_branch(runtime: Runtime, branch_id: str | None) -> int | None:
    """The staff chat of a branch's patients (the clinic's when it has none)."""
    return staff_chat_of(_knowledge(runtime), branch_id, runtime.staff_chat_id)


async def chat_for_patient(runtime: Runtime, patient_id: int | None) -> int | None:
    """The staff chat of a patient's branch."""
    patient = await runtime.store.patients.by_id(patient_id) if patient_id is not None else None
    return chat_for_branch(runtime, patient.branch if patient is not None else None)


async def chat_for_case(runtime: Runtime, case: HandoffCase) -> int | None:
    """Where a case lives: the chat of its card, else its patient's branch's staff chat."""
    posted = await runtime.store.branches.card_chat(case.id)
    return posted if posted is not None else await chat_for_patient(runtime, case.patient_id)


def is_staff_chat(runtime: Runtime, chat_id: int) -> bool:
    """Whether staff commands and card buttons work in this chat."""
    return chat_id in staff_chats(_knowledge(runtime), runtime.staff_chat_id)


def branch_of(runtime: Runtime, chat_id: int) -> Branch | None:
    """The branch whose front desk works in this chat (None: the clinic-wide staff chat)."""
    return branch_of_chat(_knowledge(runtime), chat_id)


def visible_branches(runtime: Runtime, chat_id: int, user: User | None) -> frozenset[str] | None:
    """The branches (NO_BRANCH: patients without one) whose cases and cards this chat and
    this staff member see; None means everything (the clinic-wide chat, an unlimited
    manager or administrator)."""
    knowledge = _knowledge(runtime)
    here = branch_of_chat(knowledge, chat_id)
    seen = frozenset({here.id}) if here is not None else None
    limited = (
        branches_for_manager(knowledge, user.id)
        if user is not None and user.id in runtime.settings.manager_ids
        else None
    )
    if limited is None:
        return seen
    return limited if seen is None else seen & limited


def sees(visible: frozenset[str] | None, branch_id: str | None) -> bool:
    """Whether a patient of this branch (None: unknown) is visible."""
    return visible is None or (branch_id or NO_BRANCH) in visible


def patient_branch(patient: Patient | None) -> str | None:
    """The patient's branch id, if any."""
    return patient.branch if patient is not None else None


def branch_name(runtime: Runtime, branch_id: str | None) -> str | None:
    """A branch's name for a staff message (None without branches or when unknown)."""
    return next((each.name for each in _knowledge(runtime).branches if each.id == branch_id), None)


def another_branch(runtime: Runtime, branch_id: str | None) -> str:
    """What a staff member is told about a patient this chat (or they) may not see."""
    name = branch_name(runtime, branch_id)
    if name is None:
        return "That patient has no branch yet: their card is in the clinic-wide staff chat."
    return f"That patient goes to the {name} branch: their card is in that branch's staff chat."


class StaffChats(MessageFilter):
    """Messages in any staff chat: the clinic's and every branch's, as the data says now."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(name="StaffChats")
        self.runtime = runtime

    def filter(self, message: Message) -> bool:
        """Whether the message was sent in a staff chat."""
        return is_staff_chat(self.runtime, message.chat.id)
