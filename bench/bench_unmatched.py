"""Measure grouping the unmatched questions: wall time, event-loop stall, and the same groups.

Run: .venv/bin/python bench/bench_unmatched.py [--questions 6000] [--write]
Fills a temporary SQLite file with synthetic unmatched questions, then times
`unmatched_questions()` while a heartbeat task measures how long the event loop was frozen.
The original one-by-one grouping (every question against every group, in Python) is run on the
same rows as the reference: its time is the "before" figure and its groups must be identical.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bot.store import Database  # noqa: E402
from bot.text import words  # noqa: E402
from bot.unmatched import (  # noqa: E402
    SAME_QUESTION,
    QuestionGroup,
    parse_since,
    unmatched_questions,
)

OPENINGS = [
    "do you",
    "can i",
    "is it possible to",
    "how do i",
    "where can i",
    "what is",
    "why does",
    "could you",
    "do u",
    "i want to",
]
SYLLABLES = [
    "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "xa",
    "zu", "bi", "do", "fe", "gu", "ha", "ji", "wo", "ce", "ny",
]  # fmt: skip
INTENTS = ["prices", "hours", "implants", "whitening", None, None, None]


def pseudo_word(rng: random.Random) -> str:
    """A made-up word of two to four syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_questions(count: int, seed: int = 11) -> list[tuple[str, str | None]]:
    """Questions and the bot's guess: repeated topics with typos, and many one-off questions."""
    rng = random.Random(seed)
    vocabulary = [pseudo_word(rng) for _ in range(3000)]
    topics = [
        f"{rng.choice(OPENINGS)} " + " ".join(rng.sample(vocabulary, rng.randint(2, 6)))
        for _ in range(count // 15)
    ]
    questions: list[tuple[str, str | None]] = []
    for _ in range(count):
        if rng.random() < 0.3:
            text = topics[min(int(rng.paretovariate(1.2)) - 1, len(topics) - 1)]
            tokens = text.split()
            if rng.random() < 0.4:
                spot = rng.randrange(len(tokens))
                word = tokens[spot]
                cut = rng.randrange(len(word))
                tokens[spot] = word[:cut] + word[cut + 1 :]
            if rng.random() < 0.3:
                tokens.append(rng.choice(["please", "?", "thanks", "today", "pls"]))
            text = " ".join(tokens)
        else:
            text = " ".join(rng.sample(vocabulary, rng.randint(3, 9)))
            if rng.random() < 0.2:
                text = f"{rng.choice(OPENINGS)} {text}"
        questions.append((text, rng.choice(INTENTS)))
    return questions


def reference_groups(rows: list[tuple[str, str | None, str]]) -> list[QuestionGroup]:
    """The original grouping: each question against every group so far, in Python."""
    groups: list[tuple[str, QuestionGroup]] = []
    for text, intent, created_at in rows:
        key = " ".join(words(text))
        if not key:
            continue
        group = next((g for k, g in groups if fuzz.token_set_ratio(key, k) >= SAME_QUESTION), None)
        if group is None:
            group = QuestionGroup(example=text)
            groups.append((key, group))
        group.count += 1
        group.last_seen = created_at
        if intent:
            group.guesses[intent] += 1
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.example))


async def filled_database(folder: Path, questions: list[tuple[str, str | None]]) -> Database:
    """A database whose messages are the questions, all unmatched or barely matched, today."""
    database = Database(folder / "bench.sqlite3")
    await database.open()
    await database.execute(
        "INSERT INTO patients (external_id, created_at) VALUES ('bench:1', '2026-01-01')"
    )
    now = dt.datetime.now(dt.UTC)
    async with database.transaction() as connection:
        await connection.executemany(
            "INSERT INTO messages (patient_id, direction, text, intent, score, created_at) "
            "VALUES (1, 'in', ?, ?, ?, ?)",
            [
                (
                    text,
                    intent,
                    0.3 if intent else 0.1,
                    (now - dt.timedelta(seconds=len(questions) - number)).isoformat(
                        timespec="seconds"
                    ),
                )
                for number, (text, intent) in enumerate(questions)
            ],
        )
    return database


async def longest_stall(work: asyncio.Future[object], tick: float = 0.005) -> float:
    """The longest the event loop went without running this heartbeat, in seconds."""
    worst = 0.0
    last = time.perf_counter()
    while not work.done():
        await asyncio.sleep(tick)
        now = time.perf_counter()
        worst = max(worst, now - last - tick)
        last = now
    return worst


async def measure(count: int) -> list[tuple[str, str]]:
    """Time the reference and the real grouping on the same rows; compare their groups."""
    questions = synthetic_questions(count)
    distinct = len({" ".join(words(text)) for text, _ in questions})
    with tempfile.TemporaryDirectory() as folder:
        database = await filled_database(Path(folder), questions)
        try:
            rows = await database.fetch_all(
                "SELECT text, intent, created_at FROM messages ORDER BY id"
            )
            plain = [(row["text"], row["intent"], row["created_at"]) for row in rows]
            start = time.perf_counter()
            before = reference_groups(plain)
            reference_seconds = time.perf_counter() - start

            start = time.perf_counter()
            work = asyncio.ensure_future(unmatched_questions(database, parse_since("7d"), 30))
            stall = await longest_stall(work)
            after = await work
            seconds = time.perf_counter() - start
        finally:
            await database.close()
    same = [(g.example, g.count, g.guesses, g.last_seen) for g in before] == [
        (g.example, g.count, g.guesses, g.last_seen) for g in after
    ]
    sizes = Counter(min(g.count, 10) for g in after)
    return [
        ("questions (distinct after normalising)", f"{count} ({distinct})"),
        ("groups found", f"{len(after)} ({sizes[1]} single questions)"),
        ("original grouping (Python, one pair at a time)", f"{reference_seconds:.2f} s"),
        ("unmatched_questions(), end to end", f"{seconds:.2f} s"),
        ("longest event-loop stall during it", f"{stall * 1000:.0f} ms"),
        ("same groups, counts, guesses as the original", "yes" if same else "NO"),
    ]


def main() -> int:
    """Print the figures; with --write also replace this script's section of RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=6000)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    arguments = parser.parse_args()
    rows = asyncio.run(measure(arguments.questions))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if arguments.write:
        table = "\n".join(f"| {name} | {value} |" for name, value in rows)
        write_section(
            "bench_unmatched",
            "## Unmatched questions\n\n"
            f"Written by `bench/bench_unmatched.py` on {dt.date.today()}, Python "
            f"{platform.python_version()}, {platform.machine()}: synthetic questions in a "
            "temporary SQLite file, grouped as `/unmatched` and `frontdesk unmatched` do.\n\n"
            f"| measure | result |\n|---|---|\n{table}\n",
        )
    return 0 if rows[-1][1] == "yes" else 1


if __name__ == "__main__":
    sys.exit(main())
