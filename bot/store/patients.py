"""Patients and their conversation state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database, Row, to_db_time, utc_now

#: The patient with an external id, created on first contact: (external id, display name,
#: chat id, created at); returns the row.
GET_OR_CREATE = (
    "INSERT INTO patients (external_id, display_name, chat_id, created_at) "
    "VALUES (?, ?, ?, ?) ON CONFLICT(external_id) DO UPDATE SET "
    "display_name = COALESCE(excluded.display_name, patients.display_name), "
    "chat_id = COALESCE(excluded.chat_id, patients.chat_id) RETURNING *"
)

#: The conversation fields `PatientRepository.update` may change.
UPDATABLE = frozenset(
    {
        "greeted",
        "misunderstood_streak",
        "pending_step",
        "pending_choices",
        "opted_out",
        "unreachable",
        "unreachable_reason",
        "display_name",
        "chat_id",
        "branch",
    }
)


@dataclass(frozen=True)
class Patient:
    """A patient as the bot remembers them: ids and conversation state, nothing clinical."""

    id: int
    external_id: str
    display_name: str | None
    chat_id: int | None
    greeted: bool
    misunderstood_streak: int
    pending_step: str | None
    pending_choices: tuple[str, ...]
    opted_out: bool
    unreachable: bool
    #: The id of the clinic branch the patient goes to (only the id), once they said it.
    branch: str | None = None


class PatientRepository:
    """Reads and writes the patients table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def get_or_create(
        self, external_id: str, display_name: str | None = None, chat_id: int | None = None
    ) -> Patient:
        """The patient with this external id, created on first contact."""
        row = await self.database.fetch_written(
            GET_OR_CREATE, (external_id, display_name, chat_id, to_db_time(utc_now()))
        )
        return patient_from_row(row)

    async def find(self, external_id: str) -> Patient | None:
        """The patient with this external id, if known."""
        row = await self.database.fetch_one(
            "SELECT * FROM patients WHERE external_id = ?", (external_id,)
        )
        return patient_from_row(row) if row is not None else None

    async def by_id(self, patient_id: int) -> Patient | None:
        """The patient with this internal id, if known."""
        row = await self.database.fetch_one("SELECT * FROM patients WHERE id = ?", (patient_id,))
        return patient_from_row(row) if row is not None else None

    async def branches_of(self, patient_ids: list[int]) -> dict[int, str | None]:
        """The branch id of each of these patients (None where not known)."""
        if not patient_ids:
            return {}
        marks = ", ".join("?" for _ in patient_ids)
        rows = await self.database.fetch_all(
            f"SELECT id, branch FROM patients WHERE id IN ({marks})", tuple(patient_ids)
        )
        return {row["id"]: row["branch"] for row in rows}

    async def update(self, patient_id: int, **fields: object) -> None:
        """Change conversation state fields."""
        await self.database.execute(*update_statement(patient_id, fields))


def update_statement(patient_id: int, fields: dict[str, object]) -> tuple[str, tuple[Any, ...]]:
    """The UPDATE that changes these conversation fields of a patient, with its parameters."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"unknown patient fields: {sorted(unknown)}")
    values = {
        key: json.dumps(value) if key == "pending_choices" and value is not None else value
        for key, value in fields.items()
    }
    assignments = ", ".join(f"{key} = ?" for key in values)
    return f"UPDATE patients SET {assignments} WHERE id = ?", (*values.values(), patient_id)


def patient_from_row(data: Row) -> Patient:
    """A patient from a row of the patients table."""
    choices = json.loads(data["pending_choices"]) if data["pending_choices"] else []
    return Patient(
        id=data["id"],
        external_id=data["external_id"],
        display_name=data["display_name"],
        chat_id=data["chat_id"],
        greeted=bool(data["greeted"]),
        misunderstood_streak=data["misunderstood_streak"],
        pending_step=data["pending_step"],
        pending_choices=tuple(choices),
        opted_out=bool(data["opted_out"]),
        unreachable=bool(data["unreachable"]),
        branch=data["branch"],
    )
