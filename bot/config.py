"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the bot can be configured with; each has a working default."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    database_path: Path = Field(default=Path("data/frontdesk.sqlite3"))
    intents_dir: Path = Field(default=PROJECT_ROOT / "intents")
    replies_dir: Path = Field(default=PROJECT_ROOT / "replies")
    timezone: str = ""  # empty: the clinic's own, from replies/clinic.yaml
    log_level: str = "INFO"
    message_retention_days: int = 90

    telegram_bot_token: str = ""
    telegram_base_url: str = ""
    staff_chat_id: int | None = None
    manager_ids: list[int] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook must be reachable by Telegram
    webhook_port: int = 8443

    quiet_hours_start: str = Field(default="21:00", pattern=r"^\d{2}:\d{2}$")
    quiet_hours_end: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown time zone {value!r}") from error
        return value
