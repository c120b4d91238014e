"""The Offers page: each "new in our clinic" text, its dates, its services and who has seen it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ruamel.yaml.error import YAMLError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.store import Database
from bot.web.auth import Guard, Visit
from bot.web.documents import REMOVE, EditValue, NewRow, read_document
from bot.web.editor import DocumentEditor
from bot.web.forms import Refused, save_form, where_shown
from bot.web.pages import Page, render, services_of

OFFERS_FILE = "replies/offers.yaml"
SERVICES_FILE = "replies/services.yaml"
CLINIC_FILE = "replies/clinic.yaml"
#: The fields of an offer the page edits, as the form names them (`offers.0.ends`).
EDITED = ("title", "text", "starts", "ends")
#: What a new offer's form fields are called (`new:offers.title`).
NEW = "new:offers"
#: An offer id from its title: what is not a letter or digit becomes "_".
_NOT_WORD = re.compile(r"[^a-z0-9]+")
#: How many patients were shown each offer: counts only, never who.
SEEN_COUNTS = (
    "SELECT offer_id, COUNT(DISTINCT patient_id) AS patients FROM offers_shown GROUP BY offer_id"
)
#: "offer warm_gutta_percha.text: a price is typed..": the field already says which offer.
_LABEL_PREFIX = re.compile(r"^offer [\w-]+\.\w+: ")
_TYPED_PRICE = re.compile(r"^a price is typed into the text \((?P<price>.+?)\); prices come only")
_BACKWARDS = re.compile(r"^ends (?P<ends>[\d-]+) is before starts (?P<starts>[\d-]+)$")


@dataclass(frozen=True)
class OfferRow:
    """One offer as the page shows it."""

    index: int
    id: str
    services: list[str]
    seen_by: int
    status: str
    live: bool


@dataclass(frozen=True)
class OffersView:
    """The offers, every field's current text by path, and the services an offer can go with."""

    offers: list[OfferRow]
    values: dict[str, str]
    #: Each offer's services (intent names), by the path of its list (`offers.0.intents`).
    chosen: dict[str, list[str]]
    #: Every service an offer can go with: (intent, what patients call it).
    services: list[tuple[str, str]]

    def ids(self) -> set[str]:
        """The ids the offers have now."""
        return {row.id for row in self.offers}


@dataclass(frozen=True)
class OffersForm:
    """What the form holds: the fields, each offer's services, offers taken out, a new one."""

    values: dict[str, str]
    chosen: dict[str, list[str]]
    removed: frozenset[str]
    new: dict[str, str]
    new_services: list[str]

    @classmethod
    def unchanged(cls, view: OffersView, today: dt.date) -> OffersForm:
        """The form as the page first shows it (a new offer would start today)."""
        blank = {"title": "", "text": "", "starts": today.isoformat(), "ends": ""}
        return cls(dict(view.values), dict(view.chosen), frozenset(), blank, [])

    @classmethod
    def submitted(cls, view: OffersView, form: FormData) -> OffersForm:
        """What the form sent; the old value of anything it did not send."""
        values = {
            path: str(form.get(path, old)).replace("\r\n", "\n")
            for path, old in view.values.items()
        }
        known = {key for key, _ in view.services}
        chosen = {
            path: [str(key) for key in form.getlist(path) if key in known]
            if path in form
            else list(old)
            for path, old in view.chosen.items()
        }
        removed = frozenset(
            f"offers.{row.index}" for row in view.offers if form.get(f"remove:offers.{row.index}")
        )
        new = {
            field: str(form.get(f"{NEW}.{field}", "")).replace("\r\n", "\n").strip()
            for field in EDITED
        }
        services = [str(key) for key in form.getlist(f"{NEW}.intents") if key in known]
        return cls(values, chosen, removed, new, services)

    def edits(self, view: OffersView) -> dict[str, EditValue]:
        """Only what changed; a new offer when it has a title or a text."""
        edits: dict[str, EditValue] = {
            path: value for path, value in self.values.items() if value != view.values[path]
        }
        for path, services in self.chosen.items():
            if set(services) != set(view.chosen[path]):
                old = view.chosen[path]
                kept = [key for key in old if key in services]
                edits[path] = kept + [key for key in services if key not in kept]
        for row in self.removed:  # an offer taken out takes its edits with it
            edits = {
                path: value for path, value in edits.items() if not path.startswith(row + ".")
            }
            edits[row] = REMOVE
        if self.new["title"] or self.new["text"]:
            fields: dict[str, str | list[str]] = {
                "id": new_id(self.new["title"] or self.new["text"], view.ids()),
                "intents": self.new_services,
            }
            fields.update({field: value for field, value in self.new.items() if value})
            edits["offers"] = NewRow(fields)
        return edits


