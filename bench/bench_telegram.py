"""Replies per second through the real Telegram Application, calm and under a 429/502 flood.

Run: .venv/bin/python bench/bench_telegram.py
The python-telegram-bot Application polls the fake Bot API server from tests/ on 127.0.0.1;
every patient sends a few questions at once and the script waits until every reply arrived.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.loader import load_or_raise  # noqa: E402
from bot.telegram.app import build_application, running  # noqa: E402
from bot.telegram.delivery import RetryPolicy  # noqa: E402
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi  # noqa: E402

QUESTIONS = ["what are your opening hours", "how much is teeth whitening", "where are you"]
PATIENTS = 200


async def run_once(failure_rate: float) -> tuple[float, int, int]:
    """Replies per second, replies received, failed sends answered by the fake server."""
    knowledge = load_or_raise(ROOT / "intents", ROOT / "replies")
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=DEFAULT_TOKEN,
                telegram_base_url=api.url,
                staff_chat_id=-100,
                database_path=Path(folder) / "bench.sqlite3",
            )
            policy = RetryPolicy(attempts=30, first_delay=0.01, max_delay=0.2, max_retry_after=0.2)
            application = build_application(settings, knowledge, retry_policy=policy)
            async with running(application, poll_timeout=1):
                if failure_rate:
                    api.fail_rate(
                        methods={"sendMessage"}, rate=failure_rate, codes=(429, 502), retry_after=1
                    )
                start = time.perf_counter()
                for patient in range(1, PATIENTS + 1):
                    for question in QUESTIONS:
                        api.user_message(patient, question)
                for patient in range(1, PATIENTS + 1):
                    await api.wait_for_count(patient, len(QUESTIONS), timeout=300)
                elapsed = time.perf_counter() - start
                replies = sum(len(api.messages_to(p)) for p in range(1, PATIENTS + 1))
                failed = sum(
                    1 for call in api.calls if call.method == "sendMessage" and not call.ok
                )
    return replies / elapsed, replies, failed


def main() -> int:
    """Measure calm and flooded runs and write their section of bench/RESULTS.md."""
    logging.basicConfig(level=logging.CRITICAL)
    calm_rate, calm_replies, _ = asyncio.run(run_once(0.0))
    flood_rate, flood_replies, failures = asyncio.run(run_once(0.3))
    expected = PATIENTS * len(QUESTIONS)
    text = "\n".join(
        [
            "## Telegram path",
            "",
            f"Written by `bench/bench_telegram.py` on {time.strftime('%Y-%m-%d')}, Python "
            f"{platform.python_version()}, {platform.machine()}: the real python-telegram-bot "
            f"Application polling the fake Bot API server on 127.0.0.1; {PATIENTS} patients send "
            f"{len(QUESTIONS)} questions each, all at once.",
            "",
            "| run | replies delivered | replies/s |",
            "|---|---|---|",
            f"| calm | {calm_replies}/{expected} | {calm_rate:.0f} |",
            f"| 30% of sends answered 429 or 502 ({failures} failed sends retried) | "
            f"{flood_replies}/{expected} | {flood_rate:.0f} |",
        ]
    )
    print(text)
    write_section("bench_telegram", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
