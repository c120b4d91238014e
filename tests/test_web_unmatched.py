"""The Unmatched questions page: real unmatched turns, added as examples or dismissed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store, utc_now
from bot.store.dismissals import Dismissal, DismissalRepository
from bot.unmatched import QuestionGroup
from bot.web.app import create_app
from bot.web.unmatched_page import IntentPlace, is_hidden, likely_intents, question_key
from tests.test_web import BASE, MANAGER, sign_in, web_settings

#: The page reads the store as the bot writes it; it runs on SQLite only (the store's own
#: tests run on both databases).
pytestmark: list[pytest.MarkDecorator] = []

#: Questions the shipped data does not understand (no intent, or a low score).
TOOTHBRUSHES = "do you sell electric toothbrushes"
WIFI = "do you have wifi in the waiting room"


@pytest.fixture
async def opened(database: Path) -> AsyncIterator[Database]:
    """The test's SQLite file, open."""
    async with Database(database) as db:
        yield db


@pytest.fixture
async def client(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in manager's HTTP client talking to the app in this event loop."""
    app = create_app(web_settings(data_copy, database), opened)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        await sign_in(http, opened)
        yield http


async def chat(brain: Brain, database: Database, patient: str, *texts: str) -> None:
    """A patient writes, turn by turn, through the real front desk on the page's database."""
    front_desk = FrontDesk(brain, Store(database))
    for text in texts:
        async with database.unit_of_work():
            await front_desk.handle_text(f"console:{patient}", text)


async def intent_understood(intents: Path, replies: Path, text: str, tmp_path: Path) -> str | None:
    """The intent a front desk trained on the (saved) data matches a new patient's message to."""
    store = Store(Database(tmp_path / "check.sqlite3"))
    await store.open()
    try:
        front_desk = FrontDesk(Brain.build(load_or_raise(intents, replies)), store)
        async with store.unit_of_work():
            await front_desk.handle_text("console:check", text)
        row = await store.database.fetch_one(
            "SELECT intent, score FROM messages WHERE direction = 'in' ORDER BY id DESC"
        )
    finally:
        await store.close()
    assert row is not None
    return str(row["intent"]) if row["intent"] and row["score"] >= 0.5 else None


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token in a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found[1]


def questions_shown(page: httpx.Response) -> list[str]:
    """The example question of each group the page lists, in order."""
    return re.findall(r'class="question" id="group-\d+-question">“([^”]*)”', page.text)


async def test_the_page_groups_the_questions_the_bot_did_not_understand_with_counts(
    client: httpx.AsyncClient, opened: Database, brain: Brain
) -> None:
    await chat(brain, opened, "ann", TOOTHBRUSHES, "how much is an implant")
    await chat(brain, opened, "bo", "Do you sell electric toothbrushes?", WIFI)
    page = await client.get("/unmatched")
    assert page.status_code == 200
    assert questions_shown(page) == [TOOTHBRUSHES, WIFI]
    assert re.search(r'<span class="count">2</span>times', page.text)
    assert "how much is an implant" not in page.text
    assert "console:" not in page.text  # no patient's id


async def test_adding_a_question_as_an_example_makes_the_bot_understand_it(
    client: httpx.AsyncClient,
    opened: Database,
    brain: Brain,
    data_copy: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    await chat(brain, opened, "ann", TOOTHBRUSHES)
    assert await intent_understood(*data_copy, TOOTHBRUSHES, tmp_path) is None
    page = await client.get("/unmatched")
    answer = await client.post(
        "/unmatched/add",
        data={"csrf_token": csrf_of(page), "question": TOOTHBRUSHES, "intent": "hygiene"},
    )
    assert answer.status_code == 303
    assert f"  - {TOOTHBRUSHES}\n" in (data_copy[0] / "services.yaml").read_text()
    assert await intent_understood(*data_copy, TOOTHBRUSHES, tmp_path) == "hygiene"
    after = await client.get(answer.headers["location"])
    assert "Added as an example of" in after.text and "(revision 1)" in after.text
    assert questions_shown(after) == []  # dealt with: no longer listed
    history = await client.get("/history")
    assert "intents/services.yaml" in history.text
    audit = await Store(opened).audit.lines()
    assert ("unmatched_added", "unmatched:1 intent:hygiene") in [
        (action, subject) for _, actor, action, subject in audit if actor == f"manager:{MANAGER}"
    ]


async def test_a_question_that_would_break_the_data_is_not_added(
    client: httpx.AsyncClient, opened: Database, brain: Brain, data_copy: tuple[Path, Path]
) -> None:
    await chat(brain, opened, "ann", TOOTHBRUSHES)
    services_before = (data_copy[0] / "services.yaml").read_bytes()
    page = await client.get("/unmatched")
    # An example of two intents at once is an error the checked save refuses.
    taken = "do you treat kids"
    answer = await client.post(
        "/unmatched/add",
        data={"csrf_token": csrf_of(page), "question": taken, "intent": "hygiene"},
    )
    assert answer.status_code == 422
    assert "The example was not added" in answer.text and "also an example of" in answer.text
    assert (data_copy[0] / "services.yaml").read_bytes() == services_before
    assert await DismissalRepository(opened).all() == []


async def test_a_dismissed_group_stays_hidden_when_similar_questions_come_again(
    client: httpx.AsyncClient, opened: Database, brain: Brain
) -> None:
    await chat(brain, opened, "ann", TOOTHBRUSHES, WIFI)
    page = await client.get("/unmatched")
    key = "do electric sell toothbrushes you"  # its words, sorted: no more than it said
    assert key == question_key(TOOTHBRUSHES)
    assert re.findall(r'name="key" value="([^"]+)"', page.text) == [question_key(WIFI), key]
    answer = await client.post(
        "/unmatched/dismiss", data={"csrf_token": csrf_of(page), "key": key}
    )
    assert answer.status_code == 303
    await chat(brain, opened, "bo", "do you sell electric toothbrushes please")
    again = await client.get("/unmatched")
    assert questions_shown(again) == [WIFI]
    assert "1 group was dismissed or added as examples" in again.text
    stored = await DismissalRepository(opened).all()
    assert [(each.key, each.resolution, each.manager_id) for each in stored] == [
        (key, "dismissed", MANAGER)
    ]
    audit = await Store(opened).audit.lines()
    assert (f"manager:{MANAGER}", "unmatched_dismissed") in [(a, b) for _, a, b, _ in audit]


async def test_a_post_without_the_csrf_token_dismisses_nothing(
    client: httpx.AsyncClient, opened: Database, brain: Brain
) -> None:
    await chat(brain, opened, "ann", TOOTHBRUSHES)
    answer = await client.post("/unmatched/dismiss", data={"key": question_key(TOOTHBRUSHES)})
    assert answer.status_code == 403
    assert await DismissalRepository(opened).all() == []


def test_a_group_added_as_an_example_shows_again_only_if_asked_again_afterwards() -> None:
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    added = Dismissal(1, question_key(WIFI), MANAGER, at, "added", "hours")
    before = QuestionGroup(WIFI, 2, last_seen="2026-03-02T08:00:00+00:00")
    after = QuestionGroup(WIFI, 3, last_seen="2026-03-02T10:00:00+00:00")
    assert is_hidden(before, question_key(WIFI), [added])
    assert not is_hidden(after, question_key(WIFI), [added])
    assert not is_hidden(before, question_key(TOOTHBRUSHES), [added])


def test_the_bot_s_own_guesses_are_offered_first_then_the_nearest_intents() -> None:
    group = QuestionGroup(WIFI, 3)
    group.guesses.update({"payment": 1, "hours": 2})
    places = {
        name: IntentPlace(name, name.title(), "intents/practical.yaml", number, ("x",))
        for number, name in enumerate(("hours", "payment", "location", "booking", "contacts"))
    }
    nearest = ["location", "hours", "no_such_intent", "booking", "contacts"]
    assert likely_intents(group, nearest, places) == ["hours", "payment", "location", "booking"]


async def test_decisions_older_than_the_messages_they_were_about_are_forgotten(
    client: httpx.AsyncClient, opened: Database, brain: Brain
) -> None:
    await chat(brain, opened, "ann", WIFI)
    old = utc_now() - dt.timedelta(days=91)  # MESSAGE_RETENTION_DAYS is 90
    await DismissalRepository(opened).record(question_key(TOOTHBRUSHES), MANAGER, now=old)
    page = await client.get("/unmatched")
    data = {"csrf_token": csrf_of(page), "key": question_key(WIFI)}
    assert (await client.post("/unmatched/dismiss", data=data)).status_code == 303
    assert [each.key for each in await DismissalRepository(opened).all()] == [question_key(WIFI)]


async def test_a_question_already_among_the_examples_is_not_written_twice(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    services = data_copy[0] / "services.yaml"
    before = services.read_bytes()
    page = await client.get("/unmatched")
    data = {"csrf_token": csrf_of(page), "question": "Do you treat kids?!", "intent": "children"}
    answer = await client.post("/unmatched/add", data=data)
    assert answer.status_code == 303
    shown = await client.get(answer.headers["location"])
    assert "already an example of “Treating kids" in shown.text
    assert services.read_bytes() == before
    assert [each.resolution for each in await DismissalRepository(opened).all()] == ["added"]
