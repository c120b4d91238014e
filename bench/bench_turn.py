"""Measure the whole patient turn as the bot runs it: matcher, dialogue and SQLite, per message.

Run: .venv/bin/python bench/bench_turn.py [--patients 200] [--rounds 3] [--profile 300]
(--no-write leaves bench/RESULTS.md alone.)
Each of N patients plays the same kind of multi-turn script (a service question, a follow-up,
an answer to the bot's question, a two-question message, small talk, an off-topic question),
round-robin, one turn at a time. A turn is exactly what the bot does for a message:
`async with store.unit_of_work(): await desk.handle_text(patient, text)` on a real SQLite file
in a temporary folder. The matcher alone (`brain.matcher.match`) is timed on the same texts;
the event loop thread's CPU per turn and a `SELECT 1` round trip show where the rest goes.
With --profile, cProfile runs over that many more turns and prints the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bot.core import Brain, FrontDesk, HandoffOpened, Outcome  # noqa: E402
from bot.loader import load_or_raise  # noqa: E402
from bot.store import Database, Store  # noqa: E402

#: The script every patient plays, in order: (kind of turn, variants cycled over patients).
SCRIPT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "service question",
        (
            "hey, do you do dental implants?",
            "do you do root canals?",
            "how much is a crown?",
            "do you make dentures?",
            "how much does teeth whitening cost?",
        ),
    ),
    (
        "follow-up",
        ("how long does it take?", "does it hurt?", "how long does it last?"),
    ),
    (
        "answer to the bot",
        (
            "it's already missing",
            "it's still there but it's loose",
            "upper left at the back, a bit sensitive to cold",
        ),
    ),
    (
        "two questions",
        (
            "do you take insurance? and what are your opening hours?",
            "where are you and are you open on saturdays?",
            "how much is a cleaning, and do you treat kids?",
        ),
    ),
    ("small talk", ("thanks!", "ok thank you", "great, thanks a lot")),
    (
        "off-topic",
        (
            "is it going to rain later?",
            "where can i get botox?",
            "who won the football game last night?",
        ),
    ),
)
KINDS = [kind for kind, _ in SCRIPT]
TARGET_P50_MS = 1.0
TARGET_P99_MS = 3.0


def percentile(samples: Sequence[float], share: float) -> float:
    """The value below which `share` of the samples lie."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(samples: Sequence[float]) -> str:
    """p50 / p90 / p99 / max of samples in ms."""
    return " / ".join(
        f"{value:.3f}"
        for value in (
            percentile(samples, 0.5),
            percentile(samples, 0.9),
            percentile(samples, 0.99),
            max(samples),
        )
    )


def turns(patients: int, prefix: str) -> list[tuple[str, str, str]]:
    """(patient, kind, text) for every turn, round-robin: each patient's turn 1, then 2, ..."""
    planned = []
    for step, (kind, variants) in enumerate(SCRIPT):
        for number in range(patients):
            planned.append((f"{prefix}:{number}", kind, variants[(number + step) % len(variants)]))
    return planned


def handled_as(outcome: Outcome) -> str:
    """What the bot made of the message, for the sanity table."""
    if outcome.answered and len(outcome.answered) > 1:
        return f"{len(outcome.answered)} answers"
    if any(isinstance(effect, HandoffOpened) for effect in outcome.effects):
        return "hand-over"
    if outcome.facet:
        return "facet"
    return outcome.intent or "not understood"


async def play(
    desk: FrontDesk, store: Store, planned: Sequence[tuple[str, str, str]]
) -> tuple[dict[str, list[float]], dict[str, Counter[str]]]:
    """Time every turn; hand each hand-over straight back (untimed), as the staff would.

    Besides each kind, samples["cpu"] holds the event loop thread's own CPU time per turn
    (the rest of the wall time is spent waiting for the SQLite threads, or not scheduled).
    """
    samples: dict[str, list[float]] = defaultdict(list)
    handled: dict[str, Counter[str]] = defaultdict(Counter)
    for patient, kind, text in planned:
        start, cpu = time.perf_counter(), time.thread_time()
        async with store.unit_of_work():
            outcome = await desk.handle_text(patient, text)
        samples[kind].append((time.perf_counter() - start) * 1000)
        samples["cpu"].append((time.thread_time() - cpu) * 1000)
        handled[kind][handled_as(outcome)] += 1
        for effect in outcome.effects:
            if isinstance(effect, HandoffOpened):
                async with store.unit_of_work():
                    await store.cases.close(effect.case_id, None)
    return samples, handled


