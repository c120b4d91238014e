"""The Clinic page: hours, address, phones, doctors, discounts, warranty (clinic.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.error import YAMLError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.web.auth import Guard, Visit
from bot.web.documents import REMOVE, EditValue, NewRow, read_document
from bot.web.forms import Refused, save_form, where_shown
from bot.web.pages import Page, render, services_of

CLINIC_FILE = "replies/clinic.yaml"
#: One-line facts of the clinic, by key, with the words the page labels them with.
FACTS = (
    ("name", "Clinic name"),
    ("address", "Address"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("emergency_number", "Emergency number (for patients in danger)"),
    ("after_hours_phone", "Phone that answers while the clinic is closed (if any)"),
    ("timezone", "Time zone (for opening hours), like America/New_York"),
)
#: The fields of each row of a list, in the order the page shows them.
ROWS = {
    "hours": ("days", "open", "close", "closed"),
    "specialist_hours": ("who", "days", "open", "close"),
    "doctors": ("name", "role", "years", "degree"),
    "warranty.terms": ("service", "period"),
    "discounts": ("who", "what", "percent", "age_from", "age_below"),
}
#: Lists of texts edited as one box, one item per line.
LINE_LISTS = ("payment_methods",)
#: The checker's words, and the page's plainer ones.
PLAIN_WORDS = (
    (
        re.compile(r"^String should match pattern '\^\\d\{2\}:\\d\{2\}\$'$"),
        "write a time like 09:00",
    ),
    (
        re.compile(r"^give open and close times, or closed: true$"),
        "give the opening and closing times, or choose “Closed all day”",
    ),
    (re.compile(r"^Input should be less than or equal to (\d+)$"), r"write \1 or less"),
    (re.compile(r"^Input should be greater than or equal to (\d+)$"), r"write \1 or more"),
    (re.compile(r"^Input should be greater than (\d+)$"), r"write more than \1"),
    (re.compile(r"^String should have at least 1 character$"), "this cannot be left empty"),
)


@dataclass
class ClinicView:
    """What the page shows of clinic.yaml: every field's text by path, and the lists' sizes."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    conditions: int = 0
    #: Each discount's parts it is taken off (component keys), where the file lists them.
    choices: dict[str, list[str]] = field(default_factory=dict)
    #: Every part of a treatment a discount can be taken off: (key, name patients see).
    parts: list[tuple[str, str]] = field(default_factory=list)

    def places(self) -> set[str]:
        """Every path an error can be shown at: each field, and each row of a list."""
        rows = {f"clinic.{name}.{n}" for name, count in self.counts.items() for n in range(count)}
        return {*self.values, *self.lists, *self.choices, *rows, "clinic.warranty.conditions"}


@dataclass(frozen=True)
class Filled:
    """What a form holds: each field's text, each one-per-line box, each group of ticks, the
    rows ticked for removal and what was typed into each list's blank new row."""

    values: dict[str, str]
    boxes: dict[str, str]
    choices: dict[str, list[str]]
    removed: frozenset[str] = frozenset()
    new_rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def unchanged(cls, view: ClinicView) -> Filled:
        """The form as the page first shows it."""
        boxes = {path: "\n".join(items) for path, items in view.lists.items()}
        choices = {k: list(v) for k, v in view.choices.items()}
        return cls(dict(view.values), boxes, choices, frozenset(), _blank_rows())

    def new_row(self, name: str) -> dict[str, str]:
        """The fields of a list's new row that were filled in (empty: no row to add)."""
        typed = {key: value for key, value in self.new_rows.get(name, {}).items() if value}
        if name == "hours":
            if typed.get("closed") == "true":
                typed = {key: typed[key] for key in ("days",) if key in typed} | {"closed": "true"}
            else:
                typed.pop("closed", None)
            if set(typed) <= {"closed"}:
                return {}
        return typed


def _blank_rows() -> dict[str, dict[str, str]]:
    return {name: dict.fromkeys(fields, "") for name, fields in ROWS.items()}


def row_paths(view: ClinicView) -> list[str]:
    """The path of every row of every list the page shows."""
    return [f"clinic.{name}.{index}" for name in ROWS for index in range(view.counts[name])]


class ClinicUnreadable(Exception):
    """clinic.yaml cannot be shown (broken YAML, or no clinic section)."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _at(clinic: Any, dotted: str) -> Any:
    node = clinic
    for step in dotted.split("."):
        node = node.get(step) if node is not None else None
    return node


def clinic_view(document: Any) -> ClinicView:
    """The page's view of the clinic section (ruamel round-trip data)."""
    clinic = document["clinic"]
    view = ClinicView()
    for key, _ in FACTS:
        view.values[f"clinic.{key}"] = _text(clinic.get(key))
    for key in ("directions", "insurance"):
        view.values[f"clinic.{key}"] = _text(clinic.get(key))
    for name, fields in ROWS.items():
        rows = _at(clinic, name) or []
        view.counts[name] = len(rows)
        for index, row in enumerate(rows):
            for key in fields:
                view.values[f"clinic.{name}.{index}.{key}"] = _text(row.get(key))
    for index, row in enumerate(clinic.get("hours") or []):
        view.values[f"clinic.hours.{index}.closed"] = _text(bool(row.get("closed", False)))
    conditions = _at(clinic, "warranty.conditions") or []
    view.conditions = len(conditions)
    for index, condition in enumerate(conditions):
        view.values[f"clinic.warranty.conditions.{index}"] = _text(condition)
    for name in LINE_LISTS:
        view.lists[f"clinic.{name}"] = [_text(item) for item in clinic.get(name) or []]
    components = document.get("components") or {}
    view.parts = [(str(key), str(part.get("name", key))) for key, part in components.items()]
    for index, row in enumerate(clinic.get("discounts") or []):
        if isinstance(row.get("applies_to"), list):
            path = f"clinic.discounts.{index}.applies_to"
            view.choices[path] = [str(key) for key in row["applies_to"]]
    return view


