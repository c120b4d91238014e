"""The Services and replies page: scripts, follow-up answers and replies, with live previews."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.error import YAMLError
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.loader import (
    AFTER_HOURS_PLACEHOLDERS,
    AFTER_HOURS_REPLY,
    ANSWER_PLACEHOLDERS,
    ANSWER_PREFIXES,
    CLINIC_PLACEHOLDERS,
    CLOSED_HANDOFF_REPLIES,
    COST_PLACEHOLDERS,
    HOURS_PLACEHOLDERS,
    OPENS_PLACEHOLDERS,
    PRICE_PLACEHOLDERS,
    REMINDER_PLACEHOLDERS,
    URGENT_BUNDLE,
    URGENT_PRICE,
    Knowledge,
    load_knowledge,
    placeholders,
)
from bot.models import SCRIPT_PARTS
from bot.pricing import format_parts, format_range, quote_bundle, with_discounts
from bot.replies import ReplyBook, clinic_facts
from bot.web.auth import Guard, Visit
from bot.web.checking import DataFolders
from bot.web.documents import EditRefused, read_document
from bot.web.editor import FileChanged
from bot.web.pages import Page, render, services_of

log = logging.getLogger(__name__)

SERVICES_FILE = "replies/services.yaml"
FACETS_FILE = "replies/facets.yaml"
REPLY_FILES = {"practical": "replies/practical.yaml", "conversation": "replies/conversation.yaml"}
#: What each part of a service's script is for, in the order the bot says them.
PART_TITLES = {
    "yes": ("Saying yes", "The first words when a patient asks whether the clinic does this."),
    "offer": ("What we offer", "The options, and that the doctor picks what suits the patient."),
    "cost": ("What it costs", "Must show {parts} (each part with its price) and {total}."),
    "why_total": ("Why we name the whole total", "Said right after the cost."),
    "honesty": ("No surprises", "Said after why we name the total."),
    "question": ("The question about the patient's problem", "The reply ends with it."),
}
#: Example values for the placeholders a preview cannot know (what the patient said...).
SAMPLE_VALUES = {
    "noted": "(what the patient told us)",
    "open": "9:00",
    "close": "18:00",
    "opens": "tomorrow at 9:00",
    "after_hours_phone": "(the after-hours phone)",
    "date": "Tuesday 3 March",
    "time": "10:30",
    "doctor": "(the doctor's name)",
}


def allowed_placeholders(path: str) -> tuple[frozenset[str], frozenset[str]]:
    """The placeholders a wording list may use and those it must use (bot.loader's rules)."""
    root, _, rest = path.partition(".")
    if root == "services":
        if rest.endswith(".cost"):
            return CLINIC_PLACEHOLDERS | COST_PLACEHOLDERS, COST_PLACEHOLDERS
        return CLINIC_PLACEHOLDERS, frozenset()
    if root == "facets":
        return CLINIC_PLACEHOLDERS | COST_PLACEHOLDERS, frozenset()
    key = rest
    allowed = CLINIC_PLACEHOLDERS
    required: frozenset[str] = frozenset()
    if key.startswith(("reminder_", "booking_")):
        allowed |= REMINDER_PLACEHOLDERS
    if key.startswith(ANSWER_PREFIXES):
        allowed |= ANSWER_PLACEHOLDERS | HOURS_PLACEHOLDERS
    if key in CLOSED_HANDOFF_REPLIES:
        allowed |= OPENS_PLACEHOLDERS
        required = OPENS_PLACEHOLDERS
    if key == AFTER_HOURS_REPLY:
        allowed |= AFTER_HOURS_PLACEHOLDERS
    if key == URGENT_PRICE:
        allowed |= PRICE_PLACEHOLDERS
    return allowed, required


# --- the knowledge as it is now, loaded once per version of the files -----------------------

_LOADED: dict[tuple[Any, ...], Knowledge | None] = {}


def _signature(folders: DataFolders) -> tuple[Any, ...]:
    """What changes whenever a data file does: each file's name, size and modification time."""
    stats = []
    for file in folders.files():
        stat = folders.path_of(file).stat()
        stats.append((file, stat.st_size, stat.st_mtime_ns))
    return (str(folders.intents), str(folders.replies), *stats)


def knowledge_now(folders: DataFolders) -> Knowledge | None:
    """The data as the bot would load it now (None if it does not load), cached per version."""
    signature = _signature(folders)
    if signature not in _LOADED:
        knowledge, _ = load_knowledge(folders.intents, folders.replies)
        if len(_LOADED) >= 4:
            _LOADED.clear()
        _LOADED[signature] = knowledge
    return _LOADED[signature]


async def knowledge_soon(folders: DataFolders) -> Knowledge | None:
    """knowledge_now in a worker thread: loading takes a moment the bot should not wait for."""
    return await asyncio.to_thread(knowledge_now, folders)


def preview_values(knowledge: Knowledge | None, path: str) -> dict[str, str]:
    """What each placeholder reads as: the clinic's facts and the service's bundle prices."""
    values = dict(SAMPLE_VALUES)
    if knowledge is None:
        return values
    values.update(clinic_facts(knowledge))
    root, _, rest = path.partition(".")
    bundle = None
    if root in ("services", "facets"):
        script = knowledge.services.get(rest.split(".")[0])
        bundle = knowledge.bundles.get(script.bundle) if script is not None else None
    elif rest == URGENT_PRICE:
        bundle = knowledge.bundles.get(URGENT_BUNDLE)
    if bundle is not None and all(part in knowledge.components for part in bundle.parts):
        currency = knowledge.clinic.currency
        quote = with_discounts(
            quote_bundle(bundle, knowledge.components), knowledge.clinic.discounts, None
        )
        values["parts"] = format_parts(quote, currency)
        values["total"] = format_range(quote.total, currency)
    return values


@dataclass(frozen=True)
class Preview:
    """A wording as the patient would read it, or why it cannot be shown."""

    text: str
    problem: str = ""


def preview(template: str, path: str, values: Mapping[str, str]) -> Preview:
    """Render one wording as the bot would, refusing placeholders this list may not use."""
    allowed, required = allowed_placeholders(path)
    try:
        used = placeholders(template)
    except ValueError as error:
        return Preview("", f"Broken braces: {error}. Write a placeholder as {{name}}.")
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        return Preview("", f"{names} cannot be used here; see the placeholders listed above.")
    missing = sorted(required - used)
    problem = ""
    if missing:
        problem = "This text must use " + " and ".join(f"{{{name}}}" for name in missing) + "."
    return Preview(template.format_map({name: values.get(name, "") for name in used}), problem)


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One thing the page can open: a service, or a practical or conversation reply."""

    item: str  # "service:implants", "practical:hours", "conversation:greeting"
    label: str


@dataclass
class WordingList:
    """One list of wordings: the bot rotates them, so a patient asking twice gets new words."""

    path: str  # "services.implants.cost": the form's field name
    title: str
    hint: str
    wordings: list[str]
    allowed: list[str]
    required: list[str]
    previews: list[Preview] = field(default_factory=list)
    #: What each allowed placeholder reads as now (its first line), in the order of `allowed`.
    reads: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The list's id in the page."""
        return self.path.replace(".", "-")


@dataclass
class Section:
    """One form of the page: the lists of one file, saved together."""

    file: str
    heading: str
    lead: str
    lists: list[WordingList]
    base_hash: str

    @property
    def anchor(self) -> str:
        """The form's id in the page."""
        return "file-" + self.file.replace("/", "-").replace(".", "-")


def _humane(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _texts(value: Any) -> list[str]:
    return [str(text) for text in value] if isinstance(value, list) else []


def choices(editor_files: Mapping[str, Any]) -> dict[str, list[Choice]]:
    """Everything the page can open, grouped as the select box shows it."""
    grouped: dict[str, list[Choice]] = {}
    for name, script in editor_files[SERVICES_FILE].get("services", {}).items():
        label = f"{_humane(name)} ({script.get('group', 'Services')})"
        grouped.setdefault("Services", []).append(Choice(f"service:{name}", label))
    for kind, file in REPLY_FILES.items():
        for key in editor_files[file].get("replies", {}):
            group = "Practical replies" if kind == "practical" else "Conversation replies"
            grouped.setdefault(group, []).append(Choice(f"{kind}:{key}", _humane(key)))
    return grouped


def _wording_list(path: str, title: str, hint: str, wordings: list[str]) -> WordingList:
    allowed, required = allowed_placeholders(path)
    return WordingList(path, title, hint, wordings, sorted(allowed), sorted(required))


def sections_for(
    item: str, documents: Mapping[str, Any], hashes: Mapping[str, str]
) -> list[Section]:
    """The forms that edit one item; KeyError if the data has no such item."""
    kind, _, key = item.partition(":")
    if kind == "service":
        script = documents[SERVICES_FILE]["services"][key]
        lists = [
            _wording_list(f"services.{key}.{part}", *PART_TITLES[part], _texts(script.get(part)))
            for part in SCRIPT_PARTS
        ]
        sections = [
            Section(
                SERVICES_FILE,
                f"The script for {script.get('label') or _humane(key)}",
                "What the bot answers when a patient asks about this service, part by part.",
                lists,
                hashes[SERVICES_FILE],
            )
        ]
        facets = documents[FACETS_FILE].get("facets", {}).get(key)
        if facets:
            facet_lists = [
                _wording_list(
                    f"facets.{key}.{facet}",
                    f"Asked about: {_humane(facet)}",
                    FACET_HINTS.get(str(facet), ""),
                    _texts(wordings),
                )
                for facet, wordings in facets.items()
            ]
            sections.append(
                Section(
                    FACETS_FILE,
                    "Answers to follow-up questions",
                    "After the script, a patient may ask how long it takes, whether it hurts...",
                    facet_lists,
                    hashes[FACETS_FILE],
                )
            )
        return sections
    file = REPLY_FILES[kind]
    wordings = documents[file]["replies"][key]
    heading = f"The reply “{_humane(key)}”"
    lead = "The bot picks one wording each time, in turn."
    lists = [_wording_list(f"replies.{key}", "Wordings", "", _texts(wordings))]
    return [Section(file, heading, lead, lists, hashes[file])]


#: What each follow-up facet is about (intents/facets.yaml's descriptions, shortened).
FACET_HINTS = {
    "price": "How much it costs, the total, whether something is extra.",
    "duration": "How long it takes, how many visits.",
    "pain": "Whether it hurts, being numbed.",
    "recovery": "What to expect afterwards, aftercare.",
    "longevity": "How long the result lasts, warranty.",
    "suitability": "Who can have it: age, pregnancy, health, medicines.",
    "materials": "What it is made of, which options.",
    "safety": "Risks, side effects, complications.",
    "preparation": "What to do before the visit.",
}


class RepliesUnreadable(Exception):
    """A replies file cannot be shown (broken YAML, or not the expected shape)."""


def _open_files(visit: Visit) -> tuple[dict[str, Any], dict[str, str]]:
    editor = services_of(visit.request).editor
    documents: dict[str, Any] = {}
    hashes: dict[str, str] = {}
    for file in (SERVICES_FILE, FACETS_FILE, *REPLY_FILES.values()):
        try:
            text, hashes[file] = editor.current(file)
            documents[file] = read_document(text)
        except (KeyError, OSError, YAMLError) as error:
            raise RepliesUnreadable(file) from error
        if not isinstance(documents[file], Mapping):
            raise RepliesUnreadable(file)
    return documents, hashes


def _with_previews(sections: Sequence[Section], knowledge: Knowledge | None) -> None:
    for section in sections:
        for wording_list in section.lists:
            values = preview_values(knowledge, wording_list.path)
            wording_list.previews = [
                preview(text, wording_list.path, values) for text in wording_list.wordings
            ]
            wording_list.reads = [
                (name, _first_line(values.get(name, ""))) for name in wording_list.allowed
            ]


def _first_line(text: str) -> str:
    first, _, rest = text.partition("\n")
    return f"{first} …" if rest else first


def whole_reply(knowledge: Knowledge | None, item: str) -> str:
    """A service's whole reply to "do you do it?" as the bot sends it now ("" if unknown)."""
    kind, _, key = item.partition(":")
    if knowledge is None or kind != "service" or key not in knowledge.services:
        return ""
    return ReplyBook.build(knowledge).service(key, 0)


def _show(
    visit: Visit,
    item: str,
    documents: Mapping[str, Any],
    hashes: Mapping[str, str],
    *,
    submitted: tuple[str, Mapping[str, list[str]]] | None = None,
    errors: Mapping[str | None, list[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    try:
        sections = sections_for(item, documents, hashes)
    except (KeyError, TypeError, AttributeError):
        return _unknown(visit, documents, item)
    for section in sections:
        if submitted is not None and section.file == submitted[0]:
            for wording_list in section.lists:
                wording_list.wordings = list(submitted[1][wording_list.path])
            section.base_hash = str(visit.form.get("base_hash", "")) if visit.form else ""
    knowledge = knowledge_now(services_of(visit.request).folders)
    _with_previews(sections, knowledge)
    errors = errors or {}
    return render(
        visit.request,
        "replies.html",
        {
            "choices": choices(documents),
            "item": item,
            "sections": sections,
            "whole_reply": whole_reply(knowledge, item),
            "errors": errors,
            "general_errors": errors.get(None, []),
            "notice": notice,
            "conflict": conflict,
            "submitted_file": submitted[0] if submitted else "",
        },
        visit=visit,
        status_code=status_code,
    )


def _unknown(visit: Visit, documents: Mapping[str, Any], item: str) -> Response:
    return render(
        visit.request,
        "replies.html",
        {
            "choices": choices(documents),
            "item": item,
            "sections": [],
            "errors": {None: [f"There is no service or reply “{item}” in the data."]},
            "general_errors": [f"There is no service or reply “{item}” in the data."],
        },
        visit=visit,
        status_code=404,
    )


def _unreadable(visit: Visit, error: RepliesUnreadable) -> Response:
    return render(
        visit.request, "file_unreadable.html", {"file": str(error)}, visit=visit, status_code=503
    )


def _first_item(documents: Mapping[str, Any]) -> str:
    for group in choices(documents).values():
        for choice in group:
            return choice.item
    return ""


async def show_replies(visit: Visit) -> Response:
    """One service's script and follow-up answers, or one practical or conversation reply."""
    try:
        documents, hashes = _open_files(visit)
    except RepliesUnreadable as error:
        return _unreadable(visit, error)
    await knowledge_soon(services_of(visit.request).folders)  # the previews need it
    item = visit.request.query_params.get("item") or _first_item(documents)
    saved = visit.request.query_params.get("saved")
    notice = ""
    if saved == "0":
        notice = "Nothing was changed."
    elif saved:
        notice = f"Saved as revision {saved}. The bot uses the new words within a few seconds."
    return _show(visit, item, documents, hashes, notice=notice)


def submitted_lists(form: FormData, section: Section) -> dict[str, list[str]]:
    """Each list as the manager left it: blank boxes dropped, a removed one gone, unsent kept."""
    removed = str(form.get("remove", ""))
    lists: dict[str, list[str]] = {}
    for wording_list in section.lists:
        if wording_list.path not in form:
            lists[wording_list.path] = list(wording_list.wordings)  # not sent: left as it is
            continue
        texts = [str(text).replace("\r\n", "\n") for text in form.getlist(wording_list.path)]
        kept = [
            text
            for number, text in enumerate(texts)
            if text.strip() and removed != f"{wording_list.path}.{number}"
        ]
        lists[wording_list.path] = kept
    return lists


def errors_at_fields(
    problems: Sequence[tuple[str | None, str]], lists: Mapping[str, list[str]]
) -> dict[str | None, list[str]]:
    """Each message at the wording (`path.N`) or list it is about; anything else at the top."""
    # The checker names a script's wording by its label ("implants.cost: unknown placeholder"),
    # not its place: the message then goes to the wordings of that list it is true of.
    shown: dict[str | None, list[str]] = {}
    for place, message in problems:
        targets: list[str | None] = [None]
        for path in lists:
            if place is None:
                break
            if place in (path, path.partition(".")[2]):
                targets = [f"{path}.{number}" for number in _guilty(path, lists[path], message)]
                targets = targets or [path]
            elif place.startswith(path + "."):
                number = place[len(path) + 1 :].split(".")[0]
                targets = [f"{path}.{number}" if number.isdecimal() else path]
        if targets == [None] and place is not None:
            message = f"{place}: {message}"
        for target in targets:
            shown.setdefault(target, []).append(message)
    return shown


def _guilty(path: str, wordings: Sequence[str], message: str) -> list[int]:
    """Which wordings a message about the whole list is about (none found: the list)."""
    broken = [n for n, text in enumerate(wordings) if preview(text, path, {}).problem]
    if broken:
        return broken
    quoted = [text for text in re.findall(r"'([^']+)'", message) if len(text) > 1]
    return [n for n, text in enumerate(wordings) if any(found in text for found in quoted)]


async def save_replies(visit: Visit) -> Response:
    """Save one form's lists: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        documents, hashes = _open_files(visit)
    except RepliesUnreadable as error:
        return _unreadable(visit, error)
    item = str(visit.form.get("item", ""))
    file = str(visit.form.get("file", ""))
    try:
        sections = sections_for(item, documents, hashes)
        section = next(section for section in sections if section.file == file)
    except (KeyError, TypeError, AttributeError, StopIteration):
        return _unknown(visit, documents, item)
    await knowledge_soon(services.folders)  # the previews of a refused save need it
    lists = submitted_lists(visit.form, section)
    edits = {
        wording_list.path: lists[wording_list.path]
        for wording_list in section.lists
        if lists[wording_list.path] != wording_list.wordings
    }
    base_hash = str(visit.form.get("base_hash", ""))
    submitted = (file, lists)
    try:
        saved = await services.editor.save(visit.manager.id, file, base_hash, edits)
    except FileChanged as changed:
        errors: dict[str | None, list[str]] = {None: [f"{changed}. Nothing was saved."]}
        return _show(
            visit,
            item,
            documents,
            hashes,
            submitted=submitted,
            errors=errors,
            conflict=True,
            status_code=409,
        )
    except EditRefused as refused:
        problems = [(problem.field, problem.message) for problem in refused.problems]
        errors = errors_at_fields(problems, lists)
        log.info("manager=%s replies save refused: %s problem(s)", visit.manager.id, len(problems))
        return _show(
            visit, item, documents, hashes, submitted=submitted, errors=errors, status_code=422
        )
    anchor = f"#{section.anchor}"
    return RedirectResponse(
        f"/replies?item={item}&saved={saved.revision_id or 0}{anchor}", status_code=303
    )


async def show_preview(visit: Visit) -> Response:
    """One wording rendered as the patient would read it (for htmx, as typed)."""
    params = visit.request.query_params
    path = params.get("path", "")
    text = (params.get(path) or params.get("text") or "").replace("\r\n", "\n")
    knowledge = await knowledge_soon(services_of(visit.request).folders)
    if not text.strip():
        return HTMLResponse("")
    shown = preview(text, path, preview_values(knowledge, path))
    return render(visit.request, "replies_preview.html", {"preview": shown}, visit=visit)


def page(managers: Guard) -> Page:
    """The Services and replies page and its routes."""
    return Page(
        "Services and replies",
        "/replies",
        [
            Route("/replies", managers(show_replies)),
            Route("/replies", managers(save_replies), methods=["POST"]),
            Route("/replies/preview", managers(show_preview)),
        ],
    )
