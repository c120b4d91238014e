"""The Prices page: every part's price and each bundle's total, edited in replies/clinic.yaml."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.error import YAMLError
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.models import Currency
from bot.pricing import ZERO, PriceRange, format_range
from bot.web.auth import Guard, Visit
from bot.web.documents import heading_before, read_document
from bot.web.editor import DocumentEditor
from bot.web.forms import Refused, save_form
from bot.web.pages import Page, render, services_of

log = logging.getLogger(__name__)

CLINIC_FILE = "replies/clinic.yaml"
#: How `per` reads when a component does not say (the loader's default: never under-quote).
DEFAULT_PER = "tooth"
PER_CHOICES = (("tooth", "for each tooth (or unit)"), ("visit", "once per visit or course"))


@dataclass(frozen=True)
class ComponentRow:
    """One billable part as the page shows it."""

    key: str
    ranged: bool  # min..max, or one price


@dataclass(frozen=True)
class ComponentGroup:
    """Parts under one comment heading of the file ("Implants")."""

    heading: str
    components: list[ComponentRow]


@dataclass(frozen=True)
class BundleRow:
    """A service's bundle: its parts and its total."""

    key: str
    parts: list[str]


@dataclass(frozen=True)
class PricesView:
    """What the page shows of clinic.yaml: the groups of parts, the bundles, the field values."""

    groups: list[ComponentGroup]
    bundles: list[BundleRow]
    values: dict[str, str]
    currency: Currency

    def editable(self) -> list[str]:
        """Every field path the page's form may change."""
        return list(self.values)


def prices_view(document: Any) -> PricesView:
    """The page's view of clinic.yaml's components and bundles (ruamel round-trip data)."""
    components = document["components"]
    values: dict[str, str] = {}
    groups: list[ComponentGroup] = []
    for key, component in components.items():
        heading = heading_before(components, key)
        if heading is not None or not groups:
            groups.append(ComponentGroup(heading or "Parts", []))
        ranged = "price" not in component
        groups[-1].components.append(ComponentRow(key, ranged))
        path = f"components.{key}"
        values[f"{path}.name"] = str(component.get("name", ""))
        for field in ("min", "max") if ranged else ("price",):
            values[f"{path}.{field}"] = _written(component.get(field))
        values[f"{path}.per"] = str(component.get("per", DEFAULT_PER))
    bundles = []
    for key, bundle in document["bundles"].items():
        bundles.append(BundleRow(key, [str(part) for part in bundle.get("parts", [])]))
        values[f"bundles.{key}.name"] = str(bundle.get("name", ""))
    currency = Currency.model_validate(dict(document["clinic"]["currency"]))
    return PricesView(groups, bundles, values, currency)


#: The checker's words for a range that runs backwards, and the page's plainer ones.
_BACKWARDS_RANGE = re.compile(r"^min (?P<low>[\d.]+) is greater than max (?P<high>[\d.]+)$")


def in_plain_words(message: str) -> str:
    """A checker's message as the page's labels say it ("From" and "To", not min and max)."""
    backwards = _BACKWARDS_RANGE.match(message)
    if backwards is not None:
        return (
            f"“From” ({backwards['low']}) is more than “To” ({backwards['high']}): "
            "the lowest price must not be above the highest"
        )
    return message


def _written(value: object) -> str:
    return "" if value is None else str(value)


def bundle_total(bundle: BundleRow, values: Mapping[str, str]) -> PriceRange | None:
    """The bundle's total for one unit from the shown values; None if a part's price is unclear."""
    total = ZERO
    for part in bundle.parts:
        path = f"components.{part}"
        try:
            if f"{path}.price" in values:
                low = high = Decimal(values[f"{path}.price"])
            else:
                low, high = Decimal(values[f"{path}.min"]), Decimal(values[f"{path}.max"])
        except (KeyError, InvalidOperation):
            return None
        total += PriceRange(low, high)
    return total


def _show(
    visit: Visit,
    view: PricesView,
    values: Mapping[str, str],
    base_hash: str,
    *,
    errors: Mapping[str | None, list[str]] | None = None,
    notice: str = "",
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    shown = _shown_at_fields(errors or {}, view)
    totals = {}
    for bundle in view.bundles:
        total = bundle_total(bundle, values)
        totals[bundle.key] = "?" if total is None else format_range(total, view.currency)
    return render(
        visit.request,
        "prices.html",
        {
            "view": view,
            "values": values,
            "totals": totals,
            "errors": shown,
            "general_errors": shown.get(None, []),
            "base_hash": base_hash,
            "notice": notice,
            "conflict": conflict,
            "per_choices": PER_CHOICES,
            "file": CLINIC_FILE,
        },
        visit=visit,
        status_code=status_code,
    )


def _shown_at_fields(
    errors: Mapping[str | None, list[str]], view: PricesView
) -> dict[str | None, list[str]]:
    """Errors by the field the page shows them at; any other place's go to the top, named."""
    places = {*view.values}
    places |= {f"components.{row.key}" for group in view.groups for row in group.components}
    places |= {f"bundles.{bundle.key}" for bundle in view.bundles}
    shown: dict[str | None, list[str]] = {}
    for field, messages in errors.items():
        if field is None or field in places:
            shown.setdefault(field, []).extend(messages)
        else:
            shown.setdefault(None, []).extend(f"{field}: {message}" for message in messages)
    return shown


class ClinicFileUnreadable(Exception):
    """clinic.yaml cannot be shown as prices (broken YAML, or no components or bundles)."""


def _open_clinic(editor: DocumentEditor) -> tuple[PricesView, str]:
    """The page's view of clinic.yaml as it is now, and the hash a form must carry."""
    text, base_hash = editor.current(CLINIC_FILE)
    try:
        return prices_view(read_document(text)), base_hash
    except (YAMLError, KeyError, TypeError, AttributeError, ValidationError) as error:
        raise ClinicFileUnreadable(CLINIC_FILE) from error


def _unreadable(visit: Visit) -> Response:
    return render(
        visit.request, "file_unreadable.html", {"file": CLINIC_FILE}, visit=visit, status_code=503
    )


async def show_prices(visit: Visit) -> Response:
    """The parts and bundles with their current prices."""
    try:
        view, base_hash = _open_clinic(services_of(visit.request).editor)
    except ClinicFileUnreadable:
        return _unreadable(visit)
    saved = visit.request.query_params.get("saved")
    notice = ""
    if saved == "0":
        notice = "Nothing was changed."
    elif saved:
        notice = f"Saved as revision {saved}. The bot quotes the new prices within a few seconds."
    return _show(visit, view, view.values, base_hash, notice=notice)


async def save_prices(visit: Visit) -> Response:
    """Save the changed fields: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        view, _ = _open_clinic(services.editor)
    except ClinicFileUnreadable:
        return _unreadable(visit)
    submitted = {path: str(visit.form.get(path, view.values[path])) for path in view.editable()}
    edits = {path: value for path, value in submitted.items() if value != view.values[path]}
    base_hash = str(visit.form.get("base_hash", ""))
    outcome = await save_form(
        services.editor, visit.manager.id, CLINIC_FILE, base_hash, edits, in_plain_words
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
    return RedirectResponse(f"/prices?saved={outcome.revision_id or 0}", status_code=303)


def page(managers: Guard) -> Page:
    """The Prices page and its routes."""
    return Page(
        "Prices",
        "/prices",
        [
            Route("/prices", managers(show_prices)),
            Route("/prices", managers(save_prices), methods=["POST"]),
        ],
    )
