"""Kill -9 at random moments: nothing lost, nothing twice beyond the rows in flight."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash_harness import run_crash_test
from tests.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow


async def test_kill_9_at_random_moments_loses_no_message_and_repeats_only_rows_in_flight(
    api: FakeBotApi, tmp_path: Path, database: Path | str
) -> None:
    report = await run_crash_test(
        api, tmp_path, patients=200, kills=6, reminders=40, seed=11, database=database
    )
    print("\n".join(report.lines()))
    assert report.kills >= 5
    assert report.unanswered == 0
    assert report.staff_replies_lost == 0
    assert report.closes_lost == 0
    assert report.cases == 100
    assert report.cases_without_card == 0
    assert report.replies_twice <= report.in_flight
    assert report.reminders_missing == 0
    assert report.reminders_twice <= report.in_flight
