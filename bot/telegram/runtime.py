"""What every Telegram handler needs, kept in `application.bot_data`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.dialogue import FrontDesk
from bot.reload import DataWatcher
from bot.reminders import ReminderScheduler
from bot.store import Store, utc_now
from bot.telegram.delivery import Courier

RUNTIME_KEY = "frontdesk"


@dataclass
class Runtime:
    """The core, the database and the courier of one running bot."""

    settings: Settings
    store: Store
    front_desk: FrontDesk
    courier: Courier
    scheduler: ReminderScheduler = field(init=False)
    watcher: DataWatcher = field(init=False)
    clock: Callable[[], dt.datetime] = utc_now

    staff_forum: bool | None = None

    @property
    def staff_chat_id(self) -> int | None:
        """The administrators' group, if configured."""
        return self.settings.staff_chat_id

    async def staff_chat_is_forum(self) -> bool:
        """Whether the staff group has topics (asked once, then remembered)."""
        if self.staff_forum is None and self.staff_chat_id is not None:
            try:
                chat = await self.courier.bot.get_chat(self.staff_chat_id)
            except TelegramError:
                return False
            self.staff_forum = bool(chat.is_forum)
        return bool(self.staff_forum)


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
