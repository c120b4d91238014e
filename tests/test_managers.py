"""Managers edit the data safely: live reload, /preview, and the unmatched questions."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz

from bot import unmatched
from bot.config import Settings
from bot.core import Brain, FrontDesk
from bot.loader import Knowledge, load_or_raise
from bot.reload import DataWatcher
from bot.store import Database, Store
from bot.telegram.app import build_application, running
from bot.text import words
from bot.unmatched import (
    SAME_QUESTION,
    QuestionGroup,
    UnmatchedQuestion,
    group_questions,
    parse_since,
    unmatched_questions,
)
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.test_cli import frontdesk
from tests.test_telegram import ADMIN, FAST_RETRIES, STAFF, reply_to

MANAGER = 950


@pytest.fixture
async def bot(
    api: FakeBotApi, tmp_path: Path, knowledge: Knowledge, data_copy: tuple[Path, Path]
) -> AsyncIterator[Any]:
    """The bot reading a writable copy of the data, with one manager."""
    intents, replies = data_copy
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=api.url,
        staff_chat_id=STAFF,
        manager_ids=[MANAGER],
        database_path=tmp_path / "bot.sqlite3",
        intents_dir=intents,
        replies_dir=replies,
    )
    application = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(application, poll_timeout=1):
        yield application


async def ask(api: FakeBotApi, patient: int, text: str) -> str:
    """A patient asks; returns the bot's first reply."""
    since = len(api.sent)
    api.user_message(patient, text)
    return (await reply_to(api, patient, since)).text or ""


async def staff_note(api: FakeBotApi, words: str) -> str:
    """Wait for a staff-chat message containing `words`."""
    record = await api.wait_for(
        lambda r: r.chat_id == STAFF and words in (r.text or ""), timeout=15.0
    )
    return record.text or ""


async def test_a_valid_price_edit_goes_live_without_a_restart(
    api: FakeBotApi, bot: Any, data_copy: tuple[Path, Path]
) -> None:
    before = await ask(api, 801, "how much is teeth whitening")
    _, replies = data_copy
    clinic = replies / "clinic.yaml"
    text = clinic.read_text()
    start = text.index("  whitening_in_office:")
    line_end = text.index("\n", start)
    clinic.write_text(
        text[:start] + "  whitening_in_office: {name: In-office whitening "
        "session, price: 777}" + text[line_end:]
    )
    await staff_note(api, "Data reloaded")
    after = await ask(api, 802, "how much is teeth whitening")
    assert "$777" in after and "$777" not in before


async def test_a_broken_file_keeps_the_old_data_and_errors_reach_the_staff_chat(
    api: FakeBotApi, bot: Any, data_copy: tuple[Path, Path]
) -> None:
    _, replies = data_copy
    practical = replies / "practical.yaml"
    text = practical.read_text()
    broken_line = text[: text.index("  hours:")].count("\n") + 1
    practical.write_text(text.replace("  hours:", "  hours: [oops", 1))
    note = await staff_note(api, "keeps the last good version")
    assert f"practical.yaml:{broken_line}" in note or "practical.yaml:" in note
    assert "Saturday" in await ask(api, 803, "what are your opening hours")


async def test_preview_shows_intent_score_and_the_exact_reply(api: FakeBotApi, bot: Any) -> None:
    since = len(api.sent)
    api.user_message(
        MANAGER, "/preview how much is an implant", chat_id=STAFF, chat_type="supergroup"
    )
    shown = (await reply_to(api, STAFF, since)).text or ""
    assert "Intent: implants" in shown and "Score: " in shown
    assert "Panoramic X-ray" in shown
    assert await bot.bot_data["frontdesk"].store.patients.find("telegram:950") is None


async def test_preview_is_refused_for_non_managers(api: FakeBotApi, bot: Any) -> None:
    since = len(api.sent)
    api.user_message(
        ADMIN, "/preview how much is an implant", chat_id=STAFF, chat_type="supergroup"
    )
    answer = (await reply_to(api, STAFF, since)).text or ""
    assert "for clinic managers" in answer
    assert "Intent:" not in answer


