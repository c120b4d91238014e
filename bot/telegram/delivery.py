"""Delivery: the only code that sends to Telegram, from committed outbox rows only.

Handlers never call Telegram themselves: they put rows in the outbox inside their unit of
work. The courier claims each row with a lease, sends it, and records the result; one chat's
rows go out in order, one at a time, while other chats go on. A 429 delays only its chat; 5xx
and network errors back off; a 403 makes the patient unreachable; attempts are capped and rows
expire, each failure with its reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.logs import where
from bot.store import OutboxItem, Store, to_db_time, utc_now
from bot.store.telegram import CASE_PURPOSES
from bot.telegram.lanes import STORAGE_ERRORS, Lanes
from bot.telegram.textsplit import split_for_telegram

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096
Buttons = list[list[dict[str, str]]]


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a long text into parts within Telegram's limit (counted in UTF-16 units)."""
    return split_for_telegram(text, limit)


def keyboard(rows: Buttons | None) -> InlineKeyboardMarkup | None:
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
    """How hard and how fast to try before a row is given up with its reason."""

    attempts: int = 30
    first_delay: float = 0.5
    max_delay: float = 300.0
    max_retry_after: float = 3600.0
    concurrency: int = 16
    lease_seconds: float = 300.0
    idle_poll_seconds: float = 0.5
    #: PostgreSQL: how often to look for rows held by a worker that has gone (killed, stopped).
    stopped_workers_seconds: float = 5.0


@dataclass(frozen=True)
class RenderedCard:
    """A case card as it should look now."""

    case_id: int
    text: str
    buttons: Buttons | None
    topic_title: str
    thread_id: int | None
    message_id: int | None


CardRenderer = Callable[[int], Awaitable[RenderedCard | None]]


@dataclass(frozen=True)
class BookingCard:
    """A booking request's card as it should look now."""

    request_id: int
    text: str
    message_id: int | None
    buttons: Buttons | None = None


BookingCardRenderer = Callable[[int], Awaitable[BookingCard | None]]
#: The outbox `extra` key naming the booking request a staff-chat row belongs to.
BOOKING_REQUEST = "booking_request_id"


class _Retry(Exception):
    """Try this row again later."""

    def __init__(self, delay: float, reason: str, paced: bool = False) -> None:
        super().__init__(reason)
        self.delay = delay
        self.reason = reason
        self.paced = paced


class _Unrecorded(Exception):
    """Telegram accepted the row but the database could not record it yet."""


class _GiveUp(Exception):
    """This row can never be delivered; the reason is stored, the label logged."""

    def __init__(self, reason: str, label: str = "") -> None:
        super().__init__(reason)
        self.label = label or reason


