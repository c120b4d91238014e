"""Delivery: every outgoing message goes through the outbox and is retried by error type."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.store import OutboxItem, Store

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a long text into parts within Telegram's limit, at paragraph or line breaks."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(
            rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit)
        )
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def keyboard(rows: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    """An inline keyboard from stored [{"text", "callback_data"}] rows."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
            for row in rows
        ]
    )


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before leaving a message in the outbox for later."""

    attempts: int = 6
    first_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 60.0


class Courier:
    """Sends outbox items: waits on 429, backs off on 5xx and network errors, records the rest."""

    def __init__(self, bot: Bot, store: Store, policy: RetryPolicy | None = None) -> None:
        self.bot = bot
        self.store = store
        self.policy = policy or RetryPolicy()
        self._in_flight: set[int] = set()

    async def send(
        self,
        chat_id: int,
        text: str,
        purpose: str,
        *,
        buttons: list[list[dict[str, str]]] | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
        case_id: int | None = None,
        patient_id: int | None = None,
    ) -> list[Message]:
        """Queue a text (split if long) and try to deliver it now; returns what was sent."""
        sent: list[Message] = []
        parts = split_text(text)
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            item = await self.store.telegram.enqueue(
                chat_id,
                part,
                purpose,
                reply_markup=buttons if last else None,
                reply_to_message_id=reply_to_message_id if number == 0 else None,
                message_thread_id=message_thread_id,
                parse_mode=parse_mode,
                case_id=case_id,
                patient_id=patient_id,
            )
            message = await self.deliver(item)
            if message is not None:
                sent.append(message)
        return sent

    async def deliver(self, item: OutboxItem) -> Message | None:
        """Try to send one outbox item now; it stays pending if Telegram keeps failing."""
        if item.id in self._in_flight:
            return None
        self._in_flight.add(item.id)
        try:
            return await self._deliver(item)
        finally:
            self._in_flight.discard(item.id)

    async def _deliver(self, item: OutboxItem) -> Message | None:
        policy = self.policy
        delay = policy.first_delay
        for _ in range(policy.attempts):
            try:
                message = await self.bot.send_message(
                    chat_id=item.chat_id,
                    text=item.text,
                    reply_markup=keyboard(item.reply_markup),
                    reply_parameters=ReplyParameters(
                        item.reply_to_message_id, allow_sending_without_reply=True
                    )
                    if item.reply_to_message_id
                    else None,
                    message_thread_id=item.message_thread_id,
                    parse_mode=item.parse_mode,
                )
            except RetryAfter as error:
                wait = error.retry_after
                seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
                log.warning("outbox=%s chat=%s 429, waiting %ss", item.id, item.chat_id, seconds)
                await asyncio.sleep(min(float(seconds), policy.max_retry_after))
                continue
            except Forbidden as error:
                await self._unreachable(item, f"forbidden: {error.message}")
                return None
            except InvalidToken:
                raise
            except BadRequest as error:
                log.error("outbox=%s chat=%s bad request, not retried", item.id, item.chat_id)
                await self.store.telegram.mark_failed(item.id, f"bad request: {error.message}")
                return None
            except NetworkError as error:
                log.warning("outbox=%s chat=%s network error, retrying", item.id, item.chat_id)
                await self.store.telegram.mark_attempt(item.id, f"network: {error.message}")
                await asyncio.sleep(delay)
                delay = min(delay * 2, policy.max_delay)
                continue
            except TelegramError as error:
                log.error(
                    "outbox=%s chat=%s %s, not retried",
                    item.id,
                    item.chat_id,
                    type(error).__name__,
                )
                await self.store.telegram.mark_failed(
                    item.id, f"{type(error).__name__}: {error.message}"
                )
                return None
            await self.store.telegram.mark_sent(item.id, message.message_id)
            if item.case_id is not None and item.purpose in STAFF_PURPOSES:
                await self.store.telegram.remember_case_message(
                    item.chat_id, message.message_id, item.case_id
                )
            return message
        log.warning("outbox=%s chat=%s left pending for a later retry", item.id, item.chat_id)
        return None

    async def flush_pending(self) -> int:
        """Retry everything still owed (at start and periodically); returns how many were sent."""
        delivered = 0
        for item in await self.store.telegram.pending():
            if await self.deliver(item) is not None:
                delivered += 1
        return delivered

    async def _unreachable(self, item: OutboxItem, reason: str) -> None:
        await self.store.telegram.mark_failed(item.id, reason)
        if item.patient_id is not None:
            await self.store.contact.opt_out(item.patient_id, "blocked")
            await self.store.patients.update(
                item.patient_id, unreachable=True, unreachable_reason=reason
            )
            await self.store.audit.record(
                "bot", "patient_unreachable", f"patient:{item.patient_id}"
            )
        log.warning("outbox=%s chat=%s unreachable (blocked)", item.id, item.chat_id)


#: Messages posted to the staff chat whose replies belong to a case.
STAFF_PURPOSES = frozenset({"case_card", "relay", "staff_note"})
