"""The one place the Telegram bot is assembled: handlers, hooks, jobs, and running it."""

from __future__ import annotations

import asyncio
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
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.dialogue import Brain, FrontDesk
from bot.loader import Knowledge
from bot.reload import DataWatcher
from bot.reminders import QuietHours, ReminderScheduler
from bot.store import Database, Patient, StaffTask, Store, utc_now
from bot.telegram import followups, managers, patients, staff
from bot.telegram.delivery import Courier, RetryPolicy
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.runtime import RUNTIME_KEY, Context, Runtime, runtime_of

log = logging.getLogger(__name__)

BotApplication = Application[Any, Any, Any, Any, Any, Any]

STAFF_COMMANDS = ["close", "cases", "card", "take", "preview", "unmatched", "remind", "task"]
OUTBOX_RETRY_SECONDS = 20.0
REMINDER_CHECK_SECONDS = 30.0
RELOAD_CHECK_SECONDS = 2.0


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
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_open_resources)
        .post_shutdown(_close_resources)
    )
    base_url = api_base_url(settings.telegram_base_url)
    if base_url is not None:
        builder = builder.base_url(base_url).base_file_url(
            base_url.removesuffix("/bot") + "/file/bot"
        )
    application = builder.build()
    store = Store(Database(settings.database_path))
    runtime = Runtime(
        settings=settings,
        store=store,
        front_desk=FrontDesk(Brain.build(knowledge), store, settings.timezone),
        courier=Courier(application.bot, store, retry_policy),
        clock=clock,
    )
    runtime.scheduler = _reminder_scheduler(runtime)
    runtime.watcher = DataWatcher(runtime.front_desk, settings.intents_dir, settings.replies_dir)
    application.bot_data[RUNTIME_KEY] = runtime

    application.add_handler(TypeHandler(Update, _skip_handled_updates), group=-1)

    staff_chat = filters.Chat(chat_id=settings.staff_chat_id) if settings.staff_chat_id else None
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("chatid", staff.on_chat_id_command))
    if staff_chat is not None:
        application.add_handler(CommandHandler("close", staff.on_close_command, staff_chat))
        application.add_handler(CommandHandler("cases", staff.on_cases_command, staff_chat))
        application.add_handler(CommandHandler("remind", followups.on_remind, staff_chat))
        application.add_handler(CommandHandler("task", followups.on_task, staff_chat))
        application.add_handler(CommandHandler("card", followups.on_card, staff_chat))
        application.add_handler(CommandHandler("preview", managers.on_preview, staff_chat))
        application.add_handler(CommandHandler("unmatched", managers.on_unmatched, staff_chat))
        application.add_handler(
            MessageHandler(
                staff_chat & (filters.REPLY | filters.IS_TOPIC_MESSAGE) & ~filters.COMMAND,
                staff.on_reply,
            )
        )
    application.add_handler(CallbackQueryHandler(staff.on_button, pattern=r"^case:"))
    application.add_handler(
        CommandHandler(STAFF_COMMANDS, patients.on_staff_command_from_patient, private)
    )
    application.add_handler(MessageHandler(private & filters.TEXT, patients.on_text))
    application.add_handler(
        MessageHandler(
            private & ~filters.TEXT & ~filters.StatusUpdate.ALL, patients.on_other_content
        )
    )
    application.add_handler(CallbackQueryHandler(patients.on_choice))
    application.add_error_handler(_on_error)

    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _retry_outbox, interval=OUTBOX_RETRY_SECONDS, first=1.0, name="outbox"
        )
        application.job_queue.run_repeating(
            _reload_data, interval=RELOAD_CHECK_SECONDS, first=RELOAD_CHECK_SECONDS, name="reload"
        )
        application.job_queue.run_repeating(
            _send_due_reminders, interval=REMINDER_CHECK_SECONDS, first=2.0, name="reminders"
        )
        application.job_queue.run_repeating(
            _housekeeping, interval=dt.timedelta(hours=6), first=5.0, name="housekeeping"
        )
    return application


def _reminder_scheduler(runtime: Runtime) -> ReminderScheduler:
    async def send(patient: Patient, text: str) -> bool:
        if patient.chat_id is None:
            return False
        sent = await runtime.courier.send(patient.chat_id, text, "reminder", patient_id=patient.id)
        return bool(sent)

    async def post(task: StaffTask, patient: Patient) -> None:
        await followups.post_task(runtime, task, patient)

    return ReminderScheduler(
        runtime.store,
        lambda: runtime.front_desk.brain.replies,
        lambda: runtime.front_desk.timezone,
        QuietHours.parse(runtime.settings.quiet_hours_start, runtime.settings.quiet_hours_end),
        send,
        post,
    )


async def _open_resources(application: BotApplication) -> None:
    runtime = runtime_of(application)
    await runtime.store.open()
    log.info("database open: %s", runtime.settings.database_path)


async def _close_resources(application: BotApplication) -> None:
    await runtime_of(application).store.close()


async def _skip_handled_updates(update: Update, context: Context) -> None:
    """Each update is handled once, also across restarts."""
    if not await runtime_of(context).store.telegram.claim_update(update.update_id):
        log.info("update=%s already handled, skipped", update.update_id)
        raise ApplicationHandlerStop


async def _retry_outbox(context: Context) -> None:
    delivered = await runtime_of(context).courier.flush_pending()
    if delivered:
        log.info("outbox: %s delayed message(s) delivered", delivered)


async def _reload_data(context: Context) -> None:
    runtime = runtime_of(context)
    result = await runtime.watcher.reload_if_changed()
    if result is None or runtime.staff_chat_id is None:
        return
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
    runtime = runtime_of(context)
    now = utc_now()
    removed = await runtime.store.conversations.purge_older_than(
        now - dt.timedelta(days=runtime.settings.message_retention_days)
    )
    await runtime.store.telegram.forget_updates_before(now - dt.timedelta(days=7))
    log.info("housekeeping: %s message(s) past retention removed", removed)


async def _on_error(update: object, context: Context) -> None:
    """Log the failure with ids only, and never leave a patient without an answer."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update=%s failed: %s", update_id, type(context.error).__name__, exc_info=context.error
    )
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None or chat.type != chat.PRIVATE:
        return
    runtime = runtime_of(context)
    replies = runtime.front_desk.brain.replies
    apology = replies.text("something_went_wrong")
    try:
        await runtime.courier.send(chat.id, apology, "patient_reply")
    except Exception:  # noqa: BLE001 - e.g. the database itself failed: try Telegram directly
        try:
            await context.bot.send_message(chat.id, apology)
        except TelegramError:
            log.exception("update=%s apology not sent", update_id)


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
    """Initialise (checks the token), open resources, then poll or serve the webhook."""
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        if webhook is None:
            await application.updater.start_polling(
                poll_interval=poll_interval, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
            )
        else:
            # python-telegram-bot answers 403 to any post without the right secret-token header.
            await application.updater.start_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=Update.ALL_TYPES,
            )
        yield application
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()


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
        async with running(application, webhook=webhook_of(settings)):
            log.info(
                "bot @%s running; staff chat %s", application.bot.username, settings.staff_chat_id
            )
            await stop.wait()
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
    if not settings.telegram_bot_token:
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