def open_clinic(text: str) -> ClinicView:
    """The view of clinic.yaml's text; ClinicUnreadable if it cannot be shown."""
    try:
        return clinic_view(read_document(text))
    except (YAMLError, KeyError, TypeError, AttributeError) as error:
        raise ClinicUnreadable(CLINIC_FILE) from error


def submitted(view: ClinicView, form: FormData) -> Filled:
    """What the form sent for every field; the old value of any field it did not send."""
    values = {
        path: str(form.get(path, old)).replace("\r\n", "\n").strip()
        for path, old in view.values.items()
    }
    boxes = {path: str(form.get(path, "\n".join(old))) for path, old in view.lists.items()}
    choices = {
        path: [str(key) for key in form.getlist(path) if key] if path in form else list(old)
        for path, old in view.choices.items()
    }
    removed = frozenset(path for path in row_paths(view) if form.get(f"remove:{path}"))
    new_rows = {
        name: {key: str(form.get(f"new:clinic.{name}.{key}", "")).strip() for key in fields}
        for name, fields in ROWS.items()
    }
    return Filled(values, boxes, choices, removed, new_rows)


def edits_of(view: ClinicView, filled: Filled) -> dict[str, EditValue]:
    """Only what changed: an empty optional field that the file leaves out stays left out."""
    edits: dict[str, EditValue] = {
        path: value for path, value in filled.values.items() if value != view.values[path]
    }
    for path, box in filled.boxes.items():
        lines = [line.strip() for line in box.splitlines() if line.strip()]
        if lines != view.lists[path]:
            edits[path] = lines
    for path, ticked in filled.choices.items():
        old = view.choices[path]
        if set(ticked) != set(old):  # the order of the file kept, new parts after it
            kept = [key for key in old if key in ticked]
            edits[path] = kept + [key for key in ticked if key not in old]
    for row in filled.removed:  # a row taken out takes its edits with it
        edits = {path: value for path, value in edits.items() if not path.startswith(row + ".")}
        edits[row] = REMOVE
    for name in ROWS:
        if new := filled.new_row(name):
            edits[f"clinic.{name}"] = NewRow(new)
    return edits


def in_plain_words(message: str) -> str:
    """A checker's message as the page's labels say it."""
    for pattern, plain in PLAIN_WORDS:
        if pattern.match(message):
            message = pattern.sub(plain, message)
            break
    return message[:1].upper() + message[1:]


def _show(
    visit: Visit,
    view: ClinicView,
    filled: Filled,
    base_hash: str,
    *,
    errors: Mapping[str | None, Sequence[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    places = view.places() | {f"new:clinic.{name}" for name in ROWS}
    places |= {f"new:clinic.{name}.{key}" for name, fields in ROWS.items() for key in fields}
    lists = {f"clinic.{name}": view.counts[name] for name in ROWS}
    shown_at = where_shown(lists, filled.removed)
    shown: dict[str | None, list[str]] = {}
    for written_at, messages in (errors or {}).items():
        place = None if written_at is None else shown_at(written_at)
        if place is None or place in places:
            shown.setdefault(place, []).extend(messages)
        else:
            shown.setdefault(None, []).extend(f"{place}: {message}" for message in messages)
    context = {
        "view": view,
        "values": {
            **filled.values,
            **filled.boxes,
            **{
                f"new:clinic.{name}.{key}": value
                for name, row in filled.new_rows.items()
                for key, value in row.items()
            },
        },
        "removed": filled.removed,
        "choices": filled.choices,
        "errors": shown,
        "base_hash": base_hash,
        "notice": notice,
        "conflict": conflict,
        "facts": FACTS,
        "file": CLINIC_FILE,
    }
    return render(visit.request, "clinic.html", context, visit=visit, status_code=status_code)


def _unreadable(visit: Visit) -> Response:
    return render(
        visit.request, "file_unreadable.html", {"file": CLINIC_FILE}, visit=visit, status_code=503
    )


async def show_clinic(visit: Visit) -> Response:
    """The clinic's facts as a form."""
    text, base_hash = services_of(visit.request).editor.current(CLINIC_FILE)
    try:
        view = open_clinic(text)
    except ClinicUnreadable:
        return _unreadable(visit)
    saved = visit.request.query_params.get("saved")
    notice = ""
    if saved == "0":
        notice = "Nothing was changed."
    elif saved:
        notice = f"Saved as revision {saved}. The bot answers with the new facts within seconds."
    return _show(visit, view, Filled.unchanged(view), base_hash, notice=notice)


async def save_clinic(visit: Visit) -> Response:
    """Save the changed fields: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        view = open_clinic(services.editor.current(CLINIC_FILE)[0])
    except ClinicUnreadable:
        return _unreadable(visit)
    filled = submitted(view, visit.form)
    edits = edits_of(view, filled)
    base_hash = str(visit.form.get("base_hash", ""))
    outcome = await save_form(
        services.editor, visit.manager.id, CLINIC_FILE, base_hash, edits, in_plain_words
    )
    if isinstance(outcome, Refused):
        return _show(
            visit,
            view,
            filled,
            base_hash,
            errors=outcome.errors,
            conflict=outcome.conflict,
            status_code=outcome.status_code,
        )
    return RedirectResponse(f"/clinic?saved={outcome.revision_id or 0}", status_code=303)


def page(managers: Guard) -> Page:
    """The Clinic page and its routes."""
    return Page(
        "Clinic",
        "/clinic",
        [
            Route("/clinic", managers(show_clinic)),
            Route("/clinic", managers(save_clinic), methods=["POST"]),
        ],
    )
