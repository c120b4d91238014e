"""Every service reply names each part of its bundle and the honest total."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from pydantic import ValidationError

from bot.core import Brain, FrontDesk
from bot.loader import Knowledge
from bot.models import SERVICE_INTENTS, Bundle, Component, Currency, Discount
from bot.pricing import (
    PriceRange,
    format_amount,
    format_parts,
    format_range,
    format_together,
    quote_bundle,
    quote_together,
    with_discounts,
)
from tests.conftest import REPLIES

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


def part(name: str, low: int, high: int | None = None, per: str = "tooth") -> Component:
    """A hand-made component: a fixed price, or a range when high is given."""
    if high is None:
        return Component.model_validate({"name": name, "price": low, "per": per})
    return Component.model_validate({"name": name, "min": low, "max": high, "per": per})


SMALL = {
    "exam": part("Exam", 100, per="visit"),
    "xray": part("Panoramic X-ray", 50, per="visit"),
    "numbing": part("Anesthesia", 20),
    "filling": part("Filling", 100, 200),
    "crown": part("Crown", 1000, 1500),
    "cleaning": part("Cleaning", 80, per="visit"),
}
FILLING = Bundle(name="Filling", parts=["exam", "xray", "numbing", "filling"])
CROWN = Bundle(name="Crown", parts=["exam", "xray", "numbing", "crown"])
CLEANING = Bundle(name="Cleaning", parts=["exam", "cleaning"])


def rendered(knowledge: Knowledge, *items: tuple[str, int]) -> str:
    """The combined answer for shipped bundles at their quantities."""
    combined = quote_together(
        [(knowledge.bundles[name], quantity) for name, quantity in items], knowledge.components
    )
    return format_together(combined, knowledge.clinic.currency)


def test_a_component_that_does_not_say_per_is_charged_per_tooth() -> None:
    assert Component(name="Forgotten X-ray", price=Decimal(30)).per == "tooth"


def test_a_per_value_other_than_tooth_or_visit_is_refused() -> None:
    with pytest.raises(ValidationError, match="'tooth' or 'visit'"):
        Component.model_validate({"name": "Denture", "price": 1, "per": "jaw"})


def test_every_shipped_component_says_per_tooth_or_per_visit_explicitly() -> None:
    document = yaml.safe_load((REPLIES / "clinic.yaml").read_text())
    for key, component in document["components"].items():
        assert component.get("per") in ("tooth", "visit"), key


def test_scans_exams_and_cleanings_are_per_visit_and_work_on_a_tooth_is_per_tooth(
    knowledge: Knowledge,
) -> None:
    per = {key: component.per for key, component in knowledge.components.items()}
    for key in ("exam", "panoramic_xray", "cbct_scan", "sedation", "hygiene_cleaning", "braces"):
        assert per[key] == "visit", key
    for key in (
        "local_anesthesia",
        "rubber_dam",
        "periapical_xray",
        "control_xrays",
        "crown_buildup",
        "implant",
        "abutment",
        "implant_crown",
        "impressions",
        "filling_composite",
        "sealants",
        "simple_extraction",
        "complete_denture",
    ):
        assert per[key] == "tooth", key


def test_one_tooth_is_quoted_and_written_exactly_as_before() -> None:
    quote = quote_bundle(FILLING, SMALL)
    assert quote == quote_bundle(FILLING, SMALL, quantity=1)
    assert all(p.quantity == 1 for p in quote.parts)
    assert format_parts(quote, USD) == (
        "• Exam: $100\n• Panoramic X-ray: $50\n• Anesthesia: $20\n• Filling: $100–$200"
    )
    assert quote.total == PriceRange(Decimal(270), Decimal(370))


def test_three_fillings_triple_the_filling_and_the_anesthesia_but_not_the_exam() -> None:
    quote = quote_bundle(FILLING, SMALL, quantity=3)
    assert format_parts(quote, USD).splitlines() == [
        "• Exam: $100",
        "• Panoramic X-ray: $50",
        "• Anesthesia x 3: $60",
        "• Filling x 3: $300–$600",
    ]
    assert quote.total == PriceRange(Decimal(510), Decimal(810))
    assert quote.quantity == 3


def test_two_implants_count_the_scan_once_and_the_crown_twice(knowledge: Knowledge) -> None:
    quote = quote_bundle(knowledge.bundles["implants"], knowledge.components, quantity=2)
    lines = format_parts(quote, USD).splitlines()
    assert "• CBCT 3D scan: $350" in lines
    assert "• Panoramic X-ray (with a digital copy): $120" in lines
    assert "• Comprehensive exam and consultation: $95" in lines
    assert "• Crown on the implant (by material) x 2: $2,400–$3,600" in lines
    assert "• Implant placement (by implant system) x 2: $3,000–$4,800" in lines
    assert "• Abutment (stock or custom) x 2: $900–$1,300" in lines
    assert format_range(quote.total, USD) == "$7,115–$10,515"


def test_a_quantity_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        quote_bundle(FILLING, SMALL, quantity=0)
    with pytest.raises(ValueError, match="at least 1"):
        quote_together([(FILLING, 1), (CROWN, -1)], SMALL)


def test_quoting_nothing_together_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to quote"):
        quote_together([], SMALL)


def test_a_filling_and_a_crown_share_the_exam_and_xray_but_each_tooth_is_numbed() -> None:
    combined = quote_together([(FILLING, 1), (CROWN, 1)], SMALL)
    # exam 100 + X-ray 50 once; anesthesia 20 twice; filling 100-200; crown 1000-1500
    assert combined.total == PriceRange(Decimal(1290), Decimal(1890))
    assert [p.name for p in combined.shared] == ["Exam", "Panoramic X-ray"]
    assert [q.total for q in combined.quotes] == [
        quote_bundle(FILLING, SMALL).total,
        quote_bundle(CROWN, SMALL).total,
    ]


def test_per_tooth_parts_add_up_across_services_at_their_quantities() -> None:
    combined = quote_together([(FILLING, 2), (CROWN, 1), (CLEANING, 1)], SMALL)
    # once: exam 100, X-ray 50, cleaning 80; anesthesia 3 x 20; fillings 2 x 100-200; crown
    assert combined.total == PriceRange(Decimal(1490), Decimal(2190))
    assert [p.name for p in combined.shared] == ["Exam", "Panoramic X-ray"]


def test_one_service_together_costs_what_it_costs_on_its_own(knowledge: Knowledge) -> None:
    for bundle in knowledge.bundles.values():
        for quantity in (1, 2, 3):
            alone = quote_bundle(bundle, knowledge.components, quantity)
            together = quote_together([(bundle, quantity)], knowledge.components)
            assert together.total == alone.total, (bundle.name, quantity)
            assert together.quotes == (alone,)


def test_nothing_is_counted_once_for_a_single_tooth_of_a_single_service() -> None:
    assert quote_together([(FILLING, 1)], SMALL).shared == ()


def test_a_per_visit_part_a_bundle_lists_twice_is_still_charged_twice() -> None:
    two_visits = Bundle(name="Denture", parts=["exam", "crown", "exam"])
    combined = quote_together([(two_visits, 1), (FILLING, 1)], SMALL)
    alone = quote_bundle(two_visits, SMALL).total + quote_bundle(FILLING, SMALL).total
    assert combined.total == PriceRange(alone.low - 100, alone.high - 100)
    assert [(p.name, p.quantity) for p in combined.shared] == [("Exam", 2)]


def test_a_root_canal_and_a_crown_count_the_exam_once_and_numb_the_tooth_twice(
    knowledge: Knowledge,
) -> None:
    bundles = knowledge.bundles
    combined = quote_together(
        [(bundles["root_canal"], 1), (bundles["crowns"], 1)], knowledge.components
    )
    assert format_range(combined.total, USD) == "$2,730–$3,930"
    assert [p.name for p in combined.shared] == ["Comprehensive exam and consultation"]


def test_the_combined_answer_puts_the_total_first_then_each_service_then_what_counts_once(
    knowledge: Knowledge,
) -> None:
    text = rendered(knowledge, ("root_canal", 1), ("crowns", 1))
    blocks = text.split("\n\n")
    assert blocks[0] == (
        "Altogether: $2,730–$3,930 for root canal treatment with build-up and ceramic crown"
    )
    assert blocks[1].startswith("Root canal treatment with build-up: $1,205–$1,905\n")
    assert "• Root canal treatment (by number of canals): $700–$1,400" in blocks[1]
    assert blocks[2].startswith("Ceramic crown: $1,620–$2,120\n")
    assert blocks[2].count("• Comprehensive exam and consultation: $95") == 1
    assert (
        blocks[3] == "Counted once for the whole treatment: Comprehensive exam and consultation."
    )
    assert "*" not in text and "_" not in text


def test_the_two_implant_answer_names_the_total_every_part_and_the_shared_scans(
    knowledge: Knowledge,
) -> None:
    text = rendered(knowledge, ("implants", 2))
    assert text.startswith("Altogether: $7,115–$10,515 for implant with crown x 2\n\n• ")
    for component in (knowledge.components[key] for key in knowledge.bundles["implants"].parts):
        assert component.name in text
    assert "• Implant placement (by implant system) x 2: $3,000–$4,800" in text
    assert text.endswith(
        "Counted once for the whole treatment: Comprehensive exam and consultation; "
        "Panoramic X-ray (with a digital copy); CBCT 3D scan."
    )


def test_two_fillings_and_a_cleaning_come_to_one_total_with_the_exam_once(
    knowledge: Knowledge,
) -> None:
    text = rendered(knowledge, ("filling", 2), ("hygiene", 1))
    assert text.startswith(
        "Altogether: $800–$1,140 for composite filling x 2 and professional cleaning\n\n"
    )
    assert "Composite filling x 2: $575–$915" in text
    assert "• Composite filling (by size) x 2: $300–$640" in text
    assert "• Professional cleaning (scaling and polishing): $130" in text


def test_the_combined_answer_is_written_in_the_clinics_currency() -> None:
    euro = Currency(code="EUR", symbol="€")
    text = format_together(quote_together([(FILLING, 2), (CLEANING, 1)], SMALL), euro)
    assert text.startswith("Altogether: €470–€670 for filling x 2 and cleaning")
    assert "$" not in text


CHILDREN = Discount(
    who="Children under 14",
    what="15% on cleaning and fluoride",
    percent=Decimal(15),
    age_below=14,
    applies_to=["child_cleaning", "fluoride"],
)
CHILD_VISIT = Bundle(name="Child's first visit", parts=["exam", "child_cleaning", "fluoride"])
CHILD_PARTS = {
    "exam": Component(name="Exam", price=Decimal(75), per="visit"),
    "child_cleaning": Component(name="Children's cleaning", price=Decimal(85), per="visit"),
    "fluoride": Component(name="Fluoride varnish", price=Decimal(35), per="visit"),
}


def test_a_discount_is_taken_off_the_parts_it_covers_and_shown_as_a_line() -> None:
    quote = with_discounts(quote_bundle(CHILD_VISIT, CHILD_PARTS), [CHILDREN], age=6)
    assert quote.total == PriceRange(Decimal(177), Decimal(177))
    assert format_parts(quote, USD).splitlines()[-1] == (
        "• Children under 14: 15% off children's cleaning and fluoride varnish: −$18"
    )


@pytest.mark.parametrize("age", [None, 14, 40])
def test_no_discount_when_the_age_is_unknown_or_does_not_fit(age: float | None) -> None:
    quote = with_discounts(quote_bundle(CHILD_VISIT, CHILD_PARTS), [CHILDREN], age=age)
    assert quote.total == PriceRange(Decimal(195), Decimal(195)) and quote.discounts == ()


def test_a_discount_nobody_can_be_seen_to_qualify_for_is_never_applied() -> None:
    students = Discount(
        who="Students", what="10% on cleaning", percent=Decimal(10), applies_to=["fluoride"]
    )
    quote = quote_bundle(CHILD_VISIT, CHILD_PARTS)
    assert with_discounts(quote, [students], age=20).discounts == ()


def test_whitening_counts_a_named_polishing_not_the_full_cleaning(knowledge: Knowledge) -> None:
    parts = knowledge.bundles["whitening"].parts
    assert "hygiene_cleaning" not in parts
    polishing = knowledge.components["polishing_before_whitening"]
    assert "lighter than a full hygiene cleaning" in polishing.name


def test_a_child_s_cleaning_quote_shows_the_discount(brain: Brain) -> None:
    reply = brain.replies.facet("children", "price", 0, age=6) or ""
    assert "15% off" in reply and "−$18" in reply and "$177" in reply
    assert "15% off" not in (brain.replies.facet("children", "price", 0) or "")


def test_a_free_service_is_said_to_be_free_not_to_come_to_free(brain: Brain) -> None:
    reply = brain.replies.service("free_checkup", 0, "total")
    assert "is free" in reply and "comes to free" not in reply


def test_the_price_list_is_grouped_and_shows_every_part_and_every_treatment(
    brain: Brain, knowledge: Knowledge
) -> None:
    listed = brain.replies.facts["price_list"]
    for script in knowledge.services.values():
        assert f"{script.group}:" in listed
        assert f"• {knowledge.bundles[script.bundle].name}:" in listed
    for component in knowledge.components.values():
        assert f"• {component.name}:" in listed  # "see our price list" always finds it


async def test_a_price_asked_after_naming_the_treatment_elsewhere_is_that_treatment_s(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        "console:quote",
        "Hello. My dentist has planned three veneers at 900 each for me. Would you tell me"
        " your price and what is in it?",
    )
    assert outcome.intent == "veneers"  # not the whole price list
    reply = "\n".join(message.text for message in outcome.messages)
    assert "x 3" in reply and not reply.startswith("Yes")