async def test_unmatched_questions_are_grouped_and_counted(api: FakeBotApi, bot: Any) -> None:
    for patient, text in [
        (811, "do you sell electric toothbrushes"),
        (812, "do you sell electric toothbrush heads"),
        (813, "do u sell electric toothbrushes?"),
        (814, "who painted the mona lisa"),
    ]:
        await ask(api, patient, text)
    since = len(api.sent)
    api.user_message(MANAGER, "/unmatched 7d", chat_id=STAFF, chat_type="supergroup")
    report = (await reply_to(api, STAFF, since)).text or ""
    assert "3 × 'do you sell electric toothbrushes'" in report
    assert "1 × 'who painted the mona lisa'" in report


async def test_unmatched_respects_the_retention_period_and_erasure(tmp_path: Path) -> None:
    database = Database(tmp_path / "u.sqlite3")
    await database.open()
    await database.execute(
        "INSERT INTO patients (external_id, created_at) VALUES ('console:a', '2026-01-01')"
    )
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=40)).isoformat(timespec="seconds")
    new = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for text, when in [("blorp one", old), ("quux two", new)]:
        await database.execute(
            "INSERT INTO messages (patient_id, direction, text, intent, score, created_at) "
            "VALUES (1, 'in', ?, NULL, 0.1, ?)",
            (text, when),
        )
    groups = await unmatched_questions(database, parse_since("60d"), retention_days=30)
    assert [g.example for g in groups] == ["quux two"]
    await database.execute("DELETE FROM patients")
    assert await unmatched_questions(database, parse_since("60d"), retention_days=30) == []
    await database.close()


def test_unmatched_command_prints_groups(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "chat.sqlite3")}
    frontdesk("chat", stdin="what is the capital of peru\n", env=env)
    frontdesk("chat", "--patient", "b", stdin="what's the capital of peru?\n", env=env)
    result = frontdesk("unmatched", "--since", "1d", env=env)
    assert result.returncode == 0, result.stderr
    assert "2 × 'what is the capital of peru'" in result.stdout


def one_pair_at_a_time(questions: list[UnmatchedQuestion]) -> list[QuestionGroup]:
    """The original grouping: each question against every group so far, in Python."""
    groups: list[tuple[str, QuestionGroup]] = []
    for question in questions:
        key = " ".join(words(question.text))
        if not key:
            continue
        group = next((g for k, g in groups if fuzz.token_set_ratio(key, k) >= SAME_QUESTION), None)
        if group is None:
            group = QuestionGroup(example=question.text)
            groups.append((key, group))
        group.count += 1
        group.last_seen = question.created_at
        if question.intent:
            group.guesses[question.intent] += 1
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.example))


def random_questions(seed: int, count: int) -> list[UnmatchedQuestion]:
    """Short questions over a small vocabulary: shared words, subsets, typos and repeats."""
    rng = random.Random(seed)
    vocabulary = [
        "do", "you", "sell", "electric", "toothbrush", "toothbrushes", "tothbrush", "is", "a",
        "it", "i", "my", "kid", "kids", "park", "parking", "car", "cat", "cats", "who", "mona",
        "lisa", "painted", "x", "ab", "abc", "abd", "peru", "capital", "what", "the", "of",
        "école", "ünï", "2", "22",
    ]  # fmt: skip
    questions = []
    for number in range(count):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 6)))
        if rng.random() < 0.2:
            text = text.upper() + " ?!"
        intent = rng.choice([None, None, "prices", "hours"])
        questions.append(UnmatchedQuestion(text, intent, f"2026-11-25T10:{number:05d}"))
    return questions


