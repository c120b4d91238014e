"""One database connection each, SQLite or PostgreSQL, running synchronous work in one hop.

Both are opened through SQLAlchemy's async engine in autocommit mode: transactions are begun
and ended by the SQL the store sends (`BEGIN IMMEDIATE` on SQLite, `BEGIN` on PostgreSQL).
Work is a synchronous function given a `Session`; the SQL it runs is written once, with `?`
placeholders, and must be portable (see `postgres_sql`).

On SQLite the work runs on the aiosqlite connection's own thread with the sqlite3 connection
itself (several statements, one hop: the turn's speed); on PostgreSQL it runs through
`AsyncConnection.run_sync` on a SQLAlchemy Connection (asyncpg under it).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, TypeVar, cast

import sqlalchemy
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")


class Row(Protocol):
    """A row read from either database: by column name or position."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> list[str]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Cursor(Protocol):
    """What a statement gives back to synchronous work."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class Session(Protocol):
    """The synchronous connection work is given (a sqlite3 connection is one)."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...


#: Synchronous work on a connection, run in one hop.
Work = Callable[[Session], T]


class Link(Protocol):
    """One open connection that runs synchronous work."""

    dialect: str

    async def run(self, work: Work[T]) -> T:
        """`work(session)` on this connection, in one hop."""
        ...

    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        ...

    async def close(self) -> None:
        """Close the connection."""
        ...


class SqliteLink:
    """A SQLite connection from the engine; work runs on its aiosqlite thread."""

    dialect = "sqlite"

    def __init__(self, connection: AsyncConnection, driver: Any) -> None:
        self.connection = connection
        #: The aiosqlite connection under SQLAlchemy's adapter.
        self.driver = driver

    @classmethod
    async def open(cls, engine: AsyncEngine) -> SqliteLink:
        """A new connection whose rows are `sqlite3.Row`s."""
        connection = await engine.connect()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        link = cls(connection, driver)
        link.sqlite.row_factory = sqlite3.Row
        return link

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (use it on its thread only, through `run`)."""
        return cast(sqlite3.Connection, self.driver._conn)

    async def run(self, work: Work[T]) -> T:
        """`work(sqlite3 connection)` on the connection's thread: several statements, one hop.

        aiosqlite queues every call it makes this way (`_execute`, as `iterdump` and `backup`
        do); the function must not block on anything but SQLite.
        """
        return cast(T, await self.driver._execute(work, self.sqlite))

    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection (not, once it is closed)."""
        try:
            return self.sqlite.in_transaction
        except (sqlite3.Error, ValueError):
            return False

    async def close(self) -> None:
        """Close the connection."""
        await self.connection.close()


@dataclass
class Outcome:
    """What a statement on PostgreSQL gave back, read in full."""

    rows: list[Any] = field(default_factory=list)
    rowcount: int = -1
    lastrowid: int | None = None

    def fetchall(self) -> list[Any]:
        """Every row."""
        return self.rows

    def fetchone(self) -> Any:
        """The first row, or None."""
        return self.rows[0] if self.rows else None


class NamedRow(Sequence[Any]):
    """A row by column name or position, like `sqlite3.Row`."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __repr__(self) -> str:
        return f"NamedRow({dict(zip(self._names, self._values, strict=True))!r})"

    def keys(self) -> list[str]:
        """The column names."""
        return list(self._names)


class PostgresSession:
    """A SQLAlchemy Connection on PostgreSQL behaving as the `Session` work expects."""

    def __init__(self, connection: sqlalchemy.Connection) -> None:
        self.connection = connection

    @property
    def in_transaction(self) -> bool:
        """Whether the server has a transaction open for this connection."""
        driver: Any = self.connection.connection.driver_connection
        return bool(driver.is_in_transaction())

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Outcome:
        """One statement; its rows are read at once."""
        result = self.connection.exec_driver_sql(postgres_sql(sql), tuple(parameters))
        if not result.returns_rows:
            return Outcome(rowcount=result.rowcount)
        names = {name: index for index, name in enumerate(result.keys())}
        rows = [NamedRow(names, tuple(row)) for row in result.fetchall()]
        return Outcome(rows, rowcount=len(rows))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Outcome:
        """The same statement for several rows."""
        batch = [tuple(row) for row in rows]
        if batch:
            self.connection.exec_driver_sql(postgres_sql(sql), batch)
        return Outcome(rowcount=len(batch))


class PostgresLink:
    """A PostgreSQL connection from the engine; one statement or piece of work at a time."""

    dialect = "postgresql"

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._lock = asyncio.Lock()  # asyncpg runs one operation at a time per connection

    @classmethod
    async def open(cls, engine: AsyncEngine) -> PostgresLink:
        """A new connection."""
        return cls(await engine.connect())

    async def run(self, work: Work[T]) -> T:
        """`work(session)` through `run_sync`: several statements, one greenlet.

        If the server dropped the connection (a restart, a failover), this work fails and the
        next gets a new connection from the engine's pool.
        """
        async with self._lock:
            try:
                return await self.connection.run_sync(self._in_session, work)
            except sqlalchemy.exc.DBAPIError as error:
                if error.connection_invalidated or self.connection.invalidated:
                    with contextlib.suppress(sqlalchemy.exc.SQLAlchemyError):
                        await self.connection.rollback()  # lets SQLAlchemy reconnect
                raise

    @staticmethod
    def _in_session(connection: sqlalchemy.Connection, work: Work[T]) -> T:
        return work(PostgresSession(connection))

    def in_transaction(self) -> bool:
        """Whether the server has a transaction open for this connection (no round trip)."""
        sync = self.connection.sync_connection
        try:
            return sync is not None and PostgresSession(sync).in_transaction
        except (sqlalchemy.exc.SQLAlchemyError, AttributeError):  # closed under the caller
            return False

    async def close(self) -> None:
        """Close the connection, after the work under way on it."""
        async with self._lock:
            await self.connection.close()


@lru_cache(maxsize=1024)
def postgres_sql(sql: str) -> str:
    """`?` placeholders as asyncpg's `$1, $2...` (none is inside a quoted string)."""
    parts: list[str] = []
    number = 0
    quoted = False
    for character in sql:
        if character == "'":
            quoted = not quoted
        elif character == "?" and not quoted:
            number += 1
            parts.append(f"${number}")
            continue
        parts.append(character)
    return "".join(parts)
