"""Kill -9 at random moments: `frontdesk run` as a subprocess against the fake Bot API.

Patients talk as real ones do (each waits for the answer before writing again), some are
handed to a person, administrators answer and close their cases, and consented reminders fall
due, while the bot is killed with SIGKILL and restarted again and again. At the end the record
of everything Telegram received says what was lost or sent twice. Used by the slow test in
`tests/test_crash.py` and, larger, by `bench/bench_crash.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.store import Database, Store
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi, SentRecord

STAFF = -1009999
ADMIN = 4242
PATIENT_BASE = 300_000
REMINDER_BASE = 900_000
PROJECT = Path(__file__).resolve().parent.parent
CARD_PATIENT = re.compile(r'tg://user\?id=(\d+)"')
QUESTIONS = (
    "what are your opening hours",
    "how much is a filling",
    "what is your address",
    "do you take insurance",
    "can i pay by card",
)


@dataclass
class CrashReport:
    """What the patients, the administrators and the reminders saw, counted."""

    patients: int = 0
    kills: int = 0
    seconds: float = 0.0
    patient_messages: int = 0
    unanswered: int = 0
    staff_replies: int = 0
    staff_replies_lost: int = 0
    closes: int = 0
    closes_lost: int = 0
    cases: int = 0
    cases_without_card: int = 0
    duplicate_cards: int = 0
    replies_twice: int = 0
    reminders: int = 0
    reminders_missing: int = 0
    reminders_twice: int = 0
    in_flight_at_kills: list[int] = field(default_factory=list)

    @property
    def in_flight(self) -> int:
        """Outbox rows held by a sender at the moment of the kills, added up."""
        return sum(self.in_flight_at_kills)

    def lines(self) -> list[str]:
        """The figures, one per line."""
        return [
            f"patients: {self.patients}, kills: {self.kills}, seconds: {self.seconds:.0f}",
            f"patient messages: {self.patient_messages}, never answered: {self.unanswered}",
            f"staff replies: {self.staff_replies}, lost: {self.staff_replies_lost}",
            f"/close: {self.closes}, lost: {self.closes_lost}",
            f"cases: {self.cases}, without a card at the end: {self.cases_without_card}, "
            f"cards posted twice: {self.duplicate_cards}",
            f"replies sent twice: {self.replies_twice} "
            f"(rows in flight at the kills: {self.in_flight}, per kill {self.in_flight_at_kills})",
            f"reminders: {self.reminders}, missing: {self.reminders_missing}, "
            f"sent twice: {self.reminders_twice}",
        ]


class BotProcess:
    """`python -m bot run` in a subprocess, killed and restarted at will."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the bot (it polls the fake server once it is up)."""
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=self.env,
            cwd=PROJECT,
            stdout=log,
            stderr=log,
            stdin=asyncio.subprocess.DEVNULL,
        )
        log.close()

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> int:
        """SIGTERM and wait: a clean stop."""
        if self.process is None or self.process.returncode is not None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 30)


def bot_environment(api: FakeBotApi, database: Path | str) -> dict[str, str]:
    """The settings of the bot under test: the fake server, a temporary database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_BASE_URL=api.url,
        STAFF_CHAT_ID=str(STAFF),
        LOG_LEVEL="INFO",
        QUIET_HOURS_START="00:00",
        QUIET_HOURS_END="00:00",
        # The fake server does not limit a group's rate; Telegram's 20 a minute would make
        # a test of hundreds of cases take hours.
        TELEGRAM_GROUP_MESSAGES_PER_MINUTE="100000",
        TELEGRAM_MESSAGES_PER_SECOND="1000",
    )
    env["DATABASE_URL" if isinstance(database, str) else "DATABASE_PATH"] = str(database)
    return env


async def seed_reminders(database: Path | str, count: int) -> None:
    """Patients who agreed to appointment reminders, each with one reminder due now."""
    store = Store(Database(database))
    await store.open()
    now = dt.datetime.now(dt.UTC)
    try:
        for number in range(count):
            chat = REMINDER_BASE + number
            patient = await store.patients.get_or_create(f"telegram:{chat}", "Rem", chat)
            await store.contact.grant(patient.id, "appointment", "telegram", "reminders, agreed")
            await store.contact.add_reminder(
                patient.id,
                "appointment",
                "reminder_appointment_day_before",
                now + dt.timedelta(days=1),
                "Dr. Kim",
                now - dt.timedelta(minutes=1),
                now + dt.timedelta(hours=6),
                ADMIN,
            )
    finally:
        await store.close()


async def polling_again(api: FakeBotApi, since: int, limit: float = 60.0) -> None:
    """Wait until the (re)started bot asks the fake server for updates: it is up."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if any(call.method == "getUpdates" for call in api.calls[since:]):
            return
        await asyncio.sleep(0.05)


