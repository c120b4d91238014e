"""Reminders and follow-up tasks: when to send, what to say, and sending each exactly once.

Transport-free: the adapter gives a function that delivers a text to a patient and one that
posts a task to the staff. A reminder goes out only with the patient's consent for its kind,
never in quiet hours, and is skipped (and recorded so) once it would no longer be useful.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.replies import ReplyBook
from bot.store import Patient, Reminder, StaffTask, Store

log = logging.getLogger(__name__)

REMINDER_KINDS = ("appointment", "hygiene", "checkup")
TASK_KINDS = ("plan", "feedback")
PERIOD_REMINDER_HOUR = 10
PERIOD_USEFUL_DAYS = 14


@dataclass(frozen=True)
class QuietHours:
    """Clinic-local hours when no reminder is sent (may span midnight)."""

    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        """From "21:00" and "09:00"."""
        return cls(dt.time.fromisoformat(start), dt.time.fromisoformat(end))

    def contains(self, moment: dt.time) -> bool:
        """Whether a local time of day is quiet."""
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def next_allowed(self, local: dt.datetime) -> dt.datetime:
        """The same moment if allowed, else the end of these quiet hours."""
        if not self.contains(local.timetz().replace(tzinfo=None)):
            return local
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + dt.timedelta(days=1)


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder to store: which text, when, and until when it is worth sending."""

    template: str
    due_at: dt.datetime
    useful_until: dt.datetime


def plan_appointment(event: dt.datetime, quiet: QuietHours) -> list[PlannedReminder]:
    """The day before and two hours before, moved out of quiet hours while still useful."""
    zone = event.tzinfo
    assert zone is not None, "appointment times must be timezone-aware"
    plans = [
        (
            "reminder_appointment_day_before",
            event - dt.timedelta(days=1),
            event - dt.timedelta(hours=3),
        ),
        (
            "reminder_appointment_soon",
            event - dt.timedelta(hours=2),
            event - dt.timedelta(minutes=15),
        ),
    ]
    planned = []
    for template, due, useful_until in plans:
        due = quiet.next_allowed(due.astimezone(zone))
        planned.append(
            PlannedReminder(template, due.astimezone(dt.UTC), useful_until.astimezone(dt.UTC))
        )
    return planned


def plan_period(kind: str, day: dt.date, zone: ZoneInfo, quiet: QuietHours) -> PlannedReminder:
    """A hygiene or check-up reminder on the day, in the morning, useful for two weeks."""
    due = quiet.next_allowed(dt.datetime.combine(day, dt.time(PERIOD_REMINDER_HOUR), zone))
    useful_until = dt.datetime.combine(
        day + dt.timedelta(days=PERIOD_USEFUL_DAYS), dt.time(23, 59), zone
    )
    return PlannedReminder(
        f"reminder_{kind}", due.astimezone(dt.UTC), useful_until.astimezone(dt.UTC)
    )


def reminder_text(replies: ReplyBook, reminder: Reminder, zone: ZoneInfo) -> str:
    """Date, time, place and doctor only: never clinical details."""
    local = reminder.event_at.astimezone(zone)
    return replies.text(
        reminder.template,
        reminder.id,
        date=f"{local:%A}, {local.day} {local:%B}",
        time=f"{local:%H:%M}",
        doctor=reminder.doctor or "your doctor",
    )


class _NotQueued(Exception):
    """The reminder could not be queued (no chat, or already queued): nothing was written."""


SendToPatient = Callable[[Patient, str, int], Awaitable[int | None]]
PostTask = Callable[[StaffTask, Patient], Awaitable[None]]


class ReminderScheduler:
    """Sends due reminders and posts due staff tasks; each exactly once, across restarts."""

    def __init__(
        self,
        store: Store,
        replies: Callable[[Patient], ReplyBook],
        zone: Callable[[], ZoneInfo],
        quiet: QuietHours,
        send: SendToPatient,
        post_task: PostTask,
    ) -> None:
        self.store = store
        self._replies = replies
        self._zone = zone
        self.quiet = quiet
        self._send = send
        self._post_task = post_task

    async def run_due(self, now: dt.datetime) -> dict[str, int]:
        """Handle everything due at `now`; returns counts by outcome."""
        counts = {"sent": 0, "skipped": 0, "waiting": 0, "tasks": 0}
        zone = self._zone()
        local = now.astimezone(zone)
        quiet = self.quiet.contains(local.timetz().replace(tzinfo=None))
        for reminder in await self.store.contact.due_reminders(now):
            try:
                outcome = await self._handle(reminder, now, quiet, zone)
            except _NotQueued:
                outcome = "skipped"
            counts[outcome] += 1
        if not quiet:
            for task in await self.store.contact.due_tasks(local.date()):
                patient = await self.store.patients.by_id(task.patient_id)
                if patient is None:
                    continue
                async with self.store.unit_of_work():
                    if await self.store.contact.mark_task_posted(task.id):
                        await self._post_task(task, patient)
                        await self.store.audit.record("bot", "task_posted", f"task:{task.id}")
                        counts["tasks"] += 1
        return counts

    async def _handle(
        self, reminder: Reminder, now: dt.datetime, quiet: bool, zone: ZoneInfo
    ) -> str:
        contact = self.store.contact
        patient = await self.store.patients.by_id(reminder.patient_id)
        reason = None
        if now > reminder.useful_until:
            reason = "too late to be useful"
        elif patient is None or patient.opted_out or patient.unreachable:
            reason = "patient opted out or unreachable"
        elif not await contact.has_consent(reminder.patient_id, reminder.kind):
            reason = f"no consent for {reminder.kind} reminders"
        if reason is not None:
            await contact.finish_reminder(reminder.id, "skipped", reason)
            log.info("reminder=%s skipped: %s", reminder.id, reason)
            return "skipped"
        if quiet:
            return "waiting"
        assert patient is not None
        # Queued and marked in one unit of work; it counts as sent only when Telegram accepts
        # it (the outbox records that), so a crash neither loses nor repeats it.
        async with self.store.unit_of_work():
            if not await contact.claim_reminder(reminder.id):
                return "waiting"  # another worker is sending it
            outbox_id = await self._send(
                patient, reminder_text(self._replies(patient), reminder, zone), reminder.id
            )
            if outbox_id is None or not await contact.queue_reminder(reminder.id, outbox_id):
                raise _NotQueued
        log.info("reminder=%s queued patient=%s", reminder.id, patient.id)
        return "sent"
