"""The Unmatched questions page: what the bot did not understand, to add as examples or dismiss."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import yaml
from rapidfuzz import fuzz
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.core.brain import Brain
from bot.loader import KnowledgeError, normalized_key
from bot.store import to_db_time, utc_now
from bot.store.dismissals import Dismissal, DismissalRepository
from bot.text import words
from bot.unmatched import SAME_QUESTION, QuestionGroup, unmatched_questions
from bot.web.auth import Guard, Visit
from bot.web.documents import EditRefused
from bot.web.editor import DocumentEditor, FileChanged
from bot.web.pages import Page, render, services_of
from bot.web.try_page import clinic_zone, current_brain

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
DAY_CHOICES = (7, 30, 90)
#: How many groups the page lists, biggest first.
SHOWN = 100
#: How many intents a group offers first, above the full list.
LIKELY = 4
#: The longest question the page adds as an example.
LONGEST_QUESTION = 1000


def question_key(text: str) -> str:
    """A question's normalised key: its distinct words, lowercase and sorted (as grouped)."""
    return " ".join(sorted(set(words(text))))


@dataclass(frozen=True)
class IntentPlace:
    """Where an intent is written: its file and position, with its label and examples."""

    name: str
    label: str
    file: str
    index: int
    examples: tuple[str, ...]


def intent_places(editor: DocumentEditor) -> dict[str, IntentPlace]:
    """Every intent in intents/*.yaml by name, in the order of the files (first one wins)."""
    places: dict[str, IntentPlace] = {}
    for file in editor.folders.files():
        if not file.startswith("intents/"):
            continue
        text, _ = editor.current(file)
        places.update(
            (place.name, place) for place in _places_in(file, text) if place.name not in places
        )
    return places


def _places_in(file: str, text: str) -> list[IntentPlace]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    items = data.get("intents") if isinstance(data, dict) else None
    places = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        examples = item.get("examples")
        label = item.get("label") or str(item.get("description") or "").split(":")[0]
        places.append(
            IntentPlace(
                item["name"],
                str(label or item["name"]),
                file,
                index,
                tuple(str(each) for each in examples) if isinstance(examples, list) else (),
            )
        )
    return places


@dataclass(frozen=True)
class GroupRow:
    """One group of questions as the page shows it."""

    number: int
    example: str
    count: int
    last_seen: dt.date | None
    key: str
    likely: list[IntentPlace]
    others: list[IntentPlace]


def is_hidden(group: QuestionGroup, key: str, dismissals: Sequence[Dismissal]) -> bool:
    """Whether a manager dealt with this group: dismissed it, or added it before its last question.

    A group is the one dealt with when its key is like the stored one, as the report groups
    questions; one added as an example shows again if such a question still came afterwards.
    """
    for dismissal in dismissals:
        if dismissal.key != key and fuzz.token_set_ratio(dismissal.key, key) < SAME_QUESTION:
            continue
        if dismissal.resolution == "dismissed" or group.last_seen <= to_db_time(dismissal.at):
            return True
    return False


def likely_intents(
    group: QuestionGroup, candidates: Sequence[str], places: Mapping[str, IntentPlace]
) -> list[str]:
    """The intents to offer first: the bot's guesses, then the matcher's nearest ones."""
    names = [name for name, _ in group.guesses.most_common()] + list(candidates)
    ordered = [name for name in dict.fromkeys(names) if name in places]
    return ordered[:LIKELY]


def _candidates(brain: Brain | None, examples: list[str]) -> list[list[str]]:
    if brain is None:
        return [[] for _ in examples]
    found = []
    for example in examples:
        match = brain.matcher.match(example)
        found.append([each.intent for each in match.candidates[:LIKELY] if each.intent])
    return found


def _local_date(stored: str, zone: ZoneInfo) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(stored).astimezone(zone).date()
    except ValueError:
        return None


def _days(value: object) -> int:
    try:
        days = int(str(value))
    except ValueError:
        return DEFAULT_DAYS
    return days if 1 <= days <= 3653 else DEFAULT_DAYS


async def _show(
    visit: Visit, days: int, *, notice: str = "", errors: Sequence[str] = (), status: int = 200
) -> Response:
    request = visit.request
    services = services_of(request)
    retention = services.settings.message_retention_days
    groups = await unmatched_questions(services.database, dt.timedelta(days=days), retention)
    dismissals = await DismissalRepository(services.database).all()
    keyed = [(group, question_key(group.example)) for group in groups]
    shown = [(group, key) for group, key in keyed if not is_hidden(group, key, dismissals)]
    hidden = len(keyed) - len(shown)
    places = await asyncio.to_thread(intent_places, services.editor)
    try:
        brain: Brain | None = (await current_brain(request))[0]
    except KnowledgeError:
        brain = None
    listed = shown[:SHOWN]
    candidates = await asyncio.to_thread(
        _candidates, brain, [group.example for group, _ in listed]
    )
    zone = clinic_zone(services, brain.knowledge if brain else None)
    everyone = sorted(places.values(), key=lambda place: place.label.casefold())
    rows = []
    for number, ((group, key), nearest) in enumerate(zip(listed, candidates, strict=True)):
        likely = [places[name] for name in likely_intents(group, nearest, places)]
        others = [place for place in everyone if place not in likely]
        last_seen = _local_date(group.last_seen, zone)
        rows.append(GroupRow(number, group.example, group.count, last_seen, key, likely, others))
    return render(
        request,
        "unmatched.html",
        {
            "rows": rows,
            "more": max(0, len(shown) - SHOWN),
            "hidden": hidden,
            "days": days,
            "day_choices": sorted({*DAY_CHOICES, days}),
            "retention": retention,
            "notice": notice,
            "errors": errors,
        },
        visit=visit,
        status_code=status,
    )


