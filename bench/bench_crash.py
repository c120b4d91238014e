"""Kill -9 at random moments, at scale: 1,000 patients, 40 kills of `frontdesk run`.

Run: .venv/bin/python bench/bench_crash.py [--patients N] [--kills N]
The same scenario as tests/test_crash.py (tests/crash_harness.py), larger: patients keep
arriving while the bot is killed with SIGKILL and restarted; at the end the fake Bot API's
record says what was never answered, lost or sent twice.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from tests.crash_harness import run_crash_test  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402


async def main(patients: int, kills: int, reminders: int, seed: int) -> None:
    """Run once, print the figures and write them to RESULTS.md."""
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as folder:
            report = await run_crash_test(
                api,
                Path(folder),
                patients=patients,
                kills=kills,
                reminders=reminders,
                seed=seed,
                arrival_seconds=kills * 4.0,
            )
    lines = report.lines()
    print("\n".join(lines))
    body = "\n".join(
        [
            "## Crash: kill -9 at random moments (`bench/bench_crash.py`)",
            "",
            f"Python {platform.python_version()} on {platform.machine()}, "
            f"{patients} patients (every second one handed to a person, answered and closed by "
            f"an administrator), {reminders} consented reminders due, {kills} SIGKILLs at "
            f"random moments, each 0.5-4 s after the restarted bot began polling, seed {seed}.",
            "",
            *[f"- {line}" for line in lines],
        ]
    )
    write_section("bench_crash", body)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--reminders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.patients, arguments.kills, arguments.reminders, arguments.seed))
