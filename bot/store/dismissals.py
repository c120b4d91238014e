"""Unmatched questions managers dealt with: dismissed, or added as an example, by a key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.store.database import Database, from_db_time, to_db_time, utc_now

Resolution = Literal["dismissed", "added"]


@dataclass(frozen=True)
class Dismissal:
    """A group of questions a manager dealt with, by its normalised key."""

    id: int
    key: str
    manager_id: int
    at: dt.datetime
    resolution: Resolution
    intent: str | None


class DismissalRepository:
    """Which groups of unmatched questions the web page no longer shows."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(
        self,
        key: str,
        manager_id: int,
        resolution: Resolution = "dismissed",
        intent: str | None = None,
        now: dt.datetime | None = None,
    ) -> int:
        """Remember a group as dealt with (again: the newest decision wins); returns its id."""
        row = await self.database.fetch_written(
            "INSERT INTO unmatched_dismissed (question_key, manager_id, at, resolution, intent) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_key) DO UPDATE SET "
            "manager_id = excluded.manager_id, at = excluded.at, "
            "resolution = excluded.resolution, intent = excluded.intent RETURNING id",
            (key, manager_id, to_db_time(now or utc_now()), resolution, intent),
        )
        return int(row[0])

    async def all(self) -> list[Dismissal]:
        """Every group dealt with, oldest first."""
        rows = await self.database.fetch_all("SELECT * FROM unmatched_dismissed ORDER BY id")
        return [
            Dismissal(
                id=int(row["id"]),
                key=str(row["question_key"]),
                manager_id=int(row["manager_id"]),
                at=from_db_time(row["at"]),
                resolution="added" if row["resolution"] == "added" else "dismissed",
                intent=row["intent"],
            )
            for row in rows
        ]

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Forget decisions older than the messages they were about; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM unmatched_dismissed WHERE at < ?", (to_db_time(cutoff),)
        )
