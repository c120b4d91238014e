"""The one place the Telegram bot is assembled: handlers, hooks, jobs, and running it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.core import Brain, FrontDesk
from bot.loader import Knowledge
from bot.reload import DataWatcher
from bot.reminders import QuietHours, ReminderScheduler
from bot.store import Database, DatabaseUnwritable, Patient, StaffTask, Store, utc_now
from bot.telegram import bookings, followups, managers, patients, staff, web_link
from bot.telegram.branch_chats import StaffChats
from bot.telegram.casework import render_card, repost_missing_cards
from bot.telegram.delivery import Courier, RetryPolicy
from bot.telegram.inbox import Poller, UpdateProcessor, WebhookServer
from bot.telegram.lanes import STORAGE_ERRORS
from bot.telegram.runtime import RUNTIME_KEY, Context, Runtime, runtime_of
from bot.web.server import serving_beside

log = logging.getLogger(__name__)

BotApplication = Application[Any, Any, Any, Any, Any, Any]

STAFF_COMMANDS = [
    "close",
    "cases",
    "card",
    "take",
    "preview",
    "unmatched",
    "remind",
    "task",
    "confirm",
    "propose",
    "bookings",
    "cancel",
    "web",
]
CARD_CHECK_SECONDS = 60.0
REMINDER_CHECK_SECONDS = 30.0
RELOAD_CHECK_SECONDS = 1.0


def api_base_url(setting: str) -> str | None:
    """TELEGRAM_BASE_URL as python-telegram-bot wants it (ending in /bot), or None."""
    if not setting:
        return None
    base = setting.rstrip("/")
    return base if base.endswith("/bot") else f"{base}/bot"


def build_application(
    settings: Settings,
    knowledge: Knowledge,
    *,
    retry_policy: RetryPolicy | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
) -> BotApplication:
    """Assemble the bot: the core, the database hooks, every handler and the periodic jobs."""
    policy = retry_policy or RetryPolicy()
    overall_rate = settings.telegram_messages_per_second
    group_rate = settings.telegram_group_messages_per_minute
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .updater(None)
        # Telegram's own limits, met before sending; max_retries=0 because a 429 is the
        # courier's to handle, for its chat only (AIORateLimiter would pause every chat).
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=overall_rate,
                overall_time_period=1,
                group_max_rate=group_rate,
                group_time_period=60,
                max_retries=0,
            )
        )
        .post_init(_open_resources)
        .post_shutdown(_close_resources)
    )
    base_url = api_base_url(settings.telegram_base_url)
    if base_url is not None:
        builder = builder.base_url(base_url).base_file_url(
            base_url.removesuffix("/bot") + "/file/bot"
        )
    application = builder.build()
    store = Store(Database(settings.database))
    courier = Courier(application.bot, store, policy)
    runtime = Runtime(
        settings=settings,
        store=store,
        front_desk=FrontDesk(
            Brain.build(knowledge),
            store,
            settings.timezone,
            dt.timedelta(minutes=settings.topic_minutes),
            clock=clock,
        ),
        courier=courier,
        clock=clock,
    )
    courier.staff_chat_id = settings.staff_chat_id
    courier.render_card = lambda case_id: render_card(runtime, case_id)
    courier.render_booking_card = lambda request_id: bookings.render_booking_card(
        runtime, request_id
    )
    runtime.scheduler = _reminder_scheduler(runtime)
    runtime.watcher = DataWatcher(runtime.front_desk, settings.intents_dir, settings.replies_dir)
    runtime.processor = UpdateProcessor(
        store,
        application.bot,
        application.process_update,
        lambda update: _apologise(runtime, update),
        courier.wake,
        lambda: runtime.front_desk.brain.replies.text("something_went_wrong"),
    )
    application.bot_data[RUNTIME_KEY] = runtime

    # Edits are handled on purpose below; no other handler sees them.
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("chatid", staff.on_chat_id_command, new))
    staff_chat = StaffChats(runtime) & new  # the clinic's and each branch's, as data says
    application.add_handler(CommandHandler("close", staff.on_close_command, staff_chat))
    application.add_handler(CommandHandler("cases", staff.on_cases_command, staff_chat))
    application.add_handler(CommandHandler("remind", followups.on_remind, staff_chat))
    application.add_handler(CommandHandler("task", followups.on_task, staff_chat))
    application.add_handler(CommandHandler("card", bookings.on_card, staff_chat))
    application.add_handler(CommandHandler("confirm", bookings.on_confirm, staff_chat))
    application.add_handler(CommandHandler("propose", bookings.on_propose, staff_chat))
    application.add_handler(CommandHandler("cancel", bookings.on_cancel, staff_chat))
    application.add_handler(CommandHandler("bookings", bookings.on_bookings, staff_chat))
    application.add_handler(CommandHandler("preview", managers.on_preview, staff_chat))
    application.add_handler(CommandHandler("unmatched", managers.on_unmatched, staff_chat))
    application.add_handler(CommandHandler("web", web_link.on_web, staff_chat))
    application.add_handler(
        MessageHandler(
            staff_chat & (filters.REPLY | filters.IS_TOPIC_MESSAGE) & ~filters.COMMAND,
            bookings.on_staff_reply,  # replies to booking cards; the rest go to cases
        )
    )
    application.add_handler(CallbackQueryHandler(staff.on_button, pattern=r"^case:"))
    application.add_handler(CallbackQueryHandler(bookings.on_button, pattern=r"^booking:"))
    application.add_handler(
        CommandHandler(STAFF_COMMANDS, patients.on_staff_command_from_patient, private & new)
    )
    application.add_handler(MessageHandler(private & new & filters.TEXT, patients.on_text))
    application.add_handler(
        MessageHandler(
            private & new & ~filters.TEXT & ~filters.StatusUpdate.ALL, patients.on_other_content
        )
    )
    application.add_handler(
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, patients.on_edited)
    )
    application.add_handler(CallbackQueryHandler(patients.on_choice))
    application.add_error_handler(_on_error)

    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _repost_cards, interval=CARD_CHECK_SECONDS, first=CARD_CHECK_SECONDS, name="cards"
        )
        application.job_queue.run_repeating(
            _reload_data,
            interval=RELOAD_CHECK_SECONDS,
            first=RELOAD_CHECK_SECONDS,
            name="reload",
            # A reload takes longer than the tick: the next look finds nothing new, no warning.
            job_kwargs={"max_instances": 2},
        )
        application.job_queue.run_repeating(
            _send_due_reminders, interval=REMINDER_CHECK_SECONDS, first=2.0, name="reminders"
        )
        application.job_queue.run_repeating(
            _housekeeping, interval=dt.timedelta(hours=6), first=5.0, name="housekeeping"
        )
    return application


def _reminder_scheduler(runtime: Runtime) -> ReminderScheduler:
    async def send(patient: Patient, text: str, reminder_id: int) -> int | None:
        if patient.chat_id is None:
            return None
        ids = await runtime.courier.send(
            patient.chat_id, text, "reminder", patient_id=patient.id, reminder_id=reminder_id
        )
        return ids[-1]

    async def post(task: StaffTask, patient: Patient) -> None:
        await followups.post_task(runtime, task, patient)

    return ReminderScheduler(
        runtime.store,
        # the patient's branch's address and phone
        lambda patient: runtime.front_desk.brain.for_branch(patient.branch).replies,
        lambda: runtime.front_desk.timezone,
        QuietHours.parse(runtime.settings.quiet_hours_start, runtime.settings.quiet_hours_end),
        send,
        post,
    )


async def _open_resources(application: BotApplication) -> None:
    runtime = runtime_of(application)
    await runtime.store.open()
    log.info("database open")


async def _close_resources(application: BotApplication) -> None:
    await runtime_of(application).store.close()


async def _repost_cards(context: Context) -> None:
    await _repost_missing(runtime_of(context))


async def _repost_missing(runtime: Runtime) -> None:
    """Open cases and booking requests whose card never reached the staff chat get one."""
    queued = await repost_missing_cards(runtime)
    if queued:
        log.info("cards: %s open case(s) without a card queued again", queued)
    queued = await bookings.repost_missing_booking_cards(runtime)
    if queued:
        log.info("cards: %s open booking request(s) without a card queued again", queued)


async def _reload_data(context: Context) -> None:
    runtime = runtime_of(context)
    result = await runtime.watcher.reload_if_changed()
    if result is None or runtime.staff_chat_id is None:
        return
    if not await runtime.store.announced.claim(f"reload {runtime.watcher.fingerprint}"):
        return  # another worker saw the same files and said so
    if result.applied:
        text = f"Data reloaded: {result.intents} intents are live."
    else:
        shown = "\n".join(str(problem) for problem in result.problems[:20])
        more = len(result.problems) - 20
        text = (
            "The edited data has errors, so the bot keeps the last good version:\n"
            + shown
            + (f"\n... and {more} more (run `frontdesk check`)" if more > 0 else "")
        )
    await runtime.courier.send(runtime.staff_chat_id, text, "staff_note")


async def _send_due_reminders(context: Context) -> None:
    runtime = runtime_of(context)
    counts = await runtime.scheduler.run_due(runtime.clock())
    if counts["sent"] or counts["skipped"] or counts["tasks"]:
        log.info("reminders: %s", counts)


async def _housekeeping(context: Context) -> None:
    """Retention: what is past its period is removed."""
    runtime = runtime_of(context)
    settings, store = runtime.settings, runtime.store
    now = utc_now()

    def ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    removed = {
        "messages": await store.conversations.purge_older_than(
            ago(settings.message_retention_days)
        ),
        "matches": await store.conversations.purge_matches_before(
            ago(settings.match_retention_days)
        ),
        "outbox": await store.telegram.purge_before(ago(settings.outbox_retention_days)),
        "inbox": await store.inbox.purge_before(ago(settings.inbox_retention_days)),
        "case_messages": await store.telegram.purge_case_messages_of_closed_before(
            ago(settings.case_message_retention_days)
        ),
        "audit": await store.audit.purge_before(ago(settings.audit_retention_days)),
        "announced": await store.announced.purge_before(ago(30)),
    }
    log.info("housekeeping: removed past retention %s", removed)


async def _on_error(update: object, context: Context) -> None:
    """A handler failed: its unit of work is rolled back and the processor decides what next."""
    if isinstance(update, Update) and context.error is not None:
        runtime_of(context).processor.failures[update.update_id] = context.error
    else:
        log.error("error outside an update: %s", type(context.error).__name__)


async def _apologise(runtime: Runtime, update: Update) -> None:
    """A message the bot could not handle: a polite reply and the offer of a person."""
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        return
    replies = runtime.front_desk.brain.replies
    await runtime.courier.send(
        chat.id,
        replies.text("something_went_wrong"),
        "patient_reply",
        buttons=[[{"text": "Talk to a person", "callback_data": "person"}]],
    )


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates, and the secret it must send with each."""

    url: str
    secret: str
    listen: str
    port: int

    @property
    def path(self) -> str:
        """The URL path the local server answers on."""
        return urlsplit(self.url).path.lstrip("/")


