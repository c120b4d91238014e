"""The Try it page: the bot's own understanding and exact reply, with nothing saved."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.core import Brain, FrontDesk
from bot.core.desk import preview
from bot.store import Database, Store
from bot.web.app import create_app
from bot.web.checking import DataFolders
from bot.web.try_page import LiveData
from tests.test_web import BASE, sign_in, web_settings

#: The page reads the store as the bot writes it; it runs on SQLite only (the store's own
#: tests run on both databases).
pytestmark: list[pytest.MarkDecorator] = []

IMPLANT = "how much is an implant"


@pytest.fixture
async def opened(database: Path) -> AsyncIterator[Database]:
    """The test's SQLite file, open."""
    async with Database(database) as db:
        yield db


@pytest.fixture
async def client(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in manager's client of the page as `frontdesk web` serves it (no bot)."""
    app = create_app(web_settings(data_copy, database), opened)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        await sign_in(http, opened)
        yield http


async def try_text(client: httpx.AsyncClient, text: str) -> httpx.Response:
    """Type a message into the form and press Try it."""
    page = await client.get("/try")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return await client.post("/try", data={"csrf_token": found[1], "text": text})


def replies_shown(page: httpx.Response) -> list[str]:
    """The texts of the reply bubbles, as the page shows them."""
    return [
        html.unescape(text) for text in re.findall(r'class="bubble reply">([^<]*)<', page.text)
    ]


async def row_counts(database: Database) -> dict[str, int]:
    """How many rows each table holds."""
    listing = (
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        if database.is_postgresql
        else "SELECT name FROM sqlite_master WHERE type = 'table'"
    )
    tables = await database.fetch_all(listing)
    counts = {}
    for table in tables:
        row = await database.fetch_one(f"SELECT COUNT(*) AS n FROM {table['name']}")  # noqa: S608
        assert row is not None
        counts[table["name"]] = int(row["n"])
    return counts


async def test_trying_a_message_shows_the_intent_and_the_exact_reply_and_saves_nothing(
    client: httpx.AsyncClient, opened: Database, brain: Brain, tmp_path: Path
) -> None:
    before = await row_counts(opened)
    page = await try_text(client, IMPLANT)
    assert page.status_code == 200
    assert re.search(r'id="tried-intent">[^<]*<code>implants</code>', page.text)
    assert re.search(r'id="tried-score">(0\.[5-9]\d|1\.00) ', page.text)
    store = Store(Database(tmp_path / "real.sqlite3"))
    await store.open()
    try:
        async with store.unit_of_work():
            outcome = await FrontDesk(brain, store).handle_text("console:new", IMPLANT)
    finally:
        await store.close()
    assert replies_shown(page) == [message.text for message in outcome.messages]
    assert await row_counts(opened) == before


async def test_a_message_the_bot_does_not_understand_says_so_with_its_reply(
    client: httpx.AsyncClient, brain: Brain
) -> None:
    page = await try_text(client, "do you sell electric toothbrushes")
    assert 'id="tried-intent">Not understood<' in page.text
    _, messages = preview(brain, "do you sell electric toothbrushes", dt.date.today())
    assert replies_shown(page) == [message.text for message in messages]


async def test_an_empty_message_asks_for_one(client: httpx.AsyncClient) -> None:
    page = await try_text(client, "   ")
    assert page.status_code == 422
    assert "Type a message to try." in page.text


async def test_the_page_uses_the_running_bot_s_brain_when_it_serves_beside_the_bot(
    data_copy: tuple[Path, Path], database: Path, opened: Database, brain: Brain
) -> None:
    front_desk = FrontDesk(brain, Store(opened))
    app = create_app(web_settings(data_copy, database), opened, front_desk)
    # The files say nothing about implants any more; the running bot still knows them.
    (data_copy[0] / "services.yaml").write_text("intents: []\n")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        await sign_in(http, opened)
        page = await try_text(http, IMPLANT)
    assert "<code>implants</code>" in page.text
    assert "running bot" in page.text


async def test_the_brain_from_the_files_is_built_again_only_after_a_file_changes(
    data_copy: tuple[Path, Path],
) -> None:
    live = LiveData(DataFolders(*data_copy))
    first = await live.brain()
    assert await live.brain() is first
    services = data_copy[0] / "services.yaml"
    text = services.read_text()
    services.write_text(text.replace("  - do you treat kids\n", "  - do you treat little kids\n"))
    rebuilt = await live.brain()
    assert rebuilt is not first
    assert "do you treat little kids" in rebuilt.knowledge.intents["children"].examples


async def test_with_broken_data_files_the_page_says_where_instead_of_answering(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path]
) -> None:
    (data_copy[0] / "services.yaml").write_text("intents:\n  - name: [unclosed\n")
    page = await try_text(client, IMPLANT)
    assert page.status_code == 503
    assert "The data files have errors" in page.text and "services.yaml" in page.text
    assert "bubble reply" not in page.text
