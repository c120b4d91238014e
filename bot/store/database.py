"""The database: SQLite (WAL, one writer at a time) or PostgreSQL, migrated at start.

A turn of work (`Database.unit_of_work()`) gathers every write made inside it, by any
repository, into one transaction: it begins at the first write and commits at the end, or rolls
back if anything fails. Reads outside a transaction use a second connection, so they never see
another coroutine's uncommitted writes. SQL is written once, with `?` placeholders, portable to
both (see `bot.store.links`); the schema is Alembic's (see `bot.store.migrate`).
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import logging
import os
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool

from bot.store.links import Link, PostgresLink, Row, Session, SqliteLink, Work
from bot.store.migrate import upgrade

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Commits of units of work between checkpoints run beside them, on a connection of their own.
CHECKPOINT_EVERY = 50
#: The PostgreSQL advisory lock key `begin_now` takes (any number, the same in every worker).
DESK_LOCK = 7_140_015
#: How a worker's connections are named on a PostgreSQL server (then its id).
WORKER_PREFIX = "frontdesk "

#: What a failing statement raises, on either database.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, SQLAlchemyError)
#: What opening a database may raise besides.
_OPEN_ERRORS: tuple[type[Exception], ...] = (OSError, *DATABASE_ERRORS)
_CHECKPOINT_ERRORS: tuple[type[Exception], ...] = (ValueError, *DATABASE_ERRORS)

#: Writes to run together: (SQL, its rows of parameters), in order.
Statements = Sequence[tuple[str, Sequence[Sequence[Any]]]]

__all__ = ["DATABASE_ERRORS", "Database", "Row", "Session", "Work", "database_url"]


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def to_db_time(moment: dt.datetime) -> str:
    """A UTC ISO string that sorts correctly as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def from_db_time(text: str) -> dt.datetime:
    """Parse a stored UTC time."""
    return dt.datetime.fromisoformat(text)


def database_url(target: Path | str) -> sqlalchemy.URL:
    """The async engine's URL for a SQLite file or a `sqlite:///` / `postgresql://` address."""
    if isinstance(target, Path) or "://" not in target:
        return sqlalchemy.URL.create("sqlite+aiosqlite", database=str(target))
    url = sqlalchemy.make_url(target)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg")
    raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


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


@dataclass
class Done:
    """A statement's outcome, read on the connection's thread."""

    rowcount: int
    lastrowid: int | None
    rows: list[Row]

    def fetchall(self) -> list[Row]:
        """Every row."""
        return self.rows

    def fetchone(self) -> Row | None:
        """The first row, or None."""
        return self.rows[0] if self.rows else None


class Writer:
    """The writer connection inside a transaction (what `Database.transaction()` yields)."""

    def __init__(self, link: Link) -> None:
        self._link = link

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> Done:
        """One statement; the result has `rowcount`, `lastrowid` (SQLite) and its rows."""
        return await self._link.run(partial(_execute_read, sql, tuple(parameters)))

    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] = ()) -> list[Row]:
        """One statement's rows (a SELECT, or a write ... RETURNING)."""
        return await self._link.run(partial(_fetch_all, sql, tuple(parameters)))


