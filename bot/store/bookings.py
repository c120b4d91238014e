"""Appointment requests sent to the front desk, and the appointments it confirms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store.database import Database, Row, Writer, from_db_time, to_db_time, utc_now

LARGEST_ID = 2**63 - 1
#: Requests the front desk still has to answer.
OPEN_STATUSES = ("open", "proposed")


@dataclass(frozen=True)
class BookingRequest:
    """A request: what for, which days suit, who, how urgent, and where its card is."""

    id: int
    patient_id: int | None
    kind: str
    service: str
    wishes: str
    wishes_understood: str
    new_or_returning: str
    name: str
    phone: str
    urgency: str
    appointment_id: int | None
    status: str
    proposed_at: dt.datetime | None
    proposed_doctor: str | None
    created_at: dt.datetime
    staff_message_id: int | None
    staff_thread_id: int | None
    #: The date and exact time the patient named, clinic-local ISO ("2026-12-01T15:00"), or "".
    wished_at: str = ""

    @property
    def is_open(self) -> bool:
        """Whether the front desk still has to answer it."""
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class NewRequest:
    """What a patient's request says, as the conversation gathered it."""

    service: str = ""
    wishes: str = ""
    wishes_understood: str = ""
    new_or_returning: str = ""
    name: str = ""
    phone: str = ""
    urgency: str = "routine"
    kind: str = "new"
    appointment_id: int | None = None
    wished_at: str = ""


@dataclass(frozen=True)
class Appointment:
    """A confirmed (or cancelled) appointment."""

    id: int
    patient_id: int
    request_id: int | None
    starts_at: dt.datetime
    doctor: str | None
    service: str
    status: str


class BookingRepository:
    """Reads and writes booking requests and appointments."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def create(self, patient_id: int, request: NewRequest) -> BookingRequest:
        """Record a request the patient completed; it is open for the front desk."""
        row = await self.database.fetch_written(
            "INSERT INTO booking_requests (patient_id, kind, service, wishes, wishes_understood, "
            "new_or_returning, name, phone, urgency, appointment_id, wished_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                patient_id,
                request.kind,
                request.service,
                request.wishes,
                request.wishes_understood,
                request.new_or_returning,
                request.name,
                request.phone,
                request.urgency,
                request.appointment_id,
                request.wished_at,
                to_db_time(utc_now()),
            ),
        )
        return request_from_row(row)

    async def get(self, request_id: int) -> BookingRequest | None:
        """A request by number (None for a number no request can have)."""
        if not 1 <= request_id <= LARGEST_ID:
            return None
        row = await self.database.fetch_one(
            "SELECT * FROM booking_requests WHERE id = ?", (request_id,)
        )
        return request_from_row(row) if row is not None else None

    async def open_requests(self) -> list[BookingRequest]:
        """Requests the front desk has not answered yet, oldest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM booking_requests WHERE status IN ('open', 'proposed') ORDER BY id"
        )
        return [request_from_row(row) for row in rows]

    async def claim_without_card(self, request_id: int) -> bool:
        """In a unit of work: hold an open request that has no card yet; False if another
        worker holds it or it got one."""
        return await self.database.claim(
            "SELECT id FROM booking_requests WHERE id = ? AND status IN ('open', 'proposed') "
            "AND staff_message_id IS NULL",
            (request_id,),
        )

    async def requests_of(self, patient_id: int) -> list[BookingRequest]:
        """Every request of a patient, newest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM booking_requests WHERE patient_id = ? ORDER BY id DESC", (patient_id,)
        )
        return [request_from_row(row) for row in rows]

    async def open_request_of(self, patient_id: int) -> BookingRequest | None:
        """The patient's newest request still waiting for the front desk, if any."""
        row = await self.database.fetch_one(
            "SELECT * FROM booking_requests WHERE patient_id = ? "
            "AND status IN ('open', 'proposed') ORDER BY id DESC",
            (patient_id,),
        )
        return request_from_row(row) if row is not None else None

    async def request_with_card(self, message_id: int) -> BookingRequest | None:
        """The request whose card is this staff-chat message."""
        row = await self.database.fetch_one(
            "SELECT * FROM booking_requests WHERE staff_message_id = ?", (message_id,)
        )
        return request_from_row(row) if row is not None else None

    async def set_card(self, request_id: int, message_id: int, thread_id: int | None) -> None:
        """Remember where the booking card was posted in the staff chat."""
        await self.database.execute(
            "UPDATE booking_requests SET staff_message_id = ?, staff_thread_id = ? WHERE id = ?",
            (message_id, thread_id, request_id),
        )

    async def propose(self, request_id: int, starts_at: dt.datetime, doctor: str | None) -> bool:
        """The front desk proposed a time; False if the request is no longer open."""
        changed = await self.database.execute_counting(
            "UPDATE booking_requests SET status = 'proposed', proposed_at = ?, "
            "proposed_doctor = ? WHERE id = ? AND status IN ('open', 'proposed')",
            (to_db_time(starts_at), doctor, request_id),
        )
        return changed == 1

    async def confirm(
        self,
        request: BookingRequest,
        starts_at: dt.datetime,
        doctor: str | None,
        staff_id: int | None,
    ) -> Appointment | None:
        """Record the appointment and close the request; None if it was closed already.

        A request to move an appointment cancels the old one in the same transaction.
        """
        now = to_db_time(utc_now())
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE booking_requests SET status = 'confirmed', closed_at = ? "
                "WHERE id = ? AND status IN ('open', 'proposed')",
                (now, request.id),
            )
            if cursor.rowcount != 1 or request.patient_id is None:
                return None
            if request.appointment_id is not None:  # moved: the old one and its reminders go
                await _cancel_appointment(connection, request.appointment_id, now)
            rows = await connection.execute_fetchall(
                "INSERT INTO appointments (patient_id, request_id, starts_at, doctor, service, "
                "confirmed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    request.patient_id,
                    request.id,
                    to_db_time(starts_at),
                    doctor,
                    request.service,
                    staff_id,
                    now,
                ),
            )
        return next(appointment_from_row(row) for row in rows)

    async def close(self, request_id: int, status: str = "cancelled") -> bool:
        """Close a request without an appointment; False if it was not open."""
        changed = await self.database.execute_counting(
            "UPDATE booking_requests SET status = ?, closed_at = ? "
            "WHERE id = ? AND status IN ('open', 'proposed')",
            (status, to_db_time(utc_now()), request_id),
        )
        return changed == 1

    async def appointment(self, appointment_id: int) -> Appointment | None:
        """An appointment by number."""
        if not 1 <= appointment_id <= LARGEST_ID:
            return None
        row = await self.database.fetch_one(
            "SELECT * FROM appointments WHERE id = ?", (appointment_id,)
        )
        return appointment_from_row(row) if row is not None else None

    async def appointments_of(self, patient_id: int) -> list[Appointment]:
        """Every appointment of a patient, soonest first."""
        rows = await self.database.fetch_all(
            "SELECT * FROM appointments WHERE patient_id = ? ORDER BY starts_at", (patient_id,)
        )
        return [appointment_from_row(row) for row in rows]

    async def next_appointment(self, patient_id: int, now: dt.datetime) -> Appointment | None:
        """The patient's next confirmed appointment, if any."""
        row = await self.database.fetch_one(
            "SELECT * FROM appointments WHERE patient_id = ? AND status = 'confirmed' "
            "AND starts_at > ? ORDER BY starts_at",
            (patient_id, to_db_time(now)),
        )
        return appointment_from_row(row) if row is not None else None

    async def cancel_appointment(self, appointment_id: int) -> bool:
        """Cancel an appointment and its pending reminders; False if it was not confirmed."""
        async with self.database.transaction() as connection:
            return await _cancel_appointment(connection, appointment_id, to_db_time(utc_now()))


