"""A patient's turn as the store sees it: read in one round trip, written in one more.

Each `await` on the database hops to its thread and back; a turn reads five things and writes
several, so both sides run as one synchronous function on the writer's thread, inside the
caller's unit of work (whose first write, the patient's row, begins its transaction there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bot.store.cases import OPEN_CASE_OF_PATIENT
from bot.store.conversations import (
    INSERT_MATCH,
    INSERT_MESSAGE,
    INSERT_OFFER,
    INSERT_REPLY,
    MATCH_HISTORY,
    OFFERS_SHOWN,
    match_history_from,
)
from bot.store.database import Database, Session, to_db_time, utc_now
from bot.store.patients import GET_OR_CREATE, Patient, patient_from_row, update_statement
from bot.store.state import LOAD_STATE, SAVE_STATE, ConversationState, state_from, state_row


@dataclass
class TurnRecord:
    """What a turn needs to know about its patient, read together at its start."""

    patient: Patient
    state: ConversationState
    open_case: int | None
    counts: dict[str, int]
    last_asked: dict[str, dt.datetime]
    offers_seen: frozenset[str]


@dataclass
class TurnWrites:
    """A turn's writes, gathered in order to be run together (rows of one SQL as a batch)."""

    patient_id: int
    now: dt.datetime = field(default_factory=utc_now)
    statements: list[tuple[str, list[tuple[Any, ...]]]] = field(default_factory=list)

    def add(self, sql: str, row: tuple[Any, ...]) -> None:
        """One more write; a row for the same SQL as the last write joins it."""
        if self.statements and self.statements[-1][0] == sql:
            self.statements[-1][1].append(row)
        else:
            self.statements.append((sql, [row]))

    @property
    def stamp(self) -> str:
        """The time stored with this turn's rows."""
        return to_db_time(self.now)

    def record_message(
        self, direction: str, text: str, intent: str | None, score: float | None
    ) -> None:
        """Keep a message (see `ConversationRepository.record_message`)."""
        self.add(INSERT_MESSAGE, (self.patient_id, direction, text, intent, score, self.stamp))

    def add_match(self, intent: str, score: float) -> None:
        """Remember what the patient asked about (see `ConversationRepository.add_match`)."""
        self.add(INSERT_MATCH, (self.patient_id, intent, score, self.stamp))

    def mark_offer_shown(self, offer_id: str) -> None:
        """Mark an offer as shown, if it was not (see `ConversationRepository`)."""
        self.add(INSERT_OFFER, (self.patient_id, offer_id, self.stamp))

    def update_patient(self, fields: dict[str, object]) -> None:
        """Change the patient's conversation fields (see `PatientRepository.update`)."""
        self.add(*update_statement(self.patient_id, fields))

    def save_state(self, state: ConversationState) -> None:
        """Store the conversation state (see `StateRepository.save`)."""
        self.add(SAVE_STATE, state_row(self.patient_id, state, self.now))

    def record_replies(self, texts: list[str]) -> None:
        """Keep what the bot said (see `ConversationRepository.record_replies`)."""
        stamp = self.stamp
        for text in texts:
            self.add(INSERT_REPLY, (self.patient_id, text, stamp))


class TurnRepository:
    """Reads and writes everything of a turn in one round trip each."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def load(
        self, external_id: str, display_name: str | None = None, chat_id: int | None = None
    ) -> TurnRecord:
        """The patient (created on first contact) and what their turn needs to know."""
        work = partial(_load, (external_id, display_name, chat_id, to_db_time(utc_now())))
        return await self.database.run_writing(work)

    def writes(self, patient_id: int) -> TurnWrites:
        """An empty set of writes for a patient's turn."""
        return TurnWrites(patient_id)

    async def save(self, writes: TurnWrites) -> None:
        """Run the gathered writes, in order, and forget them."""
        statements, writes.statements = writes.statements, []
        await self.database.execute_statements(statements)


def _load(patient_row: tuple[Any, ...], connection: Session) -> TurnRecord:
    """Get or create the patient, then read the rest of the turn (on the database thread)."""
    (row,) = connection.execute(GET_OR_CREATE, patient_row).fetchall()
    patient = patient_from_row(row)
    key = (patient.id,)
    cases = connection.execute(OPEN_CASE_OF_PATIENT, key).fetchall()
    counts, last_asked = match_history_from(connection.execute(MATCH_HISTORY, key).fetchall())
    offers = connection.execute(OFFERS_SHOWN, key).fetchall()
    states = connection.execute(LOAD_STATE, key).fetchall()
    return TurnRecord(
        patient=patient,
        state=state_from(states[0] if states else None),
        open_case=cases[0]["id"] if cases else None,
        counts=counts,
        last_asked=last_asked,
        offers_seen=frozenset(row["offer_id"] for row in offers),
    )
