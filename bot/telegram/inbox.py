"""Receiving: every update is stored before Telegram is told it arrived, then handled from there.

Polling asks for the next offset only after the fetched batch is committed; a webhook answers
200 only after the insert. Each stored update is handled as one unit of work: every write of
its handlers, the outbox rows they queue and the update's "done" mark commit together. Updates
of one chat are handled in order; chats go on in parallel, so one chat's flood or failure never
holds up the others. At start, what was stored but not finished is handled first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.web
from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from tornado.httpserver import HTTPServer

from bot.logs import where
from bot.store import InboxItem, Store
from bot.telegram.lanes import STORAGE_ERRORS, Lanes
from bot.text import without_lone_surrogates

log = logging.getLogger(__name__)

MAX_HANDLER_FAILURES = 3
#: Seconds before a worker looks again at an update another worker is handling.
HELD_ELSEWHERE = 0.25
#: Seconds before a worker takes an update another worker stored but has not started.
ORPHANED = 1.0


def chat_key(update: Update) -> int:
    """The lane an update is handled in: its chat (or user), else 0."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


def cleaned(value: Any) -> Any:
    """The update's JSON with lone surrogates replaced, so it can be stored and shown."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    return value


def inbox_row(update: Update) -> tuple[int, int, str]:
    """(update_id, chat key, payload) as the inbox stores it."""
    return update.update_id, chat_key(update), json.dumps(cleaned(update.to_dict()))


Handle = Callable[[Update], Any]


class AlreadyHandled(Exception):
    """Another run finished this update first."""


STORAGE_APOLOGY = (
    "Sorry, something went wrong on our side. Your message is kept, and we will answer it as "
    "soon as we can. If it is urgent, please call the clinic."
)


async def apologise_directly(bot: Bot, update: Update, text: str = STORAGE_APOLOGY) -> None:
    """When the database itself is down, the apology cannot wait for the outbox."""
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        return
    try:
        await bot.send_message(chat.id, text)
    except TelegramError as error:
        log.warning("update=%s apology not sent: %s", update.update_id, type(error).__name__)


class UpdateProcessor(Lanes):
    """Handles stored updates, one chat in order, chats in parallel, each as a unit of work."""

    def __init__(
        self,
        store: Store,
        bot: Bot,
        process: Handle,
        apologise: Callable[[Update], Any],
        on_committed: Callable[[], None],
        apology_text: Callable[[], str] = lambda: STORAGE_APOLOGY,
        concurrency: int = 32,
    ) -> None:
        super().__init__(concurrency)
        self.store = store
        self.bot = bot
        self._process = process
        self._apologise = apologise
        self._on_committed = on_committed
        self.apology_text = apology_text
        self.failures: dict[int, BaseException] = {}
        self._retry_at: dict[int, float] = {}
        self._apologised: set[int] = set()
        self._finished: set[int] = set()
        #: Several workers share the store (PostgreSQL): each takes first what it received.
        self.shared = store.database.is_postgresql
        self._received: set[int] = set()
        self._chats_handled: dict[int, float] = {}
        self._first_seen: dict[int, float] = {}
        self.handled = 0

    def received(self, update_ids: list[int]) -> None:
        """These updates were stored by this worker: it handles them, and now."""
        if len(self._received) > 10_000:
            self._received.clear()
        self._received.update(update_ids)
        self.wake()

    async def start_due(self) -> None:
        """Start the oldest unhandled update of every chat that is free."""
        now = asyncio.get_running_loop().time()
        for item in await self.store.inbox.heads():
            if self.full:
                return
            if self.busy(item.chat_key) or item.update_id in self._finished:
                continue  # a head read before its turn committed is not handled again
            if self._retry_at.get(item.update_id, 0) > now or not self._ours(item, now):
                continue
            self.start(item.chat_key, self._handle(item))

    def _ours(self, item: InboxItem, now: float) -> bool:
        """Whether this worker should try the update now. Alone on the store, every one; among
        several, the ones it received, the next of a chat it just answered, and any other
        worker's left waiting too long (that worker may have died): the others are theirs,
        and asking the database for them would only find them held."""
        if not self.shared or item.update_id in self._received:
            return True
        if now - self._chats_handled.get(item.chat_key, -ORPHANED) < ORPHANED:
            return True
        if len(self._first_seen) > 10_000:
            self._first_seen.clear()
        return now - self._first_seen.setdefault(item.update_id, now) >= ORPHANED

    async def _handle(self, item: InboxItem) -> None:
        update: Update | None = None
        try:
            async with self.store.unit_of_work():
                payload = await self.store.inbox.claim(item.update_id)
                if payload is None:
                    raise AlreadyHandled  # another worker has it, or had it
                update = Update.de_json(json.loads(payload), self.bot)
                await self._process(update)
                failure = self.failures.pop(update.update_id, None)
                if failure is not None:
                    raise failure
                if not await self.store.inbox.finish(update.update_id):
                    raise AlreadyHandled
        except AlreadyHandled:
            # Another worker has it (or finished it): look again shortly, not in a tight loop.
            log.debug("update=%s is another worker's; this run rolled back", item.update_id)
            if len(self._retry_at) > 10_000:
                self._retry_at.clear()
            self._retry_at[item.update_id] = asyncio.get_running_loop().time() + HELD_ELSEWHERE
            return
        except STORAGE_ERRORS as error:
            await self._storage_failed(item, update, error)
            return
        except Exception as error:  # noqa: BLE001 - a bug in a handler: apologise, move on
            await self._handler_failed(item, update, error)
            return
        self._retry_at.pop(item.update_id, None)
        self._apologised.discard(item.update_id)
        self._remember_finished(item.update_id)
        if self.shared:
            if len(self._chats_handled) > 10_000:
                self._chats_handled.clear()
            self._chats_handled[item.chat_key] = asyncio.get_running_loop().time()
        self.handled += 1
        if self.store.database.checkpoint_wanted:
            await self.store.database.checkpoint()
        self._on_committed()

    def _remember_finished(self, update_id: int) -> None:
        if len(self._finished) > 10_000:
            self._finished.clear()
        self._finished.add(update_id)

    async def _storage_failed(
        self, item: InboxItem, update: Update | None, error: BaseException
    ) -> None:
        """The database failed: apologise once, keep the update stored, retry with backoff."""
        log.error(
            "update=%s not handled, database failed: %s", item.update_id, type(error).__name__
        )
        delay = min(2.0 ** min(item.attempts, 6), 60.0)
        self._retry_at[item.update_id] = asyncio.get_running_loop().time() + delay
        with contextlib.suppress(*STORAGE_ERRORS):
            await self.store.inbox.record_attempt(item.update_id, type(error).__name__)
        if item.update_id in self._apologised:
            return
        if update is None:  # it failed before the update was read: read it beside the turn
            with contextlib.suppress(*STORAGE_ERRORS, ValueError):
                update = await self._stored_update(item.update_id)
        if update is not None:
            self._apologised.add(item.update_id)
            await apologise_directly(self.bot, update, self.apology_text())

    async def _stored_update(self, update_id: int) -> Update | None:
        """The stored update, read outside any unit of work (None if it is gone)."""
        payload = await self.store.inbox.payload(update_id)
        return Update.de_json(json.loads(payload), self.bot) if payload is not None else None

    async def _handler_failed(
        self, item: InboxItem, update: Update | None, error: BaseException
    ) -> None:
        """A bug: record it, and after a few tries give up with an apology and a person."""
        log.error("update=%s failed: %s at %s", item.update_id, type(error).__name__, where(error))
        try:
            attempts = await self.store.inbox.record_attempt(item.update_id, type(error).__name__)
            if attempts < MAX_HANDLER_FAILURES:
                self._retry_at[item.update_id] = asyncio.get_running_loop().time() + attempts
                return
            async with self.store.unit_of_work():
                if update is not None:  # else its JSON was unreadable: nobody to answer
                    await self._apologise(update)
                await self.store.inbox.finish(item.update_id, "failed", type(error).__name__)
            self._remember_finished(item.update_id)
            self._on_committed()
        except STORAGE_ERRORS as storage_error:
            await self._storage_failed(item, update, storage_error)


class Poller:
    """Long polling that confirms a batch to Telegram only after it is stored."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        on_stored: Callable[[list[int]], None],
        apology_text: Callable[[], str] = lambda: STORAGE_APOLOGY,
        timeout: int = 10,
        interval: float = 0.0,
    ) -> None:
        self.bot = bot
        self.store = store
        self._on_stored = on_stored
        self.apology_text = apology_text
        self.timeout = timeout
        self.interval = interval
        self._apologised: set[int] = set()
        self.fatal: BaseException | None = None

    async def run(self) -> None:
        """Fetch, store, then ask for the next batch (which confirms this one)."""
        offset = await self.store.inbox.next_offset()
        delay = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.timeout,
                    allowed_updates=Update.ALL_TYPES,
                    read_timeout=self.timeout + 10,
                )
            except InvalidToken as error:
                self.fatal = error
                log.error("polling stopped: Telegram rejected the token")
                return
            except RetryAfter as error:
                wait = error.retry_after
                await asyncio.sleep(
                    wait if isinstance(wait, int | float) else wait.total_seconds()
                )
                continue
            except (NetworkError, TelegramError) as error:
                log.warning("polling: %s, retrying in %.0fs", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if updates:
                try:
                    await self.store.inbox.store_batch([inbox_row(update) for update in updates])
                except STORAGE_ERRORS as error:
                    # Not stored, so not confirmed: Telegram keeps these and gives them again.
                    log.error(
                        "polling: %s update(s) not stored: %s", len(updates), type(error).__name__
                    )
                    await self._apologise_once(updates)
                    await asyncio.sleep(2.0)
                    continue
                offset = updates[-1].update_id + 1
                self._on_stored([update.update_id for update in updates])
            if self.interval:
                await asyncio.sleep(self.interval)

    async def _apologise_once(self, updates: tuple[Update, ...]) -> None:
        for update in updates:
            if update.update_id not in self._apologised:
                self._apologised.add(update.update_id)
                await apologise_directly(self.bot, update, self.apology_text())


class WebhookServer:
    """Telegram posts updates here; the answer is 200 only once the update is stored."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        on_stored: Callable[[list[int]], None],
        secret: str,
        listen: str,
        port: int,
        path: str,
    ) -> None:
        self.bot = bot
        self.store = store
        self.on_stored = on_stored
        self.secret = secret
        self.listen = listen
        self.port = port
        self.path = path
        self._server: HTTPServer | None = None

    async def start(self) -> None:
        """Listen on listen:port at /path."""
        routes = [(rf"/{self.path}/?", _WebhookHandler, {"receiver": self})]
        self._server = HTTPServer(tornado.web.Application(routes))
        self._server.listen(self.port, self.listen)

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    async def store_posted(self, body: bytes) -> int:
        """Store one posted update; the HTTP status to answer."""
        try:
            update = Update.de_json(json.loads(body), self.bot)
        except (ValueError, TypeError, KeyError):
            return 400
        try:
            await self.store.inbox.store_batch([inbox_row(update)])
        except STORAGE_ERRORS as error:
            log.error("webhook: update=%s not stored: %s", update.update_id, type(error).__name__)
            return 500  # Telegram delivers it again later
        self.on_stored([update.update_id])
        return 200


class _WebhookHandler(tornado.web.RequestHandler):
    """One POST from Telegram."""

    def initialize(self, receiver: WebhookServer) -> None:
        """Tornado's per-route arguments."""
        self.receiver = receiver

    async def post(self) -> None:
        """Refuse a post without the secret; otherwise store, then answer."""
        secret = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(secret, self.receiver.secret):
            log.warning("webhook: a post without the right secret was refused")
            self.set_status(403)
            return
        self.set_status(await self.receiver.store_posted(self.request.body))
