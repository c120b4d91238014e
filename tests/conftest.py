"""Shared fixtures: the shipped demo data, a trained brain and a real SQLite file per test."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Brain, FrontDesk
from bot.loader import Knowledge, load_or_raise
from bot.store import Database, Store
from tests.fake_bot_api import FakeBotApi

PROJECT = Path(__file__).resolve().parent.parent
INTENTS = PROJECT / "intents"
REPLIES = PROJECT / "replies"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The demo clinic's data as shipped."""
    return load_or_raise(INTENTS, REPLIES)


@pytest.fixture(scope="session")
def brain(knowledge: Knowledge) -> Brain:
    """The matcher trained on the shipped examples, with the reply book."""
    return Brain.build(knowledge)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A fresh SQLite database file in a temporary folder."""
    opened = Store(Database(tmp_path / "frontdesk.sqlite3"))
    await opened.open()
    yield opened
    await opened.close()


@pytest.fixture
def front_desk(brain: Brain, store: Store) -> FrontDesk:
    """The transport-free core over the fresh database."""
    return FrontDesk(brain, store)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Telegram Bot API server on 127.0.0.1."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of intents/ and replies/ for tests that break or edit files."""
    intents = tmp_path / "intents"
    replies = tmp_path / "replies"
    shutil.copytree(INTENTS, intents)
    shutil.copytree(REPLIES, replies)
    return intents, replies


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """Where the bot's SQLite file lives in this test."""
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def bot(api: FakeBotApi, database: Path, knowledge: Knowledge) -> AsyncIterator[Any]:
    """The real Application, polling the fake server, with fast retries."""
    from bot.telegram.app import build_application, running
    from tests.test_telegram import FAST_RETRIES, settings_for

    application = build_application(
        settings_for(api, database), knowledge, retry_policy=FAST_RETRIES
    )
    async with running(application, poll_timeout=1):
        yield application
