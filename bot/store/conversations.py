"""Messages, matched intents and offers shown: the conversation's memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.store.database import Database, Row, from_db_time, to_db_time, utc_now

#: (patient id, direction, text, intent, score, created at)
INSERT_MESSAGE = (
    "INSERT INTO messages (patient_id, direction, text, intent, score, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
#: (patient id, text, created at)
INSERT_REPLY = (
    "INSERT INTO messages (patient_id, direction, text, created_at) VALUES (?, 'out', ?, ?)"
)
#: (patient id, intent, score, created at)
INSERT_MATCH = (
    "INSERT INTO intent_matches (patient_id, intent, score, created_at) VALUES (?, ?, ?, ?)"
)
#: (patient id, offer id, shown at); nothing changes if it was shown before.
INSERT_OFFER = (
    "INSERT INTO offers_shown (patient_id, offer_id, shown_at) VALUES (?, ?, ?) "
    "ON CONFLICT (patient_id, offer_id) DO NOTHING"
)
#: (patient id) -> intent, times, last
MATCH_HISTORY = (
    "SELECT intent, COUNT(*) AS times, MAX(created_at) AS last FROM intent_matches "
    "WHERE patient_id = ? GROUP BY intent"
)
#: (patient id) -> offer_id, shown_at
OFFERS_SHOWN = "SELECT offer_id, shown_at FROM offers_shown WHERE patient_id = ? ORDER BY shown_at"


@dataclass(frozen=True)
class StoredMessage:
    """One message in or out, kept for the retention period."""

    direction: str
    text: str
    intent: str | None
    score: float | None
    created_at: dt.datetime


class ConversationRepository:
    """Reads and writes messages, intent matches and offers shown."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def record_message(
        self,
        patient_id: int,
        direction: str,
        text: str,
        intent: str | None = None,
        score: float | None = None,
    ) -> None:
        """Keep a message for the case card and the unmatched-questions report."""
        await self.database.execute(
            INSERT_MESSAGE, (patient_id, direction, text, intent, score, to_db_time(utc_now()))
        )

    async def record_replies(self, patient_id: int, texts: list[str]) -> None:
        """Keep what the bot said, in one write."""
        if texts:
            now = to_db_time(utc_now())
            await self.database.execute_many(
                INSERT_REPLY, [(patient_id, text, now) for text in texts]
            )

    async def recent_messages(self, patient_id: int, limit: int = 10) -> list[StoredMessage]:
        """The patient's last messages, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT direction, text, intent, score, created_at FROM messages "
            "WHERE patient_id = ? ORDER BY id DESC LIMIT ?",
            (patient_id, limit),
        )
        return [
            StoredMessage(
                r["direction"], r["text"], r["intent"], r["score"], from_db_time(r["created_at"])
            )
            for r in reversed(rows)
        ]

    async def match_history(
        self, patient_id: int
    ) -> tuple[dict[str, int], dict[str, dt.datetime]]:
        """How often the patient asked about each thing, and when last."""
        return match_history_from(await self.database.fetch_all(MATCH_HISTORY, (patient_id,)))

    async def add_match(self, patient_id: int, intent: str, score: float) -> None:
        """Remember that the patient asked about an intent."""
        await self.database.execute(
            INSERT_MATCH, (patient_id, intent, score, to_db_time(utc_now()))
        )

    async def recent_intents(self, patient_id: int, limit: int = 10) -> list[tuple[str, str]]:
        """(intent, time) pairs, newest first."""
        rows = await self.database.fetch_all(
            "SELECT intent, created_at FROM intent_matches WHERE patient_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (patient_id, limit),
        )
        return [(row["intent"], row["created_at"]) for row in rows]

    async def mark_offer_shown(self, patient_id: int, offer_id: str) -> bool:
        """Mark an offer as shown; False if it had been shown before (then nothing changes)."""
        inserted = await self.database.execute_counting(
            INSERT_OFFER, (patient_id, offer_id, to_db_time(utc_now()))
        )
        return inserted == 1

    async def offers_shown(self, patient_id: int) -> list[tuple[str, str]]:
        """(offer id, time shown) for the customer card."""
        rows = await self.database.fetch_all(OFFERS_SHOWN, (patient_id,))
        return [(row["offer_id"], row["shown_at"]) for row in rows]

    async def purge_older_than(self, cutoff: dt.datetime) -> int:
        """Delete messages past the retention period; returns how many."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM messages WHERE created_at < ?", (to_db_time(cutoff),)
            )
            return cursor.rowcount

    async def purge_matches_before(self, cutoff: dt.datetime) -> int:
        """Delete matched intents past their retention period; returns how many."""
        return await self.database.execute_counting(
            "DELETE FROM intent_matches WHERE created_at < ?", (to_db_time(cutoff),)
        )


def match_history_from(
    rows: Iterable[Row],
) -> tuple[dict[str, int], dict[str, dt.datetime]]:
    """(how often, when last) per intent, from rows of `MATCH_HISTORY`."""
    counts: dict[str, int] = {}
    last: dict[str, dt.datetime] = {}
    for row in rows:
        counts[row["intent"]] = int(row["times"])
        last[row["intent"]] = from_db_time(row["last"])
    return counts, last
