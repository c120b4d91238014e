"""The schema: Alembic revisions (bot/store/alembic), applied at start, no alembic.ini needed.

Revisions 001 to 009 are the numbered SQL files the store used to apply itself; a SQLite
database made that way (table `schema_migrations`) is stamped at the revision of its last
number, then upgraded like any other. All pending revisions apply in one transaction: a
database is never left half migrated. On PostgreSQL an advisory lock keeps two workers
starting together from migrating at once.
"""

from __future__ import annotations

import asyncio
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

#: Any number, the same in every worker: the key of the lock held while migrating.
MIGRATION_LOCK = 7_140_014


def alembic_folder() -> Path:
    """Where env.py and the revisions are (inside the installed package)."""
    return Path(str(resources.files("bot.store") / "alembic"))


def alembic_config(connection: sqlalchemy.Connection | None = None) -> Config:
    """Alembic's configuration without an ini file, bound to an open connection if given.

    With it, Alembic's own commands work too: `command.upgrade(alembic_config(c), "head")`.
    """
    config = Config()
    config.set_main_option("script_location", str(alembic_folder()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def scripts() -> ScriptDirectory:
    """The revisions, read once per process."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision."""
    head = scripts().get_current_head()
    assert head is not None
    return head


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest revision (recognising the old runner's databases).

    A SQLite file is migrated on a plain sqlite3 connection in a worker thread: many DDL
    statements, none of them hopping to aiosqlite's thread and back.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        await asyncio.to_thread(_upgrade_file, url.set(drivername="sqlite"))
        return
    async with engine.connect() as connection:
        await connection.run_sync(upgrade_on)


def _upgrade_file(url: sqlalchemy.URL) -> None:
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            upgrade_on(connection)
    finally:
        engine.dispose()


def current_revision(connection: sqlalchemy.Connection) -> str | None:
    """The revision a database is at, or None if Alembic never ran on it."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_on(connection: sqlalchemy.Connection) -> None:
    """On a connection in autocommit mode: one transaction for every pending revision."""
    postgresql = connection.dialect.name == "postgresql"
    if not postgresql:  # as the store runs: the file in WAL mode, no fsync per statement
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        connection.exec_driver_sql("PRAGMA busy_timeout=5000")
    connection.exec_driver_sql("BEGIN" if postgresql else "BEGIN IMMEDIATE")
    try:
        if postgresql:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        if current_revision(connection) is None:
            legacy = _legacy_version(connection)
            if legacy is not None:
                _run(connection, f"{legacy:03d}", stamp=True)
        if current_revision(connection) != head_revision():
            _run(connection, "head", stamp=False)
    except BaseException:
        connection.exec_driver_sql("ROLLBACK")
        raise
    connection.exec_driver_sql("COMMIT")


def _run(connection: sqlalchemy.Connection, target: str, stamp: bool) -> None:
    """Upgrade (or only stamp) to `target`, as `alembic upgrade`/`stamp` would, without env.py."""
    script = scripts()

    def steps(revision: Any, context: MigrationContext) -> Any:
        if stamp:
            return script._stamp_revs(target, revision)
        return script._upgrade_revs(target, revision)

    with EnvironmentContext(
        alembic_config(connection), script, fn=steps, destination_rev=target
    ) as environment:
        environment.configure(connection=connection, target_metadata=None)
        with environment.begin_transaction():
            environment.run_migrations()


def _legacy_version(connection: sqlalchemy.Connection) -> int | None:
    """The last number the old migration runner applied, if this database is one of its."""
    if not sqlalchemy.inspect(connection).has_table("schema_migrations"):
        return None
    applied = {
        int(row[0]) for row in connection.exec_driver_sql("SELECT version FROM schema_migrations")
    }
    last = 0
    while last + 1 in applied:
        last += 1
    return last or None
