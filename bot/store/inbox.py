"""The durable inbox: every update is stored before Telegram is told it arrived."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.database import Database, to_db_time, utc_now

STORE_UPDATE = (
    "INSERT INTO inbox (update_id, chat_key, payload, received_at) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING"
)

PENDING_PAYLOAD = "SELECT payload FROM inbox WHERE update_id = ? AND status = 'pending'"


@dataclass(frozen=True)
class InboxItem:
    """One stored update waiting to be handled: its id, its chat, how old, tries so far."""

    update_id: int
    chat_key: int
    received_at: str
    attempts: int


class Inbox:
    """Stores fetched updates, hands out one per chat in order, and marks them done."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def store_batch(self, updates: list[tuple[int, int, str]]) -> int:
        """Store (update_id, chat_key, payload) rows in one transaction; returns the new ones."""
        now = to_db_time(utc_now())
        if len(updates) == 1:  # a webhook's post: one statement, atomic by itself
            update_id, chat_key, payload = updates[0]
            return await self.database.execute_counting(
                STORE_UPDATE, (update_id, chat_key, payload, now)
            )
        added = 0
        async with self.database.transaction() as connection:
            for update_id, chat_key, payload in updates:
                cursor = await connection.execute(
                    STORE_UPDATE, (update_id, chat_key, payload, now)
                )
                added += cursor.rowcount
        return added

    async def next_offset(self) -> int | None:
        """The getUpdates offset that confirms everything stored so far."""
        row = await self.database.fetch_one("SELECT MAX(update_id) AS last FROM inbox")
        return None if row is None or row["last"] is None else int(row["last"]) + 1

    async def heads(self, limit: int = 500) -> list[InboxItem]:
        """The oldest unhandled update of each chat, oldest first (without their content)."""
        rows = await self.database.fetch_all(
            "SELECT update_id, chat_key, received_at, attempts FROM inbox WHERE update_id IN ("
            "SELECT MIN(update_id) FROM inbox WHERE status = 'pending' GROUP BY chat_key) "
            "ORDER BY update_id LIMIT ?",
            (limit,),
        )
        return [
            InboxItem(row["update_id"], row["chat_key"], row["received_at"], row["attempts"])
            for row in rows
        ]

    async def claim(self, update_id: int) -> str | None:
        """At the start of a turn: take the update for this unit of work and return its JSON;
        None if another worker holds it or it is no longer pending (the turn must not run)."""
        if self.database.is_postgresql:
            rows = await self.database.claim_rows(PENDING_PAYLOAD, (update_id,))
            return str(rows[0]["payload"]) if rows else None
        return await self.payload(update_id)  # one writer, this process: nothing to hold

    async def payload(self, update_id: int) -> str | None:
        """The JSON of an update still pending, or None."""
        row = await self.database.fetch_one(PENDING_PAYLOAD, (update_id,))
        return str(row["payload"]) if row is not None else None

    async def finish(self, update_id: int, status: str = "done", error: str | None = None) -> bool:
        """The update was handled (or given up on); its content is blanked.

        False if it was no longer pending: someone else finished it first, so the caller's
        unit of work must be rolled back rather than committed twice.
        """
        changed = await self.database.execute_counting(
            "UPDATE inbox SET status = ?, payload = '', finished_at = ?, last_error = ?, "
            "attempts = attempts + 1 WHERE update_id = ? AND status = 'pending'",
            (status, to_db_time(utc_now()), error, update_id),
        )
        return changed == 1

    async def record_attempt(self, update_id: int, error: str) -> int:
        """A failed attempt (kept pending for a retry); returns the attempts so far."""
        await self.database.execute(
            "UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE update_id = ?",
            (error, update_id),
        )
        row = await self.database.fetch_one(
            "SELECT attempts FROM inbox WHERE update_id = ?", (update_id,)
        )
        return int(row["attempts"]) if row is not None else 0

    async def forget_chat(self, chat_key: int, current_update_id: int | None = None) -> None:
        """After erasure: handled updates of the chat (and this one) keep only their ids."""
        await self.database.execute(
            "UPDATE inbox SET payload = '', chat_key = 0 WHERE chat_key = ? "
            "AND (status != 'pending' OR update_id = ?)",
            (chat_key, current_update_id),
        )

    async def counts(self) -> dict[str, int]:
        """How many updates are in each state."""
        rows = await self.database.fetch_all(
            "SELECT status, COUNT(*) AS n FROM inbox GROUP BY status"
        )
        return {row["status"]: row["n"] for row in rows}

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Drop handled updates received before the cutoff; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM inbox WHERE status != 'pending' AND received_at < ?",
            (to_db_time(cutoff),),
        )
