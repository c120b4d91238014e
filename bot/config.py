"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PositiveInt, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_ID_LIST_HINT = "write ids like 1,2,3 or [1, 2, 3]"
#: The managers' web page's port for `frontdesk web` when WEB_PORT is not set.
DEFAULT_WEB_PORT = 8080


class Settings(BaseSettings):
    """Everything the bot can be configured with; each has a working default."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        hide_input_in_errors=True,  # a rejected value may be a secret: never echo it
    )

    # DATABASE_URL chooses the store: sqlite:///data/frontdesk.sqlite3 (the default, through
    # DATABASE_PATH) or postgresql://user:password@host/database; it wins over DATABASE_PATH.
    database_url: str = ""
    database_path: Path = Field(default=Path("data/frontdesk.sqlite3"))
    intents_dir: Path = Field(default=PROJECT_ROOT / "intents")
    replies_dir: Path = Field(default=PROJECT_ROOT / "replies")
    timezone: str = ""  # empty: the clinic's own, from replies/clinic.yaml
    log_level: str = "INFO"
    library_log_level: str = "WARNING"
    message_retention_days: PositiveInt = 90
    topic_minutes: PositiveInt = 30
    outbox_retention_days: PositiveInt = 30
    match_retention_days: PositiveInt = 180
    case_message_retention_days: PositiveInt = 180
    audit_retention_days: PositiveInt = 730
    inbox_retention_days: PositiveInt = 7

    telegram_bot_token: SecretStr = SecretStr("")
    telegram_base_url: str = ""
    staff_chat_id: int | None = None
    manager_ids: Annotated[list[PositiveInt], NoDecode] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook must be reachable by Telegram
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Telegram's limits, met before sending: all chats together, and each group chat.
    telegram_messages_per_second: PositiveInt = 30
    telegram_group_messages_per_minute: PositiveInt = 20

    # The managers' web page: `frontdesk web` serves it (on 8080 when WEB_PORT is empty);
    # `frontdesk run` serves it too when WEB_PORT is set. WEB_PUBLIC_URL is the address
    # managers open (the clinic's https proxy), used in sign-in links.
    web_host: str = "127.0.0.1"
    web_port: int | None = Field(default=None, ge=1, le=65535)
    web_public_url: str = ""

    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "09:00"

    @field_validator("database_url")
    @classmethod
    def _database_address(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"(sqlite|postgres|postgresql)(\+\w+)?://", value):
            raise ValueError(
                "must start with sqlite:/// (a file) or postgresql:// (a server), e.g. "
                "sqlite:///data/frontdesk.sqlite3"
            )
        return value

    @property
    def database(self) -> Path | str:
        """The store: a SQLite file, or a PostgreSQL address (DATABASE_URL wins if set)."""
        if not self.database_url:
            return self.database_path
        return sqlite_file(self.database_url) or self.database_url

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("log_level", "library_log_level", mode="before")
    @classmethod
    def _known_log_level(cls, value: object) -> str:
        if isinstance(value, str) and value.strip().upper() in LOG_LEVELS:
            return value.strip().upper()
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}, not {value!r}")

    @field_validator("manager_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """A JSON list, or ids separated by commas or spaces ("1,2,3")."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError as error:
                raise ValueError(f"not a JSON list ({error.msg}); {_ID_LIST_HINT}") from None
        items = [item for item in re.split(r"[,;\s]+", text) if item]
        for item in items:
            if not item.isdecimal():
                raise ValueError(f"{item!r} is not a Telegram user id; {_ID_LIST_HINT}")
        return [int(item) for item in items]

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value and not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", value):
                raise ValueError(
                    "does not look like a token from @BotFather (digits, a colon, then letters)"
                )
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _http_address(cls, value: str) -> str:
        if value and not re.match(r"https?://[^/\s]", value):
            raise ValueError("must be an address starting with http:// or https://")
        return value

    @field_validator("web_public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not re.match(r"https?://[^/\s]", value):
            raise ValueError("must be an address starting with http:// or https://")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_address(cls, value: str) -> str:
        if value and not re.match(r"https://[^/\s]", value):
            raise ValueError("must be an https:// address (Telegram posts only to https)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError(
                "may contain only A-Z, a-z, 0-9, _ and - (at most 256), as Telegram requires"
            )
        return value

    @field_validator("quiet_hours_start", "quiet_hours_end")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        try:
            if not re.fullmatch(r"\d{2}:\d{2}", value):
                raise ValueError(value)
            dt.time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be a time of day like 21:00, not {value!r}") from None
        return value


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///` address (relative unless it has four slashes), else None."""
    found = re.match(r"sqlite(\+\w+)?:///(.*)$", url)
    return Path(found[2] or ":memory:") if found else None


def database_path_problem(path: Path) -> str | None:
    """Why the database file cannot be created or written at `path`, or None if it can."""
    if str(path) == ":memory:":
        return None
    try:
        if path.is_dir():
            return f"{path} is a folder; give a file in it, e.g. {path / 'frontdesk.sqlite3'}"
        existing = path.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            return f"{existing} is a file, so {path.parent} cannot be a folder"
    except OSError as error:
        return f"cannot look at {path} ({error.strerror or error})"
    try:
        # Permission bits do not stop root, and /proc says "writable" to os.access: try it.
        handle, probe = tempfile.mkstemp(prefix=".frontdesk-write-check-", dir=existing)
    except OSError as error:
        return f"cannot create files in {existing} ({error.strerror or error})"
    os.close(handle)
    os.unlink(probe)
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as error:
            return f"cannot write {path} ({error.strerror or error})"
    return None