@asynccontextmanager
async def running(
    application: BotApplication,
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
    webhook: Webhook | None = None,
) -> AsyncIterator[BotApplication]:
    """Check the token, open the store, then receive into the inbox, handle and deliver."""
    await application.initialize()
    runtime = runtime_of(application)
    tasks: list[asyncio.Task[None]] = []
    server: WebhookServer | None = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await _repost_missing(runtime)
        tasks.append(asyncio.create_task(runtime.courier.run(), name="courier"))
        tasks.append(asyncio.create_task(runtime.processor.run(), name="processor"))
        if webhook is None:
            await application.bot.delete_webhook()
            runtime.poller = Poller(
                application.bot,
                runtime.store,
                runtime.processor.received,
                runtime.processor.apology_text,
                timeout=poll_timeout,
                interval=poll_interval,
            )
            tasks.append(asyncio.create_task(runtime.poller.run(), name="poller"))
        else:
            server = WebhookServer(
                application.bot,
                runtime.store,
                runtime.processor.received,
                webhook.secret,
                webhook.listen,
                webhook.port,
                webhook.path,
            )
            await server.start()
            await application.bot.set_webhook(
                webhook.url, secret_token=webhook.secret, allowed_updates=Update.ALL_TYPES
            )
        yield application
    finally:
        if server is not None:
            await server.stop()
        await _stop(tasks, "poller")
        await runtime.processor.drain()
        await _stop(tasks, "processor")
        with contextlib.suppress(*STORAGE_ERRORS):
            await runtime.courier.idle(timeout=2.0)  # a clean stop delivers what it can
        await _stop(tasks, "courier")
        if application.running:
            await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()