async def show_unmatched(visit: Visit) -> Response:
    """The groups of questions the bot did not understand, biggest first."""
    query = visit.request.query_params
    days = _days(query.get("days", DEFAULT_DAYS))
    notice = ""
    if query.get("dismissed"):
        notice = "Dismissed: that group of questions is hidden from now on."
    elif query.get("added", "").isdecimal():
        places = await asyncio.to_thread(intent_places, services_of(visit.request).editor)
        place = places.get(query.get("intent", ""))
        topic = f"“{place.label}”" if place else "that topic"
        revision = query["added"]
        if revision == "0":
            notice = f"That question is already an example of {topic}; the group is now hidden."
        else:
            notice = (
                f"Added as an example of {topic} (revision {revision}). "
                "The bot understands it within a few seconds."
            )
    return await _show(visit, days, notice=notice)


async def add_example(visit: Visit) -> Response:
    """Append the question to an intent's examples: a checked save and a revision."""
    assert visit.form is not None
    services = services_of(visit.request)
    days = _days(visit.form.get("days", DEFAULT_DAYS))
    question = " ".join(str(visit.form.get("question", "")).split())
    name = str(visit.form.get("intent", ""))
    key = question_key(question)
    if not key or len(question) > LONGEST_QUESTION:
        return await _show(visit, days, errors=["There is no question to add."], status=422)
    places = await asyncio.to_thread(intent_places, services.editor)
    if name not in places:
        return await _show(visit, days, errors=["Choose a topic from the list."], status=422)
    place = places[name]
    text, base_hash = services.editor.current(place.file)
    current = {place.name: place for place in _places_in(place.file, text)}.get(name, place)
    revision = 0
    if normalized_key(question) not in {normalized_key(each) for each in current.examples}:
        edits = {f"intents.{current.index}.examples": [*current.examples, question]}
        try:
            saved = await services.editor.save(visit.manager.id, place.file, base_hash, edits)
        except FileChanged as changed:
            message = f"{changed}. Nothing was saved; please try again."
            return await _show(visit, days, errors=[message], status=409)
        except EditRefused as refused:
            messages = [problem.message for problem in refused.problems]
            errors = ["The example was not added:", *messages]
            return await _show(visit, days, errors=errors, status=422)
        revision = saved.revision_id or 0
    await _record(visit, key, "added", name)
    log.info("manager=%s added an unmatched question to intent=%s", visit.manager.id, name)
    query = urlencode({"days": days, "added": revision, "intent": name})
    return RedirectResponse(f"/unmatched?{query}", status_code=303)


async def dismiss(visit: Visit) -> Response:
    """Hide a group of questions from the page from now on."""
    assert visit.form is not None
    days = _days(visit.form.get("days", DEFAULT_DAYS))
    key = question_key(str(visit.form.get("key", "")))
    if not key or len(key) > LONGEST_QUESTION:
        return await _show(visit, days, errors=["There is no question to dismiss."], status=422)
    await _record(visit, key, "dismissed", None)
    log.info("manager=%s dismissed a group of unmatched questions", visit.manager.id)
    return RedirectResponse(f"/unmatched?days={days}&dismissed=1", status_code=303)


async def _record(visit: Visit, key: str, resolution: str, intent: str | None) -> None:
    """Store the decision and its audit line together; forget decisions past retention."""
    services = services_of(visit.request)
    dismissals = DismissalRepository(services.database)
    retention = dt.timedelta(days=services.settings.message_retention_days)
    async with services.database.unit_of_work():
        await dismissals.purge_before(utc_now() - retention)
        if resolution == "added":
            number = await dismissals.record(key, visit.manager.id, "added", intent)
        else:
            number = await dismissals.record(key, visit.manager.id, "dismissed")
        subject = f"unmatched:{number}" + (f" intent:{intent}" if intent else "")
        await services.audit.record(
            f"manager:{visit.manager.id}", f"unmatched_{resolution}", subject
        )


def page(managers: Guard) -> Page:
    """The Unmatched questions page and its routes."""
    return Page(
        "Unmatched questions",
        "/unmatched",
        [
            Route("/unmatched", managers(show_unmatched)),
            Route("/unmatched/add", managers(add_example), methods=["POST"]),
            Route("/unmatched/dismiss", managers(dismiss), methods=["POST"]),
        ],
    )