class Database:
    """A writer and a reader connection to one database; writes are serialised in-process.

    On SQLite, every `CHECKPOINT_EVERY` commits, a third connection folds the WAL into the file
    on its own thread, so that work (and its fsync) is not done inside a turn's COMMIT; SQLite's
    automatic checkpoint at 1000 pages stays as the fallback. On PostgreSQL the writer is one
    connection too; other processes on the same database claim rows with `SKIP LOCKED`.
    """

    def __init__(self, target: Path | str) -> None:
        self.url = database_url(target)
        self.dialect = self.url.get_backend_name()
        self.path = Path(self.url.database or "") if self.dialect == "sqlite" else Path()
        self._engine: AsyncEngine | None = None
        self._link: Link | None = None
        self._reader: Link | None = None
        self._checkpointer: SqliteLink | None = None
        self._checkpointing: asyncio.Task[None] | None = None
        self._commits = 0
        self._write_lock = asyncio.Lock()
        self.checkpoint_wanted = False
        #: This process among the workers sharing the database (it marks the rows it holds).
        self.worker = f"{os.getpid()}-{secrets.token_hex(4)}"

    @property
    def link(self) -> Link:
        """The open writer connection."""
        if self._link is None:
            raise sqlite3.OperationalError("database is not open")
        return self._link

    @property
    def connection(self) -> Any:
        """SQLite only: the writer's aiosqlite connection."""
        link = self.link
        if not isinstance(link, SqliteLink):
            raise TypeError("only a SQLite database has an aiosqlite connection")
        return link.driver

    @property
    def in_memory(self) -> bool:
        """Whether this is a private in-memory database (one connection only)."""
        return self.dialect == "sqlite" and str(self.path) in (":memory:", ".")

    @property
    def is_postgresql(self) -> bool:
        """Whether the store is a PostgreSQL server (several workers may share it)."""
        return self.dialect == "postgresql"

    @property
    def skip_locked(self) -> str:
        """What a claiming SELECT ends with: rows another worker holds are passed over.

        SQLite has one writer at a time (`BEGIN IMMEDIATE`), so it needs nothing.
        """
        return " FOR UPDATE SKIP LOCKED" if self.is_postgresql else ""

    @property
    def connected_workers(self) -> str:
        """SQL for the ids of the workers with a connection to this database now (PostgreSQL).

        A worker killed mid-turn loses its connections at once, so its rows show up here as
        held by no one; SQLite has one worker, this process, and needs no such question.
        """
        return (
            f"SELECT substr(application_name, {len(WORKER_PREFIX) + 1}) FROM pg_stat_activity "
            f"WHERE datname = current_database() AND application_name LIKE '{WORKER_PREFIX}%'"
        )

    def json_text(self, column: str, key: str) -> str:
        """SQL for a key of a JSON text column, as text (each database has its own syntax)."""
        if not key.isidentifier() or not column.isidentifier():
            raise ValueError(f"not a plain name: {column!r}, {key!r}")
        if self.is_postgresql:
            return f"(CAST({column} AS JSON) ->> '{key}')"
        return f"CAST(json_extract({column}, '$.{key}') AS TEXT)"

    async def open(self) -> None:
        """Open the database (a SQLite file's folder is created), migrate it, check writes."""
        try:
            if self.dialect == "sqlite" and not self.in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._engine = _engine(self.url, self.worker)
            await upgrade(self._engine)
            if self.dialect == "sqlite":
                await self._open_sqlite(self._engine)
            else:
                self._link = await PostgresLink.open(self._engine)
                self._reader = await PostgresLink.open(self._engine)
            await self._probe_write()
        except _OPEN_ERRORS as error:
            await self.close()
            raise DatabaseUnwritable(f"{self._where}: {_reason(error)}") from error

    @property
    def _where(self) -> str:
        """The file, or the server and database without a password, for messages."""
        if self.dialect == "sqlite":
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    async def _open_sqlite(self, engine: AsyncEngine) -> None:
        writer = await SqliteLink.open(engine)
        self._link = writer
        await writer.run(
            partial(
                _pragmas,
                (
                    "PRAGMA journal_mode=WAL",
                    "PRAGMA foreign_keys=ON",
                    "PRAGMA synchronous=NORMAL",
                    "PRAGMA busy_timeout=5000",
                    # Erased data must not linger in free pages of the file.
                    "PRAGMA secure_delete=ON",
                ),
            )
        )
        if self.in_memory:
            return
        reader = await SqliteLink.open(engine)
        self._reader = reader
        await reader.run(partial(_pragmas, ("PRAGMA query_only=ON", "PRAGMA busy_timeout=5000")))
        self._checkpointer = await SqliteLink.open(engine)

    async def close(self) -> None:
        """Close the connections (after a checkpoint under way)."""
        await self._checkpoint_done()
        for link in (self._checkpointer, self._reader, self._link):
            if link is not None:
                await link.close()
        self._link = None
        self._reader = None
        self._checkpointer = None
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _probe_write(self) -> None:
        """A real write at start, so a read-only file or full disk shows up now, not later."""
        await self.execute(
            "INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
            "at = excluded.at",
            (to_db_time(utc_now()),),
        )

    @property
    def _begin_statement(self) -> str:
        return "BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN"

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
            await self.link.run(partial(_end_transaction, statement))
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
            await self.link.run(partial(_run_one, self._begin_statement))
        except BaseException:
            self._write_lock.release()
            raise
        unit.begun = True

    async def begin_now(self) -> None:
        """Begin this unit of work's transaction before its first read, not at its first write.

        For turns about another chat's patient (staff replies, closing a case, confirming a
        booking) and for an erasure: what they read can then not change under them, e.g. by
        that patient's erasure, before they write. Within a process the one writer makes them
        wait for each other; on PostgreSQL, where other workers write too, they also take one
        lock for the transaction (`pg_advisory_xact_lock`), so such turns run one at a time
        across the workers: two administrators confirming one request on two workers cannot
        both read it open.
        """
        unit = self._unit()
        if unit is None:
            return
        await self._begin(unit)
        if self.is_postgresql:
            await self.link.run(partial(_run_one, f"SELECT pg_advisory_xact_lock({DESK_LOCK})"))

    async def run_writing(self, work: Work[T]) -> T:
        """Run `work` on the writer as one write of this unit of work, in one round trip
        (its first write also begins the transaction there); outside one, atomically."""
        unit = self._unit()
        link = self.link
        if unit is None:
            async with self._write_lock:
                return await link.run(partial(_atomically, self._begin_statement, work))
        if unit.begun:
            return await link.run(work)
        await self._write_lock.acquire()
        try:
            result = await link.run(partial(_begin_then, self._begin_statement, work))
        except asyncio.CancelledError:
            unit.begun = True  # the thread may still begin: the unit's end rolls back if so
            raise
        except BaseException:
            unit.begun = link.in_transaction()
            if not unit.begun:
                self._write_lock.release()
            raise
        unit.begun = True
        return result

    async def execute_statements(self, statements: Statements) -> None:
        """Several writes in order, in one round trip (rows of one SQL run as `executemany`)."""
        if not statements:
            return
        if self._unit() is None and len(statements) == 1 and len(statements[0][1]) == 1:
            # One statement is atomic by itself: no BEGIN and COMMIT round trips around it.
            await self._write(partial(_execute_statements, statements))
            return
        await self.run_writing(partial(_execute_statements, statements))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Writer]:
        """Several writes atomically; inside a unit of work, a savepoint of it."""
        unit = self._unit()
        if unit is not None:
            await self._begin(unit)
            unit.savepoints += 1
            name = f"part{unit.savepoints}"
            link = self.link
            await link.run(partial(_run_one, f"SAVEPOINT {name}"))
            try:
                yield Writer(link)
            except BaseException:
                await link.run(partial(_run_one, f"ROLLBACK TO SAVEPOINT {name}"))
                await link.run(partial(_run_one, f"RELEASE SAVEPOINT {name}"))
                raise
            else:
                await link.run(partial(_run_one, f"RELEASE SAVEPOINT {name}"))
            return
        async with self._write_lock:
            link = self.link
            await link.run(partial(_run_one, self._begin_statement))
            try:
                yield Writer(link)
            except BaseException:
                await link.run(partial(_end_transaction, "ROLLBACK"))
                raise
            else:
                await link.run(partial(_end_transaction, "COMMIT"))

    async def _write(self, work: Work[T]) -> T:
        """One statement's work on the writer: in this unit's transaction, or on its own."""
        unit = self._unit()
        if unit is not None:
            await self._begin(unit)
            return await self.link.run(work)
        async with self._write_lock:
            return await self.link.run(work)

    def _read_link(self) -> Link:
        unit = self._unit()
        if (unit is not None and unit.begun) or self._reader is None:
            return self.link
        return self._reader

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write; returns the last row id on SQLite (use `insert` for an id on both)."""
        cursor = await self._write(partial(_execute_read, sql, tuple(parameters)))
        return int(cursor.lastrowid or 0)

    async def insert(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One INSERT into a table with an `id`; returns the new row's id (on both databases)."""
        rows = await self._write(partial(_fetch_all, f"{sql} RETURNING id", tuple(parameters)))
        return int(rows[0][0])

    async def claim(self, sql: str, parameters: Iterable[Any] = ()) -> bool:
        """Inside a unit of work, hold the rows a SELECT finds until it ends; False if none.

        On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`: a row another worker holds
        counts as not found, so two workers never take the same one. SQLite has one writer at
        a time and this process is it: nothing to ask (the unit's conditional writes decide).
        """
        if not self.is_postgresql:
            return True
        return bool(await self.claim_rows(sql, parameters))

    async def claim_rows(self, sql: str, parameters: Iterable[Any] = ()) -> list[Row]:
        """`claim` that gives the rows it holds (PostgreSQL: rows others hold are left out)."""
        return await self._write(partial(_fetch_all, sql + self.skip_locked, tuple(parameters)))

    async def execute_counting(self, sql: str, parameters: Iterable[Any] = ()) -> int:
        """One write; returns how many rows it changed."""
        cursor = await self._write(partial(_execute_read, sql, tuple(parameters)))
        return int(cursor.rowcount)

    async def fetch_written(self, sql: str, parameters: Iterable[Any] = ()) -> Row:
        """One write that returns its row (INSERT ... RETURNING)."""
        rows = await self._write(partial(_fetch_all, sql, tuple(parameters)))
        for row in rows:
            return row
        raise RuntimeError("the statement returned no row")

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        """The same write for several rows, in one call."""
        batch = [tuple(row) for row in rows]
        await self._write(partial(_execute_many, sql, batch))

    async def fetch_all(self, sql: str, parameters: Iterable[Any] = ()) -> list[Row]:
        """Rows of a query (committed data, or this unit of work's own writes)."""
        return await self._read_link().run(partial(_fetch_all, sql, tuple(parameters)))

    async def fetch_one(self, sql: str, parameters: Iterable[Any] = ()) -> Row | None:
        """The first row of a query, or None (one round trip)."""
        for row in await self.fetch_all(sql, parameters):
            return row
        return None

    async def checkpoint(self) -> None:
        """SQLite: fold the WAL into the main file and empty it (after erasing a patient)."""
        self.checkpoint_wanted = False
        if self.dialect != "sqlite":
            return
        async with self._write_lock:
            await self._checkpoint_done()  # one checkpointer at a time, or this one is skipped
            await self.link.run(partial(_run_one, "PRAGMA wal_checkpoint(TRUNCATE)"))


