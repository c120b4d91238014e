"""Persistence: one database (SQLite or PostgreSQL), one repository per table group."""

from contextlib import AbstractAsyncContextManager

from bot.store.announced import Announcements
from bot.store.audit import AuditLog
from bot.store.bookings import Appointment, BookingRepository, BookingRequest, NewRequest
from bot.store.branches import BranchLookups
from bot.store.cases import CaseRepository, HandoffCase
from bot.store.contact import Consent, ContactRepository, Reminder, StaffTask
from bot.store.conversations import ConversationRepository, StoredMessage
from bot.store.database import Database, DatabaseUnwritable, to_db_time, utc_now
from bot.store.inbox import Inbox, InboxItem
from bot.store.patients import Patient, PatientRepository
from bot.store.state import ConversationState, StateRepository
from bot.store.telegram import OutboxItem, TelegramRepository
from bot.store.turns import TurnRecord, TurnRepository, TurnWrites

__all__ = [
    "Appointment",
    "AuditLog",
    "BookingRepository",
    "BookingRequest",
    "BranchLookups",
    "NewRequest",
    "CaseRepository",
    "Consent",
    "ConversationState",
    "ContactRepository",
    "ConversationRepository",
    "Database",
    "DatabaseUnwritable",
    "Inbox",
    "InboxItem",
    "HandoffCase",
    "OutboxItem",
    "Patient",
    "Reminder",
    "StaffTask",
    "PatientRepository",
    "Store",
    "StoredMessage",
    "TelegramRepository",
    "TurnRecord",
    "TurnRepository",
    "TurnWrites",
    "to_db_time",
    "utc_now",
]


class Store:
    """The database with its repositories, opened and closed together."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.patients = PatientRepository(database)
        self.conversations = ConversationRepository(database)
        self.cases = CaseRepository(database)
        self.audit = AuditLog(database)
        self.telegram = TelegramRepository(database)
        self.inbox = Inbox(database)
        self.state = StateRepository(database)
        self.contact = ContactRepository(database)
        self.turns = TurnRepository(database)
        self.bookings = BookingRepository(database)
        self.branches = BranchLookups(database)
        self.announced = Announcements(database)

    async def open(self) -> None:
        """Open the database and apply migrations."""
        await self.database.open()

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        """Every write inside commits together, or none does."""
        return self.database.unit_of_work()

    async def erase_patient(self, patient_id: int) -> None:
        """Erase everything about a patient; keep an anonymous audit line and closed cases."""
        await self.database.begin_now()  # not while a staff turn reads this patient
        now = to_db_time(utc_now())
        async with self.database.transaction() as connection:
            await connection.execute(
                "UPDATE handoff_cases SET status = 'closed', closed_at = ? "
                "WHERE patient_id = ? AND status = 'open'",
                (now, patient_id),
            )
            await connection.execute(
                "DELETE FROM outbox WHERE case_id IN "
                "(SELECT id FROM handoff_cases WHERE patient_id = ?)",
                (patient_id,),
            )
            await connection.execute(  # the card stays, saying nothing about the patient
                "UPDATE booking_requests SET service = '', wishes = '', wishes_understood = '', "
                "new_or_returning = '', name = '', phone = '', status = CASE WHEN status IN "
                "('open', 'proposed') THEN 'cancelled' ELSE status END WHERE patient_id = ?",
                (patient_id,),
            )
            await connection.execute("DELETE FROM patients WHERE id = ?", (patient_id,))
            await connection.execute(
                "UPDATE audit_log SET subject = NULL WHERE actor = ?", (f"patient:{patient_id}",)
            )
            await connection.execute(
                "UPDATE audit_log SET actor = 'patient:erased' WHERE actor = ?",
                (f"patient:{patient_id}",),
            )
            await connection.execute(
                "INSERT INTO audit_log (at, actor, action) VALUES (?, 'patient:erased', "
                "'data_erased')",
                (now,),
            )
        self.database.checkpoint_wanted = True
