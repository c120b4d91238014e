"""Shared fixtures: the shipped demo data, a trained brain and a real database per test.

The store runs on both databases: every test of `store` (and of `front_desk`) runs once on a
SQLite file in a temporary folder and once on a fresh database of a throwaway PostgreSQL
cluster (see tests/postgres_server.py). FRONTDESK_TEST_DATABASE=sqlite (or =postgresql) runs
only one; without PostgreSQL's binaries the PostgreSQL runs are skipped, saying why.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Brain, FrontDesk
from bot.loader import Knowledge, load_or_raise
from bot.store import Database, Store
from tests.fake_bot_api import FakeBotApi
from tests.postgres_server import TEMPLATE, PostgresServer, find_binaries

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


def _stores() -> tuple[str, ...]:
    """The databases the store's tests run on (FRONTDESK_TEST_DATABASE picks one)."""
    chosen = os.environ.get("FRONTDESK_TEST_DATABASE", "").strip().lower()
    if chosen in ("sqlite", "postgresql"):
        return (chosen,)
    return ("sqlite", "postgresql")


STORES = _stores()


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker of tests about SQLite itself (its file, WAL, thread)."""
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked sqlite_only run on SQLite only."""
    kept = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("store_kind") == "postgresql"
        if not (on_postgresql and item.get_closest_marker("sqlite_only")):
            kept.append(item)
    items[:] = kept


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster for the whole run, with a migrated template database."""
    if find_binaries() is None:
        pytest.skip(
            "PostgreSQL is not installed (no initdb/pg_ctl in /usr/local/bin, "
            "/usr/lib/postgresql/*/bin or on PATH): install Debian's postgresql package"
        )
    if os.geteuid() == 0 and not _has_user("postgres"):
        pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
    server = PostgresServer.start()
    try:
        server.psql(f"CREATE DATABASE {TEMPLATE}")
        in_own_loop(_migrate(server.url(TEMPLATE)))
        yield server
    finally:
        server.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


async def _migrate(url: str) -> None:
    async with Database(url):
        pass


def in_own_loop(work: Any) -> None:
    """Run a coroutine to the end in a thread of its own (a test's loop may be running)."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which database this test's store is: "sqlite" or "postgresql"."""
    return str(request.param)


@pytest.fixture
def store_target(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Path | str]:
    """A fresh database: a SQLite file, or a new PostgreSQL database copied from the template."""
    if store_kind == "sqlite":
        yield tmp_path / "frontdesk.sqlite3"
    else:
        yield from _fresh_postgres(request)


def _fresh_postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new database of the session's cluster, dropped after the test."""
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.fresh_database(TEMPLATE)
    try:
        yield server.url(name)
    finally:
        server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def database_settings(database: Path | str) -> dict[str, Any]:
    """The settings that point the bot at a test's database (a file, or an address)."""
    if isinstance(database, Path):
        return {"database_path": database}
    return {"database_url": database}


@pytest.fixture
async def store(store_target: Path | str) -> AsyncIterator[Store]:
    """A fresh database (SQLite, then PostgreSQL) with its repositories, open."""
    opened = Store(Database(store_target))
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
def database(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Path | str]:
    """The bot's database in this test: a SQLite file, or a fresh PostgreSQL database."""
    if store_kind == "sqlite":
        yield tmp_path / "bot.sqlite3"
    else:
        yield from _fresh_postgres(request)


@pytest.fixture
async def bot(api: FakeBotApi, database: Path | str, knowledge: Knowledge) -> AsyncIterator[Any]:
    """The real Application, polling the fake server, with fast retries."""
    from bot.telegram.app import build_application, running
    from tests.test_telegram import FAST_RETRIES, settings_for

    application = build_application(
        settings_for(api, database), knowledge, retry_policy=FAST_RETRIES
    )
    async with running(application, poll_timeout=1):
        yield application
