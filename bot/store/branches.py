"""Where a clinic branch's things are: the chat a case's card was posted to.

The patient's branch itself is a column of `patients` (bot.store.patients); this module only
reads what the Telegram tables already keep, so the chat a case went to is known even after
the patient changed branch or erased their data.
"""

from __future__ import annotations

from bot.store.database import Database

#: (case id) -> the chat of its card, if the card reached Telegram.
CARD_CHAT = (
    "SELECT m.chat_id FROM case_messages m JOIN handoff_cases c ON c.id = m.case_id "
    "AND c.staff_message_id = m.message_id WHERE c.id = ? LIMIT 1"
)


class BranchLookups:
    """Reads that tell which staff chat a case belongs to."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def card_chat(self, case_id: int) -> int | None:
        """The chat the case's card was posted to, if it was."""
        row = await self.database.fetch_one(CARD_CHAT, (case_id,))
        return int(row["chat_id"]) if row is not None else None
