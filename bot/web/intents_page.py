"""The Intents page: each intent's examples, added and removed, with the checker's advice."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.checks import (
    _example_counts,
    _examples_that_look_like_another_intent,
    _near_duplicates,
)
from bot.loader import Knowledge, Problem, load_knowledge
from bot.models import MIN_EXAMPLES
from bot.web.auth import Guard, Visit
from bot.web.checking import DataFolders
from bot.web.documents import EditRefused, apply_edits, read_document
from bot.web.editor import FileChanged, read_text
from bot.web.pages import Page, render, services_of
from bot.web.replies_page import knowledge_soon

log = logging.getLogger(__name__)

#: Files of intents/ that hold no `intents:` list.
NOT_INTENT_FILES = ("intents/facets.yaml", "intents/vocabulary.yaml")
KIND_TITLES = {
    "service": "Services",
    "practical": "Practical questions",
    "conversation": "Conversation",
    "handoff": "Handed to a person",
}


@dataclass(frozen=True)
class IntentRow:
    """One intent as the list shows it."""

    name: str
    kind: str
    description: str
    examples: int
    warnings: int


@dataclass
class IntentView:
    """One intent to edit: where it lives, its examples and the advice on them."""

    name: str
    file: str
    kind: str
    description: str
    examples: list[str]
    base_hash: str
    #: Advice by example number; None: about the intent as a whole.
    warnings: dict[int | None, list[str]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The field path of the examples: `intents.implants.examples`."""
        return f"intents.{self.name}.examples"


# --- the checker's advice, once per version of the data ------------------------------------

Advice = dict[tuple[str, int | None], list[str]]
_ADVICE: dict[int, tuple[Knowledge, Advice]] = {}


def advice(knowledge: Knowledge) -> Advice:
    """The example warnings of bot.checks by (intent, example number or None for the intent)."""
    cached = _ADVICE.get(id(knowledge))
    if cached is not None and cached[0] is knowledge:
        return cached[1]
    found = find_advice(knowledge)
    if len(_ADVICE) >= 4:
        _ADVICE.clear()
    _ADVICE[id(knowledge)] = (knowledge, found)
    return found


def find_advice(knowledge: Knowledge) -> Advice:
    """Run the example rules of bot.checks and place each warning at its intent or example."""
    places: dict[tuple[str, int], tuple[str, int | None]] = {}
    for (name, number), where in knowledge.example_origins.items():
        places[(str(where.path), where.line)] = (name, number)
    for name, where in knowledge.origins.items():
        places.setdefault((str(where.path), where.line), (name, None))
    found: Advice = {}
    problems: list[Problem] = [
        *_example_counts(knowledge),
        *_near_duplicates(knowledge),
        *_examples_that_look_like_another_intent(knowledge),
    ]
    for problem in problems:
        place = places.get((str(problem.path), problem.line))
        if place is not None:
            found.setdefault(place, []).append(in_plain_words(problem.message))
    return found


@dataclass(frozen=True)
class CheckResult:
    """What the checker would say of an intent with the examples as typed (nothing saved)."""

    examples: int
    errors: list[str]
    advice: list[str]


def check_examples(
    folders: DataFolders, file: str, name: str, path: str, examples: list[str]
) -> CheckResult:
    """Load all the data with `file`'s examples replaced, in a scratch copy, and lint them."""
    try:
        new_text = apply_edits(read_text(folders.path_of(file)), {path: examples})
    except EditRefused as refused:
        return CheckResult(len(examples), [problem.message for problem in refused.problems], [])
    with tempfile.TemporaryDirectory(prefix="frontdesk-intent-") as scratch:
        copies = DataFolders(Path(scratch) / "intents", Path(scratch) / "replies")
        for kind, folder in folders.folders().items():
            shutil.copytree(folder, copies.folders()[kind])
        copies.path_of(file).write_text(new_text, encoding="utf-8")
        knowledge, problems = load_knowledge(copies.intents, copies.replies)
        errors = [problem.message for problem in problems if problem.severity == "error"]
        if knowledge is None:
            return CheckResult(len(examples), errors, [])
        found = find_advice(knowledge)
    numbers = sorted((number for owner, number in found if owner == name), key=_intent_first)
    said = [message for number in numbers for message in found[(name, number)]]
    return CheckResult(len(examples), errors, said)


async def advised_soon(folders: DataFolders) -> Knowledge | None:
    """The knowledge now, with its advice found, in a worker thread (it takes a second)."""
    knowledge = await knowledge_soon(folders)
    if knowledge is not None:
        await asyncio.to_thread(advice, knowledge)
    return knowledge


