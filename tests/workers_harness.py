"""Several `frontdesk run` webhook workers on one database, fed through a load balancer.

Patients write three questions in a quick burst (as people do: one message after another,
without waiting), so one patient's messages land on different workers; each question has an
answer that can be told apart, so the record of what Telegram received shows whether every
message was answered, once, and in the order asked. Consented reminders fall due during the
run. One worker can be killed with SIGKILL halfway and started again. Used by the slow test
in `tests/test_workers_webhook.py` and by `bench/bench_workers.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import random
import resource
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.store import Database, Store
from tests.crash_harness import ADMIN, BotProcess, SentTexts, bot_environment, count
from tests.fake_bot_api import FakeBotApi
from tests.fake_webhook import WebhookDelivery

PATIENT_BASE = 500_000
REMINDER_BASE = 950_000
WEBHOOK_URL = "https://frontdesk.clinic.test/telegram"
WEBHOOK_SECRET = "workers-test-secret-0123456789"
#: Each question, and a piece of its answer that no other of these answers has.
QUESTIONS = {
    "what are your opening hours": "Monday-Friday",
    "what is your address": "We're at 24 Maple",
    "can i pay by card": "You can pay by",
    "do you take insurance": "out-of-network",
    "what is your phone number": "413 555 0142",
}


@dataclass
class WorkersReport:
    """What the patients saw and what the workers did, counted."""

    workers: int = 0
    store: str = ""
    patients: int = 0
    messages: int = 0
    seconds: float = 0.0
    answered_in: float = 0.0
    unanswered: int = 0
    answered_twice: int = 0
    out_of_order: int = 0
    other_messages: int = 0
    updates_done: int = 0
    updates_failed: int = 0
    worker_cpu: float = 0.0
    harness_cpu: float = 0.0
    kills: int = 0
    in_flight_at_kill: int = 0
    reminders: int = 0
    reminders_missing: int = 0
    reminders_twice: int = 0
    handled_by: dict[str, int] = field(default_factory=dict)
    #: What went wrong, chat by chat (the bot's messages, its outbox rows), for a failure.
    problems: list[str] = field(default_factory=list)

    @property
    def messages_per_second(self) -> float:
        """Patient messages answered per second, from the first sent to the last answer."""
        return self.messages / self.answered_in if self.answered_in else 0.0

    def lines(self) -> list[str]:
        """The figures, one per line."""
        return [
            f"{self.workers} worker(s) on {self.store}: {self.patients} patients, "
            f"{self.messages} messages, {self.seconds:.0f} s in all",
            f"answered in {self.answered_in:.1f} s: {self.messages_per_second:.0f} messages/s",
            f"never answered: {self.unanswered}, answered twice: {self.answered_twice}, "
            f"out of order: {self.out_of_order}, other messages: {self.other_messages}",
            f"CPU per message: workers {self.worker_cpu / max(self.messages, 1) * 1000:.1f} ms, "
            f"Telegram and the load balancer (fake) "
            f"{self.harness_cpu / max(self.messages, 1) * 1000:.1f} ms",
            f"updates handled: {self.updates_done}, given up: {self.updates_failed}; "
            f"posts accepted per worker: {self.handled_by}",
            f"kills: {self.kills}, rows the killed worker held: {self.in_flight_at_kill}",
            f"reminders: {self.reminders}, missing: {self.reminders_missing}, "
            f"sent twice: {self.reminders_twice}",
        ]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def listening(port: int, limit: float = 60.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise TimeoutError(f"no worker listening on port {port}")


class Worker:
    """One `frontdesk run` in webhook mode on its own port."""

    def __init__(self, api: FakeBotApi, database: Path | str, log: Path) -> None:
        self.port = free_port()
        env = bot_environment(api, database)
        env.update(
            WEBHOOK_URL=WEBHOOK_URL,
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(self.port),
        )
        env.pop("WEB_PORT", None)
        self.process = BotProcess(env, log)
        self.cpu_spent = 0.0
        self._cpu_from = 0.0

    def cpu_now(self) -> float:
        """CPU seconds the running process has used so far (0 when it is not running)."""
        pid = self.pid
        if pid is None:
            return 0.0
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def count_cpu_from_now(self) -> None:
        """Start counting CPU here (after start-up: loading and training are not traffic)."""
        self._cpu_from = self.cpu_now()

    def count_cpu_until_now(self) -> None:
        """Add the CPU used since counting started."""
        self.cpu_spent += self.cpu_now() - self._cpu_from

    @property
    def address(self) -> str:
        """Where the load balancer posts to this worker."""
        return f"http://127.0.0.1:{self.port}/telegram"

    @property
    def pid(self) -> int | None:
        """The running process's id."""
        running = self.process.process
        return running.pid if running is not None and running.returncode is None else None

    async def start(self) -> None:
        """Start it and wait until it takes posts."""
        await self.process.start()
        await listening(self.port)


