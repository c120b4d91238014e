"""Replies per second through the real Telegram Application, calm and under a 429/502 flood.

Run: .venv/bin/python bench/bench_telegram.py
The python-telegram-bot Application polls the fake Bot API server from tests/ on 127.0.0.1;
every patient sends a few questions at once and the script waits until every reply arrived.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import statistics
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


def adjacent_repeats(texts: list[str]) -> int:
    """Replies sent twice: the same text twice in a row to one patient."""
    return sum(1 for before, after in zip(texts, texts[1:], strict=False) if before == after)


def bench_settings(api: FakeBotApi, folder: str, per_second: int = 30) -> Settings:
    """The bot pointed at the fake server and a temporary database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=api.url,
        staff_chat_id=-100,
        database_path=Path(folder) / "bench.sqlite3",
        telegram_messages_per_second=per_second,
    )


async def run_once(failure_rate: float, per_second: int = 30) -> tuple[float, int, int, int]:
    """Replies per second, replies received, failed sends retried, replies sent twice."""
    knowledge = load_or_raise(ROOT / "intents", ROOT / "replies")
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as folder:
            policy = RetryPolicy(attempts=30, first_delay=0.01, max_delay=0.2, max_retry_after=0.2)
            application = build_application(
                bench_settings(api, folder, per_second), knowledge, retry_policy=policy
            )
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
                await asyncio.sleep(1.0)  # anything sent twice would arrive by now
                replies = sum(len(api.messages_to(p)) for p in range(1, PATIENTS + 1))
                twice = sum(
                    adjacent_repeats([r.text or "" for r in api.messages_to(p)])
                    for p in range(1, PATIENTS + 1)
                )
                failed = sum(
                    1 for call in api.calls if call.method == "sendMessage" and not call.ok
                )
    return replies / elapsed, replies, failed, twice


async def run_flood(flood: int = 300, others: int = 20) -> list[float]:
    """One chat floods while Telegram answers its sends 429; the others' answer times (s)."""
    knowledge = load_or_raise(ROOT / "intents", ROOT / "replies")
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as folder:
            application = build_application(bench_settings(api, folder), knowledge)
            async with running(application, poll_timeout=1):
                flooder = 999_999
                api.fail_chat(flooder, 429, retry_after=2, times=None)
                for number in range(flood):
                    api.user_message(flooder, f"what are your opening hours {number}")
                await asyncio.sleep(0.5)  # the flood is in and throttled
                latencies = []
                for patient in range(1, others + 1):
                    since = len(api.sent)
                    start = time.perf_counter()
                    api.user_message(patient, "what is your address")
                    await api.wait_for(
                        lambda r, p=patient: r.chat_id == p, since=since, timeout=60
                    )
                    latencies.append(time.perf_counter() - start)
                    await asyncio.sleep(0.1)
                api.clear_failures()
    return latencies


def main() -> int:
    """Measure calm and flooded runs and write their section of bench/RESULTS.md."""
    logging.basicConfig(level=logging.CRITICAL)
    calm_rate, calm_replies, _, calm_twice = asyncio.run(run_once(0.0))
    flood_rate, flood_replies, failures, flood_twice = asyncio.run(run_once(0.3))
    free_rate, free_replies, _, free_twice = asyncio.run(run_once(0.0, per_second=100_000))
    free_flood_rate, free_flood_replies, free_failures, free_flood_twice = asyncio.run(
        run_once(0.3, per_second=100_000)
    )
    latencies = sorted(asyncio.run(run_flood()))
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
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
            "Telegram allows about 30 messages a second in all, and the bot keeps to that "
            "(`TELEGRAM_MESSAGES_PER_SECOND=30`), so the first two rows measure the limit. The "
            "last two lift it, to measure the bot itself.",
            "",
            "| run | replies delivered (at least) | replies/s | sent twice |",
            "|---|---|---|---|",
            f"| calm, 30/s limit | {calm_replies}/{expected} | {calm_rate:.0f} | {calm_twice} |",
            f"| 30% of sends answered 429 or 502 ({failures} failed sends retried), 30/s limit | "
            f"{flood_replies}/{expected} | {flood_rate:.0f} | {flood_twice} |",
            f"| calm, no limit | {free_replies}/{expected} | {free_rate:.0f} | {free_twice} |",
            f"| 30% 429 or 502 ({free_failures} failed sends retried), no limit | "
            f"{free_flood_replies}/{expected} | {free_flood_rate:.0f} | {free_flood_twice} |",
            "",
            "One chat floods 300 messages while Telegram answers every send to it with 429 "
            "(retry after 2 s); 20 other patients then write one at a time. Their time to an "
            f"answer: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms.",
        ]
    )
    print(text)
    write_section("bench_telegram", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
