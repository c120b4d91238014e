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
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.models import Currency
from bot.pricing import ZERO, PriceRange, format_range
from bot.web.auth import Guard, Visit
from bot.web.documents import REMOVE, EditValue, heading_before, read_document
from bot.web.editor import DocumentEditor
from bot.web.forms import Refused, save_form
from bot.web.pages import Page, render, services_of

log = logging.getLogger(__name__)

CLINIC_FILE = "replies/clinic.yaml"
#: How `per` reads when a component does not say (the loader's default: never under-quote).
DEFAULT_PER = "tooth"
PER_CHOICES = (("tooth", "for each tooth (or unit)"), ("visit", "once per visit or course"))
#: How a part is priced: the control's value, and its label.
KIND_CHOICES = (("single", "One price"), ("range", "A range, from … to …"))


@dataclass(frozen=True)
class ComponentRow:
    """One billable part as the page shows it."""

    key: str
    ranged: bool  # min..max, or one price, as the file has it now

    @property
    def kind_control(self) -> str:
        """The name of the control that switches between one price and a range."""
        return f"kind:components.{self.key}"


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
        """Every one-value field path the page's form may change."""
        return list(self.values)

    def components(self) -> list[ComponentRow]:
        """Every part, in the file's order."""
        return [row for group in self.groups for row in group.components]


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
        for field in ("price", "min", "max"):
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
    if message.startswith("List should have at least 1 item"):
        return "a service needs at least one part the patient pays for"
    if message.startswith("Input should be a valid decimal"):
        return "write the price as a whole number, like 1500"
    backwards = _BACKWARDS_RANGE.match(message)
    if backwards is not None:
        return (
            f"“From” ({backwards['low']}) is more than “To” ({backwards['high']}): "
            "the lowest price must not be above the highest"
        )
    return message


def _written(value: object) -> str:
    return "" if value is None else str(value)


def bundle_total(
    parts: list[str], values: Mapping[str, str], kinds: Mapping[str, str]
) -> PriceRange | None:
    """A bundle's total for one unit from the shown values; None if a part's price is unclear."""
    total = ZERO
    for part in parts:
        path = f"components.{part}"
        try:
            if kinds.get(part) == "single":
                low = high = Decimal(values[f"{path}.price"])
            else:
                low, high = Decimal(values[f"{path}.min"]), Decimal(values[f"{path}.max"])
        except (KeyError, InvalidOperation):
            return None
        total += PriceRange(low, high)
    return total


@dataclass(frozen=True)
class PricesForm:
    """What the form holds: each field's text, each part's kind, each bundle's parts."""

    values: dict[str, str]
    kinds: dict[str, str]
    parts: dict[str, list[str]]

    @classmethod
    def unchanged(cls, view: PricesView) -> PricesForm:
        """The form as the page first shows it."""
        kinds = {row.key: "range" if row.ranged else "single" for row in view.components()}
        return cls(dict(view.values), kinds, {bundle.key: bundle.parts for bundle in view.bundles})

    @classmethod
    def submitted(cls, view: PricesView, form: FormData) -> PricesForm:
        """What the form sent; the old value of anything it did not send."""
        first = cls.unchanged(view)
        values = {path: str(form.get(path, old)).strip() for path, old in first.values.items()}
        kinds = {
            key: kind if (kind := str(form.get(f"kind:components.{key}", old))) in _KINDS else old
            for key, old in first.kinds.items()
        }
        for key, kind in kinds.items():  # a part switched over starts from its old price
            base = f"components.{key}"
            if kind == "range" and first.kinds[key] == "single":
                for field in ("min", "max"):
                    values[f"{base}.{field}"] = (
                        values[f"{base}.{field}"] or values[f"{base}.price"]
                    )
            elif (
                kind == "single"
                and first.kinds[key] == "range"
                and not values[f"{base}.price"]
                and values[f"{base}.min"] == values[f"{base}.max"]
            ):
                values[f"{base}.price"] = values[f"{base}.min"]
        known = set(first.kinds)
        parts = {}
        for key, old in first.parts.items():
            path = f"bundles.{key}.parts"
            if path not in form:
                parts[key] = old
                continue
            chosen = [str(part) for part in form.getlist(path) if str(part) in known]
            kept = [part for part in old if part in chosen]  # the file's order, new parts after
            parts[key] = kept + [part for part in dict.fromkeys(chosen) if part not in kept]
        return cls(values, kinds, parts)

    def edits(self, view: PricesView) -> dict[str, EditValue]:
        """Only what changed, with a part switched between one price and a range rewritten."""
        before = PricesForm.unchanged(view)
        edits: dict[str, EditValue] = {}
        for path, value in self.values.items():
            if not path.endswith((".price", ".min", ".max")) and value != view.values[path]:
                edits[path] = value
        for key, kind in self.kinds.items():
            base = f"components.{key}"
            kept, dropped = (
                (("price",), ("min", "max")) if kind == "single" else (("min", "max"), ("price",))
            )
            for field in kept:
                path = f"{base}.{field}"
                if self.values[path] != view.values[path] or kind != before.kinds[key]:
                    edits[path] = self.values[path]
            if kind != before.kinds[key]:
                edits.update({f"{base}.{field}": REMOVE for field in dropped})
        for key, parts in self.parts.items():
            if parts != before.parts[key]:
                edits[f"bundles.{key}.parts"] = parts
        return edits


_KINDS = {kind for kind, _ in KIND_CHOICES}


def _show(
    visit: Visit,
    view: PricesView,
    filled: PricesForm,
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
        total = bundle_total(filled.parts[bundle.key], filled.values, filled.kinds)
        totals[bundle.key] = "?" if total is None else format_range(total, view.currency)
    return render(
        visit.request,
        "prices.html",
        {
            "view": view,
            "values": filled.values,
            "kinds": filled.kinds,
            "parts": filled.parts,
            "names": {
                row.key: filled.values[f"components.{row.key}.name"] for row in view.components()
            },
            "totals": totals,
            "errors": shown,
            "general_errors": shown.get(None, []),
            "base_hash": base_hash,
            "notice": notice,
            "conflict": conflict,
            "per_choices": PER_CHOICES,
            "kind_choices": KIND_CHOICES,
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
    places |= {f"components.{row.key}" for row in view.components()}
    places |= {f"bundles.{bundle.key}" for bundle in view.bundles}
    places |= {f"bundles.{bundle.key}.parts" for bundle in view.bundles}
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
    return _show(visit, view, PricesForm.unchanged(view), base_hash, notice=notice)


async def save_prices(visit: Visit) -> Response:
    """Save the changed fields: checked with all the data first, or shown back with errors."""
    assert visit.form is not None
    services = services_of(visit.request)
    try:
        view, _ = _open_clinic(services.editor)
    except ClinicFileUnreadable:
        return _unreadable(visit)
    filled = PricesForm.submitted(view, visit.form)
    edits = filled.edits(view)
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
