"""Handlers for administrators in the staff chat: answer, take, close, list cases."""

from __future__ import annotations

import logging
import re

from telegram import CallbackQuery, Message, Update, User

from bot.telegram.arguments import ArgumentProblem, case_number, no_arguments
from bot.telegram.branch_chats import branch_name, is_staff_chat, sees, visible_branches
from bot.telegram.casework import close_topic, refresh_card, staff_note
from bot.telegram.runtime import Context, Runtime, runtime_of
from bot.telegram.which_case import case_to_close

log = logging.getLogger(__name__)

#: Every message the bot posts about a case starts with its number ("Case #12 ...").
CASE_NUMBER = re.compile(r"^Case #(\d+)\b")


def staff_name(user: User | None) -> str:
    """How an administrator is shown on a case card."""
    if user is None:
        return "an administrator"
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


async def on_reply(update: Update, context: Context) -> None:
    """An administrator replied to a case message: deliver the answer to the patient."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    await runtime.store.database.begin_now()
    case_id = await case_of(runtime, message)
    if case_id is None:
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            await runtime.courier.send(
                message.chat_id,
                "I can't tell which case that reply is for, so it went to no patient. Reply "
                "to the case card or to a message of the case.",
                "staff_note",
            )
        return
    case = await runtime.store.cases.get(case_id)
    if case is None or case.status != "open" or case.patient_id is None:
        await staff_note(
            runtime, case_id, f"Case #{case_id} is closed; the patient did not get this message."
        )
        return
    patient = await runtime.store.patients.by_id(case.patient_id)
    if patient is None or patient.chat_id is None:
        return
    if case.taken_by is None and message.from_user is not None:
        await runtime.store.cases.take(
            case.id, message.from_user.id, staff_name(message.from_user)
        )
        await runtime.store.audit.record(
            f"staff:{message.from_user.id}", "take", f"case:{case.id}"
        )
        await refresh_card(runtime, case.id)
    if message.text:
        await runtime.courier.send(
            patient.chat_id, message.text, "staff_reply", patient_id=patient.id
        )
        await runtime.store.conversations.record_message(patient.id, "out", message.text)
    else:
        await runtime.courier.queue(
            "copy_message",
            patient.chat_id,
            "staff_reply",
            extra={"from_chat_id": message.chat_id, "message_id": message.message_id},
            patient_id=patient.id,
        )
    log.info("case=%s staff reply queued", case.id)


async def case_of(runtime: Runtime, message: Message) -> int | None:
    """The case a staff message is about: the message it replies to, or its forum topic."""
    replied = message.reply_to_message
    if replied is not None:
        case_id = await runtime.store.telegram.case_of_message(message.chat_id, replied.message_id)
        if case_id is not None:
            return case_id
        # A card or relay whose delivery was not recorded yet (or was posted twice across a
        # crash): our own messages about a case start with its number.
        from_bot = replied.from_user is not None and replied.from_user.is_bot
        number = CASE_NUMBER.match(replied.text or "") if from_bot else None
        if number is not None:
            return int(number.group(1))
    if message.is_topic_message and message.message_thread_id is not None:
        return await runtime.store.cases.open_case_in_thread(message.message_thread_id)
    return None


async def on_button(update: Update, context: Context) -> None:
    """Take or Close pressed on a case card; refused outside the staff chat."""
    query = update.callback_query
    if query is None:
        return
    runtime = runtime_of(context)
    if await refused_outside_staff_chat(runtime, update, query, "case"):
        return
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    number = parts[2] if len(parts) > 2 else ""
    try:
        case = await runtime.store.cases.get(case_number(number))
    except ArgumentProblem:
        case = None
    if case is None:
        await answer_button(runtime, query, "This case no longer exists.")
        return
    user = query.from_user
    if action == "take":
        if case.status != "open":
            await answer_button(runtime, query, f"Case #{case.id} is already closed.")
            return
        await runtime.store.cases.take(case.id, user.id, staff_name(user))
        await runtime.store.audit.record(f"staff:{user.id}", "take", f"case:{case.id}")
        await answer_button(runtime, query, f"You took case #{case.id}.")
        await refresh_card(runtime, case.id)
    elif action == "close":
        closed = await close_case(runtime, case.id, user)
        await answer_button(
            runtime, query, f"Case #{case.id} closed." if closed else "Already closed."
        )
    else:
        await answer_button(runtime, query, "Unknown action.")


async def on_close_command(update: Update, context: Context) -> None:
    """/close in reply to a case message (or /close N) hands the patient back to the bot."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    case_id = await case_to_close(runtime, message, context.args or [], case_of)
    if case_id is None:
        return
    closed = await close_case(runtime, case_id, message.from_user)
    if not closed:
        await staff_note(runtime, case_id, f"Case #{case_id} is not open.")