async def seed_reminders(database: Path | str, count: int, within: float) -> None:
    """Patients who agreed to reminders, each one due at a moment of the coming `within` s."""
    store = Store(Database(database))
    await store.open()
    now = dt.datetime.now(dt.UTC)
    try:
        for number in range(count):
            chat = REMINDER_BASE + number
            patient = await store.patients.get_or_create(f"telegram:{chat}", "Rem", chat)
            await store.contact.grant(patient.id, "appointment", "telegram", "reminders, agreed")
            due = now + dt.timedelta(seconds=within * number / max(count, 1))
            await store.contact.add_reminder(
                patient.id,
                "appointment",
                "reminder_appointment_day_before",
                now + dt.timedelta(days=1),
                "Dr. Kim",
                due,
                now + dt.timedelta(hours=6),
                ADMIN,
            )
    finally:
        await store.close()


class Patients:
    """Patients writing bursts of three questions and waiting for the answers."""

    def __init__(self, api: FakeBotApi, answer_within: float) -> None:
        self.api = api
        self.answer_within = answer_within
        self.asked: dict[int, list[str]] = {}
        self.sent = 0
        self.first_sent = 0.0
        self.last_answer = 0.0
        self._sent = SentTexts(api)
        self._answered: dict[int, asyncio.Event] = {}

    def bot_messages(self, chat: int) -> list[str]:
        """What the bot sent to a chat so far (edits aside)."""
        self._catch_up()
        return self._sent.by_chat.get(chat, [])

    def _catch_up(self) -> None:
        """Index the fake server's new records; wake patients with all their answers."""
        for record in self._sent.catch_up():
            waiting = self._answered.get(record.chat_id)
            if waiting is not None and self._answers(record.chat_id) == 3:
                self.last_answer = time.monotonic()
                waiting.set()

    def _answers(self, chat: int) -> int:
        texts = self._sent.by_chat.get(chat, [])
        markers = [QUESTIONS[question] for question in self.asked.get(chat, [])]
        return sum(any(marker in text for text in texts) for marker in markers)

    async def watch(self) -> None:
        """Look at what Telegram received every few milliseconds (one scan for everyone)."""
        while True:
            self._catch_up()
            await asyncio.sleep(0.01)

    async def visit(self, number: int, rng: random.Random, arrival: float) -> None:
        """Arrive, write three questions a moment apart, wait for the three answers."""
        chat = PATIENT_BASE + number
        await asyncio.sleep(rng.uniform(0, arrival))
        questions = rng.sample(list(QUESTIONS), 3)
        self.asked[chat] = questions
        self._answered[chat] = asyncio.Event()
        if not self.first_sent:
            self.first_sent = time.monotonic()
        for question in questions:
            self.api.user_message(chat, question, first_name="Pat")
            self.sent += 1
            await asyncio.sleep(rng.uniform(0.0, 0.2))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.answer_within):
                await self._answered[chat].wait()


