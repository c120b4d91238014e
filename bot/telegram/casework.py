"""Posting cases to the staff chat: the case card, relayed messages, notes."""

from __future__ import annotations

import datetime as dt
import html
import logging

from telegram import Message, ReplyParameters
from telegram.error import TelegramError

from bot.store import HandoffCase, Patient
from bot.telegram.delivery import keyboard
from bot.telegram.runtime import Runtime

log = logging.getLogger(__name__)

REASON_LABELS = {
    "not_understood": "not understood twice",
    "emergency": "EMERGENCY",
    "complaint": "complaint",
    "human": "asked for a person",
    "aftercare": "question about recent treatment",
}
SNIPPET = 300


def case_buttons(case: HandoffCase) -> list[list[dict[str, str]]]:
    """Take and Close buttons of a case card."""
    return [
        [
            {"text": "Take", "callback_data": f"case:take:{case.id}"},
            {"text": "Close", "callback_data": f"case:close:{case.id}"},
        ]
    ]


async def card_text(runtime: Runtime, case: HandoffCase, patient: Patient | None) -> str:
    """The case card: number, reason, patient link, state and the last messages (HTML)."""
    zone = runtime.front_desk.timezone
    opened = dt.datetime.fromisoformat(case.opened_at).astimezone(zone)
    reason = REASON_LABELS.get(case.reason, case.reason)
    lines = [f"<b>Case #{case.id}</b> · {html.escape(reason)}"]
    if patient is not None and patient.external_id.startswith("telegram:"):
        user_id = patient.external_id.removeprefix("telegram:")
        name = html.escape(patient.display_name or "patient")
        lines.append(f'Patient: <a href="tg://user?id={user_id}">{name}</a> (id {user_id})')
    else:
        lines.append("Patient: erased")
    lines.append(f"Opened: {opened:%Y-%m-%d %H:%M}")
    if case.status == "closed":
        lines.append("Status: closed")
    elif case.taken_by_name:
        lines.append(f"Status: taken by {html.escape(case.taken_by_name)}")
    else:
        lines.append("Status: waiting for an administrator")
    if patient is not None:
        recent = await runtime.store.conversations.recent_messages(patient.id, limit=8)
        if recent:
            lines.append("")
            lines.append("Last messages:")
            for message in recent:
                who = "patient" if message.direction == "in" else "bot"
                text = (
                    message.text if len(message.text) <= SNIPPET else message.text[:SNIPPET] + "…"
                )
                lines.append(f"<i>{who}:</i> {html.escape(text)}")
    if case.status == "open":
        lines.append("")
        lines.append(
            "Reply to this message to answer the patient. /close in reply, or Close, "
            "hands them back to the assistant."
        )
    return "\n".join(lines)


async def post_case_card(runtime: Runtime, case: HandoffCase) -> Message | None:
    """Post a new case's card to the staff chat and remember where it is."""
    if runtime.staff_chat_id is None:
        log.warning("case=%s opened but STAFF_CHAT_ID is not set", case.id)
        return None
    patient = await runtime.store.patients.by_id(case.patient_id) if case.patient_id else None
    thread_id = await _open_topic(runtime, case)
    sent = await runtime.courier.send(
        runtime.staff_chat_id,
        await card_text(runtime, case, patient),
        "case_card",
        buttons=case_buttons(case),
        parse_mode="HTML",
        message_thread_id=thread_id,
        case_id=case.id,
    )
    if not sent:
        return None
    await runtime.store.cases.set_card(case.id, sent[0].message_id, thread_id)
    log.info("case=%s card posted message=%s", case.id, sent[0].message_id)
    return sent[0]


async def _open_topic(runtime: Runtime, case: HandoffCase) -> int | None:
    """In a forum staff chat, a topic per case; elsewhere (or without the right) none."""
    if runtime.staff_chat_id is None or not await runtime.staff_chat_is_forum():
        return None
    reason = REASON_LABELS.get(case.reason, case.reason)
    try:
        topic = await runtime.courier.bot.create_forum_topic(
            runtime.staff_chat_id, f"Case #{case.id} · {reason}"[:128]
        )
    except TelegramError as error:
        log.warning("case=%s no forum topic: %s", case.id, type(error).__name__)
        return None
    return topic.message_thread_id


async def close_topic(runtime: Runtime, case: HandoffCase) -> None:
    """Close a closed case's forum topic, if it has one."""
    if runtime.staff_chat_id is None or case.staff_thread_id is None:
        return
    try:
        await runtime.courier.bot.close_forum_topic(runtime.staff_chat_id, case.staff_thread_id)
    except TelegramError as error:
        log.warning("case=%s topic not closed: %s", case.id, type(error).__name__)


async def refresh_card(runtime: Runtime, case_id: int) -> None:
    """Edit the case card to show who took it or that it is closed."""
    case = await runtime.store.cases.get(case_id)
    if case is None or case.staff_message_id is None or runtime.staff_chat_id is None:
        return
    patient = await runtime.store.patients.by_id(case.patient_id) if case.patient_id else None
    try:
        await runtime.courier.bot.edit_message_text(
            chat_id=runtime.staff_chat_id,
            message_id=case.staff_message_id,
            text=await card_text(runtime, case, patient),
            parse_mode="HTML",
            reply_markup=keyboard(case_buttons(case)) if case.status == "open" else None,
        )
    except TelegramError as error:
        log.warning("case=%s card not edited: %s", case_id, type(error).__name__)


async def relay_to_staff(runtime: Runtime, case: HandoffCase, text: str) -> None:
    """A patient's message during a case, posted as a reply to the case card."""
    if runtime.staff_chat_id is None:
        return
    await runtime.courier.send(
        runtime.staff_chat_id,
        f"Case #{case.id}, patient wrote:\n{text}",
        "relay",
        reply_to_message_id=case.staff_message_id,
        message_thread_id=case.staff_thread_id,
        case_id=case.id,
    )


async def copy_to_staff(runtime: Runtime, case: HandoffCase, message: Message) -> None:
    """A photo, voice note or file sent during a case, copied to the staff chat."""
    if runtime.staff_chat_id is None:
        return
    try:
        copied = await message.copy(
            runtime.staff_chat_id,
            message_thread_id=case.staff_thread_id,
            reply_parameters=ReplyParameters(
                case.staff_message_id, allow_sending_without_reply=True
            )
            if case.staff_message_id
            else None,
        )
    except TelegramError as error:
        log.warning("case=%s media not copied: %s", case.id, type(error).__name__)
        await staff_note(
            runtime,
            case.id,
            f"Case #{case.id}: the patient sent a file that could not be copied here.",
        )
        return
    await runtime.store.telegram.remember_case_message(
        runtime.staff_chat_id, copied.message_id, case.id
    )


async def staff_note(runtime: Runtime, case_id: int | None, text: str) -> None:
    """A short note for the administrators."""
    if runtime.staff_chat_id is None:
        return
    case = await runtime.store.cases.get(case_id) if case_id is not None else None
    await runtime.courier.send(
        runtime.staff_chat_id,
        text,
        "staff_note",
        reply_to_message_id=case.staff_message_id if case else None,
        message_thread_id=case.staff_thread_id if case else None,
        case_id=case_id,
    )
