"""The SQLite connection: WAL, numbered migrations at start, one writer at a time.

A turn of work (`Database.unit_of_work()`) gathers every write made inside it, by any
repository, into one transaction: it begins at the first write and commits at the end, or rolls
back if anything fails. Reads outside a transaction use a second, read-only connection, so they
never see another coroutine's uncommitted writes.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
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


class DatabaseUnwritable(RuntimeError):
    """The database file cannot be written (read-only, full disk, wrong permissions)."""


@dataclass
class _Unit:
    """The transaction of one unit of work; it begins lazily, at the first write."""

    database: Database
    begun: bool = False
    savepoints: int = 0


_current_unit: contextvars.ContextVar[_Unit | None] = contextvars.ContextVar(
    "frontdesk_unit_of_work", default=None
)


class Database:
    """A writer and a reader connection to one SQLite file; writes are serialised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self.checkpoint_wanted = False

    @property
    def connection(self) -> aiosqlite.Connection:
        """The open writer connection."""
        if self._connection is None:
            raise sqlite3.OperationalError("database is not open")
        return self._connection

    @property
    def in_memory(self) -> bool:
        """Whether this is a private in-memory database (one connection only)."""
        return str(self.path) == ":memory:"

    async def open(self) -> None:
        """Open the file (creating its folder), switch to WAL, apply migrations, check writes."""
        try:
            if not self.in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, aiosqlite.Error) as error:
            raise DatabaseUnwritable(f"{self.path}: {error}") from error
        self._connection.row_factory = aiosqlite.Row
        try:
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA busy_timeout=5000",
                # Erased data must not linger in free pages of the file.
                "PRAGMA secure_delete=ON",
            ):
                await self._connection.execute(pragma)
            await self._migrate()
            await self._probe_write()
        except aiosqlite.Error as error:
            await self.close()
            raise DatabaseUnwritable(f"{self.path}: {error}") from error
        if not self.in_memory:
            self._reader = await aiosqlite.connect(self.path, isolation_level=None)
            self._reader.row_factory = aiosqlite.Row
            await self._reader.execute("PRAGMA query_only=ON")
            await self._reader.execute("PRAGMA busy_timeout=5000")

    async def close(self) -> None:
        """Close both connections."""
        for connection in (self._reader, self._connection):
            if connection is not None:
                await connection.close()
        self._connection = None
        self._reader = None

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

    async def _probe_write(self) -> None:
        """A real write at start, so a read-only file or full disk shows up now, not later."""
        await self.connection.execute(
            "CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL)"
        )
        await self.connection.execute(
            "INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, ?)", (to_db_time(utc_now()),)
        )

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """Every write inside commits together at the end, or none does."""
        outer = _current_unit.get()
        if outer is not None and outer.database is self:
            yield
            return
        unit = _Unit(self)
        token = _current_unit.set(unit)
        try:
            yield
        except BaseException:
            if unit.begun:
                await self._finish(unit, "ROLLBACK")
            raise
        else:
            if unit.begun:
                await self._finish(unit, "COMMIT")
        finally:
            _current_unit.reset(token)

    async def _finish(self, unit: _Unit, statement: str) -> None:
        unit.begun = False
        try:
            await self.connection.execute(statement)
        except aiosqlite.Error:
            if statement == "COMMIT":
                await self.connection.execute("ROLLBACK")
            raise
        finally:
            self._write_lock.release()

    def _unit(self) -> _Unit | None:
        unit = _current_unit.get()
        return unit if unit is not None and unit.database is self else None

    async def _begin(self, unit: _Unit) -> None:
        if unit.begun:
            return
        await self._write_lock.acquire()
        try:
            await self.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._write_lock.release()
            raise
        unit.begun = True

    async def begin_now(self) -> None:
        """Begin this unit of work's transaction before its first read, not at its first write.

        For turns about another chat's patient (staff replies, closing a case): what they read
        can then not change under them, e.g. by that patient's erasure, before they write.
        """
        unit = self._unit()
        if unit is not None:
            await self._begin(unit)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Several writes atomically; inside a unit of work, a savepoint of it."""
        unit = self._unit()
        if unit is not None:
            await self._begin(unit)
            unit.savepoints += 1
            name = f"part{unit.savepoints}"
            connection = self.connection
            await connection.execute(f"SAVEPOINT {name}")
            try:
                yield connection
            except BaseException:
                await connection.execute(f"ROLLBACK TO {name}")
                await connection.execute(f"RELEASE {name}")
                raise
            else:
                await connection.execute(f"RELEASE {name}")
            return
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

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[aiosqlite.Connection]:
        unit = self._unit()
        if unit is not None:
            await self._begin(unit)
            yield self.connection
            return
        async with self._write_lock:
            yield self.connection

    def _read_connection(self) -> aiosqlite.Connection:
        unit = self._unit()
        if (unit is not None and unit.begun) or self._reader is None:
            return self.connection
        return self._reader

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write; returns the last row id."""
        async with self._writer() as connection:
            cursor = await connection.execute(sql, tuple(parameters))
            return cursor.lastrowid or 0

    async def execute_counting(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write; returns how many rows it changed."""
        async with self._writer() as connection:
            cursor = await connection.execute(sql, tuple(parameters))
            return cursor.rowcount

    async def fetch_written(self, sql: str, parameters: Iterable[Any] = ()) -> aiosqlite.Row:
        """One write that returns its row (INSERT ... RETURNING)."""
        async with self._writer() as connection:
            rows = await connection.execute_fetchall(sql, tuple(parameters))
        for row in rows:
            return row
        raise RuntimeError("the statement returned no row")

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        """The same write for several rows, in one call."""
        async with self._writer() as connection:
            await connection.executemany(sql, [tuple(row) for row in rows])

    async def fetch_all(self, sql: str, parameters: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Rows of a query (committed data, or this unit of work's own writes)."""
        return list(await self._read_connection().execute_fetchall(sql, tuple(parameters)))

    async def fetch_one(self, sql: str, parameters: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None (one round trip to the database thread)."""
        for row in await self._read_connection().execute_fetchall(sql, tuple(parameters)):
            return row
        return None

    async def checkpoint(self) -> None:
        """Fold the WAL into the main file and empty it (after erasing a patient)."""
        self.checkpoint_wanted = False
        async with self._write_lock:
            await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def migrations() -> list[tuple[int, str, str]]:
    """The numbered SQL files in store/migrations, in order."""
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)
