"""The numbers behind the managers' page: counts per clinic-local day, never message text.

Every function only reads (through `Database.fetch_all`, whose reader connection is
`query_only`) and returns counts, dates and intent or reason names. A day is a calendar day in
the clinic's time zone: its bounds are turned into UTC once, here, and compared with the
stored UTC times, so a day with a daylight-saving change is 23 or 25 hours long, as it should be.
Rows past their retention period, or of erased patients, are no longer there to count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.core.flows.handoff import EMERGENCY, URGENT
from bot.store import Database, to_db_time, utc_now
from bot.unmatched import BARELY_MATCHED

#: How many days the page shows unless asked otherwise (today included).
DEFAULT_DAYS = 30
#: How many intents the "top intents" list keeps.
TOP_INTENTS = 10
#: A LIMIT that keeps every row (SQLite's -1 means that, PostgreSQL refuses it).
NO_LIMIT = 2**62

#: A patient's message the matcher scored (relayed, foreign-language and edited ones are not).
SCORED_MESSAGE = "t.direction = 'in' AND t.score IS NOT NULL"
#: Of those, one the bot did not understand or barely matched (as in `bot.unmatched`).
UNMATCHED_MESSAGE = f"{SCORED_MESSAGE} AND (t.intent IS NULL OR t.score < ?)"


@dataclass(frozen=True)
class Period:
    """The clinic-local days counted, oldest first, ending today."""

    zone: ZoneInfo
    days: tuple[dt.date, ...]

    @classmethod
    def last_days(
        cls, zone: ZoneInfo, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
    ) -> Period:
        """The last `days` days at the clinic, today (as of `now`, default: now) the last."""
        if days < 1:
            raise ValueError(f"a period has at least one day, not {days}")
        moment = utc_now() if now is None else now
        if moment.tzinfo is None:
            raise ValueError("`now` must be timezone-aware")
        today = moment.astimezone(zone).date()
        return cls(zone, tuple(today - dt.timedelta(days=back) for back in reversed(range(days))))

    @property
    def first(self) -> dt.date:
        """The oldest day counted."""
        return self.days[0]

    @property
    def last(self) -> dt.date:
        """The newest day counted (today)."""
        return self.days[-1]

    def start_of(self, day: dt.date) -> str:
        """The stored (UTC) form of the moment a clinic-local day begins."""
        return to_db_time(dt.datetime.combine(day, dt.time(), self.zone))

    def day_bounds(self) -> Iterator[tuple[str, str, str]]:
        """(ISO day, UTC start, UTC end) of each day, oldest first."""
        for day in self.days:
            yield day.isoformat(), self.start_of(day), self.start_of(day + dt.timedelta(days=1))

    @property
    def utc_start(self) -> str:
        """The stored form of the moment the period begins."""
        return self.start_of(self.first)

    @property
    def utc_end(self) -> str:
        """The stored form of the moment the period ends (tomorrow at midnight)."""
        return self.start_of(self.last + dt.timedelta(days=1))


@dataclass(frozen=True)
class DayCount:
    """How many of something on one clinic-local day."""

    day: dt.date
    count: int


@dataclass(frozen=True)
class DailyCounts:
    """One count per clinic-local day, oldest first; a day with nothing counts 0."""

    days: tuple[DayCount, ...]

    @property
    def total(self) -> int:
        """The sum over every day."""
        return sum(each.count for each in self.days)

    @property
    def peak(self) -> int:
        """The largest count of any one day (0 when there are no days)."""
        return max((each.count for each in self.days), default=0)

    def on(self, day: dt.date) -> int:
        """The count of one day (0 for a day outside the period)."""
        return next((each.count for each in self.days if each.day == day), 0)

    def points(self) -> tuple[tuple[dt.date, float], ...]:
        """(day, count) pairs, for a chart."""
        return tuple((each.day, float(each.count)) for each in self.days)


@dataclass(frozen=True)
class NameCount:
    """How many of something had this name (an intent or a handoff reason)."""

    name: str
    count: int


@dataclass(frozen=True)
class Ranking:
    """Names with their counts over the period, largest first (ties by name)."""

    items: tuple[NameCount, ...]

    @property
    def total(self) -> int:
        """The sum of the counts listed."""
        return sum(each.count for each in self.items)

    def count_of(self, name: str) -> int:
        """The count of one name (0 when it is not listed)."""
        return next((each.count for each in self.items if each.name == name), 0)

    def points(self) -> tuple[tuple[str, float], ...]:
        """(name, count) pairs, for a chart."""
        return tuple((each.name, float(each.count)) for each in self.items)


@dataclass(frozen=True)
class UnmatchedDay:
    """Of the messages the matcher scored on one day, how many it did not understand."""

    day: dt.date
    scored: int
    unmatched: int

    @property
    def share(self) -> float:
        """unmatched / scored, from 0 to 1 (0 on a day with no scored message)."""
        return self.unmatched / self.scored if self.scored else 0.0


@dataclass(frozen=True)
class UnmatchedShare:
    """The unmatched share per clinic-local day, oldest first, and over the whole period."""

    days: tuple[UnmatchedDay, ...]

    @property
    def scored(self) -> int:
        """Messages the matcher scored over the period."""
        return sum(each.scored for each in self.days)

    @property
    def unmatched(self) -> int:
        """Of those, how many it did not understand or barely matched."""
        return sum(each.unmatched for each in self.days)

    @property
    def share(self) -> float:
        """unmatched / scored over the period, from 0 to 1 (0 when nothing was scored)."""
        return self.unmatched / self.scored if self.scored else 0.0

    def on(self, day: dt.date) -> UnmatchedDay:
        """One day's figures (zeros for a day outside the period)."""
        return next((each for each in self.days if each.day == day), UnmatchedDay(day, 0, 0))

    def percent_points(self) -> tuple[tuple[dt.date, float], ...]:
        """(day, share in percent) pairs, for a chart."""
        return tuple((each.day, 100 * each.share) for each in self.days)