async def run_workers(
    api: FakeBotApi,
    workdir: Path,
    database: Path | str,
    *,
    workers: int = 2,
    patients: int = 500,
    arrival_seconds: float = 20.0,
    kill_halfway: bool = True,
    restart_after: float = 3.0,
    reminders: int = 50,
    seed: int = 5,
    answer_within: float = 120.0,
) -> WorkersReport:
    """Run the scenario and count what the patients and the reminders' patients received."""
    await seed_reminders(database, reminders, within=arrival_seconds)
    report = WorkersReport(
        workers=workers,
        store="PostgreSQL" if isinstance(database, str) else "SQLite",
        patients=patients,
        reminders=reminders,
    )
    team = [Worker(api, database, workdir / f"worker{n}.log") for n in range(workers)]
    started = time.monotonic()
    own = _cpu(resource.RUSAGE_SELF)
    await asyncio.gather(*(worker.start() for worker in team))
    for worker in team:
        worker.count_cpu_from_now()
    talk = Patients(api, answer_within)
    watching = asyncio.create_task(talk.watch())
    async with WebhookDelivery(api, [worker.address for worker in team]) as delivery:
        visits = asyncio.gather(
            *(
                talk.visit(n, random.Random(seed * 1000 + n), arrival_seconds)
                for n in range(patients)
            )
        )
        if kill_halfway and workers > 1:
            await _kill_halfway(team[-1], talk, patients * 3, database, report, restart_after)
        await visits
        await _until_all_done(database, reminders)
        for worker in team:
            worker.count_cpu_until_now()
        report.handled_by = {
            worker.split(":")[-1].split("/")[0]: accepted
            for worker, accepted in sorted(delivery.counts.accepted.items())
        }
    watching.cancel()
    await asyncio.gather(watching, return_exceptions=True)
    await asyncio.gather(*(worker.process.stop() for worker in team))
    report.seconds = time.monotonic() - started
    report.worker_cpu = sum(worker.cpu_spent for worker in team)
    report.harness_cpu = _cpu(resource.RUSAGE_SELF) - own
    report.answered_in = max(talk.last_answer - talk.first_sent, 0.0)
    report.messages = talk.sent
    await _count(report, talk, database)
    if report.problems:  # what the workers said about it
        for worker in team:
            report.problems += [
                f"{worker.port}: {line}"
                for line in worker.process.log_path.read_text(errors="replace").splitlines()
                if " WARNING " in line or " ERROR " in line
            ][:40]
    return report


async def _what_happened(
    database: Path | str, chat: int, questions: list[str], texts: list[str]
) -> str:
    """One chat's questions, the bot's messages and its outbox rows, for a failure message."""
    async with Database(database) as opened:
        rows = await opened.fetch_all(
            "SELECT id, status, attempts, leased_by, last_error, telegram_message_id "
            "FROM outbox WHERE chat_id = ? ORDER BY id",
            (chat,),
        )
    shown = [text[:40] for text in texts]
    outbox = [tuple(row) for row in rows]
    return f"chat {chat}: asked {questions}, got {shown}, outbox {outbox}"


def _cpu(who: int) -> float:
    """CPU seconds (user and system) of this process or of its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


async def _kill_halfway(
    worker: Worker,
    talk: Patients,
    messages: int,
    database: Path | str,
    report: WorkersReport,
    restart_after: float,
) -> None:
    """SIGKILL one worker once half the messages were sent; start it again a moment later."""
    while talk.sent < messages // 2:  # noqa: ASYNC110 - the patients are other tasks
        await asyncio.sleep(0.02)
    pid = worker.pid
    worker.count_cpu_until_now()
    await worker.process.kill()
    report.kills += 1
    report.in_flight_at_kill = await count(
        database,
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_until IS NOT NULL "
        f"AND leased_by LIKE '{pid}-%'",
    )
    await asyncio.sleep(restart_after)
    await worker.start()
    worker.count_cpu_from_now()


async def _until_all_done(database: Path | str, reminders: int, limit: float = 120.0) -> None:
    """Wait until every stored update is handled, every row sent, every reminder sent."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        owed = await count(database, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'")
        owed += await count(database, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        owed += await count(
            database, "SELECT COUNT(*) FROM reminders WHERE status IN ('pending', 'queued')"
        )
        if not owed:
            return
        await asyncio.sleep(0.2)


async def _count(report: WorkersReport, talk: Patients, database: Path | str) -> None:
    for chat, questions in talk.asked.items():
        texts = talk.bot_messages(chat)
        markers = [QUESTIONS[question] for question in questions]
        order = []
        for text in texts:
            found = [marker for marker in markers if marker in text]
            if not found:
                report.other_messages += 1
            order.extend(found)
        wrong = report.unanswered + report.answered_twice + report.out_of_order
        for marker in markers:
            times = order.count(marker)
            report.unanswered += times == 0
            report.answered_twice += max(times - 1, 0)
        first_seen = sorted(set(order), key=order.index)
        report.out_of_order += first_seen != [m for m in markers if m in first_seen]
        if report.unanswered + report.answered_twice + report.out_of_order > wrong:
            report.problems.append(await _what_happened(database, chat, questions, texts))
    report.updates_done = await count(database, "SELECT COUNT(*) FROM inbox WHERE status = 'done'")
    report.updates_failed = await count(
        database, "SELECT COUNT(*) FROM inbox WHERE status = 'failed'"
    )
    for number in range(report.reminders):
        received = [t for t in talk.bot_messages(REMINDER_BASE + number) if "reminder" in t]
        report.reminders_missing += not received
        report.reminders_twice += max(len(received) - 1, 0)
