"""Staff command arguments: parsed into typed values, or one line saying what is wrong and how.

Pure functions: no Telegram, no database. A handler calls one, and on `ArgumentProblem` sends
the message as it is. Whether a case number exists is for the handler to check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.reminders import REMINDER_KINDS, TASK_KINDS
from bot.store.cases import LARGEST_ID
from bot.unmatched import parse_since

LARGEST_CASE_NUMBER = LARGEST_ID
DAYS_AHEAD = 5 * 365 + 1  # a date further away than about five years is a typo
SHOWN = 24  # characters of a wrong argument quoted back

CLOSE_FORM = "Reply /close to a case message, or write /close #12"
CARD_FORM = "Reply /card to a case message, or write /card #12"
APPOINTMENT_FORM = "/remind appointment YYYY-MM-DD HH:MM [doctor]"
REMIND_FORM = f"{APPOINTMENT_FORM}, or /remind hygiene|checkup YYYY-MM-DD"
TASK_FORM = "/task plan|feedback YYYY-MM-DD <what was agreed>"
PREVIEW_FORM = "/preview <a patient's question>, e.g. /preview how much is an implant"
UNMATCHED_FORM = "/unmatched [period]"
CANCEL_FORM = "Reply /cancel to a booking card, or write /cancel #3"
DEFAULT_SINCE = "7d"

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also accepts "²", which int() refuses
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


class ArgumentProblem(ValueError):
    """A staff command's arguments are wrong; the message says what, and the right form."""


@dataclass(frozen=True)
class ReminderRequest:
    """/remind: which case (None: the replied-to one), what kind, when, and with whom."""

    case_id: int | None
    kind: str
    day: dt.date
    at: dt.time | None
    doctor: str | None


@dataclass(frozen=True)
class BookingTime:
    """/confirm or /propose: which request (None: the replied-to one), when, and with whom."""

    request_id: int | None
    day: dt.date
    at: dt.time
    doctor: str | None


@dataclass(frozen=True)
class TaskRequest:
    """/task: which case (None: the replied-to one), what kind of call, when, and why."""

    case_id: int | None
    kind: str
    day: dt.date
    note: str


def shown(text: str) -> str:
    """A wrong argument quoted back, cut short if long."""
    return repr(text if len(text) <= SHOWN else text[: SHOWN - 1] + "…")


def case_number(text: str) -> int:
    """'#12' or '12' -> 12; anything else, 0, or a number SQLite cannot store is a problem."""
    return _record_number(text, "Case numbers")


def request_number(text: str) -> int:
    """A booking request's number: '#3' or '3' -> 3, checked like a case number."""
    return _record_number(text, "Booking request numbers")


def _record_number(text: str, what: str) -> int:
    digits = text.removeprefix("#")
    if not _DIGITS.fullmatch(digits):
        raise ArgumentProblem(f"{what} are whole numbers like #12; {shown(text)} is not one.")
    significant = digits.lstrip("0") or "0"  # also keeps int() clear of 4,300-digit strings
    if len(significant) > len(str(LARGEST_CASE_NUMBER)) or int(significant) > LARGEST_CASE_NUMBER:
        raise ArgumentProblem(f"{what} are whole numbers like #12; {shown(text)} is too large.")
    if significant == "0":
        raise ArgumentProblem(f"{what} are whole numbers like #12, starting at #1.")
    return int(significant)


def leading_case(arguments: Sequence[str]) -> tuple[int | None, list[str]]:
    """A case number first ('#12' or '12'), if any, and the arguments after it."""
    if arguments and (arguments[0].startswith("#") or _DIGITS.fullmatch(arguments[0])):
        return case_number(arguments[0]), list(arguments[1:])
    return None, list(arguments)


def leading_request(arguments: Sequence[str]) -> tuple[int | None, list[str]]:
    """A booking request number first ('#3' or '3'), if any, and the arguments after it."""
    if arguments and (arguments[0].startswith("#") or _DIGITS.fullmatch(arguments[0])):
        return request_number(arguments[0]), list(arguments[1:])
    return None, list(arguments)


def case_only(arguments: Sequence[str], form: str) -> int | None:
    """A command that takes at most a case number: the number, or None for the replied-to case."""
    case_id, rest = leading_case(arguments)
    if rest:
        raise ArgumentProblem(f"{form}; {shown(rest[0])} is not a case number.")
    return case_id


def close_arguments(arguments: Sequence[str]) -> int | None:
    """/close [#12]: the case number, or None to close the replied-to case."""
    return case_only(arguments, CLOSE_FORM)


def card_arguments(arguments: Sequence[str]) -> int | None:
    """/card [#12]: the case number, or None for the replied-to case."""
    return case_only(arguments, CARD_FORM)


def no_arguments(arguments: Sequence[str], command: str) -> None:
    """A command that takes nothing (e.g. /cases) refuses anything after it."""
    if arguments:
        raise ArgumentProblem(f"Write just {command}; {shown(arguments[0])} is not expected.")


