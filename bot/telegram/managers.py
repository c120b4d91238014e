"""Commands for clinic managers in the staff chat: /preview and /unmatched."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.core import preview
from bot.telegram.arguments import ArgumentProblem, preview_arguments, unmatched_arguments
from bot.telegram.runtime import Context, Runtime, runtime_of
from bot.telegram.which_case import tell
from bot.unmatched import format_groups, unmatched_questions

log = logging.getLogger(__name__)


def _is_manager(runtime: Runtime, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in runtime.settings.manager_ids


async def _manager_request(update: Update, context: Context) -> tuple[Runtime, Message] | None:
    """The runtime and message of a manager's command; anyone else is refused."""
    runtime = runtime_of(context)
    message = update.effective_message
    if message is None:
        return None
    if not _is_manager(runtime, update):
        log.warning("update=%s manager command refused", update.update_id)
        await runtime.courier.send(
            message.chat_id,
            "Sorry, this command is for clinic managers (MANAGER_IDS).",
            "staff_note",
            reply_to_message_id=message.message_id,
        )
        return None
    return runtime, message


async def on_preview(update: Update, context: Context) -> None:
    """/preview <question>: the intent, score, alternatives and the exact reply."""
    request = await _manager_request(update, context)
    if request is None:
        return
    runtime, message = request
    try:
        question = preview_arguments(context.args or [])
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    front_desk = runtime.front_desk
    match, replies = preview(front_desk.brain, question, front_desk.today())
    alternatives = ", ".join(f"{alt.intent} {alt.score:.2f}" for alt in match.alternatives)
    lines = [
        f"Intent: {match.intent or 'none (the bot says it did not understand)'}"
        + (" (asks: did you mean)" if match.ambiguous else "")
        + (" (emergency phrase)" if match.safety else ""),
        f"Score: {match.score:.2f}",
        f"Alternatives: {alternatives or '-'}",
        "",
        "The patient would get:",
    ]
    for reply in replies:
        lines.append(reply.text)
        lines += [f"  [{choice.label}]" for choice in reply.choices]
        lines.append("")
    await runtime.courier.send(
        message.chat_id,
        "\n".join(lines).rstrip(),
        "staff_note",
        reply_to_message_id=message.message_id,
    )


async def on_unmatched(update: Update, context: Context) -> None:
    """/unmatched [7d]: grouped questions the bot did not understand or barely matched."""
    request = await _manager_request(update, context)
    if request is None:
        return
    runtime, message = request
    try:
        since = unmatched_arguments(context.args or [])
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return
    # The grouping runs in a worker thread: the bot keeps answering patients meanwhile.
    groups = await unmatched_questions(
        runtime.store.database, since, runtime.settings.message_retention_days
    )
    await runtime.courier.send(
        message.chat_id,
        format_groups(groups),
        "staff_note",
        reply_to_message_id=message.message_id,
    )
