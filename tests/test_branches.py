"""A clinic with several branches: the branch is asked once when it matters, and used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.branches import branches_for_manager, read_branch
from bot.core import Brain, FrontDesk
from bot.loader import Knowledge, load_knowledge, load_or_raise
from bot.store import Database, Store
from tests.conftest import INTENTS, REPLIES

MAPLE_CHAT = -100111
RIVERSIDE_CHAT = -100222
LIMITED_MANAGER = 4242
#: Two branches: Maple Avenue (the clinic's own facts) and Riverside (its own hours, street,
#: phone and a cheaper root canal).
BRANCHES = f"""
branches:
  - id: maple
    name: Maple Avenue
    address: 24 Maple Avenue, Suite 200, Springfield, MA 01105
    phone: "+1 413 555 0142"
    landmarks: ["near the station", "Union Station"]
    staff_chat_id: {MAPLE_CHAT}
  - id: riverside
    name: Riverside
    address: 8 Elm Street, Springfield, MA 01103
    phone: "+1 413 555 0177"
    directions: Across the road from Riverside Park; street parking on Elm Street.
    landmarks: ["Riverside Park", "the mall"]
    hours:
      - {{days: "Monday-Friday", open: "10:00", close: "20:00"}}
      - {{days: "Saturday", closed: true}}
      - {{days: "Sunday", closed: true}}
    specialist_hours: []
    staff_chat_id: {RIVERSIDE_CHAT}
    managers: [{LIMITED_MANAGER}]
    prices:
      canal_treatment: {{min: 650, max: 1300}}
"""
ASKED = "which one would you go to"
ASKED_FIRST = "which suits you best"


def two_branch_data(folder: Path, branches: str = BRANCHES) -> tuple[Path, Path]:
    """A copy of the demo clinic's data with branches added to replies/clinic.yaml."""
    intents, replies = folder / "intents", folder / "replies"
    shutil.copytree(INTENTS, intents)
    shutil.copytree(REPLIES, replies)
    clinic = replies / "clinic.yaml"
    clinic.write_text(clinic.read_text() + branches)
    return intents, replies


