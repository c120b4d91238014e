"""The Numbers page: charts and their tables from real conversations on the page's database."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store, utc_now
from bot.web.app import create_app
from bot.web.charts import long_date
from tests.test_branches import BRANCHES, LIMITED_MANAGER, two_branch_data
from tests.test_web import BASE, sign_in, web_settings
from tests.test_web_numbers import noon_zone

#: The page reads the store as the bot writes it; it runs on SQLite only (the store's own
#: tests run on both databases).
pytestmark: list[pytest.MarkDecorator] = []

CHARTS = (
    "messages",
    "intents",
    "handoff-reasons",
    "handoff-levels",
    "unmatched",
    "booking-requests",
    "booking-confirmations",
    "reminders",
    "opt-outs",
)


@pytest.fixture
async def opened(database: Path) -> AsyncIterator[Database]:
    """The test's SQLite file, open."""
    async with Database(database) as db:
        yield db


async def chat(brain: Brain, database: Database, patient: str, *texts: str) -> None:
    """A patient writes, turn by turn, through the real front desk on the page's database."""
    front_desk = FrontDesk(brain, Store(database))
    for text in texts:
        async with database.unit_of_work():
            await front_desk.handle_text(f"console:{patient}", text)


async def numbers_page(
    data_copy: tuple[Path, Path], database: Path, opened: Database, timezone: str
) -> httpx.Response:
    """The Numbers page as a signed-in manager sees it."""
    app = create_app(web_settings(data_copy, database, timezone=timezone), opened)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        await sign_in(http, opened)
        return await http.get("/numbers")


def section(page: httpx.Response, key: str) -> str:
    """One chart's card: its SVG and its table."""
    found = re.search(rf'<section class="card chart" id="{key}".*?</section>', page.text, re.S)
    assert found is not None, key
    return found[0]


def table(card: str) -> dict[str, str]:
    """A chart's table: each row's label and figure."""
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="figure">([^<]*)</td>', card)
    return {html.unescape(label): value for label, value in rows}


async def test_the_numbers_page_draws_each_chart_with_the_figures_of_real_conversations(
    data_copy: tuple[Path, Path], database: Path, opened: Database, brain: Brain
) -> None:
    zone = noon_zone()  # far from midnight: every turn lands on today
    await chat(brain, opened, "ann", "how much is an implant", "zxqv blorp frind")
    await chat(brain, opened, "bo", "I want to talk to a person")
    await chat(brain, opened, "cy", "how much is an implant", "stop sending me messages")
    page = await numbers_page(data_copy, database, opened, zone.key)
    assert page.status_code == 200
    today = long_date(utc_now().astimezone(zone).date())

    for key in CHARTS:
        card = section(page, key)
        assert card.count("<svg") == 1 and 'role="img"' in card, key
    messages = table(section(page, "messages"))
    assert len(messages) == 30 and messages[today] == "5"
    assert sum(int(value) for value in messages.values()) == 5
    assert section(page, "messages").count('class="bar"') == 30
    intents = table(section(page, "intents"))
    assert intents["Dental implants"] == "2"
    reasons = table(section(page, "handoff-reasons"))
    assert reasons == {"Wants a real person": "1"}
    assert table(section(page, "handoff-levels")) == {"Routine": "1"}
    assert table(section(page, "opt-outs"))[today] == "1"
    assert table(section(page, "unmatched"))[today] == "20%"  # 1 of 5 not understood
    assert table(section(page, "booking-requests"))[today] == "0"
    assert "<strong>5</strong>Patients&#39; messages" in page.text
    assert "console:" not in page.text and "zxqv" not in page.text  # counts only, no text


async def test_with_no_conversations_every_chart_shows_zeros_and_no_error(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    page = await numbers_page(data_copy, database, opened, "")
    assert page.status_code == 200
    assert "America/New_York" in page.text  # the clinic's own zone, from clinic.yaml
    assert set(table(section(page, "reminders")).values()) == {"0"}
    assert "Nothing yet" in section(page, "intents")


async def _branch_page(
    data: tuple[Path, Path], database: Path, opened: Database, zone: str, query: str
) -> httpx.Response:
    """The Numbers page of a two-branch clinic, for the query given."""
    app = create_app(web_settings(data, database, timezone=zone), opened)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        await sign_in(http, opened)
        return await http.get(f"/numbers{query}")


async def _two_branch_patients(data: tuple[Path, Path], opened: Database) -> None:
    """Ann goes to Riverside and asks a price; Bo goes to Maple Avenue and wants a person."""
    brain = Brain.build(load_or_raise(*data))
    await chat(
        brain, opened, "ann", "are you open on saturday?", "riverside", "how much is a crown"
    )
    await chat(
        brain,
        opened,
        "bo",
        "are you open on saturday?",
        "the one near the station",
        "a person pls",
    )


def _total(page: httpx.Response, label: str) -> str:
    found = re.search(rf"<strong>([^<]*)</strong>{re.escape(label)}", page.text)
    assert found is not None, label
    return found[1]


async def test_a_branch_s_numbers_count_only_the_patients_of_that_branch(
    tmp_path: Path, database: Path, opened: Database
) -> None:
    unlimited = BRANCHES.replace(f"    managers: [{LIMITED_MANAGER}]\n", "")
    data = two_branch_data(tmp_path / "data", unlimited)
    await _two_branch_patients(data, opened)
    zone = noon_zone().key
    everyone = await _branch_page(data, database, opened, zone, "")
    riverside = await _branch_page(data, database, opened, zone, "?branch=riverside")
    maple = await _branch_page(data, database, opened, zone, "?branch=maple")
    assert _total(everyone, "Patients&#39; messages") == "6"
    assert _total(riverside, "Patients&#39; messages") == "3"
    assert _total(maple, "Patients&#39; messages") == "3"
    assert _total(everyone, "Passed to a person") == "1"
    assert _total(riverside, "Passed to a person") == "0"
    assert _total(maple, "Passed to a person") == "1"
    assert "Counting the patients of Riverside only" in riverside.text
    assert '<option value="">All branches</option>' in riverside.text


async def test_a_manager_limited_to_a_branch_sees_only_its_numbers(
    tmp_path: Path, database: Path, opened: Database
) -> None:
    data = two_branch_data(tmp_path / "data")  # the page's manager is Riverside's
    await _two_branch_patients(data, opened)
    zone = noon_zone().key
    for query in ("", "?branch=maple"):
        page = await _branch_page(data, database, opened, zone, query)
        assert "Counting the patients of Riverside only" in page.text
        assert _total(page, "Passed to a person") == "0"
        assert "All branches" not in page.text and "Maple Avenue" not in page.text