async def _cancel_appointment(connection: Writer, appointment_id: int, now: str) -> bool:
    """Cancel an appointment and its pending reminders, inside the caller's transaction."""
    rows = await connection.execute_fetchall(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = ? "
        "WHERE id = ? AND status = 'confirmed' RETURNING patient_id, starts_at",
        (now, appointment_id),
    )
    cancelled = list(rows)
    if not cancelled:
        return False
    patient_id, starts_at = cancelled[0][0], cancelled[0][1]
    await connection.execute(
        "UPDATE reminders SET status = 'cancelled', status_reason = 'appointment_cancelled' "
        "WHERE patient_id = ? AND kind = 'appointment' AND event_at = ? AND status = 'pending'",
        (patient_id, starts_at),
    )
    return True


def request_from_row(data: Row) -> BookingRequest:
    """A request from a row of booking_requests."""
    return BookingRequest(
        id=data["id"],
        patient_id=data["patient_id"],
        kind=data["kind"],
        service=data["service"],
        wishes=data["wishes"],
        wishes_understood=data["wishes_understood"],
        new_or_returning=data["new_or_returning"],
        name=data["name"],
        phone=data["phone"],
        urgency=data["urgency"],
        appointment_id=data["appointment_id"],
        status=data["status"],
        proposed_at=from_db_time(data["proposed_at"]) if data["proposed_at"] else None,
        proposed_doctor=data["proposed_doctor"],
        created_at=from_db_time(data["created_at"]),
        staff_message_id=data["staff_message_id"],
        staff_thread_id=data["staff_thread_id"],
        wished_at=data["wished_at"],
    )


def appointment_from_row(data: Row) -> Appointment:
    """An appointment from a row of appointments."""
    return Appointment(
        id=data["id"],
        patient_id=data["patient_id"],
        request_id=data["request_id"],
        starts_at=from_db_time(data["starts_at"]),
        doctor=data["doctor"],
        service=data["service"],
        status=data["status"],
    )
