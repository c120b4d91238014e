"""Measure how soon a manager's saved price reaches patients: save, live reload, the new quote.

Run: .venv/bin/python bench/bench_reload.py [--rounds 10] [--no-write]
A copy of intents/ and replies/ in a temporary folder; the running bot's live reload as
`frontdesk run` has it (DataWatcher polled every RELOAD_CHECK_SECONDS by a ticking task); a
FrontDesk on a SQLite file. Each round changes the implant's price through the web page's
editor (`DocumentEditor.save`: the checked, atomic save with a revision), then asks the bot
"how much is an implant" until the reply carries the new total. Printed: how long the save
took (the manager's click to "saved"), and from "saved" to the first patient quoted the new
price; the sum is what the manager waits for, at worst.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bot.core import Brain, FrontDesk  # noqa: E402
from bot.loader import load_or_raise  # noqa: E402
from bot.pricing import format_range, quote_bundle  # noqa: E402
from bot.reload import DataWatcher  # noqa: E402
from bot.store import Database, Store  # noqa: E402
from bot.store.audit import AuditLog  # noqa: E402
from bot.store.web import WebRepository  # noqa: E402
from bot.telegram.app import RELOAD_CHECK_SECONDS  # noqa: E402
from bot.web.checking import DataFolders  # noqa: E402
from bot.web.documents import content_hash  # noqa: E402
from bot.web.editor import DocumentEditor  # noqa: E402

MANAGER = 4242
QUESTION = "how much is an implant"


def implant_total(intents: Path, replies: Path) -> str:
    """The implant bundle's total as a patient reads it, from the files as they are now."""
    knowledge = load_or_raise(intents, replies)
    bundle = knowledge.bundles[knowledge.services["implants"].bundle]
    total = quote_bundle(bundle, knowledge.components).total
    return format_range(total, knowledge.clinic.currency)


async def tick(watcher: DataWatcher, stop: asyncio.Event) -> None:
    """The bot's reload job: look for changed files every RELOAD_CHECK_SECONDS."""
    while not stop.is_set():
        await asyncio.sleep(RELOAD_CHECK_SECONDS)
        asyncio.create_task(watcher.reload_if_changed())  # noqa: RUF006 - as the job queue does


async def quoted(desk: FrontDesk, store: Store, round_number: int, total: str) -> bool:
    """Whether a new patient asking the implant price is quoted `total` now."""
    async with store.unit_of_work():
        outcome = await desk.handle_text(f"bench:{round_number}:{time.monotonic_ns()}", QUESTION)
    return any(total in message.text for message in outcome.messages)


async def measure(rounds: int) -> tuple[list[float], list[float]]:
    """Seconds per save, and from each save to the first patient quoted the new price."""
    saves: list[float] = []
    visible: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        intents, replies = base / "intents", base / "replies"
        shutil.copytree(ROOT / "intents", intents)
        shutil.copytree(ROOT / "replies", replies)
        database = Database(base / "bench.sqlite3")
        store = Store(database)
        await store.open()
        desk = FrontDesk(Brain.build(load_or_raise(intents, replies)), store)
        watcher = DataWatcher(desk, intents, replies)
        editor = DocumentEditor(
            DataFolders(intents, replies), WebRepository(database), AuditLog(database)
        )
        stop = asyncio.Event()
        ticking = asyncio.create_task(tick(watcher, stop))
        try:
            for round_number in range(rounds):
                price = 1000 + 10 * round_number
                text, _ = editor.current("replies/clinic.yaml")
                started = time.perf_counter()
                await editor.save(
                    MANAGER,
                    "replies/clinic.yaml",
                    content_hash(text),
                    {"components.implant.min": str(price)},
                )
                saved = time.perf_counter()
                total = implant_total(intents, replies)
                while True:  # a new patient asks every 50 ms until the new total is quoted
                    if await quoted(desk, store, round_number, total):
                        break
                    await asyncio.sleep(0.05)
                saves.append(saved - started)
                visible.append(time.perf_counter() - saved)
                await asyncio.sleep(RELOAD_CHECK_SECONDS * (round_number % 3) / 3)  # vary phase
        finally:
            stop.set()
            await ticking
            await store.close()
    return saves, visible


def main() -> None:
    """Run the rounds, print the figures and write them to bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    arguments = parser.parse_args()
    saves, visible = asyncio.run(measure(arguments.rounds))
    whole = [save + seen for save, seen in zip(saves, visible, strict=True)]
    lines = [
        f"Python {platform.python_version()} on {platform.machine()}, {arguments.rounds} saves "
        f"of the implant price through the web page's editor, reload polled every "
        f"{RELOAD_CHECK_SECONDS:g} s.",
        "",
        "| step | median | worst |",
        "|---|---|---|",
        f"| save (checked against all the data, written, revision) | "
        f"{statistics.median(saves):.2f} s | {max(saves):.2f} s |",
        f"| saved -> a patient is quoted the new price | "
        f"{statistics.median(visible):.2f} s | {max(visible):.2f} s |",
        f"| click -> a patient is quoted the new price | "
        f"{statistics.median(whole):.2f} s | {max(whole):.2f} s |",
        "",
        "Target: a save visible to patients within 3 s.",
    ]
    report = "\n".join(lines)
    print(report)
    if not arguments.no_write:
        write_section(
            "bench_reload", "## Live reload after a web save (bench_reload.py)\n\n" + report
        )


if __name__ == "__main__":
    main()
