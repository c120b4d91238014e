"""The Numbers page: the last 30 days at the clinic, drawn as charts with their figures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.branches import branches_for_manager
from bot.loader import Knowledge, KnowledgeError
from bot.models import Intent
from bot.web.auth import Guard, Visit
from bot.web.charts import Chart, category_bars, day_bars, figure
from bot.web.numbers import DEFAULT_DAYS, Numbers, Period, Ranking, gather_numbers
from bot.web.pages import Page, render, services_of
from bot.web.try_page import clinic_zone, live_data

DAY_CHOICES = (7, 30, 90)
#: The longest name a bar carries (it must fit above the bar on a phone).
LONGEST_LABEL = 40
#: How a handoff reason or level that is not an intent reads on the page.
PLAIN_NAMES = {
    "not_understood": "Not understood",
    "emergency": "Emergency",
    "urgent": "Urgent",
    "routine": "Routine",
}


@dataclass(frozen=True)
class ChartCard:
    """One chart on the page: what it counts, in words, and the chart with its figures."""

    key: str
    chart: Chart
    explained: str
    column: str


@dataclass(frozen=True)
class Total:
    """A figure for the whole period, shown above the charts."""

    label: str
    value: str


def _named(ranking: Ranking, names: Mapping[str, str]) -> list[tuple[str, float]]:
    return [
        (names.get(name, PLAIN_NAMES.get(name, name)), value) for name, value in ranking.points()
    ]


def short_label(intent: Intent) -> str:
    """An intent's label, or its description's first words, short enough for a chart."""
    label = intent.label or re.split(r"[:;,.(]", intent.description)[0].strip()
    if len(label) <= LONGEST_LABEL:
        return label
    return label[: LONGEST_LABEL - 1].rsplit(" ", 1)[0] + "…"


def intent_names(knowledge: Knowledge | None) -> dict[str, str]:
    """Each intent's short plain label ("Prices of treatments") by its name."""
    if knowledge is None:
        return {}
    return {name: short_label(intent) for name, intent in knowledge.intents.items()}


def chart_cards(numbers: Numbers, names: Mapping[str, str]) -> list[ChartCard]:
    """Every chart of the page, in its order."""
    every = 7 if len(numbers.period.days) <= 31 else len(numbers.period.days) // 4
    unmatched = numbers.unmatched
    return [
        ChartCard(
            "messages",
            day_bars("Patients' messages per day", numbers.messages.points(), label_every=every),
            "Every message patients wrote to the bot.",
            "Messages",
        ),
        ChartCard(
            "intents",
            category_bars("What patients asked about most", _named(numbers.top_intents, names)),
            "The topics the bot understood, by how many messages were about each.",
            "Messages",
        ),
        ChartCard(
            "handoff-reasons",
            category_bars("Passed to a person, by reason", _named(numbers.handoff_reasons, names)),
            "Conversations the bot handed over to the front desk, by why.",
            "Hand-overs",
        ),
        ChartCard(
            "handoff-levels",
            category_bars("Passed to a person, by urgency", _named(numbers.handoff_levels, names)),
            "Emergencies, urgent cases and same-day requests, and routine ones.",
            "Hand-overs",
        ),
        ChartCard(
            "unmatched",
            day_bars(
                "Messages not understood, share per day",
                unmatched.percent_points(),
                unit="%",
                label_every=every,
            ),
            f"Of the messages the bot tried to understand, the share it did not or was unsure "
            f"about: {figure(100 * unmatched.share, '%')} over the period "
            f"({unmatched.unmatched} of {unmatched.scored}).",
            "Not understood",
        ),
        ChartCard(
            "booking-requests",
            day_bars(
                "Booking requests per day",
                numbers.bookings.requested.points(),
                label_every=every,
                identity="booking requests",
            ),
            "Requests to book, move or cancel an appointment, sent to the front desk.",
            "Requests",
        ),
        ChartCard(
            "booking-confirmations",
            day_bars(
                "Bookings confirmed per day",
                numbers.bookings.confirmed.points(),
                label_every=every,
                identity="bookings confirmed",
            ),
            "Requests the front desk confirmed or the patient accepted.",
            "Confirmed",
        ),
        ChartCard(
            "reminders",
            day_bars("Reminders sent per day", numbers.reminders_sent.points(), label_every=every),
            "Appointment reminders Telegram delivered.",
            "Reminders",
        ),
        ChartCard(
            "opt-outs",
            day_bars(
                "Patients who opted out, per day", numbers.opt_outs.points(), label_every=every
            ),
            "Patients who asked the bot to send them no more messages.",
            "Opt-outs",
        ),
    ]


