"""Typed values for what a conversation waits on: buttons, pending steps, the bot's question.

They travel as short strings (Telegram callback data, a column in SQLite) and are packed and
unpacked only here, in the manner of aiogram's CallbackData: flows see dataclasses, never
strings to parse. The string forms are the ones stored by earlier versions, so old buttons
and saved states keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REMINDER_KINDS = ("appointment", "hygiene", "checkup")


@dataclass(frozen=True)
class AskAbout:
    """A "did you mean" option: answer this intent."""

    intent: str

    def pack(self) -> str:
        """The string form."""
        return f"intent:{self.intent}"


@dataclass(frozen=True)
class TalkToPerson:
    """The "Talk to a person" button."""

    def pack(self) -> str:
        """The string form."""
        return "person"


@dataclass(frozen=True)
class ChooseReminder:
    """A kind of reminder picked from the menu: ask for consent to it."""

    kind: str

    def pack(self) -> str:
        """The string form."""
        return f"consent:{self.kind}"


@dataclass(frozen=True)
class ConsentAnswer:
    """Yes or no to one kind of reminder."""

    kind: str
    agreed: bool

    def pack(self) -> str:
        """The string form."""
        return f"consent:{self.kind}:{'yes' if self.agreed else 'no'}"


@dataclass(frozen=True)
class ErasureAnswer:
    """Yes or no to erasing the patient's data."""

    confirmed: bool

    def pack(self) -> str:
        """The string form."""
        return f"erase:{'yes' if self.confirmed else 'no'}"


@dataclass(frozen=True)
class VisitToday:
    """The "Ask for a visit today" button of an urgent problem."""

    def pack(self) -> str:
        """The string form."""
        return "visit_today"


@dataclass(frozen=True)
class ProposalAnswer:
    """Yes or no to a time the front desk proposed for a booking request."""

    request_id: int
    accepted: bool

    def pack(self) -> str:
        """The string form."""
        return f"proposal:{self.request_id}:{'yes' if self.accepted else 'no'}"


@dataclass(frozen=True)
class ChooseBranch:
    """One of the clinic's branches, picked by the patient."""

    branch_id: str

    def pack(self) -> str:
        """The string form."""
        return f"branch:{self.branch_id}"


ChoiceValue = (
    AskAbout
    | TalkToPerson
    | ChooseReminder
    | ConsentAnswer
    | ErasureAnswer
    | VisitToday
    | ProposalAnswer
    | ChooseBranch
)


def unpack_choice(value: str) -> ChoiceValue | None:
    """The choice a packed value stands for, or None for a stale or forged one."""
    kind, _, argument = value.partition(":")
    if kind == "intent" and argument:
        return AskAbout(argument)
    if kind == "person" and not argument:
        return TalkToPerson()
    if kind == "visit_today" and not argument:
        return VisitToday()
    if kind == "proposal":
        number, _, answer = argument.partition(":")
        if number.isdigit() and answer in ("yes", "no"):
            return ProposalAnswer(int(number), answer == "yes")
        return None
    if kind == "branch" and re.fullmatch(r"[a-z][a-z0-9_]*", argument):
        return ChooseBranch(argument)
    if kind == "erase" and argument in ("yes", "no"):
        return ErasureAnswer(argument == "yes")
    if kind == "consent":
        reminder, _, answer = argument.partition(":")
        if reminder not in REMINDER_KINDS:
            return None
        if not answer:
            return ChooseReminder(reminder)
        if answer in ("yes", "no"):
            return ConsentAnswer(reminder, answer == "yes")
    return None


@dataclass(frozen=True)
class ConfirmingErasure:
    """The bot asked whether to erase the patient's data."""

    def pack(self) -> str:
        """The string form."""
        return "forget_me_confirm"


@dataclass(frozen=True)
class AwaitingConsent:
    """The bot asked for consent to one kind of reminder."""

    kind: str

    def pack(self) -> str:
        """The string form."""
        return f"consent:{self.kind}"


@dataclass(frozen=True)
class ChoosingBranch:
    """The bot asked which branch the patient goes to, to answer what they asked: a message
    (`question`) or a pressed choice (`choice`), kept only until the branch is known."""

    question: str = ""
    choice: str = ""

    def pack(self) -> str:
        """The string form."""
        if self.choice:
            return f"branch:choice:{self.choice}"
        return f"branch:text:{self.question[:QUESTION_KEPT]}"


#: The longest question kept while the patient is asked for their branch.
QUESTION_KEPT = 1000

PendingStep = ConfirmingErasure | AwaitingConsent | ChoosingBranch


def unpack_step(value: str | None) -> PendingStep | None:
    """The step a stored value stands for."""
    if value == "forget_me_confirm":
        return ConfirmingErasure()
    if value and value.startswith("branch:"):
        kind, _, kept = value.removeprefix("branch:").partition(":")
        return ChoosingBranch(choice=kept) if kind == "choice" else ChoosingBranch(question=kept)
    if value and value.startswith("consent:"):
        kind = value.removeprefix("consent:")
        return AwaitingConsent(kind) if kind in REMINDER_KINDS else None
    return None


@dataclass(frozen=True)
class AskedProblem:
    """The bot asked about the patient's real problem with a service."""

    service: str

    def pack(self) -> str:
        """The string form."""
        return f"problem:{self.service}"


@dataclass(frozen=True)
class AskedDay:
    """The bot asked which day and time suit the patient for a visit."""

    def pack(self) -> str:
        """The string form."""
        return "day"


@dataclass(frozen=True)
class AskedBooking:
    """The bot asked one question of a booking request: what, when, returning, name, phone."""

    field: str

    def pack(self) -> str:
        """The string form."""
        return f"booking:{self.field}"


Asked = AskedProblem | AskedDay | AskedBooking


def unpack_asked(value: str | None) -> Asked | None:
    """The question a stored value stands for."""
    if value == "day":
        return AskedDay()
    if value and value.startswith("booking:"):
        return AskedBooking(value.removeprefix("booking:"))
    if value and value.startswith("problem:"):
        return AskedProblem(value.removeprefix("problem:"))
    return None
