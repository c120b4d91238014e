"""/web in the staff chat: a manager gets a one-time sign-in link to the web page, privately."""

from __future__ import annotations

import logging

from telegram import Update

from bot.store.web import WebRepository
from bot.telegram.runtime import Context, runtime_of
from bot.web.links import new_sign_in_link, public_base_url

log = logging.getLogger(__name__)

REFUSAL = "Sorry, the web page is for clinic managers (MANAGER_IDS)."
SENT = (
    "I've sent you a sign-in link in a private message. If it doesn't arrive, open a private "
    "chat with me, press Start, and send /web here again."
)


async def on_web(update: Update, context: Context) -> None:
    """/web: a manager gets a link in a private message; anyone else a polite refusal."""
    runtime = runtime_of(context)
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if user.id not in runtime.settings.manager_ids:
        log.warning("update=%s /web refused: not a manager", update.update_id)
        await runtime.courier.send(
            message.chat_id, REFUSAL, "staff_note", reply_to_message_id=message.message_id
        )
        return
    link = await new_sign_in_link(
        WebRepository(runtime.store.database), user.id, public_base_url(runtime.settings)
    )
    await runtime.courier.send(
        user.id,
        f"Your sign-in link to the clinic's web page (it works once, within 10 minutes):\n{link}",
        "web_link",
    )
    await runtime.courier.send(
        message.chat_id, SENT, "staff_note", reply_to_message_id=message.message_id
    )
    log.info("update=%s manager=%s web link sent privately", update.update_id, user.id)
