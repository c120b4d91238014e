"""`frontdesk migrate-db --to postgresql://...`: a SQLite database copied into PostgreSQL."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Database, NewRequest, Store
from tests.conftest import in_own_loop
from tests.postgres_server import PostgresServer
from tests.test_cli import frontdesk


@pytest.fixture
def empty_postgresql(postgres: PostgresServer) -> Iterator[str]:
    """The address of a new, empty PostgreSQL database (no schema yet)."""
    name = postgres.fresh_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def _fill(path: Path) -> None:
    """Patients, a turn's rows, a request and an appointment; an erased patient's request
    number stays used (AUTOINCREMENT)."""
    store = Store(Database(path))
    await store.open()
    try:
        kept = await store.patients.get_or_create("telegram:1", "Ann", 1)
        erased = await store.patients.get_or_create("telegram:2", "Bo", 2)
        for _ in range(3):
            await store.bookings.create(kept.id, NewRequest(service="implants"))
        last = await store.bookings.create(erased.id, NewRequest(service="crowns"))
        await store.database.execute("DELETE FROM booking_requests WHERE id = ?", (last.id,))
        await store.cases.open_case(kept.id, "human")
        await store.contact.grant(kept.id, "appointment", "telegram", "yes")
        await store.erase_patient(erased.id)
    finally:
        await store.close()


def _counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                "('alembic_version', 'heartbeat', 'sqlite_sequence', 'schema_migrations')"
            )
        ]
        return {
            table: int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in tables
        }


async def _check_copy(url: str, counts: dict[str, int]) -> None:
    store = Store(Database(url))
    await store.open()
    try:
        for table, expected in counts.items():
            row = await store.database.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
            assert row is not None and int(row["n"]) == expected, table
        patient = await store.patients.find("telegram:1")
        assert patient is not None and patient.display_name == "Ann"
        assert await store.patients.find("telegram:2") is None
        # Numbers go on after the highest SQLite handed out, even one whose row is gone.
        request = await store.bookings.create(patient.id, NewRequest(service="whitening"))
        assert request.id == 5
        async with store.unit_of_work():
            other = await store.patients.get_or_create("telegram:3", "Cy", 3)
        assert other.id == 3
        assert await store.contact.has_consent(patient.id, "appointment")
    finally:
        await store.close()


def test_migrate_db_copies_the_sqlite_database_into_postgresql(
    tmp_path: Path, empty_postgresql: str
) -> None:
    source = tmp_path / "clinic.sqlite3"
    env = {"DATABASE_PATH": str(source)}
    chat = frontdesk("chat", stdin="how much is a crown?\nthanks\n", env=env, cwd=tmp_path)
    assert chat.returncode == 0, chat.stderr
    in_own_loop(_fill(source))
    counts = _counts(source)
    assert counts["messages"] > 0 and counts["booking_requests"] == 3

    done = frontdesk("migrate-db", "--to", empty_postgresql, env=env, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "booking_requests: 3 row(s)" in done.stdout
    in_own_loop(_check_copy(empty_postgresql, counts))
    assert _counts(source) == counts  # the SQLite file is left as it was


def test_migrate_db_refuses_a_postgresql_database_that_already_holds_rows(
    tmp_path: Path, empty_postgresql: str
) -> None:
    source = tmp_path / "clinic.sqlite3"
    in_own_loop(_fill(source))
    env = {"DATABASE_PATH": str(source)}
    assert frontdesk("migrate-db", "--to", empty_postgresql, env=env, cwd=tmp_path).returncode == 0

    again = frontdesk("migrate-db", "--to", empty_postgresql, env=env, cwd=tmp_path)

    assert again.returncode == 1
    assert "not empty" in again.stderr and "Traceback" not in again.stderr


def test_migrate_db_needs_a_postgresql_address(tmp_path: Path) -> None:
    source = tmp_path / "clinic.sqlite3"
    in_own_loop(_fill(source))
    done = frontdesk(
        "migrate-db", "--to", "sqlite:///x.sqlite3", env={"DATABASE_PATH": str(source)}
    )
    assert done.returncode == 1 and "postgresql://" in done.stderr
