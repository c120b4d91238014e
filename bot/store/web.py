"""The managers' web page in SQLite: one-time sign-in links, sessions, data file revisions."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from bot.store.database import Database, Row, from_db_time, to_db_time, utc_now

#: How long a sign-in link works, and how long a session lasts without a request.
LINK_LIFETIME = dt.timedelta(minutes=10)
SESSION_IDLE_LIMIT = dt.timedelta(hours=8)
#: A session's last-seen time is written at most this often (not on every page view).
TOUCH_EVERY = dt.timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    """The SHA-256 of a link token or session id: the only form in which either is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Revision:
    """One saved change of a data file, with what it replaced."""

    id: int
    at: dt.datetime
    manager_id: int
    file: str
    diff: str
    previous_content: str
    new_content: str
    reverts: int | None


class WebRepository:
    """Sign-in links, sessions and revisions of the data files."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def add_sign_in_link(
        self, token: str, manager_id: int, now: dt.datetime | None = None
    ) -> None:
        """Remember a new link's token (hashed) for ten minutes."""
        now = now or utc_now()
        await self.database.execute(
            "INSERT INTO web_sign_in_links (token_hash, manager_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (secret_hash(token), manager_id, to_db_time(now), to_db_time(now + LINK_LIFETIME)),
        )

    async def use_sign_in_link(self, token: str, now: dt.datetime | None = None) -> int | None:
        """Spend a link: its manager's id if it is unused and unexpired, else None."""
        at = to_db_time(now or utc_now())
        async with self.database.transaction() as connection:
            rows = list(
                await connection.execute_fetchall(
                    "UPDATE web_sign_in_links SET used_at = ? WHERE token_hash = ? "
                    "AND used_at IS NULL AND expires_at > ? RETURNING manager_id",
                    (at, secret_hash(token), at),
                )
            )
        return int(rows[0][0]) if rows else None

    async def start_session(
        self, session_id: str, manager_id: int, now: dt.datetime | None = None
    ) -> None:
        """Remember a signed-in browser (by its session id's hash)."""
        at = to_db_time(now or utc_now())
        await self.database.execute(
            "INSERT INTO web_sessions (session_hash, manager_id, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?)",
            (secret_hash(session_id), manager_id, at, at),
        )

    async def session_manager(self, session_id: str, now: dt.datetime | None = None) -> int | None:
        """The manager of a live session, keeping it alive; None if unknown or idle too long."""
        now = now or utc_now()
        hashed = secret_hash(session_id)
        row = await self.database.fetch_one(
            "SELECT manager_id, last_seen_at FROM web_sessions WHERE session_hash = ?", (hashed,)
        )
        if row is None:
            return None
        last_seen = from_db_time(row["last_seen_at"])
        if now - last_seen > SESSION_IDLE_LIMIT:
            await self.database.execute(
                "DELETE FROM web_sessions WHERE session_hash = ?", (hashed,)
            )
            return None
        if now - last_seen >= TOUCH_EVERY:
            await self.database.execute(
                "UPDATE web_sessions SET last_seen_at = ? WHERE session_hash = ?",
                (to_db_time(now), hashed),
            )
        return int(row["manager_id"])

    async def end_session(self, session_id: str) -> None:
        """Sign a browser out."""
        await self.database.execute(
            "DELETE FROM web_sessions WHERE session_hash = ?", (secret_hash(session_id),)
        )

    async def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Drop spent or expired links and idle sessions; returns how many rows went."""
        now = now or utc_now()
        links = await self.database.execute_counting(
            "DELETE FROM web_sign_in_links WHERE used_at IS NOT NULL OR expires_at <= ?",
            (to_db_time(now),),
        )
        sessions = await self.database.execute_counting(
            "DELETE FROM web_sessions WHERE last_seen_at < ?",
            (to_db_time(now - SESSION_IDLE_LIMIT),),
        )
        return links + sessions

    async def add_revision(
        self,
        manager_id: int,
        file: str,
        diff: str,
        previous_content: str,
        new_content: str,
        reverts: int | None = None,
    ) -> int:
        """Record a saved change; returns its number."""
        return await self.database.insert(
            "INSERT INTO data_revisions (at, manager_id, file, diff, previous_content, "
            "new_content, reverts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                to_db_time(utc_now()),
                manager_id,
                file,
                diff,
                previous_content,
                new_content,
                reverts,
            ),
        )

    async def revisions(self, limit: int = 50) -> list[Revision]:
        """The newest revisions first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM data_revisions ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_revision(row) for row in rows]

    async def revision(self, revision_id: int) -> Revision | None:
        """One revision, or None."""
        row = await self.database.fetch_one(
            "SELECT * FROM data_revisions WHERE id = ?", (revision_id,)
        )
        return None if row is None else _revision(row)


def _revision(row: Row) -> Revision:
    return Revision(
        id=int(row["id"]),
        at=from_db_time(row["at"]),
        manager_id=int(row["manager_id"]),
        file=str(row["file"]),
        diff=str(row["diff"]),
        previous_content=str(row["previous_content"]),
        new_content=str(row["new_content"]),
        reverts=None if row["reverts"] is None else int(row["reverts"]),
    )
