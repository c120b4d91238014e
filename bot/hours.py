"""Which hours and which part-time specialists apply to a given weekday."""

from __future__ import annotations

import re

from bot.models import Clinic

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def days_named(days: str) -> set[str]:
    """The weekdays a line of hours covers: "Monday-Friday", "Tuesday and Thursday", "Sat"."""
    named: set[str] = set()
    for part in re.split(r",|\band\b|&|/", days.lower()):
        found = [_weekday(end) for end in re.split(r"\s*(?:-|–|to)\s*", part.strip()) if end]
        ends = [end for end in found if end is not None]
        if len(ends) == 2:
            first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[1])
            named.update(WEEKDAYS[first : last + 1])
        elif len(ends) == 1:
            named.add(ends[0])
    return named


def _weekday(word: str) -> str | None:
    word = word.strip()
    return next((day for day in WEEKDAYS if len(word) >= 3 and day.startswith(word)), None)


def hours_on(clinic: Clinic, weekday: str) -> tuple[str, str] | None:
    """(open, close) on that weekday, or None when the clinic is closed."""
    for hours in clinic.hours:
        if weekday in days_named(hours.days):
            if hours.closed or hours.open is None or hours.close is None:
                return None
            return hours.open, hours.close
    return None


def specialists_on(clinic: Clinic, weekday: str) -> list[str]:
    """The part-time specialists in on that weekday, with their hours."""
    return [
        f"{shift.who}: {shift.open}–{shift.close}"
        for shift in clinic.specialist_hours
        if weekday in days_named(shift.days)
    ]