def totals(numbers: Numbers) -> list[Total]:
    """The period's figures in a line: messages, hand-overs, bookings, reminders, opt-outs."""
    return [
        Total("Patients' messages", figure(numbers.messages.total)),
        Total("Not understood", figure(100 * numbers.unmatched.share, "%")),
        Total("Passed to a person", figure(numbers.handoff_reasons.total)),
        Total("Booking requests", figure(numbers.bookings.requested.total)),
        Total("Bookings confirmed", figure(numbers.bookings.confirmed.total)),
        Total("Reminders sent", figure(numbers.reminders_sent.total)),
        Total("Opted out", figure(numbers.opt_outs.total)),
    ]


async def _knowledge(request: Request) -> Knowledge | None:
    services = services_of(request)
    if services.front_desk is not None:
        return services.front_desk.brain.knowledge
    try:
        return await live_data(request).knowledge()
    except KnowledgeError:
        return None


def _days(value: str | None) -> int:
    try:
        days = int(value or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS
    return days if 1 <= days <= 366 else DEFAULT_DAYS


@dataclass(frozen=True)
class BranchChoice:
    """Whose numbers the page shows: the branches this manager may see, and the one chosen."""

    branches: tuple[tuple[str, str], ...]  # (id, name)
    chosen: str | None  # None: the whole clinic
    whole_clinic: bool  # whether "All branches" may be chosen


def branch_choice(knowledge: Knowledge | None, manager_id: int, asked: str | None) -> BranchChoice:
    """The branch asked for if this manager may see it; a manager limited to some branches
    never sees the whole clinic's numbers, nor another branch's."""
    if knowledge is None or not knowledge.branches:
        return BranchChoice((), None, True)
    allowed = branches_for_manager(knowledge, manager_id)
    listed = tuple(
        (branch.id, branch.name)
        for branch in knowledge.branches
        if allowed is None or branch.id in allowed
    )
    ids = [branch_id for branch_id, _ in listed]
    if asked in ids:
        return BranchChoice(listed, asked, allowed is None)
    return BranchChoice(listed, None if allowed is None else ids[0], allowed is None)


async def show_numbers(visit: Visit) -> Response:
    """The charts of the last days (30 unless asked), in the clinic's time zone."""
    request = visit.request
    services = services_of(request)
    days = _days(request.query_params.get("days"))
    knowledge = await _knowledge(request)
    zone = clinic_zone(services, knowledge)
    whose = branch_choice(knowledge, visit.manager.id, request.query_params.get("branch"))
    numbers = await gather_numbers(services.database, Period.last_days(zone, days), whose.chosen)
    return render(
        request,
        "numbers.html",
        {
            "cards": chart_cards(numbers, intent_names(knowledge)),
            "totals": totals(numbers),
            "period": numbers.period,
            "zone": zone.key,
            "days": days,
            "day_choices": sorted({*DAY_CHOICES, days}),
            "whose": whose,
            "unloaded": knowledge is None and services.front_desk is None,
        },
        visit=visit,
    )


def page(managers: Guard) -> Page:
    """The Numbers page and its route."""
    return Page("Numbers", "/numbers", [Route("/numbers", managers(show_numbers))])
