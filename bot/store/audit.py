"""The audit log: who did what and when, with ids only."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database, to_db_time, utc_now


class AuditLog:
    """Appends audit lines; never message text."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(self, actor: str, action: str, subject: str | None = None) -> None:
        """Append one line."""
        await self.database.execute(
            "INSERT INTO audit_log (at, actor, action, subject) VALUES (?, ?, ?, ?)",
            (to_db_time(utc_now()), actor, action, subject),
        )

    async def lines(self, limit: int = 50) -> list[tuple[str, str, str, str | None]]:
        """The newest lines first."""
        rows = await self.database.fetch_all(
            "SELECT at, actor, action, subject FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [(r["at"], r["actor"], r["action"], r["subject"]) for r in rows]

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Drop lines older than the retention period; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM audit_log WHERE at < ?", (to_db_time(cutoff),)
        )