def _engine(url: sqlalchemy.URL, worker: str) -> AsyncEngine:
    """An engine whose connections leave transactions to the SQL the store sends."""
    if url.get_backend_name() == "sqlite":
        # Each connection is the store's own, for as long as it is open: no pool (in memory,
        # one connection that migrations and the writer share).
        pool = StaticPool if url.database in (None, "", ":memory:") else NullPool
        return create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool)
    return create_async_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_size=3,
        pool_pre_ping=True,
        # Shown in pg_stat_activity: the clinic's IT sees the workers, and a worker sees
        # which others are still connected (see `connected_workers`).
        connect_args={"server_settings": {"application_name": WORKER_PREFIX + worker}},
    )


def _reason(error: BaseException) -> str:
    """An error's first line, without SQLAlchemy's long tail (SQL, parameters, links)."""
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__


async def _checkpoint_passively(link: SqliteLink) -> None:
    """Copy what the WAL holds into the file without waiting for anyone (maintenance only)."""
    try:
        await link.run(partial(_run_one, "PRAGMA wal_checkpoint(PASSIVE)"))
    except _CHECKPOINT_ERRORS as error:  # ValueError: the connection was closed
        log.warning("background checkpoint failed: %s", type(error).__name__)


def _pragmas(pragmas: Sequence[str], connection: Session) -> None:
    for pragma in pragmas:
        connection.execute(pragma)


