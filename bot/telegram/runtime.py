"""What every Telegram handler needs, kept in `application.bot_data`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import ContextTypes

from bot.config import Settings
from bot.core import FrontDesk
from bot.reload import DataWatcher
from bot.reminders import ReminderScheduler
from bot.store import Store, utc_now
from bot.telegram.delivery import Courier
from bot.telegram.inbox import Poller, UpdateProcessor

RUNTIME_KEY = "frontdesk"
CALLBACK_ANSWER_LIFETIME = dt.timedelta(seconds=30)


@dataclass
class Runtime:
    """The core, the database and the courier of one running bot."""

    settings: Settings
    store: Store
    front_desk: FrontDesk
    courier: Courier
    scheduler: ReminderScheduler = field(init=False)
    watcher: DataWatcher = field(init=False)
    processor: UpdateProcessor = field(init=False)
    poller: Poller | None = None
    clock: Callable[[], dt.datetime] = utc_now

    @property
    def staff_chat_id(self) -> int | None:
        """The administrators' group, if configured."""
        return self.settings.staff_chat_id

    async def answer_button(
        self, query_id: str, chat_id: int, text: str = "", alert: bool = False
    ) -> None:
        """Queue the answer to a pressed button (Telegram wants it within seconds)."""
        await self.courier.queue(
            "answer_callback",
            chat_id,
            "callback_answer",
            extra={"callback_query_id": query_id, "text": text, "show_alert": alert},
            lifetime=CALLBACK_ANSWER_LIFETIME,
        )


Context = ContextTypes.DEFAULT_TYPE


def runtime_of(context_or_application: Any) -> Runtime:
    """The runtime stored on the application (given it, or a handler's context)."""
    application = getattr(context_or_application, "application", context_or_application)
    runtime = application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime


def patient_key(user_id: int) -> str:
    """The external id of a Telegram user in our database."""
    return f"telegram:{user_id}"
