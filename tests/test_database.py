"""The store's unit of work: one transaction per turn, invisible to others until it commits."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.store import Database, DatabaseUnwritable, Store
from bot.store import database as database_module
from bot.store.database import DATABASE_ERRORS, Session


async def test_writes_of_a_unit_of_work_are_invisible_to_other_coroutines_until_commit(
    store: Store,
) -> None:
    written = asyncio.Event()
    release = asyncio.Event()

    async def turn() -> None:
        async with store.unit_of_work():
            await store.patients.get_or_create("telegram:1", "Ann", 1)
            written.set()
            await release.wait()

    task = asyncio.create_task(turn())
    await written.wait()
    assert await store.patients.find("telegram:1") is None
    release.set()
    await task
    assert await store.patients.find("telegram:1") is not None


async def test_a_failing_turn_commits_none_of_its_writes(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            patient = await store.patients.get_or_create("telegram:2", "Bo", 2)
            await store.telegram.enqueue(2, "hello", "patient_reply", patient_id=patient.id)
            await store.cases.open_case(patient.id, "human")
            raise RuntimeError("the handler broke")
    assert await store.patients.find("telegram:2") is None
    assert await store.telegram.pending() == []
    assert await store.cases.open_cases() == []


async def test_a_transaction_inside_a_unit_of_work_rolls_back_only_its_own_part(
    store: Store,
) -> None:
    async with store.unit_of_work():
        patient = await store.patients.get_or_create("telegram:3", "Cy", 3)
        with pytest.raises(ValueError):
            async with store.database.transaction() as connection:
                await connection.execute(
                    "UPDATE patients SET display_name = 'changed' WHERE id = ?", (patient.id,)
                )
                raise ValueError("inner part fails")
    kept = await store.patients.find("telegram:3")
    assert kept is not None and kept.display_name == "Cy"


async def test_turns_of_different_coroutines_never_interleave_their_writes(store: Store) -> None:
    async def turn(number: int) -> None:
        async with store.unit_of_work():
            patient = await store.patients.get_or_create(f"telegram:{number}", "P", number)
            await asyncio.sleep(0)
            await store.telegram.enqueue(number, "reply", "patient_reply", patient_id=patient.id)

    await asyncio.gather(*(turn(n) for n in range(100, 150)))
    assert len(await store.telegram.pending(limit=1000)) == 50


async def test_a_database_that_cannot_be_written_is_refused_at_open(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(DatabaseUnwritable):
        await Database(blocker / "frontdesk.sqlite3").open()


async def test_work_run_on_the_writer_thread_is_part_of_the_unit_of_work(store: Store) -> None:
    def insert(connection: Session) -> int:
        connection.execute("INSERT INTO heartbeat (id, at) VALUES (2, 'then')")
        return int(connection.execute("SELECT COUNT(*) FROM heartbeat").fetchone()[0])

    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            assert await store.database.run_writing(insert) == 2
            await store.patients.get_or_create("telegram:4")
            raise RuntimeError("the handler broke")
    assert await store.database.fetch_one("SELECT 1 FROM heartbeat WHERE id = 2") is None
    assert await store.patients.find("telegram:4") is None
    async with store.unit_of_work():
        await store.database.run_writing(insert)
    assert await store.database.fetch_one("SELECT 1 FROM heartbeat WHERE id = 2") is not None


async def test_failing_work_leaves_no_transaction_open(store: Store) -> None:
    def broken(connection: Session) -> None:
        connection.execute("INSERT INTO no_such_table VALUES (1)")

    async with store.unit_of_work():
        with pytest.raises(DATABASE_ERRORS):
            await store.database.run_writing(broken)
    # On PostgreSQL a failed statement spoils its transaction: a unit of work's caller must
    # let the failure end it (as the bot does); on SQLite the unit could even go on.
    async with store.unit_of_work():
        await store.patients.get_or_create("telegram:5")
    with pytest.raises(DATABASE_ERRORS):
        await store.database.run_writing(broken)
    assert await store.patients.find("telegram:5") is not None


async def test_work_outside_a_unit_of_work_commits_all_or_nothing(store: Store) -> None:
    def half_then_broken(connection: Session) -> None:
        connection.execute("INSERT INTO heartbeat (id, at) VALUES (3, 'then')")
        raise ValueError("broke half-way")

    with pytest.raises(ValueError):
        await store.database.run_writing(half_then_broken)
    assert await store.database.fetch_one("SELECT 1 FROM heartbeat WHERE id = 3") is None


@pytest.mark.sqlite_only
async def test_the_wal_is_folded_into_the_file_beside_the_turns(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "CHECKPOINT_EVERY", 3)
    file_only = f"file:{tmp_path / 'frontdesk.sqlite3'}?immutable=1"

    def patients_in_the_file() -> int:
        """Patients in the database file itself, the WAL ignored (0 before the schema is in)."""
        with contextlib.closing(sqlite3.connect(file_only, uri=True)) as connection:
            try:
                return int(connection.execute("SELECT COUNT(*) FROM patients").fetchone()[0])
            except sqlite3.OperationalError:
                return 0

    for number in range(2):
        async with store.unit_of_work():
            await store.patients.get_or_create(f"telegram:{number}")
    assert patients_in_the_file() == 0
    async with store.unit_of_work():
        await store.patients.get_or_create("telegram:2")
    for _ in range(500):  # the third commit started a checkpoint on another thread
        if patients_in_the_file() == 3:
            break
        await asyncio.sleep(0.01)
    assert patients_in_the_file() == 3


@pytest.mark.sqlite_only
async def test_an_erasure_checkpoint_waits_for_one_under_way_and_empties_the_wal(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "CHECKPOINT_EVERY", 1)
    async with store.unit_of_work():
        await store.patients.get_or_create("telegram:9")  # starts a checkpoint beside
    await store.database.checkpoint()
    assert (tmp_path / "frontdesk.sqlite3-wal").stat().st_size == 0