def _intent_first(number: int | None) -> int:
    return -1 if number is None else number


def in_plain_words(message: str) -> str:
    """A checker's warning without the parts the page already shows."""
    return message[0].upper() + message[1:] if message else message


def intent_files(folders: DataFolders) -> list[str]:
    """The files of intents/ that list intents."""
    return [
        file
        for file in folders.files()
        if file.startswith("intents/") and file not in NOT_INTENT_FILES
    ]


class IntentsUnreadable(Exception):
    """An intents file cannot be read (broken YAML); the page names it."""


def _documents(visit: Visit) -> dict[str, tuple[Any, str]]:
    """Every intents file as ruamel data, with the hash a form must carry."""
    services = services_of(visit.request)
    documents = {}
    for file in intent_files(services.folders):
        text, base_hash = services.editor.current(file)
        try:
            documents[file] = (read_document(text), base_hash)
        except YAMLError as error:
            raise IntentsUnreadable(file) from error
    return documents


def _intents_in(document: Any) -> list[Any]:
    intents = document.get("intents") if isinstance(document, Mapping) else None
    return [intent for intent in intents or [] if isinstance(intent, Mapping) and "name" in intent]


def intent_rows(
    documents: Mapping[str, tuple[Any, str]], knowledge: Knowledge | None
) -> dict[str, list[IntentRow]]:
    """Every intent, grouped by kind in the order of KIND_TITLES."""
    found = advice(knowledge) if knowledge is not None else {}
    counts: dict[str, int] = {}
    for (name, _), messages in found.items():
        counts[name] = counts.get(name, 0) + len(messages)
    grouped: dict[str, list[IntentRow]] = {title: [] for title in KIND_TITLES.values()}
    for document, _ in documents.values():
        for intent in _intents_in(document):
            kind = str(intent.get("kind", ""))
            name = str(intent["name"])
            examples = len(intent.get("examples") or [])
            row = IntentRow(
                name, kind, str(intent.get("description", "")), examples, counts.get(name, 0)
            )
            grouped.setdefault(KIND_TITLES.get(kind, kind.capitalize()), []).append(row)
    return {title: rows for title, rows in grouped.items() if rows}


def intent_view(
    name: str, documents: Mapping[str, tuple[Any, str]], knowledge: Knowledge | None
) -> IntentView:
    """One intent to edit; KeyError if no file has it."""
    for file, (document, base_hash) in documents.items():
        for intent in _intents_in(document):
            if str(intent["name"]) == name:
                examples = [str(example) for example in intent.get("examples") or []]
                view = IntentView(
                    name,
                    file,
                    str(intent.get("kind", "")),
                    str(intent.get("description", "")),
                    examples,
                    base_hash,
                )
                if knowledge is not None and name in knowledge.intents:
                    for (owner, number), messages in advice(knowledge).items():
                        if owner == name:
                            view.warnings.setdefault(number, []).extend(messages)
                return view
    raise KeyError(name)


async def show_intents(visit: Visit) -> Response:
    """Every intent, with how many examples it has and whether the checker has advice."""
    try:
        documents = _documents(visit)
    except IntentsUnreadable as error:
        return _unreadable(visit, error)
    knowledge = await advised_soon(services_of(visit.request).folders)
    return render(
        visit.request,
        "intents.html",
        {
            "groups": intent_rows(documents, knowledge),
            "intent": None,
            "min_examples": MIN_EXAMPLES,
        },
        visit=visit,
    )


def _unreadable(visit: Visit, error: IntentsUnreadable) -> Response:
    return render(
        visit.request, "file_unreadable.html", {"file": str(error)}, visit=visit, status_code=503
    )