def matcher_alone(brain: Brain, texts: Sequence[str]) -> list[float]:
    """Per-call wall time of `brain.matcher.read` (no memory of recent texts) in ms."""
    for text in texts[:50]:
        brain.matcher.read(text)
    samples = []
    for text in texts:
        start = time.perf_counter()
        brain.matcher.read(text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def round_trips(store: Store, count: int = 1000) -> list[float]:
    """Wall time in ms of the cheapest query, `SELECT 1`, through the store's database thread."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await store.database.fetch_one("SELECT 1")
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def one_round(
    brain: Brain, patients: int, profile_turns: int
) -> tuple[dict[str, list[float]], dict[str, Counter[str]], str]:
    """On a fresh database: warm up, time every patient's turns, the matcher alone on the same
    texts and `SELECT 1` round trips, then profile some more turns if asked."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Database(Path(folder) / "bench.sqlite3"))
        await store.open()
        try:
            desk = FrontDesk(brain, store)
            await play(desk, store, turns(20, "warmup"))
            planned = turns(patients, "bench")
            samples, handled = await play(desk, store, planned)
            samples["matcher"] = matcher_alone(brain, [text for _, _, text in planned])
            samples["round trip"] = await round_trips(store)
            profile = await profiled(desk, store, profile_turns) if profile_turns else ""
        finally:
            await store.close()
    return samples, handled, profile


async def profiled(desk: FrontDesk, store: Store, count: int) -> str:
    """The top functions of cProfile over about `count` more turns."""
    planned = turns(max(1, count // len(SCRIPT)), "profile")
    profiler = cProfile.Profile()
    profiler.enable()
    await play(desk, store, planned)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"cProfile over {len(planned)} turns, by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(30)
    out.write("by own time:\n")
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def main() -> int:
    """Print the figures and write this script's section of bench/RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="fresh databases, pooled")
    parser.add_argument("--profile", type=int, default=0, metavar="TURNS", help="cProfile")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    knowledge = load_or_raise(ROOT / "intents", ROOT / "replies")
    brain = Brain.build(knowledge)
    load = os.getloadavg()[0]
    pooled: dict[str, list[float]] = defaultdict(list)
    handled: dict[str, Counter[str]] = defaultdict(Counter)
    round_p50s: list[tuple[float, float]] = []
    profile = ""
    for number in range(arguments.rounds):
        last = number == arguments.rounds - 1
        samples, counts, found = asyncio.run(
            one_round(brain, arguments.patients, arguments.profile if last else 0)
        )
        profile = profile or found
        for name, values in samples.items():
            pooled[name] += values
        for kind, counter in counts.items():
            handled[kind] += counter
        whole = [sample for kind in KINDS for sample in samples[kind]]
        round_p50s.append((percentile(whole, 0.5), percentile(samples["matcher"], 0.5)))
    every = [sample for kind in KINDS for sample in pooled[kind]]
    p50, p99 = percentile(every, 0.5), percentile(every, 0.99)
    verdict = (
        "within target"
        if p50 <= TARGET_P50_MS and p99 <= TARGET_P99_MS
        else "OVER target (see `--profile`)"
    )
    rows = [("whole turn, all kinds", len(every), figures(every))]
    rows += [(f"whole turn: {kind}", len(pooled[kind]), figures(pooled[kind])) for kind in KINDS]
    extra = [
        ("matcher alone (`brain.matcher.read`, uncached), same texts", "matcher"),
        ("event-loop thread CPU per turn (`time.thread_time`)", "cpu"),
        ("one SQLite round trip, `SELECT 1` via `fetch_one`", "round trip"),
    ]
    rows += [(name, len(pooled[key]), figures(pooled[key])) for name, key in extra]
    sanity = [
        f"- {kind}: "
        + ", ".join(f"{label} {count}" for label, count in handled[kind].most_common())
        for kind in KINDS
    ]
    per_round = ", ".join(f"{turn:.3f} ({alone:.3f})" for turn, alone in round_p50s)
    report = [
        "## The whole patient turn",
        "",
        f"Written by `bench/bench_turn.py` on {dt.date.today()}, Python "
        f"{platform.python_version()}, {platform.machine()}, os.cpu_count() = {os.cpu_count()}, "
        f"load average {load:.1f} at the start. {arguments.rounds} rounds, each on a fresh SQLite "
        f"file (WAL) in a temporary folder: 20 warm-up patients, then {arguments.patients} "
        f"patients x {len(SCRIPT)} turns, round-robin, one turn at a time. A turn is `async with "
        "store.unit_of_work(): await desk.handle_text(patient, text)`. Figures are pooled over "
        "the rounds.",
        "",
        "| turn | turns | p50 / p90 / p99 / max (ms) |",
        "|---|---|---|",
        *[f"| {name} | {count} | {values} |" for name, count, values in rows],
        "",
        f"Whole-turn p50 per round (matcher alone in brackets), ms: {per_round}. The machine is "
        "shared: other work on it moves these figures, the tail most.",
        "",
        f"Target for the whole turn: p50 <= {TARGET_P50_MS:g} ms, p99 <= {TARGET_P99_MS:g} ms: "
        f"{verdict} (p50 {p50:.3f} ms, p99 {p99:.3f} ms).",
        "",
        "What the bot made of each kind of turn (a check that the script exercises what it says):",
        *sanity,
    ]
    text = "\n".join(report) + "\n"
    print(text)
    if profile:
        print(profile)
    if not arguments.no_write:
        write_section("bench_turn", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
