"""Handoff cases: conversations a person from the front desk has taken over."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Database, Row, to_db_time, utc_now

LARGEST_ID = 2**63 - 1  # SQLite integers are 64-bit; a larger number raises OverflowError

#: (patient id) -> the patient's open case, if any
OPEN_CASE_OF_PATIENT = "SELECT * FROM handoff_cases WHERE patient_id = ? AND status = 'open'"


@dataclass(frozen=True)
class HandoffCase:
    """A case: who, why, its state and where its card is in the staff chat."""

    id: int
    patient_id: int | None
    reason: str
    status: str
    opened_at: str
    taken_by: int | None
    taken_by_name: str | None
    staff_message_id: int | None
    staff_thread_id: int | None


class CaseRepository:
    """Reads and writes handoff cases."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def open_case(self, patient_id: int, reason: str) -> tuple[HandoffCase, bool]:
        """The patient's open case, or a new one; the flag says whether it is new."""
        async with self.database.transaction() as connection:
            existing = await connection.execute_fetchall(OPEN_CASE_OF_PATIENT, (patient_id,))
            if existing:
                return case_from_row(existing[0]), False
            (row,) = await connection.execute_fetchall(
                "INSERT INTO handoff_cases (patient_id, reason, opened_at) VALUES (?, ?, ?) "
                "RETURNING id",
                (patient_id, reason, to_db_time(utc_now())),
            )
            case_id = int(row["id"])
        case = await self.get(case_id)
        assert case is not None
        return case, True

    async def get(self, case_id: int) -> HandoffCase | None:
        """A case by number (None for a number no case can have)."""
        if not _storable(case_id):
            return None
        row = await self.database.fetch_one("SELECT * FROM handoff_cases WHERE id = ?", (case_id,))
        return case_from_row(row) if row is not None else None

    async def open_for_patient(self, patient_id: int) -> HandoffCase | None:
        """The patient's open case, if any."""
        row = await self.database.fetch_one(OPEN_CASE_OF_PATIENT, (patient_id,))
        return case_from_row(row) if row is not None else None

    async def open_cases(self) -> list[HandoffCase]:
        """All open cases, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM handoff_cases WHERE status = 'open' ORDER BY id"
        )
        return [case_from_row(row) for row in rows]

    async def claim_without_card(self, case_id: int) -> bool:
        """In a unit of work: hold an open case that has no card yet; False if another worker
        holds it or it got one (then this worker must not queue a second card)."""
        return await self.database.claim(
            "SELECT id FROM handoff_cases WHERE id = ? AND status = 'open' "
            "AND staff_message_id IS NULL",
            (case_id,),
        )

    async def cases_of(self, patient_id: int) -> list[HandoffCase]:
        """Every case of a patient, newest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM handoff_cases WHERE patient_id = ? ORDER BY id DESC", (patient_id,)
        )
        return [case_from_row(row) for row in rows]

    async def open_case_in_thread(self, thread_id: int) -> int | None:
        """The case whose forum topic this is, if any."""
        row = await self.database.fetch_one(
            "SELECT id FROM handoff_cases WHERE staff_thread_id = ? ORDER BY id DESC",
            (thread_id,),
        )
        return int(row["id"]) if row is not None else None

    async def take(self, case_id: int, staff_id: int, staff_name: str) -> None:
        """Record which administrator took the case."""
        await self.database.execute(
            "UPDATE handoff_cases SET taken_by = ?, taken_by_name = ?, taken_at = ? WHERE id = ?",
            (staff_id, staff_name, to_db_time(utc_now()), case_id),
        )

    async def close(self, case_id: int, staff_id: int | None) -> bool:
        """Close an open case; False if it was already closed."""
        if not _storable(case_id):
            return False
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE handoff_cases SET status = 'closed', closed_at = ?, closed_by = ? "
                "WHERE id = ? AND status = 'open'",
                (to_db_time(utc_now()), staff_id, case_id),
            )
            return cursor.rowcount == 1

    async def set_card(self, case_id: int, message_id: int, thread_id: int | None) -> None:
        """Remember where the case card was posted in the staff chat."""
        await self.database.execute(
            "UPDATE handoff_cases SET staff_message_id = ?, staff_thread_id = ? WHERE id = ?",
            (message_id, thread_id, case_id),
        )


def _storable(case_id: int) -> bool:
    """Whether a number can be a case id at all (1 up to SQLite's largest integer)."""
    return 1 <= case_id <= LARGEST_ID


def case_from_row(data: Row) -> HandoffCase:
    """A case from a row of the handoff_cases table."""
    return HandoffCase(
        id=data["id"],
        patient_id=data["patient_id"],
        reason=data["reason"],
        status=data["status"],
        opened_at=data["opened_at"],
        taken_by=data["taken_by"],
        taken_by_name=data["taken_by_name"],
        staff_message_id=data["staff_message_id"],
        staff_thread_id=data["staff_thread_id"],
    )
