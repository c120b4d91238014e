"""Posting cases to the staff chat: the case card, relayed messages, notes."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

from telegram import Message

from bot.core.turn import BOOKKEEPING
from bot.store import HandoffCase, Patient
from bot.telegram.branch_chats import branch_name, chat_for_case, chat_for_patient
from bot.telegram.delivery import RenderedCard
from bot.telegram.runtime import Runtime

log = logging.getLogger(__name__)

REASON_LABELS = {
    "not_understood": "not understood twice",
    "emergency": "EMERGENCY",
    "complaint": "complaint",
    "human": "asked for a person",
    "aftercare": "worse after a recent treatment",
    "urgent": "URGENT: wants to be seen today",
    "medical": "medical question for the doctor",
    "warranty_claim": "problem with our earlier work (warranty)",
    "language": "writes in a language the assistant doesn't read",
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
    lines = [f"<b>Case #{case.id}</b> · {html.escape(reason)}", patient_line(patient)]
    branch = branch_name(runtime, patient.branch if patient is not None else None)
    if branch is not None:
        lines.append(f"Branch: {html.escape(branch)}")
    lines.append(f"Opened: {opened:%Y-%m-%d %H:%M}")
    if case.status == "closed":
        lines.append("Status: closed")
    elif case.taken_by_name:
        lines.append(f"Status: taken by {html.escape(case.taken_by_name)}")
    else:
        lines.append("Status: waiting for an administrator")
    if patient is not None:
        stored = (await runtime.store.state.load(patient.id)).details
        details = {name: value for name, value in stored.items() if name not in BOOKKEEPING}
        if details:
            told = ", ".join(f"{name}: {value}" for name, value in sorted(details.items()))
            lines.append(f"The patient told us: {html.escape(told)}")
        lines += await recent_lines(runtime, patient.id)
    if case.status == "open":
        lines.append("")
        lines.append(
            "Reply to this message to answer the patient. /close in reply, or Close, "
            "hands them back to the assistant."
        )
    return "\n".join(lines)


def service_label(runtime: Runtime, service: str) -> str:
    """What a booking is for: a service's description up to its first pause, else as said."""
    intent = runtime.front_desk.brain.knowledge.intents.get(service)
    if intent is None:
        return service or "not said"
    return re.split(r"[:;,.(]", intent.description, maxsplit=1)[0].strip() or service


def patient_line(patient: Patient | None) -> str:
    """The patient on a card: a tg://user link with the name, or that the data was erased."""
    if patient is not None and patient.external_id.startswith("telegram:"):
        user_id = patient.external_id.removeprefix("telegram:")
        name = html.escape(patient.display_name or "patient")
        return f'Patient: <a href="tg://user?id={user_id}">{name}</a> (id {user_id})'
    if patient is not None:
        return f"Patient: {html.escape(patient.external_id)}"
    return "Patient: data erased at the patient's request"


async def recent_lines(runtime: Runtime, patient_id: int, limit: int = 8) -> list[str]:
    """The last messages of the conversation, as a card shows them (HTML), if any."""
    recent = await runtime.store.conversations.recent_messages(patient_id, limit=limit)
    if not recent:
        return []
    lines = ["", "Last messages:"]
    for message in recent:
        who = "patient" if message.direction == "in" else "bot"
        text = message.text if len(message.text) <= SNIPPET else message.text[:SNIPPET] + "…"
        lines.append(f"<i>{who}:</i> {html.escape(text)}")
    return lines


async def render_card(runtime: Runtime, case_id: int) -> RenderedCard | None:
    """The case card as it should look now (the courier renders it when it sends)."""
    case = await runtime.store.cases.get(case_id)
    if case is None:
        return None
    patient = await runtime.store.patients.by_id(case.patient_id) if case.patient_id else None
    reason = REASON_LABELS.get(case.reason, case.reason)
    return RenderedCard(
        case_id=case.id,
        text=await card_text(runtime, case, patient),
        buttons=case_buttons(case) if case.status == "open" else None,
        topic_title=f"Case #{case.id} · {reason}",
        thread_id=case.staff_thread_id,
        message_id=case.staff_message_id,
    )


async def post_case_card(runtime: Runtime, case: HandoffCase) -> None:
    """Queue a new case's card for its staff chat (the patient's branch's, else the clinic's);
    delivery links it to the case."""
    chat = await chat_for_patient(runtime, case.patient_id)
    if chat is None:
        log.warning("case=%s opened but STAFF_CHAT_ID is not set", case.id)
        return
    await runtime.courier.queue("case_card", chat, "case_card", case_id=case.id)


async def repost_missing_cards(runtime: Runtime) -> int:
    """Open cases whose card never reached the staff chat get one queued; returns how many."""
    queued = 0
    for case in await runtime.store.cases.open_cases():
        if case.staff_message_id is None and not await runtime.store.telegram.card_pending(
            case.id
        ):
            if await chat_for_patient(runtime, case.patient_id) is None:
                continue
            async with runtime.store.unit_of_work():
                # Another worker may be queueing this very card: whoever holds the case does.
                if not await runtime.store.cases.claim_without_card(
                    case.id
                ) or await runtime.store.telegram.card_pending(case.id):
                    continue
                await post_case_card(runtime, case)
            queued += 1
    return queued


async def close_topic(runtime: Runtime, case: HandoffCase) -> None:
    """Close a closed case's forum topic, if it has one (at delivery)."""
    chat = await chat_for_case(runtime, case)
    if chat is None:
        return
    await runtime.courier.queue("close_topic", chat, "staff_topic", case_id=case.id)


async def _case_chat(runtime: Runtime, case_id: int) -> int | None:
    """The chat of a case by its number (the clinic's for a case that no longer exists)."""
    case = await runtime.store.cases.get(case_id)
    return await chat_for_case(runtime, case) if case is not None else runtime.staff_chat_id


async def refresh_card(runtime: Runtime, case_id: int) -> None:
    """Edit the case card to show who took it, that it is closed or that data was erased."""
    chat = await _case_chat(runtime, case_id)
    if chat is None:
        return
    await runtime.courier.queue("edit_card", chat, "card_edit", case_id=case_id)


async def relay_to_staff(runtime: Runtime, case: HandoffCase, text: str) -> None:
    """A patient's message during a case, posted as a reply to the case card."""
    chat = await chat_for_case(runtime, case)
    if chat is None:
        return
    await runtime.courier.send(
        chat, f"Case #{case.id}, patient wrote:\n{text}", "relay", case_id=case.id
    )


async def copy_to_staff(runtime: Runtime, case: HandoffCase, message: Message) -> None:
    """A photo, voice note or file sent during a case, copied to the staff chat."""
    chat = await chat_for_case(runtime, case)
    if chat is None:
        return
    await runtime.courier.queue(
        "copy_message",
        chat,
        "relay",
        extra={"from_chat_id": message.chat_id, "message_id": message.message_id},
        case_id=case.id,
    )


async def staff_note(runtime: Runtime, case_id: int | None, text: str) -> None:
    """A short note for the administrators (in the case's chat and thread, if it has one)."""
    chat = await _case_chat(runtime, case_id) if case_id is not None else runtime.staff_chat_id
    if chat is None:
        return
    await runtime.courier.send(chat, text, "staff_note", case_id=case_id)
