"""The Offers page: each "new in our clinic" text, its dates, its services and who has seen it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ruamel.yaml.error import YAMLError
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.store import Database
from bot.web.auth import Guard, Visit
from bot.web.documents import read_document
from bot.web.editor import DocumentEditor
from bot.web.forms import Refused, save_form
from bot.web.pages import Page, render, services_of

OFFERS_FILE = "replies/offers.yaml"
SERVICES_FILE = "replies/services.yaml"
CLINIC_FILE = "replies/clinic.yaml"
#: The fields of an offer the page edits, as the form names them (`offers.0.ends`).
EDITED = ("title", "text", "starts", "ends")
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
    """The offers and every field's current text, by path."""

    offers: list[OfferRow]
    values: dict[str, str]


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
    return OffersView(rows, values), base_hash


def in_plain_words(message: str) -> str:
    """A checker's message as the page says it, next to the field it is about."""
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
    values: Mapping[str, str],
    base_hash: str,
    *,
    errors: Mapping[str | None, list[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    places = {*view.values} | {f"offers.{row.index}" for row in view.offers}
    shown: dict[str | None, list[str]] = {}
    for field, messages in (errors or {}).items():
        if field is None or field in places:
            shown.setdefault(field, []).extend(messages)
        else:
            shown.setdefault(None, []).extend(f"{field}: {message}" for message in messages)
    context = {
        "view": view,
        "values": values,
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
    return _show(visit, view, view.values, base_hash, notice=notice)


async def save_offers(visit: Visit) -> Response:
    """Save the changed fields: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        view, _ = await offers_view(services.editor, services.database)
    except OffersUnreadable:
        return _unreadable(visit)
    submitted = {
        path: str(visit.form.get(path, old)).replace("\r\n", "\n")
        for path, old in view.values.items()
    }
    edits = {path: value for path, value in submitted.items() if value != view.values[path]}
    base_hash = str(visit.form.get("base_hash", ""))
    outcome = await save_form(
        services.editor, visit.manager.id, OFFERS_FILE, base_hash, edits, in_plain_words
    )
    if isinstance(outcome, Refused):
        return _show(
            visit,
            view,
            submitted,
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