class Courier(Lanes):
    """Claims outbox rows and carries them to Telegram, one chat in order, chats in parallel."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        policy: RetryPolicy | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.policy = policy or RetryPolicy()
        super().__init__(self.policy.concurrency, self.policy.idle_poll_seconds)
        self.bot = bot
        self.store = store
        self.clock = clock
        self.render_card: CardRenderer | None = None
        self.render_booking_card: BookingCardRenderer | None = None
        self.staff_chat_id: int | None = None
        #: Whether each staff chat (the clinic's, a branch's) is a forum, once asked.
        self._staff_forum: dict[int, bool] = {}
        self._unrecorded: list[tuple[OutboxItem, int | None]] = []
        self._next_release = 0.0
        self.sent = 0

    async def send(
        self,
        chat_id: int,
        text: str,
        purpose: str,
        *,
        buttons: Buttons | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        parse_mode: str | None = None,
        case_id: int | None = None,
        patient_id: int | None = None,
        reminder_id: int | None = None,
        extra: dict[str, object] | None = None,
    ) -> list[int]:
        """Queue a text (split if long) in the current unit of work; returns the outbox ids."""
        parts = split_text(text)
        ids = []
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            ids.append(
                await self.store.telegram.enqueue(
                    chat_id,
                    part,
                    purpose,
                    reply_markup=buttons if last else None,
                    reply_to_message_id=reply_to_message_id if number == 0 else None,
                    message_thread_id=message_thread_id,
                    parse_mode=parse_mode,
                    case_id=case_id,
                    patient_id=patient_id,
                    reminder_id=reminder_id,
                    extra=dict(extra) if extra else None,
                )
            )
        self.wake()
        return ids

    async def queue(
        self,
        method: str,
        chat_id: int,
        purpose: str,
        *,
        extra: dict[str, object] | None = None,
        case_id: int | None = None,
        patient_id: int | None = None,
        lifetime: dt.timedelta = dt.timedelta(days=2),
    ) -> int:
        """Queue a non-text action (a card, an edit, a copy, a callback answer)."""
        item_id = await self.store.telegram.enqueue(
            chat_id,
            "",
            purpose,
            method=method,
            extra=dict(extra) if extra else None,
            case_id=case_id,
            patient_id=patient_id,
            lifetime=lifetime,
        )
        self.wake()
        return item_id

    async def run(self) -> None:
        """Deliver until cancelled: claim what may go now, send it, record the result."""
        await self._release_stopped_workers_rows()
        await super().run()

    async def _release_stopped_workers_rows(self) -> None:
        """Rows a stopped worker held (this one's last run, or another's) are owed again."""
        self._next_release = time.monotonic() + self.policy.stopped_workers_seconds
        released = await self.store.telegram.release_leases()
        if released:
            log.info("outbox: %s row(s) held by a stopped worker are owed again", released)

    async def start_due(self) -> None:
        """Claim the oldest owed row of every free chat (callback answers need no order)."""
        while self._unrecorded:
            item, message_id = self._unrecorded[0]
            await self._record(item, message_id)
            self._unrecorded.pop(0)
            self.sent += 1
        if self.store.database.is_postgresql and time.monotonic() >= self._next_release:
            await self._release_stopped_workers_rows()  # other workers may have gone
        now = self.clock()
        lease = dt.timedelta(seconds=self.policy.lease_seconds)
        for item in await self.store.telegram.heads(now):
            if self.full:
                return
            lane = ("callback", item.id) if item.method == "answer_callback" else item.chat_id
            if self.busy(lane) or not await self.store.telegram.claim(item.id, now, lease):
                continue
            self.start(lane, self._carry(item))

    async def _carry(self, item: OutboxItem) -> None:
        try:
            await self._deliver_one(item)
        except _Unrecorded:
            log.error("outbox=%s sent; recording it waits for the database", item.id)
        except Exception as error:  # noqa: BLE001 - one bad row must not stop delivery
            log.error("outbox=%s failed: %s at %s", item.id, type(error).__name__, where(error))
            try:
                await self.store.telegram.retry_later(
                    item.id, self.clock() + dt.timedelta(seconds=30), "internal error"
                )
            except Exception as again:  # noqa: BLE001
                log.error("outbox=%s not released: %s", item.id, type(again).__name__)

    async def _deliver_one(self, item: OutboxItem) -> None:
        telegram = self.store.telegram
        if item.expires_at is not None and item.expires_at < to_db_time(self.clock()):
            await telegram.give_up(item, "expired before it could be delivered")
            log.warning("outbox=%s chat=%s expired", item.id, item.chat_id)
            return
        try:
            message_id = await self._perform(item)
        except _Retry as retry:
            # The claim counted this attempt; a 429 is Telegram's pacing, not a failure.
            attempts = item.attempts + 1
            if attempts >= self.policy.attempts and not retry.paced:
                await telegram.give_up(item, f"gave up after {attempts} attempts: {retry.reason}")
                log.error("outbox=%s chat=%s given up: %s", item.id, item.chat_id, retry.reason)
                return
            when = self.clock() + dt.timedelta(seconds=retry.delay)
            await telegram.retry_later(item.id, when, retry.reason, refund=retry.paced)
            log.warning(
                "outbox=%s chat=%s %s; retry in %.2fs",
                item.id,
                item.chat_id,
                retry.reason,
                retry.delay,
            )
            return
        except _GiveUp as problem:
            await telegram.give_up(item, str(problem))
            log.error("outbox=%s chat=%s not delivered: %s", item.id, item.chat_id, problem.label)
            return
        except Forbidden as error:
            await self._unreachable(item, f"forbidden: {error.message}")
            return
        try:
            await self._record(item, message_id)
        except STORAGE_ERRORS as error:
            # Telegram has it: record it once the database is back, never send it again.
            self._unrecorded.append((item, message_id))
            raise _Unrecorded from error
        self.sent += 1

    async def _record(self, item: OutboxItem, message_id: int | None) -> None:
        """Mark a row sent; a booking card is linked to its request in the same commit."""
        if item.method != "booking_card" or message_id is None:
            await self.store.telegram.mark_sent(item, message_id)
            return
        async with self.store.unit_of_work():
            await self.store.telegram.mark_sent(item, message_id)
            await self.store.bookings.set_card(int(item.extra[BOOKING_REQUEST]), message_id, None)

    def _backoff(self, item: OutboxItem) -> float:
        delay = self.policy.first_delay * 2 ** max(item.attempts - 1, 0)
        return float(min(delay, self.policy.max_delay))

    async def _perform(self, item: OutboxItem) -> int | None:
        """Call Telegram for one row; the sent message's id, if it makes one."""
        try:
            return await self._call(item)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            delay = min(float(seconds), self.policy.max_retry_after)
            raise _Retry(delay, "429 too many requests", paced=True) from error
        except Forbidden:
            raise
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return None
            raise _GiveUp(f"bad request: {error.message}", "bad request") from error
        except NetworkError as error:
            raise _Retry(self._backoff(item), f"network: {type(error).__name__}") from error
        except TelegramError as error:
            raise _GiveUp(
                f"{type(error).__name__}: {error.message}", type(error).__name__
            ) from error

    async def _call(self, item: OutboxItem) -> int | None:
        method = item.method
        if method == "send_message":
            return await self._send_message(item)
        if method == "case_card":
            return await self._post_card(item)
        if method == "edit_card":
            return await self._edit_card(item)
        if method == "booking_card":
            return await self._post_booking_card(item)
        if method == "edit_booking_card":
            return await self._edit_booking_card(item)
        if method == "close_topic":
            case = await self._case(item)
            if case is not None and case.thread_id is not None:
                await self.bot.close_forum_topic(item.chat_id, case.thread_id)
            return None
        if method == "copy_message":
            return await self._copy(item)
        if method == "answer_callback":
            await self.bot.answer_callback_query(
                str(item.extra["callback_query_id"]),
                text=item.extra.get("text") or None,
                show_alert=bool(item.extra.get("show_alert")),
            )
            return None
        if method == "clear_buttons":
            await self.bot.edit_message_reply_markup(
                chat_id=item.chat_id, message_id=int(item.extra["message_id"]), reply_markup=None
            )
            return None
        raise _GiveUp(f"unknown outbox method {method!r}")

    async def _case(self, item: OutboxItem) -> _CaseRef | None:
        if item.case_id is None:
            return None
        case = await self.store.cases.get(item.case_id)
        if case is None:
            return None
        return _CaseRef(case.staff_message_id, case.staff_thread_id)

    async def _reply_target(self, item: OutboxItem) -> tuple[int | None, int | None]:
        """Where a row goes in the chat: its own reply target, or its case's or request's card."""
        if item.reply_to_message_id is None and BOOKING_REQUEST in item.extra:
            request = await self.store.bookings.get(int(item.extra[BOOKING_REQUEST]))
            card = request.staff_message_id if request is not None else None
            return card, item.message_thread_id
        if item.case_id is None or item.purpose not in CASE_PURPOSES:
            return item.reply_to_message_id, item.message_thread_id
        case = await self._case(item)
        if case is None:
            return item.reply_to_message_id, item.message_thread_id
        return (
            item.reply_to_message_id or case.message_id,
            item.message_thread_id or case.thread_id,
        )

    async def _send_message(self, item: OutboxItem) -> int | None:
        if item.reminder_id is not None and not await self._reminder_still_wanted(item):
            raise _GiveUp("reminder cancelled before delivery")
        reply_to, thread = await self._reply_target(item)
        message = await self.bot.send_message(
            chat_id=item.chat_id,
            text=item.text,
            reply_markup=keyboard(item.reply_markup),
            reply_parameters=_reply(reply_to),
            message_thread_id=thread,
            parse_mode=item.parse_mode,
        )
        return message.message_id

    async def _reminder_still_wanted(self, item: OutboxItem) -> bool:
        row = await self.store.database.fetch_one(
            "SELECT status FROM reminders WHERE id = ?", (item.reminder_id,)
        )
        return row is not None and row["status"] == "pending"

    async def _post_card(self, item: OutboxItem) -> int | None:
        card = await self._render(item)
        if card.message_id is not None:
            return card.message_id  # already posted by an earlier attempt that was recorded
        thread = card.thread_id
        if thread is None and await self._staff_chat_is_forum(item.chat_id):
            thread = await self._open_topic(item.chat_id, card)
        message = await self.bot.send_message(
            chat_id=item.chat_id,
            text=card.text,
            reply_markup=keyboard(card.buttons),
            message_thread_id=thread,
            parse_mode="HTML",
        )
        return message.message_id

    async def _edit_card(self, item: OutboxItem) -> int | None:
        card = await self._render(item)
        if card.message_id is None:
            return None  # the card is not posted yet; when it is, it shows the state then
        await self.bot.edit_message_text(
            chat_id=item.chat_id,
            message_id=card.message_id,
            text=card.text,
            parse_mode="HTML",
            reply_markup=keyboard(card.buttons),
        )
        return None

    async def _render(self, item: OutboxItem) -> RenderedCard:
        if item.case_id is None or self.render_card is None:
            raise _GiveUp("no case to show")
        card = await self.render_card(item.case_id)
        if card is None:
            raise _GiveUp(f"case {item.case_id} no longer exists")
        return card

    async def _post_booking_card(self, item: OutboxItem) -> int | None:
        card = await self._render_booking(item)
        if card.message_id is not None:
            return card.message_id  # already posted by an earlier attempt that was recorded
        message = await self.bot.send_message(
            chat_id=item.chat_id,
            text=card.text,
            parse_mode="HTML",
            reply_markup=keyboard(card.buttons),
        )
        return message.message_id

    async def _edit_booking_card(self, item: OutboxItem) -> int | None:
        card = await self._render_booking(item)
        if card.message_id is None:
            return None  # not posted yet; when it is, it shows the state then
        await self.bot.edit_message_text(  # without buttons, the card's keyboard goes
            chat_id=item.chat_id,
            message_id=card.message_id,
            text=card.text,
            parse_mode="HTML",
            reply_markup=keyboard(card.buttons),
        )
        return None

    async def _render_booking(self, item: OutboxItem) -> BookingCard:
        request_id = item.extra.get(BOOKING_REQUEST)
        if request_id is None or self.render_booking_card is None:
            raise _GiveUp("no booking request to show")
        card = await self.render_booking_card(int(request_id))
        if card is None:
            raise _GiveUp(f"booking request {request_id} no longer exists")
        return card

    async def _open_topic(self, chat_id: int, card: RenderedCard) -> int | None:
        try:
            topic = await self.bot.create_forum_topic(chat_id, card.topic_title[:128])
        except (BadRequest, Forbidden) as error:
            log.warning("case=%s no forum topic: %s", card.case_id, type(error).__name__)
            return None
        await self.store.telegram.set_thread(card.case_id, topic.message_thread_id)
        return topic.message_thread_id

    async def _staff_chat_is_forum(self, chat_id: int) -> bool:
        if chat_id not in self._staff_forum:
            try:
                chat = await self.bot.get_chat(chat_id)
            except TelegramError:
                return False
            self._staff_forum[chat_id] = bool(chat.is_forum)
        return self._staff_forum[chat_id]

    async def _copy(self, item: OutboxItem) -> int | None:
        reply_to, thread = await self._reply_target(item)
        copied = await self.bot.copy_message(
            chat_id=item.chat_id,
            from_chat_id=int(item.extra["from_chat_id"]),
            message_id=int(item.extra["message_id"]),
            reply_parameters=_reply(reply_to),
            message_thread_id=thread,
        )
        return copied.message_id

    async def _unreachable(self, item: OutboxItem, reason: str) -> None:
        async with self.store.unit_of_work():
            await self.store.telegram.give_up(item, reason)
            if item.patient_id is not None:
                await self.store.contact.opt_out(item.patient_id, "blocked")
                await self.store.patients.update(
                    item.patient_id, unreachable=True, unreachable_reason=reason
                )
                await self.store.audit.record(
                    "bot", "patient_unreachable", f"patient:{item.patient_id}"
                )
        log.warning("outbox=%s chat=%s unreachable (blocked)", item.id, item.chat_id)

    async def idle(self, timeout: float = 10.0) -> bool:  # noqa: ASYNC109
        """Wait until nothing is owed or in flight (for tests and a clean stop)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if not self.working and not await self.store.telegram.pending(limit=1):
                return True
            await asyncio.sleep(0.02)
        return False


@dataclass(frozen=True)
class _CaseRef:
    message_id: int | None
    thread_id: int | None


def _reply(message_id: int | None) -> ReplyParameters | None:
    if not message_id:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)


__all__ = [
    "BOOKING_REQUEST",
    "BookingCard",
    "Courier",
    "Message",
    "RenderedCard",
    "RetryPolicy",
    "keyboard",
    "split_text",
]
