"""Conversation state per patient: the topic, what the bot asked, details the patient gave."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from bot.store.database import Database, Row, from_db_time, to_db_time, utc_now

#: (patient id) -> topic, topic_at, asked, details, booking
LOAD_STATE = (
    "SELECT topic, topic_at, asked, details, booking FROM conversation_state WHERE patient_id = ?"
)
#: The parameters come from `state_row`.
SAVE_STATE = (
    "INSERT INTO conversation_state (patient_id, topic, topic_at, asked, details, booking, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(patient_id) DO UPDATE SET "
    "topic = excluded.topic, topic_at = excluded.topic_at, asked = excluded.asked, "
    "details = excluded.details, booking = excluded.booking, updated_at = excluded.updated_at"
)


@dataclass
class ConversationState:
    """Where a patient's conversation stands; loaded at the start of a turn, saved with it."""

    topic: str | None = None
    topic_at: dt.datetime | None = None
    asked: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    #: A booking request being filled in (bot.core.flows.booking reads it), or empty.
    booking: dict[str, str] = field(default_factory=dict)

    def current_topic(self, now: dt.datetime, quiet: dt.timedelta) -> str | None:
        """The topic, unless the patient has been quiet too long."""
        if self.topic is None or self.topic_at is None or now - self.topic_at > quiet:
            return None
        return self.topic

    def open_topic(self, topic: str, now: dt.datetime) -> None:
        """The patient is now talking about this."""
        self.topic = topic
        self.topic_at = now


class StateRepository:
    """Reads and writes conversation_state."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def load(self, patient_id: int) -> ConversationState:
        """The patient's state (empty for a new patient)."""
        return state_from(await self.database.fetch_one(LOAD_STATE, (patient_id,)))

    async def save(self, patient_id: int, state: ConversationState) -> None:
        """Store the state (inside the turn's unit of work)."""
        await self.database.execute(SAVE_STATE, state_row(patient_id, state, utc_now()))


def state_from(row: Row | None) -> ConversationState:
    """The state in a row of `LOAD_STATE` (empty for a new patient)."""
    if row is None:
        return ConversationState()
    return ConversationState(
        topic=row["topic"],
        topic_at=from_db_time(row["topic_at"]) if row["topic_at"] else None,
        asked=row["asked"],
        details=json.loads(row["details"] or "{}"),
        booking=json.loads(row["booking"] or "{}"),
    )


def state_row(patient_id: int, state: ConversationState, now: dt.datetime) -> tuple[Any, ...]:
    """The parameters of `SAVE_STATE`."""
    return (
        patient_id,
        state.topic,
        to_db_time(state.topic_at) if state.topic_at else None,
        state.asked,
        json.dumps(state.details, sort_keys=True),
        json.dumps(state.booking, sort_keys=True) if state.booking else None,
        to_db_time(now),
    )