async def close_case(runtime: Runtime, case_id: int, user: User | None) -> bool:
    """Close a case, tell the patient they are back with the assistant, update the card."""
    await runtime.store.database.begin_now()
    case = await runtime.store.cases.get(case_id)
    if case is None or not await runtime.store.cases.close(case_id, user.id if user else None):
        return False
    await runtime.store.audit.record(
        f"staff:{user.id if user else 'unknown'}", "close", f"case:{case_id}"
    )
    patient = await runtime.store.patients.by_id(case.patient_id) if case.patient_id else None
    if patient is not None and patient.chat_id is not None:
        text = runtime.front_desk.brain.replies.text("handback", case_id)
        await runtime.courier.send(patient.chat_id, text, "patient_reply", patient_id=patient.id)
        await runtime.store.conversations.record_message(patient.id, "out", text)
    await refresh_card(runtime, case_id)
    await close_topic(runtime, case)
    log.info("case=%s closed", case_id)
    return True


async def on_cases_command(update: Update, context: Context) -> None:
    """/cases lists the open cases."""
    message = update.effective_message
    if message is None:
        return
    runtime = runtime_of(context)
    try:
        no_arguments(context.args or [], "/cases")
    except ArgumentProblem as problem:
        await runtime.courier.send(message.chat_id, str(problem), "staff_note")
        return
    cases = await runtime.store.cases.open_cases()
    ids = [case.patient_id for case in cases if case.patient_id is not None]
    branch_of = await runtime.store.patients.branches_of(ids)
    visible = visible_branches(runtime, message.chat_id, message.from_user)
    cases = [case for case in cases if sees(visible, branch_of.get(case.patient_id or 0))]
    if not cases:
        text = "No open cases."
    else:
        lines = [f"Open cases ({len(cases)}):"]
        for case in cases:
            who = f"taken by {case.taken_by_name}" if case.taken_by_name else "not taken"
            branch = branch_name(runtime, branch_of.get(case.patient_id or 0))
            where = f" · {branch}" if branch is not None else ""
            lines.append(
                f"#{case.id} · {case.reason}{where} · opened {case.opened_at[:16]} UTC · {who}"
            )
        text = "\n".join(lines)
    await runtime.courier.send(message.chat_id, text, "staff_note")


async def on_chat_id_command(update: Update, context: Context) -> None:
    """/chatid prints the id of the chat it is sent in (to set STAFF_CHAT_ID)."""
    message = update.effective_message
    if message is None:
        return
    await runtime_of(context).courier.send(
        message.chat_id, f"This chat's id is {message.chat_id}", "staff_note"
    )


async def refused_outside_staff_chat(
    runtime: Runtime, update: Update, query: CallbackQuery, card: str
) -> bool:
    """Refuse a card's button pressed anywhere but the staff chat; True if refused."""
    chat = update.effective_chat
    if chat is not None and is_staff_chat(runtime, chat.id):
        return False
    log.warning("update=%s %s button outside the staff chat refused", update.update_id, card)
    await answer_button(runtime, query, "Only the clinic's staff can do this.")
    return True


async def answer_button(
    runtime: Runtime, query: CallbackQuery, text: str, alert: bool = True
) -> None:
    """Answer a pressed button (by default as an alert the administrator must dismiss)."""
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    await runtime.answer_button(query.id, chat_id, text, alert=alert)