@pytest.mark.parametrize("seed", range(8))
def test_grouping_matches_comparing_one_pair_at_a_time(seed: int) -> None:
    questions = random_questions(seed, 400)
    expected = one_pair_at_a_time(questions)
    grouped = group_questions(questions)
    assert [(g.example, g.count, g.guesses, g.last_seen) for g in grouped] == [
        (g.example, g.count, g.guesses, g.last_seen) for g in expected
    ]


async def test_the_bot_keeps_running_while_questions_are_grouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_grouping(questions: list[UnmatchedQuestion]) -> list[QuestionGroup]:
        time.sleep(0.5)  # a long grouping, as with thousands of questions
        return [QuestionGroup(example=question.text) for question in questions]

    monkeypatch.setattr(unmatched, "group_questions", slow_grouping)
    database = Database(tmp_path / "u.sqlite3")
    await database.open()
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    try:
        await unmatched_questions(database, parse_since("7d"), retention_days=30)
    finally:
        beating.cancel()
        await database.close()
    assert ticks >= 20


async def test_unmatched_with_a_wrong_period_answers_in_one_line_and_then_works(
    api: FakeBotApi, bot: Any
) -> None:
    await ask(api, 821, "who painted the mona lisa")
    for command, wrong in [
        ("/unmatched 99999999999999999999d", "longer than 10 years"),
        ("/unmatched yesterday", "'yesterday' is not a period"),
        ("/unmatched 7d 12h", "one period like 7d"),
    ]:
        since = len(api.sent)
        api.user_message(MANAGER, command, chat_id=STAFF, chat_type="supergroup")
        answer = (await reply_to(api, STAFF, since)).text or ""
        assert answer.startswith("Use /unmatched [period];") and wrong in answer
        assert "\n" not in answer
    since = len(api.sent)
    api.user_message(MANAGER, "/unmatched 7d", chat_id=STAFF, chat_type="supergroup")
    report = (await reply_to(api, STAFF, since)).text or ""
    assert "1 × 'who painted the mona lisa'" in report


async def test_preview_without_a_question_answers_the_right_form(
    api: FakeBotApi, bot: Any
) -> None:
    since = len(api.sent)
    api.user_message(MANAGER, "/preview", chat_id=STAFF, chat_type="supergroup")
    answer = (await reply_to(api, STAFF, since)).text or ""
    assert answer == (
        "Use /preview <a patient's question>, e.g. /preview how much is an implant; "
        "the question is missing."
    )
    since = len(api.sent)
    api.user_message(
        MANAGER, "/preview how much is an implant", chat_id=STAFF, chat_type="supergroup"
    )
    assert "Intent: implants" in ((await reply_to(api, STAFF, since)).text or "")


def test_unmatched_command_refuses_a_period_that_would_overflow(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "chat.sqlite3")}
    result = frontdesk("unmatched", "--since", "99999999999999999999d", env=env)
    assert result.returncode == 2
    assert "longer than 10 years" in result.stderr and "Traceback" not in result.stderr


async def test_a_price_edit_reloads_without_training_and_a_new_example_retrains(
    data_copy: tuple[Path, Path], store: Store
) -> None:
    intents, replies = data_copy
    desk = FrontDesk(Brain.build(load_or_raise(intents, replies)), store)
    watcher = DataWatcher(desk, intents, replies)
    trained = desk.brain.matcher
    clinic = replies / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("price: 95,", "price: 97,", 1))
    assert (await watcher.reload()).applied
    assert desk.brain.matcher is trained  # nothing the matcher learns from changed
    assert "$97" in "\n".join(
        m.text for m in (await desk.handle_text("p:1", "how much is a check-up")).messages
    )
    practical = intents / "practical.yaml"
    practical.write_text(
        practical.read_text().replace(
            "      - i need to reschedule\n",
            "      - i need to reschedule\n      - zorbly the visit\n",
            1,
        )
    )
    assert (await watcher.reload()).applied
    assert desk.brain.matcher is not trained
    assert desk.brain.matcher.match("zorbly the visit").intent == "reschedule"
