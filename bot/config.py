"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the bot can be configured with; each has a working default."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Field(default=Path("data/frontdesk.sqlite3"))
    intents_dir: Path = Field(default=PROJECT_ROOT / "intents")
    replies_dir: Path = Field(default=PROJECT_ROOT / "replies")
    timezone: str = "America/New_York"
    log_level: str = "INFO"
    message_retention_days: int = 90

    telegram_bot_token: str = ""
    telegram_base_url: str = ""
    staff_chat_id: int | None = None
    manager_ids: list[int] = Field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_port: int = 8443

    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "09:00"
