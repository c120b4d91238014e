"""The SQLite connection: WAL, numbered migrations at start, one writer at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def to_db_time(moment: dt.datetime) -> str:
    """A UTC ISO string that sorts correctly as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def from_db_time(text: str) -> dt.datetime:
    """Parse a stored UTC time."""
    return dt.datetime.fromisoformat(text)


class Database:
    """One aiosqlite connection shared by the whole bot; writes go through `transaction()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def connection(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def open(self) -> None:
        """Open the file (creating its folder), switch to WAL and apply pending migrations."""
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = await aiosqlite.connect(self.path, isolation_level=None)
        self._connection.row_factory = aiosqlite.Row
        await self._connection.execute("PRAGMA journal_mode=WAL")
        await self._connection.execute("PRAGMA foreign_keys=ON")
        await self._connection.execute("PRAGMA synchronous=NORMAL")
        await self._connection.execute("PRAGMA busy_timeout=5000")
        await self._migrate()

    async def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _migrate(self) -> None:
        connection = self.connection
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {
            row[0]
            for row in await connection.execute_fetchall("SELECT version FROM schema_migrations")
        }
        for version, name, sql in migrations():
            if version in applied:
                continue
            await connection.executescript(
                f"BEGIN;\n{sql}\nINSERT INTO schema_migrations VALUES "
                f"({version}, '{name}', '{to_db_time(utc_now())}');\nCOMMIT;"
            )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run several writes atomically; one writer at a time."""
        async with self._write_lock:
            connection = self.connection
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            else:
                await connection.execute("COMMIT")

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write on its own; returns the last row id."""
        async with self._write_lock:
            cursor = await self.connection.execute(sql, tuple(parameters))
            return cursor.lastrowid or 0

    async def execute_counting(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write on its own; returns how many rows it changed."""
        async with self._write_lock:
            cursor = await self.connection.execute(sql, tuple(parameters))
            return cursor.rowcount

    async def fetch_written(self, sql: str, parameters: Iterable[Any] = ()) -> aiosqlite.Row:
        """One write that returns its row (INSERT ... RETURNING)."""
        async with self._write_lock:
            rows = await self.connection.execute_fetchall(sql, tuple(parameters))
        for row in rows:
            return row
        raise RuntimeError("the statement returned no row")

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        """The same write for several rows, in one call."""
        async with self._write_lock:
            await self.connection.executemany(sql, [tuple(row) for row in rows])

    async def fetch_all(self, sql: str, parameters: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Rows of a query."""
        return list(await self.connection.execute_fetchall(sql, tuple(parameters)))

    async def fetch_one(self, sql: str, parameters: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None (one round trip to the database thread)."""
        for row in await self.connection.execute_fetchall(sql, tuple(parameters)):
            return row
        return None


def migrations() -> list[tuple[int, str, str]]:
    """The numbered SQL files in store/migrations, in order."""
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)
