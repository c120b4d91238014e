"""Staff commands for contact with a reason: /remind, /task, and the customer card /card."""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import NamedTuple
from zoneinfo import ZoneInfo

from telegram import Message, Update

from bot.reminders import REMINDER_KINDS, TASK_KINDS, plan_appointment, plan_period
from bot.store import HandoffCase, Patient, StaffTask
from bot.telegram.runtime import Context, Runtime, runtime_of
from bot.telegram.staff import case_of

log = logging.getLogger(__name__)

REMIND_USAGE = (
    "Reply to a case message (or start with the case number, e.g. #12):\n"
    "/remind appointment 2026-12-03 14:30 Dr. Kim\n"
    "/remind hygiene 2027-05-20\n"
    "/remind checkup 2027-05-20"
)
TASK_USAGE = (
    "Reply to a case message (or start with the case number, e.g. #12):\n"
    "/task plan 2026-12-10 the agreed crown on the lower left molar is not done yet\n"
    "/task feedback 2026-12-01 agreed to call and ask how the extraction healed"
)


async def _case_and_patient(
    runtime: Runtime, message: Message, arguments: list[str]
) -> tuple[HandoffCase | None, Patient | None, list[str]]:
    """The case and patient a staff command is about: by case number or by the reply."""
    case_id: int | None = None
    if arguments and arguments[0].startswith("#") and arguments[0][1:].isdigit():
        case_id = int(arguments[0][1:])
        arguments = arguments[1:]
    else:
        case_id = await case_of(runtime, message)
    case = await runtime.store.cases.get(case_id) if case_id is not None else None
    patient = (
        await runtime.store.patients.by_id(case.patient_id)
        if case is not None and case.patient_id is not None
        else None
    )
    return case, patient, arguments


def _zone(runtime: Runtime) -> ZoneInfo:
    return runtime.front_desk.timezone


class StaffRequest(NamedTuple):
    """A staff command about one patient: who asked, which case, which patient, the rest."""

    runtime: Runtime
    message: Message
    case: HandoffCase
    patient: Patient
    arguments: list[str]


async def _staff_request(update: Update, context: Context, usage: str) -> StaffRequest | None:
    """Resolve the case and patient of a staff command, or answer with the usage."""
    message = update.effective_message
    if message is None:
        return None
    runtime = runtime_of(context)
    case, patient, arguments = await _case_and_patient(runtime, message, list(context.args or []))
    if case is None or patient is None:
        await _say(runtime, message, usage)
        return None
    return StaffRequest(runtime, message, case, patient, arguments)


async def on_remind(update: Update, context: Context) -> None:
    """/remind: record an appointment or a hygiene/check-up date as a reason for reminders."""
    request = await _staff_request(update, context, "Which patient? " + REMIND_USAGE)
    if request is None:
        return
    runtime, message, case, patient, arguments = request
    kind = arguments[0].lower() if arguments else ""
    zone = _zone(runtime)
    try:
        day = dt.date.fromisoformat(arguments[1])
        if kind == "appointment":
            at = dt.time.fromisoformat(arguments[2])
            doctor = " ".join(arguments[3:]) or None
    except (IndexError, ValueError):
        await _say(runtime, message, REMIND_USAGE)
        return
    if kind not in REMINDER_KINDS:
        await _say(runtime, message, REMIND_USAGE)
        return
    staff_id = message.from_user.id if message.from_user else None
    quiet = runtime.scheduler.quiet
    if kind == "appointment":
        event = dt.datetime.combine(day, at, zone)
        plans = plan_appointment(event, quiet)
    else:
        event = dt.datetime.combine(day, dt.time(9), zone)
        doctor = None
        plans = [plan_period(kind, day, zone, quiet)]
    for plan in plans:
        await runtime.store.contact.add_reminder(
            patient.id,
            kind,
            plan.template,
            event,
            doctor,
            plan.due_at,
            plan.useful_until,
            staff_id,
        )
    await runtime.store.audit.record(
        f"staff:{staff_id}", "reminder_recorded", f"case:{case.id} kind:{kind}"
    )
    when = ", ".join(f"{p.due_at.astimezone(zone):%a %d %b %H:%M}" for p in plans)
    lines = [
        f"Recorded for case #{case.id}: {kind} on {event:%a %d %b}"
        + (f" at {event:%H:%M}" if kind == "appointment" else "")
        + (f" with {doctor}" if doctor else "")
        + ".",
        f"Reminder(s) planned: {when} (clinic time).",
    ]
    if not await runtime.store.contact.has_consent(patient.id, kind):
        lines.append(
            f"The patient has NOT agreed to {kind} reminders, so nothing will be sent "
            "unless they agree (they can ask the bot for reminders)."
        )
    log.info("case=%s reminder kind=%s recorded by staff=%s", case.id, kind, staff_id)
    await _say(runtime, message, "\n".join(lines))


