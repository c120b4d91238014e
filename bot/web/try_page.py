"""The Try it page: what the bot would answer a message, by the same router, saving nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.core.brain import Brain
from bot.core.desk import preview
from bot.core.outcome import OutgoingMessage
from bot.loader import Knowledge, KnowledgeError, load_or_raise
from bot.matcher import Match
from bot.store import utc_now
from bot.web.auth import Guard, Visit
from bot.web.checking import DataFolders
from bot.web.pages import Page, WebServices, render, services_of

log = logging.getLogger(__name__)

#: The longest message the page tries (Telegram's own limit for one message).
LONGEST_MESSAGE = 4096

#: The lowest score an intent the matcher did not pick needs to be shown as a possibility.
NEAR_SCORE = 0.05
#: What the data files looked like when loaded: (file, modified time in ns, size) each.
Stamp = tuple[tuple[str, int, int], ...]


class LiveData:
    """The data as the bot would load it now: loaded again whenever a file changes."""

    def __init__(self, folders: DataFolders) -> None:
        self.folders = folders
        self._lock = asyncio.Lock()
        self._stamp: Stamp | None = None
        self._knowledge: Knowledge | None = None
        self._brain: Brain | None = None

    def stamp(self) -> Stamp:
        """Every data file's name, modified time and size: changes when any file does."""
        stamps = []
        for file in self.folders.files():
            status = self.folders.path_of(file).stat()
            stamps.append((file, status.st_mtime_ns, status.st_size))
        return tuple(stamps)

    async def knowledge(self) -> Knowledge:
        """The loaded data (KnowledgeError when the files have errors)."""
        async with self._lock:
            return await self._fresh_knowledge()

    async def brain(self) -> Brain:
        """A brain trained on the loaded data, built again only after a file changed."""
        async with self._lock:
            knowledge = await self._fresh_knowledge()
            if self._brain is None or self._brain.knowledge is not knowledge:
                self._brain = await asyncio.to_thread(Brain.build, knowledge)
            return self._brain

    async def _fresh_knowledge(self) -> Knowledge:
        stamp = await asyncio.to_thread(self.stamp)
        if self._knowledge is None or stamp != self._stamp:
            folders = self.folders
            self._knowledge = await asyncio.to_thread(
                load_or_raise, folders.intents, folders.replies
            )
            self._stamp = stamp
            log.info("web page loaded the data files (%s files)", len(stamp))
        return self._knowledge


def live_data(request: Request) -> LiveData:
    """The app's one LiveData, made on first use."""
    state = request.app.state
    found = getattr(state, "live_data", None)
    if not isinstance(found, LiveData):
        found = LiveData(services_of(request).folders)
        state.live_data = found
    return found


async def current_brain(request: Request) -> tuple[Brain, bool]:
    """The brain the bot answers with, and whether it is the running bot's own."""
    front_desk = services_of(request).front_desk
    if front_desk is not None:
        return front_desk.brain, True
    return await live_data(request).brain(), False


def clinic_zone(services: WebServices, knowledge: Knowledge | None) -> ZoneInfo:
    """The clinic's time zone: TIMEZONE when set, else clinic.yaml's (UTC if neither loads)."""
    if services.front_desk is not None:
        return services.front_desk.timezone
    name = services.settings.timezone or (knowledge.clinic.timezone if knowledge else "UTC")
    return ZoneInfo(name)


@dataclass(frozen=True)
class Tried:
    """A message tried, what the matcher made of it, and what the bot would answer."""

    text: str
    match: Match
    label: str | None
    alternatives: list[tuple[str, str, float]]
    messages: list[OutgoingMessage]


def intent_label(brain: Brain, name: str | None) -> str | None:
    """How the page names an intent to a manager ("Prices of treatments")."""
    if name is None:
        return None
    intent = brain.knowledge.intents.get(name)
    return intent.button_label if intent is not None else name


def try_message(brain: Brain, text: str, today: dt.date) -> Tried:
    """Run a message through the bot's router as a new patient's first message."""
    match, messages = preview(brain, text, today)
    near = [each for each in match.candidates[1:4] if each.score >= NEAR_SCORE]
    shown = match.alternatives or tuple(near)
    alternatives = [
        (each.intent, intent_label(brain, each.intent) or each.intent, each.score)
        for each in shown
        if each.intent != match.intent
    ]
    return Tried(text, match, intent_label(brain, match.intent), alternatives, list(messages))


def _show(
    visit: Visit, text: str = "", tried: Tried | None = None, *, running: bool, error: str = ""
) -> Response:
    return render(
        visit.request,
        "try.html",
        {
            "text": text,
            "tried": tried,
            "running": running,
            "error": error,
            "longest": LONGEST_MESSAGE,
        },
        visit=visit,
        status_code=422 if error else 200,
    )


def _unloadable(visit: Visit, problems: KnowledgeError) -> Response:
    lines = [str(problem) for problem in problems.problems[:5]]
    return render(
        visit.request,
        "try.html",
        {"text": "", "tried": None, "running": False, "error": "", "problems": lines},
        visit=visit,
        status_code=503,
    )


async def show_try(visit: Visit) -> Response:
    """The empty form."""
    return _show(visit, running=services_of(visit.request).front_desk is not None)


async def try_it(visit: Visit) -> Response:
    """What the bot would answer the typed message (nothing is saved)."""
    assert visit.form is not None
    request = visit.request
    services = services_of(request)
    text = str(visit.form.get("text", "")).strip()
    running = services.front_desk is not None
    if not text:
        return _show(visit, text, running=running, error="Type a message to try.")
    if len(text) > LONGEST_MESSAGE:
        error = f"That is longer than one Telegram message ({LONGEST_MESSAGE} characters)."
        return _show(visit, text, running=running, error=error)
    try:
        brain, running = await current_brain(request)
    except KnowledgeError as problems:
        return _unloadable(visit, problems)
    today = utc_now().astimezone(clinic_zone(services, brain.knowledge)).date()
    tried = await asyncio.to_thread(try_message, brain, text, today)
    return _show(visit, text, tried, running=running)


def page(managers: Guard) -> Page:
    """The Try it page and its routes."""
    return Page(
        "Try it",
        "/try",
        [
            Route("/try", managers(show_try)),
            Route("/try", managers(try_it), methods=["POST"]),
        ],
    )
