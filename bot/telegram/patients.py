"""Handlers for patients in private chats: text, buttons, edits, and everything that isn't text.

Each runs inside its update's unit of work: what it decides is queued in the outbox and
committed with the update's "done" mark; nothing here calls Telegram directly.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update

from bot.core import (
    BookingChanged,
    BookingRequested,
    DataErased,
    HandoffOpened,
    OfferShown,
    OptedIn,
    OptedOut,
    Outcome,
    RelayedToStaff,
)
from bot.telegram.bookings import (
    on_booking_changed,
    on_booking_requested,
    refresh_booking_card,
)
from bot.telegram.branch_chats import chat_for_branch
from bot.telegram.casework import (
    copy_to_staff,
    post_case_card,
    refresh_card,
    relay_to_staff,
    staff_note,
)
from bot.telegram.runtime import Context, Runtime, patient_key, runtime_of

log = logging.getLogger(__name__)


async def on_text(update: Update, context: Context) -> None:
    """A patient wrote a text message."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    runtime = runtime_of(context)
    outcome = await runtime.front_desk.handle_text(
        patient_key(user.id), message.text, display_name=user.first_name, chat_id=message.chat_id
    )
    await deliver_outcome(runtime, update, outcome)


async def on_edited(update: Update, context: Context) -> None:
    """A patient edited a message: relayed, marked as edited, during a case; else ignored."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    runtime = runtime_of(context)
    patient = await runtime.store.patients.find(patient_key(user.id))
    case = await runtime.store.cases.open_for_patient(patient.id) if patient else None
    if case is None or patient is None:
        log.info("update=%s edit outside a case ignored", update.update_id)
        return
    text = message.text or message.caption or "(a file)"
    await runtime.store.conversations.record_message(patient.id, "in", f"(edited) {text}")
    await relay_to_staff(runtime, case, f"(edited) {text}")


async def on_choice(update: Update, context: Context) -> None:
    """A patient pressed one of the bot's buttons (a stale or forged one is answered politely)."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    runtime = runtime_of(context)
    await runtime.answer_button(query.id, chat.id if chat else user.id)
    if chat is not None and chat.type != chat.PRIVATE:
        log.info("update=%s button outside a private chat ignored", update.update_id)
        return
    if query.message is not None and query.message.is_accessible and chat is not None:
        await runtime.courier.queue(
            "clear_buttons",
            chat.id,
            "patient_reply",
            extra={"message_id": query.message.message_id},
            lifetime=dt.timedelta(hours=1),
        )
    outcome = await runtime.front_desk.handle_choice(
        patient_key(user.id), query.data or "", user.first_name, chat.id if chat else None
    )
    await deliver_outcome(runtime, update, outcome)


async def on_other_content(update: Update, context: Context) -> None:
    """Photos, voice notes, stickers, files, locations: copied to a case, else 'please write'."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    runtime = runtime_of(context)
    patient = await runtime.store.patients.get_or_create(
        patient_key(user.id), user.first_name, message.chat_id
    )
    case = await runtime.store.cases.open_for_patient(patient.id)
    if case is not None:
        await copy_to_staff(runtime, case, message)
        return
    await runtime.courier.send(
        message.chat_id,
        runtime.front_desk.brain.replies.text("non_text"),
        "patient_reply",
        patient_id=patient.id,
    )


async def on_staff_command_from_patient(update: Update, context: Context) -> None:
    """A patient tried a staff command: refuse politely, do nothing."""
    message = update.effective_message
    if message is None:
        return
    await runtime_of(context).courier.send(
        message.chat_id, "Sorry, that command is only for the clinic's staff.", "patient_reply"
    )


async def deliver_outcome(runtime: Runtime, update: Update, outcome: Outcome) -> None:
    """Queue the core's messages to the patient and carry out its effects on the staff side."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    patient = await runtime.store.patients.find(patient_key(user.id))
    patient_id = patient.id if patient is not None else None
    for message in outcome.messages:
        buttons = [[{"text": c.label, "callback_data": c.value}] for c in message.choices]
        await runtime.courier.send(
            chat.id, message.text, "patient_reply", buttons=buttons or None, patient_id=patient_id
        )
    for effect in outcome.effects:
        if isinstance(effect, HandoffOpened) and effect.new:
            case = await runtime.store.cases.get(effect.case_id)
            if case is not None:
                await post_case_card(runtime, case)
        elif isinstance(effect, RelayedToStaff):
            case = await runtime.store.cases.get(effect.case_id)
            if case is not None:
                await relay_to_staff(runtime, case, effect.text)
        elif isinstance(effect, DataErased):
            await _forget_everywhere(runtime, chat.id, update.update_id, effect)
        elif isinstance(effect, BookingRequested):
            await on_booking_requested(runtime, effect)
        elif isinstance(effect, BookingChanged):
            await on_booking_changed(runtime, effect)
        elif isinstance(effect, OfferShown | OptedOut | OptedIn):
            log.info("update=%s effect=%s", update.update_id, type(effect).__name__)


async def _forget_everywhere(
    runtime: Runtime, chat_id: int, update_id: int, erased: DataErased
) -> None:
    """After erasure: no stored update, outbox row or case card still shows the patient."""
    await runtime.store.telegram.forget_chat(chat_id)
    await runtime.store.inbox.forget_chat(chat_id, update_id)
    for case_id in erased.all_case_ids:
        await refresh_card(runtime, case_id)
    branch_chat = chat_for_branch(runtime, erased.branch)  # the patient's row is gone
    for request_id in erased.booking_ids:
        await refresh_booking_card(runtime, request_id, branch_chat)
    if erased.case_id is not None:
        await staff_note(
            runtime,
            erased.case_id,
            f"Case #{erased.case_id}: the patient asked to erase their data. It is erased and "
            "the case is closed.",
        )