def _show_one(
    visit: Visit,
    view: IntentView,
    *,
    errors: Mapping[str | None, list[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    errors = errors or {}
    return render(
        visit.request,
        "intents.html",
        {
            "intent": view,
            "errors": errors,
            "general_errors": errors.get(None, []),
            "notice": notice,
            "conflict": conflict,
            "min_examples": MIN_EXAMPLES,
        },
        visit=visit,
        status_code=status_code,
    )


def _not_found(visit: Visit, name: str) -> Response:
    return render(
        visit.request,
        "intents.html",
        {"intent": None, "groups": {}, "missing": name, "min_examples": MIN_EXAMPLES},
        visit=visit,
        status_code=404,
    )


async def show_intent(visit: Visit) -> Response:
    """One intent's examples, with the checker's advice beside them."""
    name = visit.request.path_params["name"]
    try:
        knowledge = await advised_soon(services_of(visit.request).folders)
        view = intent_view(name, _documents(visit), knowledge)
    except IntentsUnreadable as error:
        return _unreadable(visit, error)
    except KeyError:
        return _not_found(visit, name)
    saved = visit.request.query_params.get("saved")
    notice = ""
    if saved == "0":
        notice = "Nothing was changed."
    elif saved:
        notice = (
            f"Saved as revision {saved}. The bot learns the new examples within a few seconds."
        )
    return _show_one(visit, view, notice=notice)


def submitted_examples(form: FormData, view: IntentView) -> list[str]:
    """The examples as the form left them: one per line, blanks dropped, a removed one gone."""
    removed = str(form.get("remove", ""))
    examples: list[str] = []
    for number, text in enumerate(form.getlist(view.path)):
        if removed != f"{view.path}.{number}":
            examples.extend(line.strip() for line in str(text).splitlines())
    return [example for example in examples if example]


def errors_at_examples(
    problems: Sequence[tuple[str | None, str]], view: IntentView, names: Sequence[str]
) -> dict[str | None, list[str]]:
    """Each message at the example it is about (`intents.<name>.examples.N`), else at the top."""
    # The checker names a place by position (`intents.3.examples.12`): `names` are the file's
    # intents in order, to turn a position into a name.
    shown: dict[str | None, list[str]] = {}
    for place, message in problems:
        steps = (place or "").split(".")
        if len(steps) >= 2 and steps[0] == "intents" and steps[1].isdecimal():
            number = int(steps[1])
            steps[1] = names[number] if number < len(names) else steps[1]
        named = ".".join(steps)
        target: str | None = None
        if named == view.path or named == f"intents.{view.name}":
            target = view.path
        elif named.startswith(view.path + ".") and steps[3:4] and steps[3].isdecimal():
            target = f"{view.path}.{steps[3]}"
        if target is None and place:
            message = f"{named}: {message}"
        shown.setdefault(target, []).append(message)
    return shown


async def save_intent(visit: Visit) -> Response:
    """Save the intent's examples: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    name = visit.request.path_params["name"]
    try:
        documents = _documents(visit)
        view = intent_view(name, documents, await advised_soon(services.folders))
    except IntentsUnreadable as error:
        return _unreadable(visit, error)
    except KeyError:
        return _not_found(visit, name)
    examples = submitted_examples(visit.form, view)
    edits = {view.path: examples} if examples != view.examples else {}
    base_hash = str(visit.form.get("base_hash", ""))
    shown = IntentView(
        view.name, view.file, view.kind, view.description, examples, base_hash, view.warnings
    )
    try:
        saved = await services.editor.save(visit.manager.id, view.file, base_hash, edits)
    except FileChanged as changed:
        errors: dict[str | None, list[str]] = {None: [f"{changed}. Nothing was saved."]}
        return _show_one(visit, shown, errors=errors, conflict=True, status_code=409)
    except EditRefused as refused:
        names = [str(intent["name"]) for intent in _intents_in(documents[view.file][0])]
        problems = [(problem.field, problem.message) for problem in refused.problems]
        shown.warnings = {}  # they were about the examples as they were
        errors = errors_at_examples(problems, view, names)
        return _show_one(visit, shown, errors=errors, status_code=422)
    return RedirectResponse(
        f"/intents/{name}?saved={saved.revision_id or 0}#examples", status_code=303
    )


async def check_intent(visit: Visit) -> Response:
    """The checker's word on the examples as typed, without saving them (for htmx)."""
    assert visit.form is not None
    services = services_of(visit.request)
    name = visit.request.path_params["name"]
    try:
        view = intent_view(name, _documents(visit), None)
    except IntentsUnreadable as error:
        return _unreadable(visit, error)
    except KeyError:
        return _not_found(visit, name)
    examples = submitted_examples(visit.form, view)
    result = await asyncio.to_thread(
        check_examples, services.folders, view.file, name, view.path, examples
    )
    return render(visit.request, "intents_check.html", {"result": result}, visit=visit)


def page(managers: Guard) -> Page:
    """The Intents page and its routes."""
    return Page(
        "Intents",
        "/intents",
        [
            Route("/intents", managers(show_intents)),
            Route("/intents/{name}", managers(show_intent)),
            Route("/intents/{name}", managers(save_intent), methods=["POST"]),
            Route("/intents/{name}/check", managers(check_intent), methods=["POST"]),
        ],
    )