@dataclass(frozen=True)
class BookingsPerDay:
    """Booking requests sent to the front desk, and requests confirmed, per day."""

    requested: DailyCounts
    confirmed: DailyCounts


@dataclass(frozen=True)
class Numbers:
    """Everything on the managers' "Numbers" page, for one period."""

    period: Period
    messages: DailyCounts
    top_intents: Ranking
    handoff_reasons: Ranking
    handoff_levels: Ranking
    unmatched: UnmatchedShare
    bookings: BookingsPerDay
    reminders_sent: DailyCounts
    opt_outs: DailyCounts


#: Rows (as `t`) of a branch's patients, its id the one parameter.
OF_BRANCH = "t.patient_id IN (SELECT id FROM patients WHERE branch = ?)"
#: Audit lines of a branch's patients (the actor is "patient:<id>").
AUDIT_OF_BRANCH = "t.actor IN (SELECT 'patient:' || id FROM patients WHERE branch = ?)"


@dataclass(frozen=True)
class _Tally:
    """Rows to count per day: those of `table` (as `t`) whose `time` column falls on it."""

    table: str
    time: str
    condition: str = "1 = 1"
    parameters: tuple[object, ...] = ()
    of_branch: str = OF_BRANCH

    def for_branch(self, branch: str | None) -> _Tally:
        """The same rows, of one branch's patients only (None: every patient)."""
        if branch is None:
            return self
        return replace(
            self,
            condition=f"{self.condition} AND {self.of_branch}",
            parameters=(*self.parameters, branch),
        )


#: Patients' messages (relayed and foreign-language ones too; button presses are not stored).
INCOMING_MESSAGES = _Tally("messages", "created_at", "t.direction = 'in'")
SCORED_MESSAGES = _Tally("messages", "created_at", SCORED_MESSAGE)
UNMATCHED_MESSAGES = _Tally("messages", "created_at", UNMATCHED_MESSAGE, (BARELY_MATCHED,))
#: Requests of every kind (new, reschedule, cancel), by when the patient completed them.
BOOKING_REQUESTS = _Tally("booking_requests", "created_at")
#: Requests the front desk confirmed or the patient accepted, by when that happened.
CONFIRMED_BOOKINGS = _Tally("booking_requests", "closed_at", "t.status = 'confirmed'")
#: Reminders Telegram accepted (status 'sent'), by when.
REMINDERS_SENT = _Tally("reminders", "sent_at", "t.status = 'sent'")
#: A patient asking to hear no more (not a patient who blocked the bot: 'patient_unreachable').
OPT_OUTS = _Tally("audit_log", "at", "t.action = 'opt_out'", of_branch=AUDIT_OF_BRANCH)


async def _per_day(database: Database, period: Period, tally: _Tally) -> DailyCounts:
    """Count the tally's rows on each day of the period, in one query."""
    bounds = list(period.day_bounds())
    values = ", ".join("(?, ?, ?)" for _ in bounds)
    rows = await database.fetch_all(
        f"WITH day(day, start, stop) AS (VALUES {values}) "
        f"SELECT day.day AS day, COUNT(t.{tally.time}) AS count FROM day "
        f"LEFT JOIN {tally.table} AS t ON t.{tally.time} >= day.start "
        f"AND t.{tally.time} < day.stop AND {tally.condition} "
        f"GROUP BY day.day ORDER BY day.day",
        [value for bound in bounds for value in bound] + list(tally.parameters),
    )
    counted = {row["day"]: int(row["count"]) for row in rows}
    return DailyCounts(
        tuple(DayCount(day, counted.get(day.isoformat(), 0)) for day in period.days)
    )


async def _ranking(
    database: Database, sql: str, parameters: tuple[object, ...], limit: int | None
) -> Ranking:
    """Names and counts from a query selecting `name, count`, largest first."""
    rows = await database.fetch_all(
        f"{sql} ORDER BY count DESC, name LIMIT ?",
        (*parameters, NO_LIMIT if limit is None else limit),
    )
    return Ranking(tuple(NameCount(str(row["name"]), int(row["count"])) for row in rows))


