"""Staff commands for contact with a reason: /remind, /task, and the customer card /card."""

from __future__ import annotations

import datetime as dt
import html
import logging
from zoneinfo import ZoneInfo

from telegram import Message, Update

from bot.reminders import PlannedReminder, plan_appointment, plan_period
from bot.store import HandoffCase, Patient, StaffTask
from bot.telegram.arguments import (
    ArgumentProblem,
    card_arguments,
    remind_arguments,
    task_arguments,
)
from bot.telegram.branch_chats import another_branch, chat_for_branch, sees, visible_branches
from bot.telegram.casework import service_label
from bot.telegram.runtime import Context, Runtime, runtime_of
from bot.telegram.staff import case_of
from bot.telegram.which_case import named_case, tell

log = logging.getLogger(__name__)


async def _case_and_patient(
    runtime: Runtime, message: Message, case_id: int | None, command: str, example: str
) -> tuple[HandoffCase, Patient] | None:
    """The named or replied-to case and its patient, or None once the staff chat was told why."""
    case = await named_case(
        runtime,
        message,
        case_id,
        case_of,
        f"Which patient? Reply {command} to a case message, or name the case: {example}",
    )
    if case is None:
        return None
    patient = (
        await runtime.store.patients.by_id(case.patient_id)
        if case.patient_id is not None
        else None
    )
    if patient is None:
        await tell(runtime, message, f"Case #{case.id} has no patient any more (erased).")
        return None
    if not sees(visible_branches(runtime, message.chat_id, message.from_user), patient.branch):
        await tell(runtime, message, another_branch(runtime, patient.branch))
        return None  # another branch's patient: their desk (or an unlimited manager) acts
    return case, patient


def _zone(runtime: Runtime) -> ZoneInfo:
    return runtime.front_desk.timezone


def _now(runtime: Runtime) -> dt.datetime:
    """The clinic's local time now."""
    return runtime.clock().astimezone(_zone(runtime))


async def on_remind(update: Update, context: Context) -> None:
    """/remind: record an appointment or a hygiene/check-up date as a reason for reminders."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()  # the patient cannot be erased under this turn
    try:
        request = remind_arguments(context.args or [], _now(runtime))
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    found = await _case_and_patient(
        runtime, message, request.case_id, "/remind", "/remind #12 hygiene YYYY-MM-DD"
    )
    if found is None:
        return
    case, patient = found
    kind, doctor = request.kind, request.doctor
    zone = _zone(runtime)
    staff_id = message.from_user.id if message.from_user else None
    quiet = runtime.scheduler.quiet
    if request.at is not None:
        event = dt.datetime.combine(request.day, request.at, zone)
        plans = plan_appointment(event, quiet)
    else:
        event = dt.datetime.combine(request.day, dt.time(9), zone)
        plans = [plan_period(kind, request.day, zone, quiet)]
    await record_reminders(runtime, patient.id, kind, event, doctor, plans, staff_id)
    await runtime.store.audit.record(
        f"staff:{staff_id}", "reminder_recorded", f"case:{case.id} kind:{kind}"
    )
    when = planned_times(runtime, plans)
    lines = [
        f"Recorded for case #{case.id}: {kind} on {event:%a %d %b}"
        + (f" at {event:%H:%M}" if kind == "appointment" else "")
        + (f" with {doctor}" if doctor else "")
        + ".",
        f"Reminder(s) planned: {when} (clinic time).",
    ]
    if not await runtime.store.contact.has_consent(patient.id, kind):
        lines.append(no_consent_line(kind))
    log.info("case=%s reminder kind=%s recorded by staff=%s", case.id, kind, staff_id)
    await tell(runtime, message, "\n".join(lines))


async def record_reminders(
    runtime: Runtime,
    patient_id: int,
    kind: str,
    event: dt.datetime,
    doctor: str | None,
    plans: list[PlannedReminder],
    staff_id: int | None,
) -> None:
    """Schedule planned reminders; sending waits for the patient's consent to that kind."""
    for plan in plans:
        await runtime.store.contact.add_reminder(
            patient_id,
            kind,
            plan.template,
            event,
            doctor,
            plan.due_at,
            plan.useful_until,
            staff_id,
        )


def planned_times(runtime: Runtime, plans: list[PlannedReminder]) -> str:
    """When planned reminders fall due, in clinic time: "Mon 07 Dec 14:30, Tue 08 Dec 12:30"."""
    zone = _zone(runtime)
    return ", ".join(f"{p.due_at.astimezone(zone):%a %d %b %H:%M}" for p in plans)


def no_consent_line(kind: str) -> str:
    """Said to the staff when the patient has not agreed to this kind of reminder."""
    return (
        f"The patient has NOT agreed to {kind} reminders, so nothing will be sent "
        "unless they agree (they can ask the bot for reminders)."
    )


async def on_task(update: Update, context: Context) -> None:
    """/task: a follow-up call (unfinished plan, agreed feedback) for a person, on a date."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()  # the patient cannot be erased under this turn
    try:
        request = task_arguments(context.args or [], _now(runtime).date())
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    found = await _case_and_patient(
        runtime, message, request.case_id, "/task", "/task #12 plan YYYY-MM-DD <what was agreed>"
    )
    if found is None:
        return
    case, patient = found
    staff_id = message.from_user.id if message.from_user else None
    task_id = await runtime.store.contact.add_task(
        patient.id, request.kind, request.day, request.note, staff_id
    )
    await runtime.store.audit.record(
        f"staff:{staff_id}", "task_recorded", f"case:{case.id} task:{task_id}"
    )
    await tell(
        runtime,
        message,
        f"Task #{task_id} recorded: on {request.day:%a %d %b} this chat gets "
        "a reminder to call the patient. The bot itself will not message them.",
    )


async def post_task(runtime: Runtime, task: StaffTask, patient: Patient) -> None:
    """Post a due follow-up task to the patient's branch's staff chat, for a person to call."""
    chat = chat_for_branch(runtime, patient.branch)
    if chat is None:
        return
    reason = "unfinished treatment plan" if task.kind == "plan" else "agreed feedback call"
    await runtime.courier.send(
        chat,
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
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    try:
        case_id = card_arguments(context.args or [])
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    found = await _case_and_patient(runtime, message, case_id, "/card", "/card #12")
    if found is None:
        return
    case, patient = found
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
    lines.append("\n<b>Booking requests</b>")
    requests = await store.bookings.requests_of(patient.id)
    lines += [
        f"• #{r.id} {r.kind}: {html.escape(service_label(runtime, r.service))}, "
        f"asked {local(r.created_at)}, {r.status}"
        for r in requests
    ] or ["• none"]
    lines.append("\n<b>Appointments</b>")
    appointments = await store.bookings.appointments_of(patient.id)
    lines += [
        f"• #{a.id} {local(a.starts_at)}"
        + (f" with {html.escape(a.doctor)}" if a.doctor else "")
        + (f", {html.escape(service_label(runtime, a.service))}" if a.service else "")
        + f": {a.status}"
        for a in appointments
    ] or ["• none"]
    lines.append("\n<b>Recent questions</b>")
    intents = await store.conversations.recent_intents(patient.id, limit=8)
    lines += [f"• {name} ({local(at)})" for name, at in intents] or ["• none"]
    return "\n".join(lines)
