"""The store's unit of work: one transaction per turn, invisible to others until it commits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store import Database, DatabaseUnwritable, Store


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
