"""Two `frontdesk run` webhook workers on one PostgreSQL behind a load balancer, one killed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_bot_api import FakeBotApi
from tests.postgres_server import TEMPLATE, PostgresServer
from tests.workers_harness import run_workers

pytestmark = pytest.mark.slow


async def test_two_webhook_workers_answer_500_patients_once_in_order_while_one_is_killed(
    api: FakeBotApi, tmp_path: Path, postgres: PostgresServer
) -> None:
    name = postgres.fresh_database(TEMPLATE)
    try:
        report = await run_workers(
            api, tmp_path, postgres.url(name), workers=2, patients=500, reminders=50
        )
    finally:
        postgres.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print("\n".join(report.lines() + report.problems))
    assert report.kills == 1
    assert len(report.handled_by) == 2  # both workers took posts
    assert report.messages == 1500
    assert report.unanswered == 0
    assert report.out_of_order == 0
    assert report.other_messages == 0
    assert report.updates_done == 1500 and report.updates_failed == 0
    # Only a reply the killed worker had handed to Telegram but not yet marked can go twice.
    assert report.answered_twice <= report.in_flight_at_kill
    assert report.reminders_missing == 0
    assert report.reminders_twice == 0
