"""The schema: Alembic's revisions, and databases the old SQL runner made, upgraded in place."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy

from bot.store import Database, NewRequest, Store
from bot.store.migrate import head_revision
from tests.conftest import in_own_loop

LEGACY = Path(__file__).parent / "data" / "legacy_migrations"


def legacy_database(path: Path, up_to: int) -> None:
    """A SQLite file exactly as the old runner left it after migration `up_to`."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for file in sorted(LEGACY.glob("*.sql")):
            number, _, rest = file.name.partition("_")
            if int(number) > up_to:
                break
            connection.executescript(
                f"BEGIN;\n{file.read_text('utf-8')}\nINSERT INTO schema_migrations VALUES "
                f"({int(number)}, '{rest.removesuffix('.sql')}', '2026-01-01T00:00:00+00:00');"
                "\nCOMMIT;"
            )
        connection.execute(
            "INSERT INTO patients (id, external_id, display_name, chat_id, created_at) "
            "VALUES (7, 'telegram:7', 'Ann', 7, '2026-01-01T00:00:00+00:00')"
        )
        connection.execute(
            "INSERT INTO messages (patient_id, direction, text, created_at) "
            "VALUES (7, 'in', 'do you do implants?', '2026-01-01T00:00:00+00:00')"
        )


def columns_of(path: Path) -> dict[str, list[str]]:
    """Each table's columns, in order."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                "('schema_migrations', 'alembic_version', 'sqlite_sequence', 'heartbeat')"
            )
        ]
        return {
            table: [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            for table in sorted(tables)
        }


@pytest.mark.parametrize("up_to", [9, 6, 3])
async def test_a_database_of_the_old_runner_is_stamped_then_upgraded_keeping_its_rows(
    tmp_path: Path, up_to: int
) -> None:
    old = tmp_path / "old.sqlite3"
    legacy_database(old, up_to)
    store = Store(Database(old))
    await store.open()
    try:
        patient = await store.patients.find("telegram:7")
        assert patient is not None and patient.display_name == "Ann"
        assert [m.text for m in await store.conversations.recent_messages(7)] == [
            "do you do implants?"
        ]
        request = await store.bookings.create(7, NewRequest(service="implants"))
        assert request.wished_at == ""  # a column of revision 007
        version = await store.database.fetch_one("SELECT version_num FROM alembic_version")
        assert version is not None and version[0] == head_revision()
    finally:
        await store.close()
    fresh = tmp_path / "fresh.sqlite3"
    async with Database(fresh):
        pass
    assert columns_of(old) == columns_of(fresh)


async def test_opening_an_upgraded_database_again_changes_nothing(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    legacy_database(old, 9)
    for _ in range(2):
        async with Database(old) as database:
            rows = await database.fetch_all("SELECT version_num FROM alembic_version")
            assert [row[0] for row in rows] == [head_revision()]
    with contextlib.closing(sqlite3.connect(old)) as connection:
        assert connection.execute("SELECT COUNT(*) FROM patients").fetchone()[0] == 1


def test_sqlite_and_postgresql_get_the_same_tables_and_columns(
    tmp_path: Path, postgres: object
) -> None:
    from tests.postgres_server import PostgresServer

    assert isinstance(postgres, PostgresServer)
    name = postgres.fresh_database()
    url = postgres.url(name)
    try:
        in_own_loop(_open_and_close(url))
        in_own_loop(_open_and_close(tmp_path / "fresh.sqlite3"))
        engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        with engine.connect() as connection:
            sqlite_tables = _shape(connection)
        engine.dispose()
        listed = postgres.psql(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            name,
        )
        postgres_tables: dict[str, list[str]] = {}
        for line in listed.splitlines():
            table, column = line.split("|")
            if table not in ("alembic_version", "heartbeat"):
                postgres_tables.setdefault(table, []).append(column)
        assert postgres_tables == sqlite_tables
    finally:
        postgres.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def _open_and_close(target: Path | str) -> None:
    async with Database(target):
        pass


def _shape(connection: sqlalchemy.Connection) -> dict[str, list[str]]:
    inspector = sqlalchemy.inspect(connection)
    return {
        table: [column["name"] for column in inspector.get_columns(table)]
        for table in sorted(inspector.get_table_names())
        if table not in ("alembic_version", "heartbeat")
    }
