"""The outbox of everything the bot owes Telegram, and the map of staff messages to cases.

A row is committed together with the turn that decided it; a sender claims it with a lease
before calling Telegram, so no two senders hold one row; attempts are capped, rows expire, and
the reason of every failure is kept. Sent text is blanked, not kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from bot.store.database import Database, to_db_time, utc_now

DEFAULT_LIFETIME = dt.timedelta(days=2)


@dataclass(frozen=True)
class OutboxItem:
    """Something the bot owes Telegram (a message, an edit, a copy...), until it is done."""

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
    method: str = "send_message"
    extra: dict[str, Any] = field(default_factory=dict)
    reminder_id: int | None = None
    expires_at: str | None = None


class TelegramRepository:
    """Reads and writes the outbox and the staff-message map."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def enqueue(
        self,
        chat_id: int,
        text: str,
        purpose: str,
        *,
        method: str = "send_message",
        reply_markup: list[list[dict[str, str]]] | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
        case_id: int | None = None,
        patient_id: int | None = None,
        reminder_id: int | None = None,
        extra: dict[str, Any] | None = None,
        lifetime: dt.timedelta = DEFAULT_LIFETIME,
    ) -> int:
        """Put something in the outbox (inside the caller's unit of work); returns its id."""
        now = utc_now()
        return await self.database.insert(
            "INSERT INTO outbox (chat_id, text, reply_markup, reply_to_message_id, "
            "message_thread_id, parse_mode, purpose, case_id, patient_id, created_at, method, "
            "extra, reminder_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                text,
                json.dumps(reply_markup) if reply_markup else None,
                reply_to_message_id,
                message_thread_id,
                parse_mode,
                purpose,
                case_id,
                patient_id,
                to_db_time(now),
                method,
                json.dumps(extra) if extra else None,
                reminder_id,
                to_db_time(now + lifetime),
            ),
        )

    async def heads(self, now: dt.datetime, limit: int = 200) -> list[OutboxItem]:
        """What may be sent now: the oldest pending row of each chat, unless it must wait."""
        moment = to_db_time(now)
        rows = await self.database.fetch_all(
            "SELECT * FROM outbox WHERE id IN ("
            "SELECT MIN(id) FROM outbox WHERE status = 'pending' AND method != 'answer_callback' "
            "GROUP BY chat_id UNION ALL "
            "SELECT id FROM outbox WHERE status = 'pending' AND method = 'answer_callback') "
            "AND (not_before IS NULL OR not_before <= ?) "
            "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT ?",
            (moment, moment, limit),
        )
        return [_item(row) for row in rows]

    async def claim(self, item_id: int, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take a row for sending; False if another sender holds it or it is no longer owed."""
        moment = to_db_time(now)
        changed = await self.database.execute_counting(
            "UPDATE outbox SET lease_until = ?, leased_by = ?, attempts = attempts + 1 "
            "WHERE id IN (SELECT id FROM outbox WHERE id = ? AND status = 'pending' "
            f"AND (lease_until IS NULL OR lease_until <= ?){self.database.skip_locked})",
            (to_db_time(now + lease), self.database.worker, item_id, moment),
        )
        return changed == 1

    async def release_leases(self) -> int:
        """Rows held, or waited on, by a worker that has stopped are owed again, now.

        On SQLite that is every row (one worker at a time, and this one is just starting); on
        PostgreSQL, the rows of workers no longer connected to the server, whether they
        stopped cleanly or were killed in the middle of a send.
        """
        held = "status = 'pending' AND (lease_until IS NOT NULL OR not_before IS NOT NULL)"
        if self.database.is_postgresql:
            held += (
                f" AND (leased_by IS NULL OR leased_by NOT IN ({self.database.connected_workers}))"
            )
        return await self.database.execute_counting(
            "UPDATE outbox SET lease_until = NULL, not_before = NULL, leased_by = NULL "
            f"WHERE {held}"
        )

    async def mark_sent(self, item: OutboxItem, message_id: int | None) -> None:
        """Telegram accepted it: blank the text, link a case card, finish a reminder."""
        now = to_db_time(utc_now())
        if item.purpose == FORGET_WHEN_DONE:
            await self.database.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
            return
        writes: list[tuple[str, tuple[object, ...]]] = [
            (
                "UPDATE outbox SET status = 'sent', sent_at = ?, telegram_message_id = ?, "
                "lease_until = NULL, text = '', reply_markup = NULL, extra = NULL WHERE id = ?",
                (now, message_id, item.id),
            )
        ]
        if item.reminder_id is not None:
            writes.append(
                (
                    "UPDATE reminders SET status = 'sent', sent_at = ? "
                    "WHERE id = ? AND status = 'pending'",
                    (now, item.reminder_id),
                )
            )
        if item.case_id is not None and message_id is not None:
            if item.method == "case_card":
                writes.append(
                    (
                        "UPDATE handoff_cases SET staff_message_id = ? WHERE id = ?",
                        (message_id, item.case_id),
                    )
                )
            if item.purpose in CASE_PURPOSES:
                writes.append(
                    (
                        "INSERT INTO case_messages (chat_id, message_id, case_id) "
                        "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), id FROM handoff_cases "
                        "WHERE id = ? ON CONFLICT (chat_id, message_id) DO NOTHING",
                        (item.chat_id, message_id, item.case_id),
                    )
                )
        # One write is atomic alone (most rows: a reply), and saves a round trip each way.
        await self.database.execute_statements([(sql, [values]) for sql, values in writes])

    async def retry_later(
        self, item_id: int, not_before: dt.datetime, error: str, refund: bool = False
    ) -> None:
        """A passing failure: release the row and try again after `not_before`."""
        await self.database.execute(
            "UPDATE outbox SET lease_until = NULL, not_before = ?, last_error = ?, "
            "attempts = attempts - ? WHERE id = ?",
            (to_db_time(not_before), error, 1 if refund else 0, item_id),
        )

    async def give_up(self, item: OutboxItem, reason: str) -> None:
        """It can never be delivered: keep the reason, blank the text, skip its reminder."""
        async with self.database.transaction() as connection:
            if item.purpose == FORGET_WHEN_DONE:
                await connection.execute("DELETE FROM outbox WHERE id = ?", (item.id,))
                return
            await connection.execute(
                "UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = ?, "
                "text = '', reply_markup = NULL, extra = NULL WHERE id = ?",
                (reason, item.id),
            )
            if item.reminder_id is not None:
                await connection.execute(
                    "UPDATE reminders SET status = 'skipped', status_reason = ? "
                    "WHERE id = ? AND status = 'pending'",
                    (f"not delivered: {reason}", item.reminder_id),
                )

    async def set_thread(self, case_id: int, thread_id: int) -> None:
        """A case got its own forum topic."""
        await self.database.execute(
            "UPDATE handoff_cases SET staff_thread_id = ? WHERE id = ?", (thread_id, case_id)
        )

    async def pending(self, limit: int = 100) -> list[OutboxItem]:
        """Rows still owed, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?", (limit,)
        )
        return [_item(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        """How many outbox rows are in each state."""
        rows = await self.database.fetch_all(
            "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"
        )
        return {row["status"]: row["n"] for row in rows}

    async def card_pending(self, case_id: int) -> bool:
        """Whether the case's card is still owed to the staff chat."""
        row = await self.database.fetch_one(
            "SELECT 1 FROM outbox WHERE case_id = ? AND method = 'case_card' "
            "AND status = 'pending' LIMIT 1",
            (case_id,),
        )
        return row is not None

    async def forget_chat(self, chat_id: int) -> None:
        """After erasure: drop a chat's finished rows; the owed ones go once they are done."""
        await self.database.execute(
            "DELETE FROM outbox WHERE chat_id = ? AND status != 'pending'", (chat_id,)
        )
        await self.database.execute(
            "UPDATE outbox SET purpose = ? WHERE chat_id = ? AND status = 'pending'",
            (FORGET_WHEN_DONE, chat_id),
        )

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Drop finished rows created before the cutoff; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM outbox WHERE status != 'pending' AND created_at < ?",
            (to_db_time(cutoff),),
        )

    async def purge_case_messages_of_closed_before(self, cutoff: dt.datetime) -> int:
        """Forget which staff messages belonged to cases closed before the cutoff."""
        return await self.database.execute_counting(
            "DELETE FROM case_messages WHERE case_id IN (SELECT id FROM handoff_cases "
            "WHERE status = 'closed' AND closed_at < ?)",
            (to_db_time(cutoff),),
        )

    async def remember_case_message(self, chat_id: int, message_id: int, case_id: int) -> None:
        """A staff-chat message belongs to a case: replies to it go to that case's patient."""
        await self.database.execute(
            "INSERT INTO case_messages (chat_id, message_id, case_id) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, message_id) DO NOTHING",
            (chat_id, message_id, case_id),
        )

    async def case_of_message(self, chat_id: int, message_id: int) -> int | None:
        """The case a staff-chat message belongs to, if any."""
        row = await self.database.fetch_one(
            "SELECT case_id FROM case_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return int(row["case_id"]) if row is not None else None


#: Rows owed to a chat whose patient was erased: deleted, not kept, once done.
FORGET_WHEN_DONE = "erased_chat"
#: Staff-chat rows whose replies belong to a case.
CASE_PURPOSES = frozenset({"case_card", "relay", "staff_note"})


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
        method=row["method"],
        extra=json.loads(row["extra"]) if row["extra"] else {},
        reminder_id=row["reminder_id"],
        expires_at=row["expires_at"],
    )