async def _stop(tasks: list[asyncio.Task[None]], name: str) -> None:
    for task in tasks:
        if task.get_name() == name:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def webhook_of(settings: Settings) -> Webhook | None:
    """The webhook settings, or None for long polling."""
    if not settings.webhook_url:
        return None
    return Webhook(
        settings.webhook_url,
        settings.webhook_secret,
        settings.webhook_listen,
        settings.webhook_port,
    )


async def serve(settings: Settings, knowledge: Knowledge) -> int:
    """Run with long polling until SIGINT/SIGTERM."""
    application = build_application(settings, knowledge)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with (
            running(application, webhook=webhook_of(settings)),
            serving_beside(
                settings,
                runtime_of(application).store.database,
                runtime_of(application).front_desk,
            ),
        ):
            log.info(
                "bot @%s running; staff chat %s", application.bot.username, settings.staff_chat_id
            )
            await stop.wait()
    except DatabaseUnwritable as error:
        print(f"frontdesk run: the database cannot be written: {error}", file=sys.stderr)
        return 1
    except InvalidToken:
        print(
            "frontdesk run: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather",
            file=sys.stderr,
        )
        return 1
    except TelegramError as error:
        print(
            f"frontdesk run: cannot reach the Telegram Bot API ({error.message})", file=sys.stderr
        )
        return 1
    return 0


def run_bot(settings: Settings, knowledge: Knowledge) -> int:
    """`frontdesk run`: check the settings, then serve."""
    if not settings.telegram_bot_token.get_secret_value():
        print(
            "frontdesk run: TELEGRAM_BOT_TOKEN is not set (see .env.example); "
            "for a console chat use `frontdesk chat`",
            file=sys.stderr,
        )
        return 2
    if settings.webhook_url and len(settings.webhook_secret) < 16:
        print(
            "frontdesk run: WEBHOOK_URL needs a WEBHOOK_SECRET of at least 16 characters "
            "(Telegram sends it with every update)",
            file=sys.stderr,
        )
        return 2
    if settings.staff_chat_id is None:
        log.warning("STAFF_CHAT_ID is not set: handed-over cases will have nowhere to go")
    return asyncio.run(serve(settings, knowledge))
