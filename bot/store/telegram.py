"""What the Telegram adapter must remember: handled updates, the outbox, staff message ids."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, to_db_time, utc_now


@dataclass(frozen=True)
class OutboxItem:
    """A message the bot owes someone, until Telegram has accepted it."""

    id: int
    chat_id: int
    text: str
    reply_markup: list[list[dict[str, str]]] | None
    reply_to_message_id: int | None
    message_thread_id: int | None
    parse_mode: str | None
    purpose: str
    case_id: int | None
    patient_id: int | None
    attempts: int


class TelegramRepository:
    """Reads and writes the Telegram adapter's tables; sent text is blanked, not kept."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim_update(self, update_id: int) -> bool:
        """Record an update id; False if it was handled before (also across restarts)."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO processed_updates (update_id, at) VALUES (?, ?)",
                (update_id, to_db_time(utc_now())),
            )
            return cursor.rowcount == 1

    async def forget_updates_before(self, cutoff: dt.datetime) -> None:
        """Drop old update ids; Telegram never resends updates that old."""
        await self.database.execute(
            "DELETE FROM processed_updates WHERE at < ?", (to_db_time(cutoff),)
        )

    async def enqueue(
        self,
        chat_id: int,
        text: str,
        purpose: str,
        *,
        reply_markup: list[list[dict[str, str]]] | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
        case_id: int | None = None,
        patient_id: int | None = None,
    ) -> OutboxItem:
        """Put a message in the outbox before the first attempt to send it."""
        markup = json.dumps(reply_markup) if reply_markup else None
        item_id = await self.database.execute(
            "INSERT INTO outbox (chat_id, text, reply_markup, reply_to_message_id, "
            "message_thread_id, parse_mode, purpose, case_id, patient_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                text,
                markup,
                reply_to_message_id,
                message_thread_id,
                parse_mode,
                purpose,
                case_id,
                patient_id,
                to_db_time(utc_now()),
            ),
        )
        return OutboxItem(
            item_id,
            chat_id,
            text,
            reply_markup,
            reply_to_message_id,
            message_thread_id,
            parse_mode,
            purpose,
            case_id,
            patient_id,
            0,
        )

    async def mark_sent(self, item_id: int, message_id: int) -> None:
        """Telegram accepted the message."""
        await self.database.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, telegram_message_id = ?, "
            "attempts = attempts + 1, text = '', reply_markup = NULL WHERE id = ?",
            (to_db_time(utc_now()), message_id, item_id),
        )

    async def mark_attempt(self, item_id: int, error: str) -> None:
        """An attempt failed in a way worth retrying later."""
        await self.database.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
            (error, item_id),
        )

    async def mark_failed(self, item_id: int, error: str) -> None:
        """The message can never be delivered; the reason is kept."""
        await self.database.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
            "text = '', reply_markup = NULL WHERE id = ?",
            (error, item_id),
        )

    async def pending(self, limit: int = 100) -> list[OutboxItem]:
        """Messages still owed, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?", (limit,)
        )
        return [_item(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        """How many outbox messages are in each state."""
        rows = await self.database.fetch_all(
            "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"
        )
        return {row["status"]: row["n"] for row in rows}

    async def forget_chat(self, chat_id: int) -> None:
        """Drop delivered and failed outbox rows of a chat (after its patient was erased)."""
        await self.database.execute(
            "DELETE FROM outbox WHERE chat_id = ? AND status != 'pending'", (chat_id,)
        )

    async def remember_case_message(self, chat_id: int, message_id: int, case_id: int) -> None:
        """A staff-chat message belongs to a case: replies to it go to that case's patient."""
        await self.database.execute(
            "INSERT OR IGNORE INTO case_messages (chat_id, message_id, case_id) VALUES (?, ?, ?)",
            (chat_id, message_id, case_id),
        )

    async def case_of_message(self, chat_id: int, message_id: int) -> int | None:
        """The case a staff-chat message belongs to, if any."""
        row = await self.database.fetch_one(
            "SELECT case_id FROM case_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return int(row["case_id"]) if row is not None else None


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        chat_id=row["chat_id"],
        text=row["text"],
        reply_markup=json.loads(row["reply_markup"]) if row["reply_markup"] else None,
        reply_to_message_id=row["reply_to_message_id"],
        message_thread_id=row["message_thread_id"],
        parse_mode=row["parse_mode"],
        purpose=row["purpose"],
        case_id=row["case_id"],
        patient_id=row["patient_id"],
        attempts=row["attempts"],
    )
