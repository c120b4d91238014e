"""A clinic's branches: each branch's view of the data, and which branch a patient means.

A branch sets its own address, phone, hours, doctors on duty and prices; everything it leaves
out comes from `clinic:` in replies/clinic.yaml. `branch_view` gives the data a patient of that
branch is answered from, so every reply (hours, directions, quotes, reminders) is the branch's
without any flow knowing about branches.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.loader import Knowledge
from bot.models import Branch, Clinic, Component

#: Words that name no branch in particular: "the one on Elm street" is "elm".
_GENERIC = frozenset(
    """
    the a an one ones on at in by near next to of off from and or my your our that this
    branch branches clinic clinics office location place site side building centre center
    street st avenue ave road rd lane boulevard blvd drive dr square sq suite floor unit
    i im i'll ill id i'd go going will would like want prefer please thanks thank you
    is it its it's which for me us there here closer close closest nearest nearby opposite
    behind beside across corner just
    """.split()  # noqa: SIM905 (a list of words reads better as words)
)
#: How alike (0-100) a phrase of the patient's must be to a branch's name, street or landmark.
ALIKE = 85
#: How far the best branch must be ahead of the next to be taken as meant.
MARGIN = 5
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3}
#: "change my branch", "I'll go to the Riverside one instead": the patient changes branch.
_CHANGE = re.compile(
    r"\b(?:change|changing|switch|switching|instead|different|another|move|moving)\b", re.I
)
_BRANCH_WORD = re.compile(r"\b(?:branch|branches|location|locations|office|clinic)\b", re.I)


def several(knowledge: Knowledge) -> bool:
    """Whether the clinic has more than one branch (patients are asked which is theirs)."""
    return len(knowledge.branches) > 1


def branch_named(knowledge: Knowledge, branch_id: str | None) -> Branch | None:
    """The branch with this id, if the data still has it."""
    return next((each for each in knowledge.branches if each.id == branch_id), None)


def branch_of_patient(knowledge: Knowledge, branch_id: str | None) -> Branch | None:
    """The branch a patient's answers come from: theirs, or a single clinic's only one."""
    if len(knowledge.branches) == 1:
        return knowledge.branches[0]
    return branch_named(knowledge, branch_id)


def branch_view(knowledge: Knowledge, branch: Branch) -> Knowledge:
    """The data as a patient of this branch is answered from."""
    clinic = knowledge.clinic
    facts: dict[str, object] = {"address": branch.address, "phone": branch.phone}
    for name in ("directions", "email", "after_hours_phone", "hours", "specialist_hours"):
        value = getattr(branch, name)
        if value is not None:
            facts[name] = value
    if branch.doctors is not None:
        facts["doctors"] = branch.doctors
    components = dict(knowledge.components)
    for key, override in branch.prices.items():
        if key in components:
            components[key] = _priced(components[key], override.price, override.min, override.max)
    view_clinic: Clinic = clinic.model_copy(update=facts)
    return dataclasses.replace(knowledge, clinic=view_clinic, components=components)


def _priced(component: Component, price: object, low: object, high: object) -> Component:
    return component.model_copy(update={"price": price, "min": low, "max": high})


def label(branch: Branch) -> str:
    """How a branch is named on a button or a numbered choice: "Riverside: 12 Elm Street"."""
    street = branch.address.split(",")[0].strip()
    return f"{branch.name}: {street}"


def said(branch: Branch) -> str:
    """How a branch is said back to the patient: its name, address and phone."""
    return f"{branch.name}, {branch.address} (phone {branch.phone})"


def read_branch(text: str, branches: Sequence[Branch], answering: bool = False) -> Branch | None:
    """The branch a message means by name, street or landmark ("the one near the station",
    "on Elm stret"), or by its place in the list when `answering` the bot's question."""
    said_words = _words(text)
    if answering:
        for word in said_words:
            if word.isdigit() and 1 <= int(word) <= len(branches) and len(said_words) <= 3:
                return branches[int(word) - 1]
            place = _ORDINALS.get(word)
            if place is not None and place < len(branches):
                return branches[place]
    telling = [word for word in said_words if word not in _GENERIC and not word.isdigit()]
    if not telling:
        return None
    scores = sorted(
        ((_likeness(telling, branch), index) for index, branch in enumerate(branches)),
        reverse=True,
    )
    best, index = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best < ALIKE or best - runner_up < MARGIN:
        return None
    return branches[index]


def change_asked(text: str) -> bool:
    """Whether the patient asks to change their branch ("change my branch", "...instead")."""
    return _CHANGE.search(text) is not None


def names_a_branch_word(text: str) -> bool:
    """Whether the message speaks of a branch, location or office at all."""
    return _BRANCH_WORD.search(text) is not None


def _likeness(telling: list[str], branch: Branch) -> float:
    """How well the patient's telling words match the branch's name, street or a landmark."""
    best = 0.0
    for phrase in _phrases(branch):
        size = len(phrase)
        for width in {max(1, size - 1), size, size + 1}:
            for start in range(max(1, len(telling) - width + 1)):
                window = telling[start : start + width]
                best = max(best, _alike(phrase, window))
    return best


def _alike(phrase: list[str], window: list[str]) -> float:
    """0-100: a short word must be exact ("elm"), a longer phrase may have a typo."""
    wanted, given = " ".join(phrase), " ".join(window)
    if len(wanted) <= 4:
        return 100.0 if wanted in window else 0.0
    return float(fuzz.ratio(wanted, given))


def _phrases(branch: Branch) -> list[list[str]]:
    """The telling words of the branch's name, its street, and each landmark."""
    sources = [branch.name, branch.address.split(",")[0], *branch.landmarks]
    phrases = []
    for source in sources:
        telling = [word for word in _words(source) if word not in _GENERIC and not word.isdigit()]
        if telling:
            phrases.append(telling)
    return phrases


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def staff_chat_of(
    knowledge: Knowledge, branch_id: str | None, clinic_chat: int | None
) -> int | None:
    """Where a patient's cases and requests go: their branch's staff chat, else the clinic's."""
    branch = branch_of_patient(knowledge, branch_id)
    if branch is not None and branch.staff_chat_id is not None:
        return branch.staff_chat_id
    return clinic_chat


def branch_of_chat(knowledge: Knowledge, chat_id: int) -> Branch | None:
    """The branch whose front desk works in this chat (None: the clinic-wide staff chat)."""
    return next((each for each in knowledge.branches if each.staff_chat_id == chat_id), None)


def staff_chats(knowledge: Knowledge, clinic_chat: int | None) -> frozenset[int]:
    """Every chat where staff commands and case buttons work."""
    chats = {each.staff_chat_id for each in knowledge.branches if each.staff_chat_id is not None}
    return frozenset(chats | ({clinic_chat} if clinic_chat is not None else set()))


def branches_for_manager(knowledge: Knowledge, manager_id: int) -> frozenset[str] | None:
    """The branches a manager may see; None means all of them (a manager named under no
    branch's `managers`, or a clinic without branches)."""
    mine = frozenset(each.id for each in knowledge.branches if manager_id in each.managers)
    return mine or None