async def count(database: Path | str, sql: str) -> int:
    """A COUNT(*) query's answer, read beside the bot (SQLite file or PostgreSQL alike)."""
    async with Database(database) as opened:
        row = await opened.fetch_one(sql)
    assert row is not None
    return int(row[0])


async def rows_in_flight(database: Path | str) -> int:
    """Outbox rows a sender held when the process died (the only ones that can go twice)."""
    return await count(
        database,
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_until IS NOT NULL",
    )


async def owed(database: Path | str) -> int:
    """Updates not yet handled plus rows not yet delivered."""
    inbox = await count(database, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'")
    return inbox + await count(database, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")


class SentTexts:
    """What the bot sent, by chat, indexed as it arrives (a scan per check would be quadratic)."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.by_chat: dict[int, list[str]] = {}
        self._seen = 0

    def catch_up(self) -> list[SentRecord]:
        """Index the fake server's new records (edits aside); returns them."""
        sent = self.api.sent
        new = [record for record in sent[self._seen :] if not record.is_edit]
        self._seen = len(sent)
        for record in new:
            self.by_chat.setdefault(record.chat_id, []).append(record.text or "")
        return new


class Conversations:
    """The patients and administrators, writing to the fake server and waiting for answers."""

    def __init__(self, api: FakeBotApi, answer_within: float) -> None:
        self.api = api
        self.answer_within = answer_within
        self.patient_messages = 0
        self.staff_replies: dict[int, str] = {}
        self.closes: set[int] = set()
        self.handed_over: set[int] = set()
        self.events: dict[int, list[int]] = {}
        self._sent = SentTexts(api)
        self._cards: dict[int, int] = {}
        self.timed_out: list[tuple[int, int]] = []

    def bot_messages(self, chat: int) -> list[str]:
        """What the bot sent to a chat so far (edits aside)."""
        for record in self._sent.catch_up():  # and the first case card of each patient
            text = record.text or ""
            if record.chat_id == STAFF and text.startswith("<b>Case #"):
                patient = CARD_PATIENT.search(text)
                if patient is not None:
                    self._cards.setdefault(int(patient.group(1)), record.message_id)
        return self._sent.by_chat.get(chat, [])

    async def ask(self, chat: int, text: str) -> None:
        """Write as the patient and wait for at least one answer (or give up waiting)."""
        before = len(self.bot_messages(chat))
        self.patient_messages += 1
        index = self._event(chat)
        self.api.user_message(chat, text, first_name="Pat")
        if not await self._wait(lambda: len(self.bot_messages(chat)) > before):
            self.timed_out.append((chat, index))

    def _event(self, chat: int) -> int:
        """Note that the patient (or an administrator about them) did something now."""
        index = len(self.api.sent)
        self.events.setdefault(chat, []).append(index)
        return index

    async def _wait(self, done: object) -> bool:
        deadline = time.monotonic() + self.answer_within
        while time.monotonic() < deadline:
            if done():  # type: ignore[operator]
                return True
            await asyncio.sleep(0.05)
        return False

    def card_of(self, chat: int) -> int | None:
        """The message id of the first case card posted for a patient."""
        for record in self.api.sent:
            text = record.text or ""
            if record.chat_id == STAFF and not record.is_edit and f'?id={chat}"' in text:
                return record.message_id
        return None

    async def patient(self, number: int, rng: random.Random, arrival: float) -> None:
        """One patient's visit: questions, a person, the administrator's answer and close."""
        chat = PATIENT_BASE + number
        await asyncio.sleep(rng.uniform(0, arrival))
        questions = rng.sample(QUESTIONS, 3)
        await self.ask(chat, questions[0])
        await self.ask(chat, questions[1])
        if number % 2 == 0:
            await self.ask(chat, "i want to talk to a person please")
            self.handed_over.add(chat)
            if not await self._wait(lambda: self.card_of(chat) is not None):
                return
            card = self.card_of(chat)
            reply = f"Hello from the front desk, patient {number}"
            before = len(self.bot_messages(chat))
            self.staff_replies[chat] = reply
            self._event(chat)
            self.api.user_message(
                ADMIN, reply, chat_id=STAFF, chat_type="supergroup", reply_to_message_id=card
            )
            await self._wait(lambda: len(self.bot_messages(chat)) > before)
            self.closes.add(chat)
            self._event(chat)
            self.api.user_message(
                ADMIN, "/close", chat_id=STAFF, chat_type="supergroup", reply_to_message_id=card
            )
            await self._wait(lambda: len(self.bot_messages(chat)) > before + 1)
        await self.ask(chat, questions[2])


async def run_crash_test(
    api: FakeBotApi,
    workdir: Path,
    *,
    patients: int,
    kills: int,
    reminders: int,
    seed: int = 7,
    answer_within: float = 120.0,
    arrival_seconds: float | None = None,
    database: Path | str | None = None,
) -> CrashReport:
    """Run the whole scenario and count what was lost or sent twice."""
    rng = random.Random(seed)
    database = database or workdir / "crash.sqlite3"
    await seed_reminders(database, reminders)
    bot = BotProcess(bot_environment(api, database), workdir / "bot.log")
    conversations = Conversations(api, answer_within)
    report = CrashReport(patients=patients, reminders=reminders)
    started = time.monotonic()
    await bot.start()
    # Patients keep arriving while the kills go on, so every kill meets traffic.
    arrival = arrival_seconds if arrival_seconds is not None else kills * 4.0
    visits = asyncio.gather(
        *(
            conversations.patient(n, random.Random(seed * 1000 + n), arrival)
            for n in range(patients)
        )
    )
    for _ in range(kills):
        # At a random moment of the bot's working life, not during its start-up.
        await polling_again(api, since=len(api.calls))
        await asyncio.sleep(rng.uniform(0.5, 4.0))
        await bot.kill()
        report.kills += 1
        report.in_flight_at_kills.append(await rows_in_flight(database))
        await bot.start()
    await visits
    deadline = time.monotonic() + 120
    while await owed(database) and time.monotonic() < deadline:  # noqa: ASYNC110 - another process
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    await bot.stop()
    report.seconds = time.monotonic() - started
    await _count(report, conversations, database)
    return report


async def _count(report: CrashReport, talk: Conversations, database: Path | str) -> None:
    api = talk.api
    report.patient_messages = talk.patient_messages
    for number in range(report.patients):
        chat = PATIENT_BASE + number
        report.replies_twice += _adjacent_repeats(talk.bot_messages(chat))
    report.unanswered = _unanswered(talk)
    report.staff_replies = len(talk.staff_replies)
    report.staff_replies_lost = sum(
        text not in talk.bot_messages(chat) for chat, text in talk.staff_replies.items()
    )
    async with Database(database) as opened:
        open_chats = {
            int(str(row[0]).removeprefix("telegram:"))
            for row in await opened.fetch_all(
                "SELECT p.external_id FROM handoff_cases c JOIN patients p ON p.id = c.patient_id "
                "WHERE c.status = 'open'"
            )
        }
    report.cases = await count(database, "SELECT COUNT(*) FROM handoff_cases")
    report.cases_without_card = await count(
        database, "SELECT COUNT(*) FROM handoff_cases WHERE staff_message_id IS NULL"
    )
    report.closes = len(talk.closes)
    report.closes_lost = len(talk.closes & open_chats)
    cards: dict[str, int] = {}
    for record in api.sent:
        text = record.text or ""
        if record.chat_id == STAFF and not record.is_edit and text.startswith("<b>Case #"):
            number = text.split("</b>", 1)[0]
            cards[number] = cards.get(number, 0) + 1
    report.duplicate_cards = sum(count - 1 for count in cards.values())
    report.replies_twice += report.duplicate_cards
    for number in range(report.reminders):
        received = [t for t in talk.bot_messages(REMINDER_BASE + number) if "reminder" in t]
        report.reminders_missing += not received
        report.reminders_twice += max(len(received) - 1, 0)


def _adjacent_repeats(texts: list[str]) -> int:
    return sum(1 for before, after in zip(texts, texts[1:], strict=False) if before == after)


def _unanswered(talk: Conversations) -> int:
    """Patient messages with no answer from the bot before the patient's next step."""
    sent = talk.api.sent
    unanswered = 0
    for chat, index in talk.timed_out:
        later = [event for event in talk.events[chat] if event > index]
        until = min(later) if later else len(sent)
        window = sent[index:until]
        if not any(r.chat_id == chat and not r.is_edit for r in window):
            unanswered += 1
    return unanswered
