"""Logging to stderr: quiet libraries, and the bot token redacted from every line."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[token]"

#: Loggers of the libraries we use. httpx logs every request URL, which holds the token;
#: python-telegram-bot and aiosqlite log whole updates and SQL parameters (message text) at
#: DEBUG. They stay at WARNING unless LIBRARY_LOG_LEVEL says otherwise.
LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram",
    "apscheduler",
    "aiosqlite",
    "tornado",
    "alembic",
    "sqlalchemy",
    "asyncpg",
)

#: Anything shaped like a Telegram bot token ("123456789:AA..."), also with the colon
#: percent-encoded as in some URLs.
TOKEN_PATTERN = re.compile(r"\d{6,12}(?::|%3[Aa])[A-Za-z0-9_-]{30,}")


class TokenRedactor(logging.Filter):
    """Replaces the bot token, and anything shaped like one, in the message and traceback."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        secrets: list[str] = []
        if token:
            secrets.append(token)
            secrets.append(token.replace(":", "%3A"))
            secret_part = token.partition(":")[2]
            if len(secret_part) >= 20:  # the bot id before the colon is public, this is not
                secrets.append(secret_part)
        self._secrets = tuple(secrets)

    def redact(self, text: str) -> str:
        """The text with every token replaced by "[token]"."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place so no handler can print the token; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not hide or leak anything
            message = f"{record.msg} {record.args!r}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class StderrHandler(logging.StreamHandler[TextIO]):
    """The handler configure_logging installs, so a second call replaces it."""


def configure_logging(level: str, token: str | None, library_level: str | None = None) -> None:
    """Log to stderr at `level`, libraries at WARNING (or `library_level`), token redacted."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, StderrHandler):
            root.removeHandler(handler)
    handler = StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper())
    redactor = TokenRedactor(token)
    for installed in root.handlers:
        for old in [f for f in installed.filters if isinstance(f, TokenRedactor)]:
            installed.removeFilter(old)
        installed.addFilter(redactor)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel((library_level or "WARNING").upper())


def where(error: BaseException) -> str:
    """Where an exception was raised ("file.py:12 in name"), without its message."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "unknown place"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"
