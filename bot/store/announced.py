"""Staff-chat notices every worker would post (a data reload): the first to claim one posts it."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database, to_db_time, utc_now


class Announcements:
    """Keys of notices already posted, so several workers post each one once."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(self, key: str) -> bool:
        """True for the first worker to claim `key` (it posts the notice), False after."""
        added = await self.database.execute_counting(
            "INSERT INTO announced (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, to_db_time(utc_now())),
        )
        return added == 1

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Forget keys claimed before the cutoff; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM announced WHERE at < ?", (to_db_time(cutoff),)
        )
