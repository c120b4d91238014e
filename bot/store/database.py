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
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Commits of units of work between checkpoints run beside them, on a connection of their own.
CHECKPOINT_EVERY = 50

#: Synchronous work on a connection, run on that connection's own thread.
Work = Callable[[sqlite3.Connection], T]

#: Writes to run together: (SQL, its rows of parameters), in order.
Statements = Sequence[tuple[str, Sequence[Sequence[Any]]]]


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


class Connection(aiosqlite.Connection):
    """An aiosqlite connection that can also run a synchronous function on its thread."""

    async def run(self, work: Work[T]) -> T:
        """`work(sqlite3 connection)` on the connection's thread: several statements, one hop.

        aiosqlite queues every call it makes this way (`_execute`, as `iterdump` and `backup`
        do); the function must not block on anything but SQLite.
        """
        return cast(T, await self._execute(work, self._conn))  # type: ignore[no-untyped-call]


async def connect(path: Path) -> Connection:
    """Open a connection (autocommit: transactions are begun explicitly) with its thread."""
    connection = Connection(partial(sqlite3.connect, str(path), isolation_level=None), 64)
    await connection
    return connection


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
    """A writer and a reader connection to one SQLite file; writes are serialised.

    Every `CHECKPOINT_EVERY` commits, a third connection folds the WAL into the file on its own
    thread, so that work (and its fsync) is not done inside a turn's COMMIT; SQLite's automatic
    checkpoint at 1000 pages stays as the fallback.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: Connection | None = None
        self._reader: Connection | None = None
        self._checkpointer: Connection | None = None
        self._checkpointing: asyncio.Task[None] | None = None
        self._commits = 0
        self._write_lock = asyncio.Lock()
        self.checkpoint_wanted = False

    @property
    def connection(self) -> Connection:
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
            self._connection = await connect(self.path)
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
            self._reader = await connect(self.path)
            self._reader.row_factory = aiosqlite.Row
            await self._reader.execute("PRAGMA query_only=ON")
            await self._reader.execute("PRAGMA busy_timeout=5000")
            self._checkpointer = await connect(self.path)

    async def close(self) -> None:
        """Close the connections (after a checkpoint under way)."""
        await self._checkpoint_done()
        for connection in (self._checkpointer, self._reader, self._connection):
            if connection is not None:
                await connection.close()
        self._connection = None
        self._reader = None
        self._checkpointer = None

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
            await self.connection.run(partial(_end_transaction, statement))
            if statement == "COMMIT":
                self._committed()
        finally:
            self._write_lock.release()

    def _committed(self) -> None:
        """Count a commit; every so often, start a checkpoint beside the turns."""
        self._commits += 1
        running = self._checkpointing is not None and not self._checkpointing.done()
        if self._commits < CHECKPOINT_EVERY or running or self._checkpointer is None:
            return
        self._commits = 0
        self._checkpointing = asyncio.create_task(_checkpoint_passively(self._checkpointer))

    async def _checkpoint_done(self) -> None:
        """Wait for a checkpoint started beside the turns, if one is under way."""
        task, self._checkpointing = self._checkpointing, None
        if task is not None and not task.done():
            await asyncio.wait([task])

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

    async def run_writing(self, work: Work[T]) -> T:
        """Run `work` on the writer's thread as one write of this unit of work, in one round trip
        (its first write also begins the transaction there); outside one, atomically."""
        unit = self._unit()
        if unit is None:
            async with self._write_lock:
                return await self.connection.run(partial(_atomically, work))
        if unit.begun:
            return await self.connection.run(work)
        await self._write_lock.acquire()
        try:
            result = await self.connection.run(partial(_begin_then, work))
        except asyncio.CancelledError:
            unit.begun = True  # the thread may still begin: the unit's end rolls back if so
            raise
        except BaseException:
            unit.begun = self.connection.in_transaction
            if not unit.begun:
                self._write_lock.release()
            raise
        unit.begun = True
        return result

    async def execute_statements(self, statements: Statements) -> None:
        """Several writes in order, in one round trip (rows of one SQL run as `executemany`)."""
        if statements:
            await self.run_writing(partial(_execute_statements, statements))

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
            await self._checkpoint_done()  # one checkpointer at a time, or this one is skipped
            await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def _checkpoint_passively(connection: Connection) -> None:
    """Copy what the WAL holds into the file without waiting for anyone (maintenance only)."""
    try:
        await connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except (aiosqlite.Error, ValueError) as error:  # ValueError: the connection was closed
        log.warning("background checkpoint failed: %s", type(error).__name__)


def _begin_then(work: Work[T], connection: sqlite3.Connection) -> T:
    """BEGIN IMMEDIATE, then the work (on the connection's thread)."""
    connection.execute("BEGIN IMMEDIATE")
    return work(connection)


def _atomically(work: Work[T], connection: sqlite3.Connection) -> T:
    """The work in a transaction of its own (on the connection's thread)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result


def _end_transaction(statement: str, connection: sqlite3.Connection) -> None:
    """COMMIT (rolling back if it fails) or ROLLBACK, if a transaction is open, on the thread."""
    if statement == "ROLLBACK" and not connection.in_transaction:
        return
    try:
        connection.execute(statement)
    except sqlite3.Error:
        if statement == "COMMIT" and connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _execute_statements(statements: Statements, connection: sqlite3.Connection) -> None:
    """Each SQL with its rows, in order (on the connection's thread)."""
    for sql, rows in statements:
        if len(rows) == 1:
            connection.execute(sql, tuple(rows[0]))
        else:
            connection.executemany(sql, [tuple(row) for row in rows])


def migrations() -> list[tuple[int, str, str]]:
    """The numbered SQL files in store/migrations, in order."""
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)