def _run_one(sql: str, connection: Session) -> None:
    connection.execute(sql)


def _execute_read(sql: str, parameters: tuple[Any, ...], connection: Session) -> Done:
    """One statement; the cursor comes back with its rows still to read on SQLite."""
    cursor = connection.execute(sql, parameters)
    return Done(int(cursor.rowcount), cursor.lastrowid, list(cursor.fetchall()))


def _fetch_all(sql: str, parameters: tuple[Any, ...], connection: Session) -> list[Row]:
    return list(connection.execute(sql, parameters).fetchall())


def _execute_many(sql: str, rows: list[tuple[Any, ...]], connection: Session) -> None:
    if len(rows) == 1:
        connection.execute(sql, rows[0])
    elif rows:
        connection.executemany(sql, rows)


def _begin_then(begin: str, work: Work[T], connection: Session) -> T:
    """Begin, then the work (on the connection's thread)."""
    connection.execute(begin)
    return work(connection)


def _atomically(begin: str, work: Work[T], connection: Session) -> T:
    """The work in a transaction of its own (on the connection's thread)."""
    connection.execute(begin)
    try:
        result = work(connection)
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result


def _end_transaction(statement: str, connection: Session) -> None:
    """COMMIT (rolling back if it fails) or ROLLBACK, if a transaction is open, on the thread."""
    if statement == "ROLLBACK" and not connection.in_transaction:
        return
    try:
        connection.execute(statement)
    except DATABASE_ERRORS:
        if statement == "COMMIT" and connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _execute_statements(statements: Statements, connection: Session) -> None:
    """Each SQL with its rows, in order (on the connection's thread)."""
    for sql, rows in statements:
        if len(rows) == 1:
            connection.execute(sql, tuple(rows[0]))
        else:
            connection.executemany(sql, [tuple(row) for row in rows])