def day_of(text: str, form: str, today: dt.date) -> dt.date:
    """A YYYY-MM-DD date from today up to about five years ahead."""
    if not _DATE.fullmatch(text):
        raise ArgumentProblem(f"Use {form}; {shown(text)} is not a date like 2027-05-20.")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ArgumentProblem(f"Use {form}; {text} is not a date.") from None
    if day < today:
        raise ArgumentProblem(f"Use {form}; {text} is in the past (today is {today}).")
    if day > today + dt.timedelta(days=DAYS_AHEAD):
        raise ArgumentProblem(f"Use {form}; {text} is more than 5 years ahead.")
    return day


def time_of(text: str, form: str) -> dt.time:
    """An HH:MM time of day."""
    found = _TIME.fullmatch(text)
    if found is None:
        raise ArgumentProblem(f"Use {form}; {shown(text)} is not a time like 14:30.")
    hour, minute = int(found[1]), int(found[2])
    if hour > 23 or minute > 59:
        raise ArgumentProblem(f"Use {form}; {text} is not a time of day.")
    return dt.time(hour, minute)


def remind_arguments(arguments: Sequence[str], now: dt.datetime) -> ReminderRequest:
    """/remind [#12] appointment DATE TIME [doctor] | hygiene DATE | checkup DATE.

    `now` is the clinic's local time (timezone-aware): the date and time must not be past.
    """
    case_id, rest = leading_case(arguments)
    if not rest:
        raise ArgumentProblem(f"Use {REMIND_FORM}; the kind and date are missing.")
    kind = rest[0].lower()
    if kind not in REMINDER_KINDS:
        raise ArgumentProblem(f"Use {REMIND_FORM}; {shown(rest[0])} is not a kind of reminder.")
    form = APPOINTMENT_FORM if kind == "appointment" else f"/remind {kind} YYYY-MM-DD"
    if len(rest) < 2:
        raise ArgumentProblem(f"Use {form}; the date is missing.")
    day = day_of(rest[1], form, now.date())
    if kind != "appointment":
        if len(rest) > 2:
            raise ArgumentProblem(f"Use {form}; {shown(rest[2])} is not expected after the date.")
        return ReminderRequest(case_id, kind, day, None, None)
    if len(rest) < 3:
        raise ArgumentProblem(f"Use {form}; the time is missing.")
    at = time_of(rest[2], form)
    if dt.datetime.combine(day, at, now.tzinfo) <= now:
        raise ArgumentProblem(f"Use {form}; {day} {at:%H:%M} has already passed.")
    return ReminderRequest(case_id, kind, day, at, " ".join(rest[3:]) or None)


def booking_time_form(command: str) -> str:
    """How /confirm or /propose is written."""
    return f"/{command} [#3] YYYY-MM-DD HH:MM [doctor]"


def booking_time_arguments(
    arguments: Sequence[str], now: dt.datetime, command: str
) -> BookingTime:
    """/confirm or /propose [#3] DATE TIME [doctor]; `now` is the clinic's local time."""
    form = booking_time_form(command)
    request_id, rest = leading_request(arguments)
    if not rest:
        raise ArgumentProblem(f"Use {form}; the date and time are missing.")
    day = day_of(rest[0], form, now.date())
    if len(rest) < 2:
        raise ArgumentProblem(f"Use {form}; the time is missing.")
    at = time_of(rest[1], form)
    if dt.datetime.combine(day, at, now.tzinfo) <= now:
        raise ArgumentProblem(f"Use {form}; {day} {at:%H:%M} has already passed.")
    return BookingTime(request_id, day, at, " ".join(rest[2:]) or None)


def cancel_arguments(arguments: Sequence[str]) -> int | None:
    """/cancel [#3]: the booking request number, or None for the replied-to card."""
    request_id, rest = leading_request(arguments)
    if rest:
        raise ArgumentProblem(f"{CANCEL_FORM}; {shown(rest[0])} is not a request number.")
    return request_id


def task_arguments(arguments: Sequence[str], today: dt.date) -> TaskRequest:
    """/task [#12] plan|feedback DATE what was agreed."""
    case_id, rest = leading_case(arguments)
    if not rest:
        raise ArgumentProblem(f"Use {TASK_FORM}; the kind, date and note are missing.")
    kind = rest[0].lower()
    if kind not in TASK_KINDS:
        raise ArgumentProblem(f"Use {TASK_FORM}; {shown(rest[0])} is not a kind of task.")
    if len(rest) < 2:
        raise ArgumentProblem(f"Use {TASK_FORM}; the date is missing.")
    day = day_of(rest[1], TASK_FORM, today)
    note = " ".join(rest[2:])
    if not note:
        raise ArgumentProblem(f"Use {TASK_FORM}; the note of what was agreed is missing.")
    return TaskRequest(case_id, kind, day, note)


def preview_arguments(arguments: Sequence[str]) -> str:
    """/preview <question>: the question."""
    question = " ".join(arguments).strip()
    if not question:
        raise ArgumentProblem(f"Use {PREVIEW_FORM}; the question is missing.")
    return question


def unmatched_arguments(arguments: Sequence[str]) -> dt.timedelta:
    """/unmatched [period]: how far back to look (7 days if not given)."""
    if len(arguments) > 1:
        raise ArgumentProblem(
            f"Use {UNMATCHED_FORM}; one period like 7d, not {len(arguments)} words."
        )
    text = arguments[0] if arguments else DEFAULT_SINCE
    try:
        return parse_since(text)
    except ValueError as error:
        raise ArgumentProblem(f"Use {UNMATCHED_FORM}; {error}.") from None
