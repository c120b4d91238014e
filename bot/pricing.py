"""Bundles to itemised parts and an honest total range, written in the clinic's currency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.models import Bundle, Component, Currency, Discount


@dataclass(frozen=True)
class PriceRange:
    """What something costs: a single figure when low equals high."""

    low: Decimal
    high: Decimal

    def __add__(self, other: PriceRange) -> PriceRange:
        return PriceRange(self.low + other.low, self.high + other.high)

    def __mul__(self, times: int) -> PriceRange:
        return PriceRange(self.low * times, self.high * times)


@dataclass(frozen=True)
class PricedPart:
    """One line of a bundle: the part's name, how many units, and what they all cost."""

    name: str
    price: PriceRange
    quantity: int = 1
    key: str = ""  # the component in clinic.yaml


@dataclass(frozen=True)
class DiscountLine:
    """A discount the clinic set, taken off a quote: who it is for, the parts, the amount."""

    who: str
    percent: Decimal
    parts: tuple[str, ...]
    amount: PriceRange


@dataclass(frozen=True)
class BundleQuote:
    """Every part of a bundle and the total the patient will pay, for `quantity` units."""

    name: str
    parts: tuple[PricedPart, ...]
    total: PriceRange
    quantity: int = 1
    discounts: tuple[DiscountLine, ...] = ()


@dataclass(frozen=True)
class CombinedQuote:
    """Several services together; per-visit parts they share are counted once in `total`."""

    quotes: tuple[BundleQuote, ...]  # each service on its own, at its quantity
    shared: tuple[PricedPart, ...]  # per-visit parts several services or teeth share
    total: PriceRange


ZERO = PriceRange(Decimal(0), Decimal(0))


def _unit_price(component: Component) -> PriceRange:
    return PriceRange(component.low, component.high)


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, not {quantity}")


def quote_bundle(
    bundle: Bundle, components: Mapping[str, Component], quantity: int = 1
) -> BundleQuote:
    """Price every part of a bundle for `quantity` teeth: per-tooth parts times it, others once."""
    _check_quantity(quantity)
    parts = []
    for key in bundle.parts:
        component = components[key]
        units = quantity if component.per == "tooth" else 1
        parts.append(PricedPart(component.name, _unit_price(component) * units, units, key))
    total = ZERO
    for part in parts:
        total = total + part.price
    return BundleQuote(bundle.name, tuple(parts), total, quantity)


CENT = Decimal("0.01")


def with_discounts(
    quote: BundleQuote, discounts: Sequence[Discount], age: float | None
) -> BundleQuote:
    """The quote with every discount the clinic set for a patient of this age taken off."""
    lines = []
    total = quote.total
    for discount in discounts:
        if discount.percent is None or not discount.fits(age):
            continue
        covered = [part for part in quote.parts if part.key in discount.applies_to]
        if not covered:
            continue
        base = ZERO
        for part in covered:
            base = base + part.price
        share = discount.percent / 100
        amount = PriceRange((base.low * share).quantize(CENT), (base.high * share).quantize(CENT))
        lines.append(
            DiscountLine(discount.who, discount.percent, tuple(p.name for p in covered), amount)
        )
        total = PriceRange(total.low - amount.low, total.high - amount.high)
    if not lines:
        return quote
    return replace(quote, discounts=tuple(lines), total=total)


def quote_together(
    items: Sequence[tuple[Bundle, int]], components: Mapping[str, Component]
) -> CombinedQuote:
    """Price bundles as one treatment: per-tooth parts add up, per-visit ones count once."""
    if not items:
        raise ValueError("nothing to quote: give at least one bundle")
    quotes = tuple(quote_bundle(bundle, components, quantity) for bundle, quantity in items)
    total = ZERO
    # A per-visit part is charged as often as the one bundle listing it most often (normally
    # once), however many bundles or teeth need it.
    visits: dict[str, int] = {}  # per-visit component -> times charged, in order of first use
    listed: dict[str, int] = {}  # per-visit component -> times it would be charged separately
    for bundle, quantity in items:
        for key in bundle.parts:
            component = components[key]
            if component.per == "tooth":
                total = total + _unit_price(component) * quantity
            else:
                visits[key] = max(visits.get(key, 0), bundle.parts.count(key))
                listed[key] = listed.get(key, 0) + 1
    for key, times in visits.items():
        total = total + _unit_price(components[key]) * times
    shared = tuple(
        PricedPart(components[key].name, _unit_price(components[key]) * times, times)
        for key, times in visits.items()
        if listed[key] > times or any(q > 1 and key in b.parts for b, q in items)
    )
    return CombinedQuote(quotes, shared, total)


def format_amount(amount: Decimal, currency: Currency) -> str:
    """Write an amount like $1,250 or $89.50 (cents only when there are any)."""
    if amount == amount.to_integral_value():
        digits = f"{int(amount):,}"
    else:
        digits = f"{amount.quantize(Decimal('0.01')):,}"
    return f"{currency.symbol}{digits}"


def format_range(price: PriceRange, currency: Currency) -> str:
    """Write a range like $900-$1,600, a single figure, or "free"."""
    if price.high == 0:
        return "free"
    if price.low == price.high:
        return format_amount(price.low, currency)
    return f"{format_amount(price.low, currency)}–{format_amount(price.high, currency)}"


def _times(name: str, quantity: int) -> str:
    return name if quantity == 1 else f"{name} x {quantity}"


def format_parts(quote: BundleQuote, currency: Currency) -> str:
    """One bullet line per part with the price of all its units ("• Implant x 2: $3,000"),
    then a line per discount taken off ("• Children under 14: 15% off ...: −$18")."""
    lines = [
        f"• {_times(part.name, part.quantity)}: {format_range(part.price, currency)}"
        for part in quote.parts
    ]
    for line in quote.discounts:
        on = listed([in_a_sentence(name) for name in line.parts])
        percent = f"{line.percent.normalize():f}"
        lines.append(f"• {line.who}: {percent}% off {on}: −{format_range(line.amount, currency)}")
    return "\n".join(lines)


def in_a_sentence(name: str) -> str:
    """A name as it reads mid-sentence: "Ceramic crown" -> "ceramic crown", "CBCT" kept."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def listed(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def format_together(combined: CombinedQuote, currency: Currency) -> str:
    """The combined answer for a phone: total first, each service's parts, what counts once."""
    services = [in_a_sentence(_times(q.name, q.quantity)) for q in combined.quotes]
    blocks = [f"Altogether: {format_range(combined.total, currency)} for {listed(services)}"]
    if len(combined.quotes) == 1:
        blocks.append(format_parts(combined.quotes[0], currency))
    else:
        blocks.extend(
            f"{_times(q.name, q.quantity)}: {format_range(q.total, currency)}\n"
            f"{format_parts(q, currency)}"
            for q in combined.quotes
        )
    if combined.shared:
        names = "; ".join(part.name for part in combined.shared)
        blocks.append(f"Counted once for the whole treatment: {names}.")
    return "\n\n".join(blocks)
