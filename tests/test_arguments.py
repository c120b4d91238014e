"""Staff command arguments: typed values, or one line that says what is wrong and the form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from bot.store import Store
from bot.telegram.arguments import (
    LARGEST_CASE_NUMBER,
    ArgumentProblem,
    ReminderRequest,
    TaskRequest,
    card_arguments,
    case_number,
    close_arguments,
    no_arguments,
    preview_arguments,
    remind_arguments,
    task_arguments,
    unmatched_arguments,
)
from bot.unmatched import parse_since

ZONE = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)
TODAY = NOW.date()


def problem_of(parse: Callable[[], object]) -> str:
    """The one-line message a parser raised."""
    with pytest.raises(ArgumentProblem) as raised:
        parse()
    message = str(raised.value)
    assert message and "\n" not in message
    return message


def remind(text: str) -> ReminderRequest:
    """Parse /remind's arguments as Telegram splits them, at NOW."""
    return remind_arguments(text.split(), NOW)


def task(text: str) -> TaskRequest:
    """Parse /task's arguments as Telegram splits them, on TODAY."""
    return task_arguments(text.split(), TODAY)


def test_a_problem_is_a_value_error() -> None:
    assert issubclass(ArgumentProblem, ValueError)


@pytest.mark.parametrize("text", ["#12", "12", "#0012"])
def test_case_numbers_are_read_with_or_without_the_hash(text: str) -> None:
    assert case_number(text) == 12


def test_the_largest_sqlite_integer_is_still_a_case_number() -> None:
    assert case_number(f"#{2**63 - 1}") == LARGEST_CASE_NUMBER == 2**63 - 1


@pytest.mark.parametrize(
    "text", [f"#{2**63}", "99999999999999999999999", "#" + "9" * 5000, "#000" + "9" * 30]
)
def test_case_numbers_past_sqlites_integers_are_too_large(text: str) -> None:
    message = problem_of(lambda: case_number(text))
    assert message.startswith("Case numbers are whole numbers like #12;")
    assert "too large" in message and len(message) < 120


@pytest.mark.parametrize("text", ["#abc", "#", "#-3", "#1.5", "#²", "#١٢", "# 12"])
def test_anything_but_ascii_digits_is_not_a_case_number(text: str) -> None:
    assert "is not one" in problem_of(lambda: case_number(text))


def test_case_zero_does_not_exist() -> None:
    assert "starting at #1" in problem_of(lambda: case_number("#0"))


def test_close_takes_a_case_number_or_nothing() -> None:
    assert close_arguments(["#7"]) == 7
    assert close_arguments(["7"]) == 7
    assert close_arguments([]) is None


def test_close_with_words_after_it_names_the_right_form() -> None:
    message = problem_of(lambda: close_arguments(["#7", "done"]))
    assert message == (
        "Reply /close to a case message, or write /close #12; 'done' is not a case number."
    )
    assert "'soon' is not a case number" in problem_of(lambda: close_arguments(["soon"]))


def test_close_with_an_oversized_number_says_so() -> None:
    assert "too large" in problem_of(lambda: close_arguments(["99999999999999999999999"]))


def test_card_takes_a_case_number_or_nothing() -> None:
    assert card_arguments(["#3"]) == 3
    assert card_arguments([]) is None
    assert "/card #12" in problem_of(lambda: card_arguments(["please"]))


def test_a_command_without_arguments_refuses_extra_words() -> None:
    no_arguments([], "/cases")
    assert problem_of(lambda: no_arguments(["open"], "/cases")) == (
        "Write just /cases; 'open' is not expected."
    )


def test_an_appointment_reads_case_date_time_and_doctor() -> None:
    assert remind("#12 Appointment 2026-12-03 14:30 Dr. Kim") == ReminderRequest(
        12, "appointment", dt.date(2026, 12, 3), dt.time(14, 30), "Dr. Kim"
    )


def test_an_appointment_without_a_doctor_or_case_number_is_fine() -> None:
    assert remind("appointment 2026-12-03 9:05") == ReminderRequest(
        None, "appointment", dt.date(2026, 12, 3), dt.time(9, 5), None
    )


def test_hygiene_and_checkup_take_only_a_date() -> None:
    assert remind("hygiene 2027-05-20") == ReminderRequest(
        None, "hygiene", dt.date(2027, 5, 20), None, None
    )
    assert remind("checkup 2026-12-01").day == TODAY
    assert problem_of(lambda: remind("hygiene 2027-05-20 Dr. Kim")) == (
        "Use /remind hygiene YYYY-MM-DD; 'Dr.' is not expected after the date."
    )


def test_an_appointment_in_the_year_9999_is_too_far_ahead() -> None:
    assert problem_of(lambda: remind("appointment 9999-12-25 10:00")) == (
        "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 9999-12-25 is more than 5 years ahead."
    )


def test_five_years_ahead_is_the_limit() -> None:
    assert remind("checkup 2031-12-01").day == dt.date(2031, 12, 1)
    assert "more than 5 years" in problem_of(lambda: remind("checkup 2031-12-03"))


def test_an_impossible_date_is_named_with_the_right_form() -> None:
    assert problem_of(lambda: remind("appointment 2026-13-45 10:00")) == (
        "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 2026-13-45 is not a date."
    )
    assert "2027-02-29 is not a date" in problem_of(lambda: remind("hygiene 2027-02-29"))