@pytest.fixture(scope="module")
def branched(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The demo clinic with two branches."""
    return load_or_raise(*two_branch_data(tmp_path_factory.mktemp("branched")))


@pytest.fixture(scope="module")
def branched_brain(branched: Knowledge) -> Brain:
    """Its trained brain."""
    return Brain.build(branched)


@pytest.fixture
async def desk(branched_brain: Brain, store: Store) -> FrontDesk:
    """The core of the two-branch clinic over a fresh SQLite file."""
    return FrontDesk(branched_brain, store)


async def say(desk: FrontDesk, patient: str, text: str) -> str:
    """What the patient reads after writing `text`: every message of the reply."""
    async with desk.store.unit_of_work():
        outcome = await desk.handle_text(patient, text)
    return "\n".join(message.text for message in outcome.messages)


def asks_the_branch(reply: str) -> bool:
    """Whether the reply is the question which branch the patient goes to."""
    lowered = reply.lower()
    return ASKED_FIRST in lowered or ASKED in lowered or "which of our clinics" in lowered


async def test_two_branches_with_different_hours_answer_saturday_differently(
    desk: FrontDesk,
) -> None:
    asked = await say(desk, "console:anna", "are you open on saturday?")
    assert asks_the_branch(asked)
    at_maple = await say(desk, "console:anna", "1")
    assert "Maple Avenue" in at_maple and "09:00–14:00" in at_maple

    await say(desk, "console:ben", "are you open on saturday?")
    at_riverside = await say(desk, "console:ben", "Riverside")
    assert "closed on Saturday" in at_riverside
    assert "09:00" not in at_riverside


async def test_the_question_lists_each_branch_as_a_choice(desk: FrontDesk) -> None:
    async with desk.store.unit_of_work():
        outcome = await desk.handle_text("console:anna", "where are you located?")
    [question] = outcome.messages
    assert [choice.label for choice in question.choices] == [
        "Maple Avenue: 24 Maple Avenue",
        "Riverside: 8 Elm Street",
    ]


async def test_a_pressed_branch_button_answers_the_original_question(desk: FrontDesk) -> None:
    async with desk.store.unit_of_work():
        outcome = await desk.handle_text("telegram:7", "what's your address?")
    riverside = outcome.messages[0].choices[1].value
    async with desk.store.unit_of_work():
        answered = await desk.handle_choice("telegram:7", riverside)
    text = "\n".join(message.text for message in answered.messages)
    assert "8 Elm Street" in text and "Riverside Park" in text
    assert "24 Maple Avenue" not in text


async def test_the_branch_is_asked_once_and_remembered_across_a_restart(
    branched_brain: Brain, tmp_path: Path
) -> None:
    path = tmp_path / "frontdesk.sqlite3"
    store = Store(Database(path))
    await store.open()
    desk = FrontDesk(branched_brain, store)
    assert asks_the_branch(await say(desk, "console:anna", "what are your opening hours?"))
    hours = await say(desk, "console:anna", "on Elm street")
    assert "10:00–20:00" in hours
    assert not asks_the_branch(await say(desk, "console:anna", "i'd like to book a cleaning"))
    await store.close()

    reopened = Store(Database(path))
    await reopened.open()
    try:
        again = FrontDesk(branched_brain, reopened)
        where = await say(again, "console:anna", "where are you?")
        assert not asks_the_branch(where)
        assert "8 Elm Street" in where
    finally:
        await reopened.close()


async def test_near_the_station_and_typos_pick_the_right_branch(branched: Knowledge) -> None:
    listed = branched.branches
    assert read_branch("the one near the station", listed, answering=True) == listed[0]
    assert read_branch("near the staton pls", listed, answering=True) == listed[0]
    assert read_branch("on Elm stret", listed, answering=True) == listed[1]
    assert read_branch("riversde", listed, answering=True) == listed[1]
    assert read_branch("the one by the mall", listed, answering=True) == listed[1]
    assert read_branch("the second one", listed, answering=True) == listed[1]
    assert read_branch("downtown", listed, answering=True) is None
    assert read_branch("can I help you", listed) is None


async def test_near_the_station_answers_the_original_question_for_that_branch(
    desk: FrontDesk,
) -> None:
    await say(desk, "console:anna", "how do I get to you?")
    reply = await say(desk, "console:anna", "the one near the station")
    assert "24 Maple Avenue" in reply and "Union Station" in reply
    assert "8 Elm Street" not in reply


async def test_an_answer_not_understood_asks_for_the_branch_again(desk: FrontDesk) -> None:
    await say(desk, "console:anna", "are you open on saturday?")
    again = await say(desk, "console:anna", "hmm the purple one")
    assert "didn't catch which" in again or "not sure which clinic" in again
    answered = await say(desk, "console:anna", "2")
    assert "closed on Saturday" in answered


async def test_a_price_that_differs_is_quoted_for_the_patients_branch(desk: FrontDesk) -> None:
    assert asks_the_branch(await say(desk, "console:anna", "how much is a root canal?"))
    at_riverside = await say(desk, "console:anna", "riverside")
    assert "$1,155–$1,805" in at_riverside and "$650–$1,300" in at_riverside

    await say(desk, "console:ben", "where are you?")
    await say(desk, "console:ben", "maple avenue")
    at_maple = await say(desk, "console:ben", "how much is a root canal?")
    assert "$1,205–$1,905" in at_maple
    assert not asks_the_branch(at_maple)


async def test_a_price_the_same_everywhere_asks_no_branch(desk: FrontDesk) -> None:
    reply = await say(desk, "console:anna", "how much are dentures?")
    assert not asks_the_branch(reply)
    assert "$1,780–$2,980" in reply


async def test_a_booking_request_asks_the_branch_first_then_starts(desk: FrontDesk) -> None:
    assert asks_the_branch(await say(desk, "console:anna", "i'd like to book a cleaning"))
    started = await say(desk, "console:anna", "riverside please")
    assert "Noted: a cleaning" in started or "Got it: a cleaning" in started
    assert "Which days and times suit you?" in started


async def test_the_patient_can_change_their_branch(desk: FrontDesk) -> None:
    await say(desk, "console:anna", "where are you?")
    await say(desk, "console:anna", "1")
    changed = await say(desk, "console:anna", "I'll go to the Riverside one instead")
    assert "Riverside, 8 Elm Street" in changed
    assert "closed on Saturday" in await say(desk, "console:anna", "are you open on saturday?")

    asked = await say(desk, "console:anna", "can I change my branch?")
    assert "which of our clinics" in asked.lower() or "which clinic" in asked.lower()
    await say(desk, "console:anna", "Maple Avenue")
    assert "09:00–14:00" in await say(desk, "console:anna", "are you open on saturday?")


async def test_only_the_branch_id_is_stored_with_the_patient(desk: FrontDesk) -> None:
    await say(desk, "console:anna", "what's your address?")
    await say(desk, "console:anna", "the one by the mall")
    row = await desk.store.database.fetch_one(
        "SELECT branch, pending_step, pending_choices FROM patients "
        "WHERE external_id = 'console:anna'"
    )
    assert row is not None
    assert row["branch"] == "riverside"
    assert row["pending_step"] is None  # the question asked is not kept once answered
    assert json.loads(row["pending_choices"] or "[]") == []


async def test_an_emergency_is_never_delayed_by_the_branch_question(desk: FrontDesk) -> None:
    reply = await say(desk, "console:anna", "my face is swollen and i have a fever")
    assert not asks_the_branch(reply)
    assert "911" in reply


async def test_greetings_and_a_service_question_ask_no_branch(desk: FrontDesk) -> None:
    assert not asks_the_branch(await say(desk, "console:anna", "hi"))
    assert not asks_the_branch(await say(desk, "console:anna", "do implants hurt?"))


async def test_a_single_branch_clinic_never_asks(front_desk: FrontDesk) -> None:
    for text in (
        "are you open on saturday?",
        "where are you?",
        "how much is a root canal?",
        "i'd like to book a cleaning",
    ):
        assert not asks_the_branch(await say(front_desk, "console:solo", text))


async def test_a_clinic_with_one_branch_listed_answers_from_it_without_asking(
    tmp_path: Path,
) -> None:
    only = BRANCHES.split("  - id: riverside")[0].replace("maple", "main")
    knowledge = load_or_raise(*two_branch_data(tmp_path, only))
    store = Store(Database(tmp_path / "one.sqlite3"))
    await store.open()
    try:
        desk = FrontDesk(Brain.build(knowledge), store)
        reply = await say(desk, "console:solo", "where are you?")
        assert not asks_the_branch(reply) and "24 Maple Avenue" in reply
    finally:
        await store.close()


async def test_a_limited_manager_sees_only_their_branches(branched: Knowledge) -> None:
    assert branches_for_manager(branched, LIMITED_MANAGER) == frozenset({"riverside"})
    assert branches_for_manager(branched, 1) is None


def problems_for(tmp_path: Path, branches: str) -> list[str]:
    """What `frontdesk check` says about the data with these branches."""
    _, problems = load_knowledge(*two_branch_data(tmp_path, branches))
    return [str(problem) for problem in problems if problem.severity == "error"]


def line_with(tmp_path: Path, text: str, after: int = 0) -> int:
    """The line of clinic.yaml where `text` is first written (after line `after`), not in
    the commented example."""
    lines = (tmp_path / "replies" / "clinic.yaml").read_text().splitlines()
    return next(
        number
        for number, line in enumerate(lines, 1)
        if number > after and text in line and not line.lstrip().startswith("#")
    )


def test_check_names_file_and_line_of_a_duplicate_branch_id(tmp_path: Path) -> None:
    broken = BRANCHES.replace("id: riverside", "id: maple")
    problems = problems_for(tmp_path, broken)
    line = line_with(tmp_path, "id: maple", after=line_with(tmp_path, "id: maple"))
    assert any(f"clinic.yaml:{line}: branch 'maple' is listed twice" in p for p in problems)


def test_check_names_an_unknown_component_in_a_branch_price(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, BRANCHES.replace("canal_treatment:", "canal_treatmnet:"))
    line = line_with(tmp_path, "canal_treatmnet")
    expected = f"clinic.yaml:{line}: branch 'riverside': prices 'canal_treatmnet' is not a"
    assert any(expected in problem for problem in problems)


def test_check_names_a_branch_price_whose_max_is_below_its_min(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, BRANCHES.replace("max: 1300", "max: 600"))
    line = line_with(tmp_path, "canal_treatment: {min: 650")
    assert any(f"clinic.yaml:{line}:" in p and "max 600 is below min 650" in p for p in problems)


def test_check_wants_a_staff_chat_for_each_of_several_branches(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, BRANCHES.replace(f"staff_chat_id: {RIVERSIDE_CHAT}", ""))
    line = line_with(tmp_path, "id: riverside")
    assert any(
        f"clinic.yaml:{line}: branch 'riverside' has no staff_chat_id" in p for p in problems
    )


def test_the_shipped_single_clinic_and_the_two_branch_example_check_clean(
    tmp_path: Path,
) -> None:
    assert problems_for(tmp_path, BRANCHES) == []
    _, shipped = load_knowledge(INTENTS, REPLIES)
    assert shipped == []
