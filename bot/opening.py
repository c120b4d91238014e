"""Whether the front desk is open at a moment, and when it next opens, said for a patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.hours import WEEKDAYS, hours_on
from bot.models import Clinic

MINUTES_A_DAY = 24 * 60
#: How far ahead to look for the next opening: a week brings back the same weekday.
DAYS_AHEAD = 7


@dataclass(frozen=True)
class DeskHours:
    """The front desk at one moment: open or not, and when it next opens (clinic time)."""

    is_open: bool
    opens_at: dt.datetime | None = None
    #: The next opening said for a patient: "today at 09:00", "on Monday at 08:00".
    opens: str | None = None


def desk_hours(clinic: Clinic, now: dt.datetime) -> DeskHours:
    """Whether the desk is open at `now` (a UTC datetime) and, if not, when it opens."""
    local = now.astimezone(ZoneInfo(clinic.timezone))
    if is_open_at(clinic, local):
        return DeskHours(is_open=True)
    opens_at = next_opening(clinic, local)
    if opens_at is None:
        return DeskHours(is_open=False)
    return DeskHours(is_open=False, opens_at=opens_at, opens=said_for_patient(opens_at, local))


def is_open_at(clinic: Clinic, local: dt.datetime) -> bool:
    """Whether the clinic's hours cover this local time."""
    span = _minutes_open(clinic, local.date())
    if span is None:
        return False
    minute = local.hour * 60 + local.minute
    return span[0] <= minute < span[1]


def next_opening(clinic: Clinic, local: dt.datetime) -> dt.datetime | None:
    """The next local datetime the desk opens after `local`; None if it never opens."""
    minute = local.hour * 60 + local.minute
    for ahead in range(DAYS_AHEAD + 1):
        day = local.date() + dt.timedelta(days=ahead)
        span = _minutes_open(clinic, day)
        if span is None or (ahead == 0 and minute >= span[0]):
            continue
        opening = dt.time(span[0] // 60, span[0] % 60)
        return dt.datetime.combine(day, opening, tzinfo=local.tzinfo)
    return None


def said_for_patient(opens_at: dt.datetime, local: dt.datetime) -> str:
    """ "today at 09:00", "tomorrow at 09:00", "on Monday at 09:00" (seen from `local`)."""
    days = (opens_at.date() - local.date()).days
    at = f"at {opens_at:%H:%M}"
    weekday = WEEKDAYS[opens_at.weekday()].capitalize()
    if days == 0:
        return f"today {at}"
    if days == 1:
        return f"tomorrow {at}"
    if days >= DAYS_AHEAD:
        return f"next {weekday} {at}"
    return f"on {weekday} {at}"


def _minutes_open(clinic: Clinic, day: dt.date) -> tuple[int, int] | None:
    """(opening, closing) in minutes after midnight on that date, or None when closed."""
    hours = hours_on(clinic, WEEKDAYS[day.weekday()])
    if hours is None:
        return None
    opening, closing = _minutes(hours[0]), _minutes(hours[1])
    if closing <= opening:
        closing = MINUTES_A_DAY  # "24:00" or a late close: open until midnight
    return opening, closing


def _minutes(clock_time: str) -> int:
    """ "09:30" -> 570."""
    hour, minute = clock_time.split(":")
    return int(hour) * 60 + int(minute)
