"""Bundles to itemised parts and an honest total range, written in the clinic's currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.models import Bundle, Component, Currency


@dataclass(frozen=True)
class PriceRange:
    """What something costs: a single figure when low equals high."""

    low: Decimal
    high: Decimal

    def __add__(self, other: PriceRange) -> PriceRange:
        return PriceRange(self.low + other.low, self.high + other.high)


@dataclass(frozen=True)
class PricedPart:
    """One line of a bundle: the part's name and what it costs."""

    name: str
    price: PriceRange


@dataclass(frozen=True)
class BundleQuote:
    """Every part of a bundle and the total the patient will pay."""

    name: str
    parts: tuple[PricedPart, ...]
    total: PriceRange


def quote_bundle(bundle: Bundle, components: dict[str, Component]) -> BundleQuote:
    """Price every part of a bundle and add them up."""
    parts = tuple(
        PricedPart(components[key].name, PriceRange(components[key].low, components[key].high))
        for key in bundle.parts
    )
    total = PriceRange(Decimal(0), Decimal(0))
    for part in parts:
        total = total + part.price
    return BundleQuote(bundle.name, parts, total)


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


def format_parts(quote: BundleQuote, currency: Currency) -> str:
    """One bullet line per part, each with its price."""
    return "\n".join(
        f"• {part.name}: {format_range(part.price, currency)}" for part in quote.parts
    )
