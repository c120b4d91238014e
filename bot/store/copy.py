"""`frontdesk migrate-db`: copy a SQLite database into an empty PostgreSQL one.

The target's schema comes from Alembic (opening it migrates it); the rows are copied table by
table, parents before children, in one transaction (all or nothing); then each table's id
sequence continues after the highest id copied, or after the highest SQLite ever handed out
(AUTOINCREMENT tables never reuse a number, and neither may the copy).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import sqlalchemy

from bot.store.database import Database
from bot.store.links import PostgresSession, Session

log = logging.getLogger(__name__)

#: Tables that are the store's own bookkeeping, not data to copy.
NOT_COPIED = frozenset({"alembic_version", "heartbeat", "schema_migrations", "sqlite_sequence"})
#: Rows sent to the server per statement.
BATCH = 1000


class CopyRefused(RuntimeError):
    """The copy cannot be made (the source is not SQLite, the target is not empty...)."""


@dataclass(frozen=True)
class TableCopy:
    """How many rows of a table were copied."""

    table: str
    rows: int


async def copy_sqlite_to_postgresql(source: Path, target_url: str) -> list[TableCopy]:
    """Copy every row of the SQLite file into the (empty) PostgreSQL database at the URL."""
    if not await asyncio.to_thread(source.exists):
        raise CopyRefused(f"there is no SQLite database at {source}")
    target = Database(target_url)
    if not target.is_postgresql:
        raise CopyRefused("--to must be a postgresql:// address")
    async with Database(source) as sqlite, target:
        tables = await target.link.run(_tables_in_order)
        filled = await target.link.run(partial(_filled_tables, tables))
        if filled:
            raise CopyRefused(
                f"the PostgreSQL database is not empty ({', '.join(filled)} hold rows): "
                "copy into a new database"
            )
        highest = await _sqlite_sequences(sqlite)
        copied = []
        async with target.unit_of_work():
            for table, columns in tables:
                rows = await _read(sqlite, table, columns)
                for start in range(0, len(rows), BATCH):
                    await target.execute_statements(
                        [(_insert(table, columns), rows[start : start + BATCH])]
                    )
                if "id" in columns:
                    await target.run_writing(
                        partial(_continue_sequence, table, highest.get(table, 0))
                    )
                copied.append(TableCopy(table, len(rows)))
                log.info("copied table=%s rows=%s", table, len(rows))
    return copied


async def _sqlite_sequences(sqlite: Database) -> dict[str, int]:
    """The highest id SQLite ever handed out in each AUTOINCREMENT table."""
    if await sqlite.fetch_one("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"):
        rows = await sqlite.fetch_all("SELECT name, seq FROM sqlite_sequence")
        return {str(row["name"]): int(row["seq"]) for row in rows}
    return {}


def _tables_in_order(session: Session) -> list[tuple[str, list[str]]]:
    """The target's tables, parents before children, each with its columns in order."""
    assert isinstance(session, PostgresSession)
    metadata = sqlalchemy.MetaData()
    metadata.reflect(session.connection)
    return [
        (table.name, [column.name for column in table.columns])
        for table in metadata.sorted_tables
        if table.name not in NOT_COPIED
    ]


def _filled_tables(tables: list[tuple[str, list[str]]], session: Session) -> list[str]:
    """The tables that already hold a row."""
    return [
        table
        for table, _ in tables
        if session.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()  # noqa: S608
    ]


async def _read(sqlite: Database, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    """Every row of a SQLite table, by id where it has one (a revision before its revert)."""
    order = " ORDER BY id" if "id" in columns else ""
    names = ", ".join(columns)
    rows = await sqlite.fetch_all(f"SELECT {names} FROM {table}{order}")  # noqa: S608
    return [tuple(row) for row in rows]


def _insert(table: str, columns: list[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


def _continue_sequence(table: str, sqlite_highest: int, session: Session) -> None:
    """The table's id sequence goes on after every id copied and every id SQLite handed out."""
    (row,) = session.execute(
        "SELECT pg_get_serial_sequence(?, 'id') AS sequence, COALESCE(MAX(id), 0) AS top "
        f"FROM {table}",  # noqa: S608
        (table,),
    ).fetchall()
    if row["sequence"] is None:
        return
    top = max(int(row["top"]), sqlite_highest)
    if top > 0:
        session.execute(
            "SELECT setval(CAST(CAST(? AS TEXT) AS REGCLASS), CAST(? AS BIGINT))",
            (row["sequence"], top),
        )