@pytest.mark.parametrize("text", ["03.12.2026", "20261203", "2026-W49-3", "tomorrow", "2026-1-3"])
def test_a_date_must_be_written_yyyy_mm_dd(text: str) -> None:
    assert "is not a date like 2027-05-20" in problem_of(lambda: remind(f"hygiene {text}"))


def test_an_impossible_time_is_named_with_the_right_form() -> None:
    assert problem_of(lambda: remind("appointment 2026-12-03 25:99")) == (
        "Use /remind appointment YYYY-MM-DD HH:MM [doctor]; 25:99 is not a time of day."
    )
    assert "24:00 is not a time of day" in problem_of(
        lambda: remind("appointment 2026-12-03 24:00")
    )


@pytest.mark.parametrize("text", ["2pm", "14.30", "14:30:00", "14", "١٤:٣٠"])
def test_a_time_must_be_written_hh_mm(text: str) -> None:
    assert "is not a time like 14:30" in problem_of(
        lambda: remind(f"appointment 2026-12-03 {text}")
    )


def test_a_date_in_the_past_is_refused() -> None:
    assert problem_of(lambda: remind("hygiene 2026-11-30")) == (
        "Use /remind hygiene YYYY-MM-DD; 2026-11-30 is in the past (today is 2026-12-01)."
    )


def test_an_appointment_earlier_today_has_already_passed() -> None:
    assert "2026-12-01 09:59 has already passed" in problem_of(
        lambda: remind("appointment 2026-12-01 09:59")
    )
    assert remind("appointment 2026-12-01 10:01").at == dt.time(10, 1)


def test_remind_names_whatever_is_missing() -> None:
    assert "the kind and date are missing" in problem_of(lambda: remind(""))
    assert "the kind and date are missing" in problem_of(lambda: remind("#12"))
    assert "the date is missing" in problem_of(lambda: remind("appointment"))
    assert "the time is missing" in problem_of(lambda: remind("appointment 2026-12-03"))


def test_an_unknown_reminder_kind_lists_the_kinds() -> None:
    assert problem_of(lambda: remind("dentist 2026-12-03")) == (
        "Use /remind appointment YYYY-MM-DD HH:MM [doctor], or /remind hygiene|checkup "
        "YYYY-MM-DD; 'dentist' is not a kind of reminder."
    )


def test_an_oversized_case_number_before_a_reminder_is_refused() -> None:
    assert "too large" in problem_of(lambda: remind("#99999999999999999999 appointment x"))


def test_a_long_wrong_argument_is_quoted_short() -> None:
    message = problem_of(lambda: remind("x" * 4000 + " 2026-12-03"))
    assert len(message) < 200 and "…" in message


def test_a_task_reads_case_kind_date_and_note() -> None:
    assert task("#4 Feedback 2026-12-04 ask how the tooth healed") == TaskRequest(
        4, "feedback", dt.date(2026, 12, 4), "ask how the tooth healed"
    )


def test_a_task_names_whatever_is_wrong() -> None:
    form = "Use /task plan|feedback YYYY-MM-DD <what was agreed>;"
    assert problem_of(lambda: task("")).startswith(form)
    assert "'call' is not a kind of task" in problem_of(lambda: task("call 2026-12-04 x"))
    assert "the date is missing" in problem_of(lambda: task("plan"))
    assert "2026-02-30 is not a date" in problem_of(lambda: task("plan 2026-02-30 crown"))
    assert "in the past" in problem_of(lambda: task("plan 2025-12-04 crown"))
    assert "more than 5 years" in problem_of(lambda: task("plan 9999-12-25 crown"))
    assert "note of what was agreed is missing" in problem_of(lambda: task("plan 2026-12-04"))


def test_preview_needs_a_question() -> None:
    assert preview_arguments(["how", "much", "is", "an", "implant"]) == "how much is an implant"
    assert problem_of(lambda: preview_arguments([])) == (
        "Use /preview <a patient's question>, e.g. /preview how much is an implant; "
        "the question is missing."
    )


def test_unmatched_looks_back_a_week_unless_told() -> None:
    assert unmatched_arguments([]) == dt.timedelta(days=7)
    assert unmatched_arguments(["12h"]) == dt.timedelta(hours=12)
    assert unmatched_arguments(["2W"]) == dt.timedelta(weeks=2)


@pytest.mark.parametrize(
    ("words", "wrong"),
    [
        (["abc"], "'abc' is not a period like 7d, 12h or 2w"),
        (["-3d"], "is not a period"),
        (["0d"], "'0d' is an empty period"),
        (["99999999999999999999d"], "is longer than 10 years"),
        (["9999w"], "'9999w' is longer than 10 years"),
        (["7d", "please"], "one period like 7d, not 2 words"),
    ],
)
def test_unmatched_names_a_wrong_period(words: list[str], wrong: str) -> None:
    message = problem_of(lambda: unmatched_arguments(words))
    assert message.startswith("Use /unmatched [period];") and wrong in message


def test_a_period_never_overflows_a_timedelta() -> None:
    assert parse_since("3652d") == dt.timedelta(days=3652)
    for text in ("99999999999999999999999999w", "1" + "0" * 5000 + "m"):
        with pytest.raises(ValueError, match="longer than 10 years"):
            parse_since(text)


async def test_the_store_has_no_case_for_numbers_sqlite_cannot_hold(store: Store) -> None:
    assert await store.cases.get(2**63) is None
    assert await store.cases.get(0) is None
    assert await store.cases.close(2**70, None) is False
    assert await store.cases.get(2**63 - 1) is None