def new_id(title: str, taken: set[str]) -> str:
    """A new offer's id, from its title ("Night guards" -> night_guards), unlike any other."""
    base = _NOT_WORD.sub("_", title.lower()).strip("_")[:40].strip("_") or "offer"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


class OffersUnreadable(Exception):
    """offers.yaml cannot be shown (broken YAML, or no list of offers)."""


def offers_values(document: Any) -> dict[str, str]:
    """Each edited field's text by its path (a missing end date is empty)."""
    values = {}
    for index, offer in enumerate(document["offers"]):
        for field in EDITED:
            value = offer.get(field)
            values[f"offers.{index}.{field}"] = "" if value is None else str(value)
    return values


def status_of(starts: str, ends: str, today: dt.date) -> tuple[str, bool]:
    """Whether the bot shows the offer today, in words, and as a flag."""
    if starts and dt.date.fromisoformat(starts) > today:
        return f"Starts on {starts}", False
    if ends and dt.date.fromisoformat(ends) < today:
        return f"Ended on {ends}: no longer shown", False
    return "Shown to patients now", True


def service_labels(editor: DocumentEditor) -> dict[str, str]:
    """What each service is called in services.yaml ("a root canal"), by its intent."""
    try:
        services = read_document(editor.current(SERVICES_FILE)[0])["services"]
        return {key: str(script.get("label") or "") for key, script in services.items()}
    except (KeyError, TypeError, AttributeError, YAMLError):
        return {}


def clinic_today(editor: DocumentEditor) -> dt.date:
    """Today's date where the clinic is (UTC if its time zone cannot be read)."""
    try:
        zone = ZoneInfo(str(read_document(editor.current(CLINIC_FILE)[0])["clinic"]["timezone"]))
    except (KeyError, TypeError, ValueError, YAMLError):
        zone = ZoneInfo("UTC")
    return dt.datetime.now(zone).date()


async def seen_counts(database: Database) -> dict[str, int]:
    """How many patients were shown each offer (by offer id)."""
    rows = await database.fetch_all(SEEN_COUNTS)
    return {str(row["offer_id"]): int(row["patients"]) for row in rows}


async def offers_view(editor: DocumentEditor, database: Database) -> tuple[OffersView, str]:
    """The page's view of offers.yaml as it is now, and the hash a form must carry."""
    text, base_hash = editor.current(OFFERS_FILE)
    try:
        document = read_document(text)
        values = offers_values(document)
        ids = [str(offer["id"]) for offer in document["offers"]]
        intents = [
            [str(name) for name in offer.get("intents", [])] for offer in document["offers"]
        ]
        chosen = {
            f"offers.{index}.intents": names
            for index, names in enumerate(intents)
            if isinstance(document["offers"][index].get("intents"), list)
        }
    except (YAMLError, KeyError, TypeError, AttributeError) as error:
        raise OffersUnreadable(OFFERS_FILE) from error
    labels = service_labels(editor)
    seen = await seen_counts(database)
    today = clinic_today(editor)
    rows = []
    for index, offer_id in enumerate(ids):
        try:
            status, live = status_of(
                values[f"offers.{index}.starts"], values[f"offers.{index}.ends"], today
            )
        except ValueError:
            status, live = "Dates unclear", False
        services = [labels.get(name) or name.replace("_", " ") for name in intents[index]]
        rows.append(OfferRow(index, offer_id, services, seen.get(offer_id, 0), status, live))
    every_service = [(key, label or key.replace("_", " ")) for key, label in labels.items()]
    return OffersView(rows, values, chosen, every_service), base_hash