def _branch_filter(branch: str | None) -> tuple[str, tuple[object, ...]]:
    """The condition (and its parameter) keeping a branch's patients' rows, aliased `t`."""
    return ("", ()) if branch is None else (f" AND {OF_BRANCH}", (branch,))


async def messages_per_day(
    database: Database, period: Period, branch: str | None = None
) -> DailyCounts:
    """Patients' messages per day (messages.created_at, direction 'in')."""
    return await _per_day(database, period, INCOMING_MESSAGES.for_branch(branch))


async def top_intents(
    database: Database,
    period: Period,
    limit: int | None = TOP_INTENTS,
    branch: str | None = None,
) -> Ranking:
    """The intents patients' messages were matched to (score at least BARELY_MATCHED)."""
    only, parameters = _branch_filter(branch)
    return await _ranking(
        database,
        "SELECT t.intent AS name, COUNT(*) AS count FROM messages AS t WHERE t.direction = 'in' "
        "AND t.intent IS NOT NULL AND t.score >= ? AND t.created_at >= ? AND t.created_at < ?"
        f"{only} GROUP BY t.intent",
        (BARELY_MATCHED, period.utc_start, period.utc_end, *parameters),
        limit,
    )


async def handoffs_by_reason(
    database: Database, period: Period, branch: str | None = None
) -> Ranking:
    """Cases opened in the period, by reason (an intent name or "not_understood")."""
    only, parameters = _branch_filter(branch)
    return await _ranking(
        database,
        "SELECT t.reason AS name, COUNT(*) AS count FROM handoff_cases AS t "
        f"WHERE t.opened_at >= ? AND t.opened_at < ?{only} GROUP BY t.reason",
        (period.utc_start, period.utc_end, *parameters),
        None,
    )


async def handoffs_by_level(
    database: Database, period: Period, branch: str | None = None
) -> Ranking:
    """Hand-overs by triage level: emergency cases, urgent ones (a case or a same-day request
    to the front desk) and routine ones (every other case: a question, a complaint...)."""
    only, parameters = _branch_filter(branch)
    return await _ranking(
        database,
        "SELECT name, COUNT(*) AS count FROM ("
        "SELECT CASE t.reason WHEN ? THEN 'emergency' WHEN ? THEN 'urgent' ELSE 'routine' END "
        f"AS name FROM handoff_cases AS t WHERE t.opened_at >= ? AND t.opened_at < ?{only} "
        "UNION ALL SELECT 'urgent' AS name FROM booking_requests AS t "
        f"WHERE t.urgency = 'urgent' AND t.created_at >= ? AND t.created_at < ?{only}"
        ") AS levels GROUP BY name",
        (
            EMERGENCY,
            URGENT,
            period.utc_start,
            period.utc_end,
            *parameters,
            period.utc_start,
            period.utc_end,
            *parameters,
        ),
        None,
    )


async def unmatched_share(
    database: Database, period: Period, branch: str | None = None
) -> UnmatchedShare:
    """Per day, the scored messages and how many were not understood or barely matched."""
    scored = await _per_day(database, period, SCORED_MESSAGES.for_branch(branch))
    unmatched = await _per_day(database, period, UNMATCHED_MESSAGES.for_branch(branch))
    return UnmatchedShare(
        tuple(
            UnmatchedDay(every.day, every.count, missed.count)
            for every, missed in zip(scored.days, unmatched.days, strict=True)
        )
    )


async def bookings_per_day(
    database: Database, period: Period, branch: str | None = None
) -> BookingsPerDay:
    """Booking requests completed, and requests confirmed, per day."""
    return BookingsPerDay(
        requested=await _per_day(database, period, BOOKING_REQUESTS.for_branch(branch)),
        confirmed=await _per_day(database, period, CONFIRMED_BOOKINGS.for_branch(branch)),
    )


async def reminders_sent_per_day(
    database: Database, period: Period, branch: str | None = None
) -> DailyCounts:
    """Reminders delivered per day (reminders.sent_at, status 'sent')."""
    return await _per_day(database, period, REMINDERS_SENT.for_branch(branch))


async def opt_outs_per_day(
    database: Database, period: Period, branch: str | None = None
) -> DailyCounts:
    """Patients who asked for no more messages, per day (audit_log action 'opt_out')."""
    return await _per_day(database, period, OPT_OUTS.for_branch(branch))


async def gather_numbers(database: Database, period: Period, branch: str | None = None) -> Numbers:
    """Every number on the page, for the period: the whole clinic's, or one branch's (its
    patients' messages, cases, requests, reminders and opt-outs)."""
    return Numbers(
        period=period,
        messages=await messages_per_day(database, period, branch),
        top_intents=await top_intents(database, period, branch=branch),
        handoff_reasons=await handoffs_by_reason(database, period, branch),
        handoff_levels=await handoffs_by_level(database, period, branch),
        unmatched=await unmatched_share(database, period, branch),
        bookings=await bookings_per_day(database, period, branch),
        reminders_sent=await reminders_sent_per_day(database, period, branch),
        opt_outs=await opt_outs_per_day(database, period, branch),
    )
