"""Logging: the bot token never reaches the output, and the libraries stay quiet."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from telegram import Bot

from bot.logs import LIBRARY_LOGGERS, configure_logging
from tests.fake_bot_api import FakeBotApi
from tests.logging_state import logging_left_as_found

TOKEN = "7012345678:AAHk3xQ9vL2mN8pR4sT6uW1yZ0bC5dE7fG9"
SECRET = TOKEN.partition(":")[2]
OTHER_TOKEN = "5550001112:BBGq7zR3kM9nP2wX5vT8yL4hJ6fD1sA0cE2"

log = logging.getLogger("bot.test_logs")


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """Leave the root logger and the library loggers as the test found them."""
    with logging_left_as_found():
        yield


async def test_the_token_is_redacted_from_real_httpx_and_telegram_request_lines(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", TOKEN, library_level="DEBUG")
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await bot.get_me()
    err = capsys.readouterr().err
    assert "httpx: HTTP Request: POST" in err
    assert "/bot[token]/getMe" in err
    assert TOKEN not in err and SECRET not in err


async def test_library_loggers_stay_quiet_at_info_unless_asked(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("info", TOKEN)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await bot.get_me()
    log.info("update=%s handled", 42)
    err = capsys.readouterr().err
    assert "bot.test_logs: update=42 handled" in err
    assert "httpx" not in err and "telegram" not in err
    assert all(logging.getLogger(name).level == logging.WARNING for name in LIBRARY_LOGGERS)


def test_the_token_is_redacted_from_exception_tracebacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN)
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ConnectionError:
        log.exception("polling failed")
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ConnectionError: cannot reach https://api.telegram.org/bot[token]/getUpdates" in err
    assert TOKEN not in err and SECRET not in err


def test_a_token_that_only_appears_once_the_arguments_are_filled_in_is_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN)
    bot_id, secret = TOKEN.split(":")
    log.warning("url=https://api.telegram.org/bot%s:%s/getMe", bot_id, secret)
    err = capsys.readouterr().err
    assert "url=https://api.telegram.org/bot[token]/getMe" in err
    assert SECRET not in err


def test_anything_shaped_like_a_telegram_token_is_redacted_even_if_not_configured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", None)
    log.error("seen %s and %s", OTHER_TOKEN, OTHER_TOKEN.replace(":", "%3A"))
    err = capsys.readouterr().err
    assert "seen [token] and [token]" in err
    assert OTHER_TOKEN.partition(":")[2] not in err


def test_the_secret_half_of_the_token_is_redacted_on_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN)
    log.warning("secret=%s", SECRET)
    assert "secret=[token]" in capsys.readouterr().err


def test_lines_have_the_time_level_and_logger_name(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING", TOKEN)
    log.info("not shown")
    log.warning("case=%s closed", 7)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING bot\.test_logs: case=7 closed", lines[0]
    )


def test_configuring_twice_still_prints_each_line_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN)
    configure_logging("INFO", TOKEN)
    log.info("outbox=%s sent", 3)
    assert capsys.readouterr().err.count("outbox=3 sent") == 1


def test_a_log_call_with_wrong_arguments_neither_raises_nor_leaks_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN)
    log.info("two %s %s", TOKEN)  # one argument short
    err = capsys.readouterr().err
    assert "two %s %s" in err and TOKEN not in err