def in_plain_words(message: str) -> str:
    """A checker's message as the page says it, next to the field it is about."""
    if message.startswith("List should have at least 1 item"):
        return "Tick at least one service the offer goes with"
    backwards = _BACKWARDS.match(message)
    if backwards is not None:
        return (
            f"The end date ({backwards['ends']}) is before the start date "
            f"({backwards['starts']}): an offer must start before it ends"
        )
    message = _LABEL_PREFIX.sub("", message)
    typed = _TYPED_PRICE.match(message)
    if typed is not None:
        price = typed["price"].strip("'\"").rstrip(",.;:")
        return (
            f"A price is written into the text (“{price}”): leave it out; the bot "
            "quotes prices only from the Prices page, with every part included"
        )
    return message[:1].upper() + message[1:]


def _show(
    visit: Visit,
    view: OffersView,
    filled: OffersForm,
    base_hash: str,
    *,
    errors: Mapping[str | None, list[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    places = {*view.values, *view.chosen} | {f"offers.{row.index}" for row in view.offers}
    places |= {NEW} | {f"{NEW}.{field}" for field in (*EDITED, "intents")}
    shown_at = where_shown({"offers": len(view.offers)}, filled.removed)
    shown: dict[str | None, list[str]] = {}
    for written_at, messages in (errors or {}).items():
        field = None if written_at is None else shown_at(written_at)
        if field is None or field in places:
            shown.setdefault(field, []).extend(messages)
        else:
            shown.setdefault(None, []).extend(f"{field}: {message}" for message in messages)
    context = {
        "view": view,
        "values": {
            **filled.values,
            **{f"{NEW}.{field}": value for field, value in filled.new.items()},
        },
        "chosen": {**filled.chosen, f"{NEW}.intents": filled.new_services},
        "removed": filled.removed,
        "errors": shown,
        "base_hash": base_hash,
        "notice": notice,
        "conflict": conflict,
        "file": OFFERS_FILE,
    }
    return render(visit.request, "offers.html", context, visit=visit, status_code=status_code)


def _unreadable(visit: Visit) -> Response:
    return render(
        visit.request, "file_unreadable.html", {"file": OFFERS_FILE}, visit=visit, status_code=503
    )


def saved_notice(saved: str | None) -> str:
    """What the page says after a save (the `saved` query parameter)."""
    if saved == "0":
        return "Nothing was changed."
    if saved:
        return f"Saved as revision {saved}. The bot uses the new offers within a few seconds."
    return ""


async def show_offers(visit: Visit) -> Response:
    """Every offer with its text, dates, services and how many patients have seen it."""
    services = services_of(visit.request)
    try:
        view, base_hash = await offers_view(services.editor, services.database)
    except OffersUnreadable:
        return _unreadable(visit)
    notice = saved_notice(visit.request.query_params.get("saved"))
    today = clinic_today(services.editor)
    return _show(visit, view, OffersForm.unchanged(view, today), base_hash, notice=notice)


async def save_offers(visit: Visit) -> Response:
    """Save the changed fields: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        view, _ = await offers_view(services.editor, services.database)
    except OffersUnreadable:
        return _unreadable(visit)
    filled = OffersForm.submitted(view, visit.form)
    edits = filled.edits(view)
    base_hash = str(visit.form.get("base_hash", ""))
    outcome = await save_form(
        services.editor, visit.manager.id, OFFERS_FILE, base_hash, edits, in_plain_words
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
    return RedirectResponse(f"/offers?saved={outcome.revision_id or 0}", status_code=303)


def page(managers: Guard) -> Page:
    """The Offers page and its routes."""
    return Page(
        "Offers",
        "/offers",
        [
            Route("/offers", managers(show_offers)),
            Route("/offers", managers(save_offers), methods=["POST"]),
        ],
    )
