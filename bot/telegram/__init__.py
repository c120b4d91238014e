"""The Telegram adapter: patients in private chats, administrators in the staff chat."""

from bot.telegram.app import build_application, run_bot

__all__ = ["build_application", "run_bot"]
