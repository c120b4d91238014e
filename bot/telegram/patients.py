"""Handlers for patients in private chats: text, buttons, and everything that isn't text."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.dialogue import (
    DataErased,
    HandoffOpened,
    OfferShown,
    OptedIn,
    OptedOut,
    Outcome,
    RelayedToStaff,
)
from bot.telegram.casework import copy_to_staff, post_case_card, relay_to_staff, staff_note
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


async def on_choice(update: Update, context: Context) -> None:
    """A patient pressed one of the bot's buttons (a stale or forged one is answered politely)."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    runtime = runtime_of(context)
    if chat is not None and chat.type != chat.PRIVATE:
        log.info("update=%s button outside a private chat ignored", update.update_id)
        await query.answer()
        return
    try:
        await query.answer()
        if query.message is not None and query.message.is_accessible:
            await query.edit_message_reply_markup(None)
    except TelegramError as error:
        log.info(
            "update=%s button housekeeping failed: %s", update.update_id, type(error).__name__
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
    """Send the core's messages to the patient and carry out its effects on the staff side."""
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
            await runtime.store.telegram.forget_chat(chat.id)
            if effect.case_id is not None:
                await staff_note(
                    runtime,
                    effect.case_id,
                    f"Case #{effect.case_id}: the patient asked to erase their data. It is "
                    "erased and the case is closed.",
                )
        elif isinstance(effect, OfferShown | OptedOut | OptedIn):
            log.info("update=%s effect=%s", update.update_id, type(effect).__name__)
