"""Several workers on one PostgreSQL database: a row one of them holds, the others pass over."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.store import Database, Store, utc_now
from bot.store.database import DATABASE_ERRORS
from tests.postgres_server import TEMPLATE, PostgresServer


@pytest.fixture
async def workers(postgres: PostgresServer) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores, as two `frontdesk run` processes would open, on one fresh database."""
    name = postgres.fresh_database(TEMPLATE)
    first, second = Store(Database(postgres.url(name))), Store(Database(postgres.url(name)))
    await first.open()
    await second.open()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        postgres.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def test_an_update_one_worker_is_handling_is_passed_over_and_its_chat_waits(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    await first.inbox.store_batch([(1, 5, "{}"), (2, 5, "{}"), (3, 6, "{}")])
    taken = asyncio.Event()
    done = asyncio.Event()

    async def first_turn() -> None:
        async with first.unit_of_work():
            assert await first.inbox.claim(1)
            taken.set()
            await done.wait()
            assert await first.inbox.finish(1)

    turn = asyncio.create_task(first_turn())
    await taken.wait()
    heads = [item.update_id for item in await second.inbox.heads()]
    assert heads == [1, 3]  # chat 5's next message is not a head while 1 is pending
    async with second.unit_of_work():
        assert not await second.inbox.claim(1)  # held by the first worker: passed over
        assert await second.inbox.claim(3)
        assert await second.inbox.finish(3)
    done.set()
    await turn
    assert [item.update_id for item in await second.inbox.heads()] == [2]
    async with second.unit_of_work():
        assert not await second.inbox.claim(1)  # done: never handled twice


async def test_two_workers_claiming_one_outbox_row_at_once_get_it_once(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    row = await first.telegram.enqueue(77, "hello", "patient_reply")
    now = utc_now()
    lease = dt.timedelta(seconds=30)
    for _ in range(20):
        claims = await asyncio.gather(
            first.telegram.claim(row, now, lease), second.telegram.claim(row, now, lease)
        )
        assert sorted(claims) == [False, True]
        now += lease  # the lease runs out: the row is owed again
    assert (await first.telegram.pending())[0].attempts == 20


async def test_a_reminder_one_worker_is_queueing_is_not_queued_by_another(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    patient = await first.patients.get_or_create("telegram:9", "Ann", 9)
    now = utc_now()
    reminder = await first.contact.add_reminder(
        patient.id, "appointment", "reminder_appointment", now, None, now, now, None
    )
    taken = asyncio.Event()
    done = asyncio.Event()

    async def first_worker() -> None:
        async with first.unit_of_work():
            assert await first.contact.claim_reminder(reminder)
            taken.set()
            await done.wait()
            row = await first.telegram.enqueue(9, "see you", "reminder", reminder_id=reminder)
            assert await first.contact.queue_reminder(reminder, row)

    task = asyncio.create_task(first_worker())
    await taken.wait()
    async with second.unit_of_work():
        assert not await second.contact.claim_reminder(reminder)
    done.set()
    await task
    async with second.unit_of_work():
        assert not await second.contact.claim_reminder(reminder)  # queued already
    assert len(await second.telegram.pending()) == 1


async def test_a_connection_the_server_dropped_fails_one_call_and_the_next_reconnects(
    workers: tuple[Store, Store], postgres: PostgresServer
) -> None:
    first, _ = workers
    await first.patients.get_or_create("telegram:11", "Ann", 11)
    postgres.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid != pg_backend_pid()",
        str(first.database.url.database),
    )
    with pytest.raises(DATABASE_ERRORS):  # the reader's connection is gone
        await first.patients.find("telegram:11")
    found = await first.patients.find("telegram:11")
    assert found is not None and found.display_name == "Ann"
    with pytest.raises(DATABASE_ERRORS):  # and so is the writer's
        async with first.unit_of_work():
            await first.patients.get_or_create("telegram:12", "Bo", 12)
    async with first.unit_of_work():
        await first.patients.get_or_create("telegram:12", "Bo", 12)
    assert await first.patients.find("telegram:12") is not None


async def test_a_starting_worker_frees_the_rows_of_a_worker_that_is_gone_not_of_a_live_one(
    workers: tuple[Store, Store], postgres: PostgresServer
) -> None:
    live, gone = workers
    now = utc_now()
    lease = dt.timedelta(minutes=5)
    held_by_live = await live.telegram.enqueue(1, "from the live worker", "patient_reply")
    held_by_gone = await gone.telegram.enqueue(2, "from the killed worker", "patient_reply")
    assert await live.telegram.claim(held_by_live, now, lease)
    assert await gone.telegram.claim(held_by_gone, now, lease)
    await gone.close()  # its connections are gone, as a SIGKILL leaves them
    starting = Store(Database(live.database.url.render_as_string(hide_password=False)))
    await starting.open()
    try:
        assert await starting.telegram.release_leases() == 1
        owed = [item.id for item in await starting.telegram.heads(now)]
        assert owed == [held_by_gone]  # the live worker's row stays with it
    finally:
        await starting.close()


async def test_two_workers_reposting_a_missing_card_queue_it_once(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    patient = await first.patients.get_or_create("telegram:21", "Ann", 21)
    case, _ = await first.cases.open_case(patient.id, "asked for a person")
    taken = asyncio.Event()
    done = asyncio.Event()

    async def first_worker() -> None:
        async with first.unit_of_work():
            assert await first.cases.claim_without_card(case.id)
            taken.set()
            await done.wait()
            await first.telegram.enqueue(
                -100, "", "staff_card", method="case_card", case_id=case.id
            )

    task = asyncio.create_task(first_worker())
    await taken.wait()
    async with second.unit_of_work():
        assert not await second.cases.claim_without_card(case.id)
    done.set()
    await task
    assert await second.telegram.card_pending(case.id)


async def test_a_notice_every_worker_would_post_is_claimed_by_one(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    claims = await asyncio.gather(
        first.announced.claim("reload abc"), second.announced.claim("reload abc")
    )
    assert sorted(claims) == [False, True]
    assert await second.announced.claim("reload def")


async def test_staff_turns_on_two_workers_run_one_at_a_time_so_a_request_is_read_once_open(
    workers: tuple[Store, Store],
) -> None:
    first, second = workers
    patient = await first.patients.get_or_create("telegram:31", "Ann", 31)
    first_read = asyncio.Event()
    second_began = asyncio.Event()
    done = asyncio.Event()

    async def first_administrator() -> None:
        async with first.unit_of_work():
            await first.database.begin_now()
            assert await first.patients.by_id(patient.id) is not None
            first_read.set()
            await done.wait()
            await first.database.execute(
                "UPDATE patients SET display_name = 'Ann (confirmed)' WHERE id = ?", (patient.id,)
            )

    async def second_administrator() -> str:
        await first_read.wait()
        async with second.unit_of_work():
            await second.database.begin_now()  # waits for the first turn to end
            second_began.set()
            found = await second.patients.by_id(patient.id)
            assert found is not None
            return found.display_name

    turns = asyncio.gather(first_administrator(), second_administrator())
    await first_read.wait()
    await asyncio.sleep(0.3)
    assert not second_began.is_set()  # held back while the first turn is open
    done.set()
    _, seen = await turns
    assert seen == "Ann (confirmed)"  # it reads what the first one wrote, not what was before
