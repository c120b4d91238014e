"""Every service reply names each part of its bundle and the honest total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.dialogue import Brain
from bot.loader import Knowledge
from bot.models import SERVICE_INTENTS, Currency
from bot.pricing import PriceRange, format_amount, format_range

USD = Currency(code="USD", symbol="$")


def test_amounts_are_written_with_thousands_and_cents_only_when_needed() -> None:
    assert format_amount(Decimal("1250"), USD) == "$1,250"
    assert format_amount(Decimal("89.5"), USD) == "$89.50"


def test_a_range_shows_both_ends_and_zero_reads_free() -> None:
    assert format_range(PriceRange(Decimal(900), Decimal(1600)), USD) == "$900–$1,600"
    assert format_range(PriceRange(Decimal(60), Decimal(60)), USD) == "$60"
    assert format_range(PriceRange(Decimal(0), Decimal(0)), USD) == "free"


@pytest.mark.parametrize("intent", SERVICE_INTENTS)
def test_service_reply_names_every_part_and_the_right_total(
    intent: str, knowledge: Knowledge, brain: Brain
) -> None:
    bundle = knowledge.bundles[knowledge.services[intent].bundle]
    components = [knowledge.components[part] for part in bundle.parts]
    low = sum((c.price if c.price is not None else c.min for c in components), Decimal(0))
    high = sum((c.price if c.price is not None else c.max for c in components), Decimal(0))
    reply = brain.replies.service(intent, turn=0)
    for component in components:
        assert component.name in reply
    total = f"${low:,.0f}" if low == high else f"${low:,.0f}–${high:,.0f}"
    assert total in reply


def test_implant_total_includes_the_xray_and_the_crown(knowledge: Knowledge) -> None:
    parts = knowledge.bundles["implants"].parts
    assert "panoramic_xray" in parts
    assert any("crown" in part for part in parts)
    assert "implant" in parts


def test_root_canal_total_includes_anesthesia_exam_canal_and_restoration(
    knowledge: Knowledge,
) -> None:
    names = " ".join(
        knowledge.components[part].name.lower() for part in knowledge.bundles["root_canal"].parts
    )
    for needed in ("anesthesia", "exam", "root canal", "restoration"):
        assert needed in names


@pytest.mark.parametrize("intent", SERVICE_INTENTS)
def test_service_reply_follows_the_script_and_never_says_from(intent: str, brain: Brain) -> None:
    first, second = brain.replies.service(intent, 0), brain.replies.service(intent, 1)
    assert first != second
    for reply in (first, second):
        assert "from $" not in reply.lower()
        assert reply.rstrip().endswith("?")
        assert "review" not in reply.lower()
