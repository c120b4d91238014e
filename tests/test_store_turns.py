"""A turn's reads and writes: the same data as the repositories', in one round trip each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.core import FrontDesk
from bot.store import ConversationState, Store


async def test_a_new_patient_is_created_with_an_empty_turn(store: Store) -> None:
    record = await store.turns.load("console:new", "Ann", 7)
    assert record.patient == await store.patients.find("console:new")
    assert (record.patient.display_name, record.patient.chat_id) == ("Ann", 7)
    assert record.state == ConversationState()
    assert (record.open_case, record.counts, record.last_asked) == (None, {}, {})
    assert record.offers_seen == frozenset()


async def test_a_loaded_turn_matches_what_each_repository_reads(store: Store) -> None:
    patient = await store.patients.get_or_create("console:ann", "Ann")
    await store.conversations.add_match(patient.id, "implants", 0.9)
    await store.conversations.add_match(patient.id, "implants", 0.8)
    await store.conversations.add_match(patient.id, "hours", 1.0)
    await store.conversations.mark_offer_shown(patient.id, "warm_gutta_percha")
    case, _ = await store.cases.open_case(patient.id, "human")
    state = ConversationState("implants", dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), "q", {})
    state.details["tooth"] = "upper left"
    await store.state.save(patient.id, state)

    record = await store.turns.load("console:ann", chat_id=5)

    counts, last_asked = await store.conversations.match_history(patient.id)
    assert record.patient.chat_id == 5 and record.patient.display_name == "Ann"
    assert record.open_case == case.id
    assert (record.counts, record.last_asked) == (counts, last_asked)
    assert record.counts == {"implants": 2, "hours": 1}
    assert record.offers_seen == frozenset({"warm_gutta_percha"})
    assert record.state == await store.state.load(patient.id) == state


async def test_gathered_writes_run_in_order_and_store_what_the_repositories_would(
    store: Store,
) -> None:
    patient = await store.patients.get_or_create("console:bo")
    writes = store.turns.writes(patient.id)
    writes.record_message("in", "do you do implants?", "implants", 0.93)
    writes.add_match("implants", 0.93)
    writes.add_match("price", 0.5)
    writes.mark_offer_shown("warm_gutta_percha")
    writes.mark_offer_shown("warm_gutta_percha")
    writes.update_patient({"greeted": True, "pending_choices": ("a", "b")})
    writes.save_state(ConversationState(topic="implants", topic_at=writes.now))
    writes.record_replies(["Yes, we do.", "Anything else?"])
    async with store.unit_of_work():
        await store.turns.save(writes)
    assert writes.statements == []

    messages = await store.conversations.recent_messages(patient.id)
    assert [(m.direction, m.text, m.intent) for m in messages] == [
        ("in", "do you do implants?", "implants"),
        ("out", "Yes, we do.", None),
        ("out", "Anything else?", None),
    ]
    assert (await store.conversations.match_history(patient.id))[0] == {"implants": 1, "price": 1}
    assert [offer for offer, _ in await store.conversations.offers_shown(patient.id)] == [
        "warm_gutta_percha"
    ]
    stored = await store.patients.by_id(patient.id)
    assert stored is not None and stored.greeted and stored.pending_choices == ("a", "b")
    assert (await store.state.load(patient.id)).topic == "implants"


async def test_an_unknown_patient_field_is_refused(store: Store) -> None:
    writes = store.turns.writes(1)
    with pytest.raises(ValueError, match="unknown patient fields"):
        writes.update_patient({"external_id": "x"})


@pytest.mark.sqlite_only
async def test_a_text_turn_takes_three_round_trips_to_the_database(
    front_desk: FrontDesk, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with store.unit_of_work():
        await front_desk.handle_text("console:cy", "hello")
    connection = store.database.connection
    hops: list[Any] = []
    real = connection._execute

    async def counted(function: Any, *arguments: Any) -> Any:
        hops.append(function)
        return await real(function, *arguments)

    monkeypatch.setattr(connection, "_execute", counted)
    for text in ("do you do dental implants?", "how long does it take?", "thanks!"):
        hops.clear()
        async with store.unit_of_work():
            await front_desk.handle_text("console:cy", text)
        assert len(hops) == 3, text  # begin + load, the writes, commit
