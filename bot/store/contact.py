"""Consents, reminders and staff follow-up tasks: the customer service card's contact side."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.database import Database, Row, from_db_time, to_db_time, utc_now


@dataclass(frozen=True)
class Consent:
    """A patient's agreement to be contacted for one kind of reason."""

    id: int
    kind: str
    channel: str
    wording: str
    granted_at: str
    withdrawn_at: str | None


@dataclass(frozen=True)
class Reminder:
    """One message the clinic will send at a set time, if consent still stands."""

    id: int
    patient_id: int
    kind: str
    template: str
    event_at: dt.datetime
    doctor: str | None
    due_at: dt.datetime
    useful_until: dt.datetime
    status: str
    status_reason: str | None
    sent_at: str | None


@dataclass(frozen=True)
class StaffTask:
    """A call for a person to make on a due date, with the agreed reason."""

    id: int
    patient_id: int
    kind: str
    due_on: dt.date
    note: str
    status: str


class ContactRepository:
    """Reads and writes consents, reminders and staff tasks."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def grant(self, patient_id: int, kind: str, channel: str, wording: str) -> None:
        """Record a consent (replacing an active one of the same kind)."""
        now = to_db_time(utc_now())
        async with self.database.transaction() as connection:
            await connection.execute(
                "UPDATE consents SET withdrawn_at = ?, withdrawn_reason = 'renewed' "
                "WHERE patient_id = ? AND kind = ? AND withdrawn_at IS NULL",
                (now, patient_id, kind),
            )
            await connection.execute(
                "INSERT INTO consents (patient_id, kind, channel, wording, granted_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (patient_id, kind, channel, wording, now),
            )

    async def has_consent(self, patient_id: int, kind: str) -> bool:
        """Whether the patient currently agrees to this kind of contact."""
        row = await self.database.fetch_one(
            "SELECT 1 FROM consents WHERE patient_id = ? AND kind = ? AND withdrawn_at IS NULL",
            (patient_id, kind),
        )
        return row is not None

    async def consents(self, patient_id: int) -> list[Consent]:
        """Every consent, active or withdrawn, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM consents WHERE patient_id = ? ORDER BY id", (patient_id,)
        )
        return [
            Consent(
                r["id"], r["kind"], r["channel"], r["wording"], r["granted_at"], r["withdrawn_at"]
            )
            for r in rows
        ]

    async def opt_out(self, patient_id: int, reason: str) -> int:
        """Withdraw every consent and cancel pending reminders; returns reminders cancelled."""
        now = to_db_time(utc_now())
        async with self.database.transaction() as connection:
            await connection.execute(
                "UPDATE patients SET opted_out = 1 WHERE id = ?", (patient_id,)
            )
            await connection.execute(
                "UPDATE consents SET withdrawn_at = ?, withdrawn_reason = ? "
                "WHERE patient_id = ? AND withdrawn_at IS NULL",
                (now, reason, patient_id),
            )
            cursor = await connection.execute(
                "UPDATE reminders SET status = 'cancelled', status_reason = ? "
                "WHERE patient_id = ? AND status = 'pending'",
                (reason, patient_id),
            )
            return cursor.rowcount

    async def opt_in(self, patient_id: int) -> int:
        """Undo an opt-out: restore its consents and future reminders; returns reminders back."""
        now = utc_now()
        async with self.database.transaction() as connection:
            await connection.execute(
                "UPDATE patients SET opted_out = 0, unreachable = 0 WHERE id = ?", (patient_id,)
            )
            await connection.execute(
                "INSERT INTO consents (patient_id, kind, channel, wording, granted_at) "
                "SELECT patient_id, kind, channel, wording, ? FROM consents WHERE id IN ("
                "SELECT MAX(id) FROM consents "
                "WHERE patient_id = ? AND withdrawn_reason IN ('opt_out', 'blocked') "
                "AND kind NOT IN ("
                "SELECT kind FROM consents WHERE patient_id = ? AND withdrawn_at IS NULL) "
                "GROUP BY kind) ORDER BY id",
                (to_db_time(now), patient_id, patient_id),
            )
            cursor = await connection.execute(
                "UPDATE reminders SET status = 'pending', status_reason = NULL "
                "WHERE patient_id = ? AND status = 'cancelled' "
                "AND status_reason IN ('opt_out', 'blocked') "
                "AND useful_until > ?",
                (patient_id, to_db_time(now)),
            )
            return cursor.rowcount

    async def add_reminder(
        self,
        patient_id: int,
        kind: str,
        template: str,
        event_at: dt.datetime,
        doctor: str | None,
        due_at: dt.datetime,
        useful_until: dt.datetime,
        created_by: int | None,
    ) -> int:
        """Schedule one reminder."""
        return await self.database.insert(
            "INSERT INTO reminders (patient_id, kind, template, event_at, doctor, due_at, "
            "useful_until, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                patient_id,
                kind,
                template,
                to_db_time(event_at),
                doctor,
                to_db_time(due_at),
                to_db_time(useful_until),
                created_by,
                to_db_time(utc_now()),
            ),
        )

    async def due_reminders(self, now: dt.datetime) -> list[Reminder]:
        """Pending reminders whose time has come, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM reminders WHERE status = 'pending' AND outbox_id IS NULL "
            "AND due_at <= ? ORDER BY due_at",
            (to_db_time(now),),
        )
        return [_reminder(row) for row in rows]

    async def reminders_of(self, patient_id: int) -> list[Reminder]:
        """Every reminder of a patient, by due time."""
        rows = await self.database.fetch_all(
            "SELECT * FROM reminders WHERE patient_id = ? ORDER BY due_at", (patient_id,)
        )
        return [_reminder(row) for row in rows]

    async def claim_reminder(self, reminder_id: int) -> bool:
        """At the start of sending: take the reminder for this unit of work; False if another
        worker holds it or it was queued already."""
        return await self.database.claim(
            "SELECT id FROM reminders WHERE id = ? AND status = 'pending' AND outbox_id IS NULL",
            (reminder_id,),
        )

    async def queue_reminder(self, reminder_id: int, outbox_id: int) -> bool:
        """The reminder is in the outbox; it becomes sent only when Telegram accepts it."""
        changed = await self.database.execute_counting(
            "UPDATE reminders SET outbox_id = ? WHERE id = ? AND status = 'pending' "
            "AND outbox_id IS NULL",
            (outbox_id, reminder_id),
        )
        return changed == 1

    async def finish_reminder(self, reminder_id: int, status: str, reason: str | None) -> bool:
        """Move a pending reminder to sent/skipped/cancelled; False if it was not pending."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE reminders SET status = ?, status_reason = ?, sent_at = ? "
                "WHERE id = ? AND status = 'pending'",
                (status, reason, to_db_time(utc_now()) if status == "sent" else None, reminder_id),
            )
            return cursor.rowcount == 1

    async def add_task(
        self, patient_id: int, kind: str, due_on: dt.date, note: str, created_by: int | None
    ) -> int:
        """Record a follow-up call for a person to make."""
        return await self.database.insert(
            "INSERT INTO staff_tasks (patient_id, kind, due_on, note, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (patient_id, kind, due_on.isoformat(), note, created_by, to_db_time(utc_now())),
        )

    async def due_tasks(self, today: dt.date) -> list[StaffTask]:
        """Pending tasks due today or earlier."""
        rows = await self.database.fetch_all(
            "SELECT * FROM staff_tasks WHERE status = 'pending' AND due_on <= ? ORDER BY due_on",
            (today.isoformat(),),
        )
        return [_task(row) for row in rows]

    async def tasks_of(self, patient_id: int) -> list[StaffTask]:
        """Every task about a patient."""
        rows = await self.database.fetch_all(
            "SELECT * FROM staff_tasks WHERE patient_id = ? ORDER BY due_on", (patient_id,)
        )
        return [_task(row) for row in rows]

    async def mark_task_posted(self, task_id: int) -> bool:
        """The task was posted to the staff chat; False if it already was."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE staff_tasks SET status = 'posted', posted_at = ? WHERE id IN ("
                "SELECT id FROM staff_tasks WHERE id = ? AND status = 'pending'"
                f"{self.database.skip_locked})",
                (to_db_time(utc_now()), task_id),
            )
            return cursor.rowcount == 1


def _reminder(data: Row) -> Reminder:
    return Reminder(
        id=data["id"],
        patient_id=data["patient_id"],
        kind=data["kind"],
        template=data["template"],
        event_at=from_db_time(data["event_at"]),
        doctor=data["doctor"],
        due_at=from_db_time(data["due_at"]),
        useful_until=from_db_time(data["useful_until"]),
        status=data["status"],
        status_reason=data["status_reason"],
        sent_at=data["sent_at"],
    )


def _task(data: Row) -> StaffTask:
    return StaffTask(
        id=data["id"],
        patient_id=data["patient_id"],
        kind=data["kind"],
        due_on=dt.date.fromisoformat(data["due_on"]),
        note=data["note"],
        status=data["status"],
    )