async def on_task(update: Update, context: Context) -> None:
    """/task: a follow-up call (unfinished plan, agreed feedback) for a person, on a date."""
    request = await _staff_request(update, context, "Which patient? " + TASK_USAGE)
    if request is None:
        return
    runtime, message, case, patient, arguments = request
    try:
        kind = arguments[0].lower()
        day = dt.date.fromisoformat(arguments[1])
        note = " ".join(arguments[2:])
    except (IndexError, ValueError):
        await _say(runtime, message, TASK_USAGE)
        return
    if kind not in TASK_KINDS or not note:
        await _say(runtime, message, TASK_USAGE)
        return
    staff_id = message.from_user.id if message.from_user else None
    task_id = await runtime.store.contact.add_task(patient.id, kind, day, note, staff_id)
    await runtime.store.audit.record(
        f"staff:{staff_id}", "task_recorded", f"case:{case.id} task:{task_id}"
    )
    await _say(
        runtime,
        message,
        f"Task #{task_id} recorded: on {day:%a %d %b} this chat gets "
        "a reminder to call the patient. The bot itself will not message them.",
    )


async def post_task(runtime: Runtime, task: StaffTask, patient: Patient) -> None:
    """Post a due follow-up task to the staff chat, for a person to call."""
    if runtime.staff_chat_id is None:
        return
    reason = "unfinished treatment plan" if task.kind == "plan" else "agreed feedback call"
    await runtime.courier.send(
        runtime.staff_chat_id,
        f"<b>Follow-up task #{task.id}</b> · {reason}\n"
        f"Patient: {_patient_link(patient)}\n"
        f"Recorded reason: {html.escape(task.note)}\n"
        "Please call the patient as agreed. The bot does not message them about this.",
        "staff_task",
        parse_mode="HTML",
    )


def _patient_link(patient: Patient) -> str:
    user_id = patient.external_id.removeprefix("telegram:")
    name = html.escape(patient.display_name or "patient")
    return f'<a href="tg://user?id={user_id}">{name}</a> (id {user_id})'


async def on_card(update: Update, context: Context) -> None:
    """/card: the customer service card of a case's patient."""
    request = await _staff_request(
        update, context, "Reply /card to a case message, or write /card #12."
    )
    if request is None:
        return
    runtime, message, case, patient, _ = request
    staff_id = message.from_user.id if message.from_user else None
    await runtime.store.audit.record(f"staff:{staff_id}", "card_viewed", f"case:{case.id}")
    text = await card_text(runtime, patient)
    await runtime.courier.send(
        message.chat_id,
        text,
        "staff_note",
        parse_mode="HTML",
        reply_to_message_id=message.message_id,
    )


async def card_text(runtime: Runtime, patient: Patient) -> str:
    """Consents, reminders, offers shown, cases and recent intents, with dates."""
    store = runtime.store
    zone = _zone(runtime)

    def local(stamp: str | dt.datetime | None) -> str:
        if stamp is None:
            return "-"
        moment = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"

    lines = [f"<b>Customer card</b>: {_patient_link(patient)}"]
    if patient.opted_out:
        lines.append(
            "Messages: STOPPED by the patient"
            + (" (blocked the bot)" if patient.unreachable else "")
        )
    lines.append("\n<b>Consents</b>")
    consents = await store.contact.consents(patient.id)
    lines += [
        f"• {c.kind} via {c.channel}, agreed {local(c.granted_at)}"
        + (f", withdrawn {local(c.withdrawn_at)}" if c.withdrawn_at else "")
        for c in consents
    ] or ["• none"]
    lines.append("\n<b>Reminders</b>")
    reminders = await store.contact.reminders_of(patient.id)
    lines += [
        f"• {r.kind} ({r.template.removeprefix('reminder_')}) due {local(r.due_at)}: {r.status}"
        + (f" at {local(r.sent_at)}" if r.sent_at else "")
        + (f" ({html.escape(r.status_reason)})" if r.status_reason else "")
        for r in reminders
    ] or ["• none"]
    lines.append("\n<b>Follow-up tasks</b>")
    tasks = await store.contact.tasks_of(patient.id)
    lines += [f"• {t.kind} on {t.due_on}: {t.status}" for t in tasks] or ["• none"]
    lines.append("\n<b>Offers shown</b>")
    offers = await store.conversations.offers_shown(patient.id)
    lines += [f"• {offer_id} on {local(at)}" for offer_id, at in offers] or ["• none"]
    lines.append("\n<b>Cases</b>")
    cases = await store.cases.cases_of(patient.id)
    lines += [f"• #{c.id} {c.reason}, opened {local(c.opened_at)}, {c.status}" for c in cases]
    lines.append("\n<b>Recent questions</b>")
    intents = await store.conversations.recent_intents(patient.id, limit=8)
    lines += [f"• {name} ({local(at)})" for name, at in intents] or ["• none"]
    return "\n".join(lines)


async def _say(runtime: Runtime, message: Message, text: str) -> None:
    await runtime.courier.send(
        message.chat_id, text, "staff_note", reply_to_message_id=message.message_id
    )
