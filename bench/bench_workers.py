"""Messages per second with 1, 2 and 4 webhook workers on PostgreSQL, beside one on SQLite.

Run: .venv/bin/python bench/bench_workers.py [--patients N] [--rounds N]
Each run starts `frontdesk run` workers in webhook mode (tests/workers_harness.py) behind a
round-robin load balancer that the fake Bot API posts to, as Telegram posts to a clinic's
https proxy. All patients arrive within a second and write three questions each, so the
workers are never idle; the figure is messages answered per second, from the first message to
the last answer, with what each message cost in CPU: the workers, the PostgreSQL server, and
the fake Telegram with the load balancer (which share the machine with them). Then the run of
the test: two workers, 500 patients arriving over 20 s, one worker killed halfway.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402
from tests.workers_harness import WorkersReport, run_workers  # noqa: E402


def server_cpu(server: PostgresServer) -> float:
    """CPU seconds of the PostgreSQL server's finished processes (its connections) so far."""
    pid = (server.folder / "data" / "postmaster.pid").read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # its own and its children's
    return ticks / os.sysconf("SC_CLK_TCK")


async def one_run(
    server: PostgresServer | None, workers: int, patients: int, **options: object
) -> tuple[WorkersReport, float]:
    """One scenario on a fresh database; the report and the server's CPU seconds in it."""
    with tempfile.TemporaryDirectory() as folder:
        if server is None:
            database: Path | str = Path(folder) / "bench.sqlite3"
            before = 0.0
        else:
            database = server.url(server.fresh_database())
            before = server_cpu(server)
        async with FakeBotApi() as api:
            report = await run_workers(
                api, Path(folder), database, workers=workers, patients=patients, **options
            )  # type: ignore[arg-type]
        spent = server_cpu(server) - before if server is not None else 0.0
    for problem in report.problems:
        print("  ", problem, flush=True)
    return report, spent


def row(label: str, reports: list[tuple[WorkersReport, float]]) -> str:
    """A table row: each round's messages/s, then CPU per message in the last round."""
    rates = " / ".join(f"{report.messages_per_second:.0f}" for report, _ in reports)
    report, postgres = reports[-1]
    per = 1000 / max(report.messages, 1)
    wrong = sum(r.unanswered + r.answered_twice + r.out_of_order for r, _ in reports)
    database = f"{postgres * per:.1f}" if report.store == "PostgreSQL" else "(in the worker)"
    return (
        f"| {label} | {rates} | {report.worker_cpu * per:.1f} | {database} | "
        f"{report.harness_cpu * per:.1f} | {wrong} |"
    )


async def main(patients: int, rounds: int) -> None:
    """Run every scenario, print the table and write it to RESULTS.md."""
    load = os.getloadavg()[0]
    lines = []
    server = PostgresServer.start()
    try:
        sqlite = [
            await one_run(None, 1, patients, arrival_seconds=1.0, kill_halfway=False)
            for _ in range(rounds)
        ]
        lines.append(row("1 worker, SQLite", sqlite))
        print(lines[-1], flush=True)
        for workers in (1, 2, 4):
            runs = [
                await one_run(server, workers, patients, arrival_seconds=1.0, kill_halfway=False)
                for _ in range(rounds)
            ]
            lines.append(row(f"{workers} worker{'s' if workers > 1 else ''}, PostgreSQL", runs))
            print(lines[-1], flush=True)
        killed, _ = await one_run(server, 2, 500, arrival_seconds=20.0, reminders=50)
        print("\n".join(killed.lines()))
    finally:
        server.stop()
    body = "\n".join(
        [
            "## Several workers (`bench/bench_workers.py`)",
            "",
            f"Written on {dt.date.today()}, Python {platform.python_version()}, "
            f"{platform.machine()}, os.cpu_count() = {os.cpu_count()}, load average {load:.1f} "
            "at the start. `frontdesk run` workers in webhook mode behind a round-robin load "
            "balancer that the fake Bot API posts to; PostgreSQL is a throwaway cluster on a "
            "unix socket (fsync and synchronous_commit off, as in the tests). "
            f"{patients} patients arrive within a second and each writes three questions "
            "a moment apart (so one patient's messages reach different workers); messages/s "
            "is counted from the first message to the last answer, one figure per round. "
            "Everything runs on this one machine: the workers, the database server, and the "
            "fake Telegram with its load balancer.",
            "",
            "| run | messages/s (each round) | worker CPU ms/message | database server CPU "
            "ms/message | fake Telegram CPU ms/message | unanswered, twice or out of order |",
            "|---|---|---|---|---|---|",
            *lines,
            "",
            "The run of `tests/test_workers_webhook.py`: two workers, 500 patients arriving over "
            "20 s, 50 reminders falling due, one worker killed with SIGKILL halfway and started "
            "again 3 s later:",
            "",
            *[f"- {line}" for line in killed.lines()],
        ]
    )
    write_section("bench_workers", body)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=900)
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.patients, arguments.rounds))
