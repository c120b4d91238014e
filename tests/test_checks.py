"""`frontdesk check` as a linter: each rule catches a seeded mistake and passes shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checks import _pressure_words, load_checked, pressure_in
from bot.loader import load_knowledge
from tests.test_loader import new_problems


def problems(data: tuple[Path, Path], severity: str = "error") -> list[str]:
    """The problems of one severity, as printed."""
    _, found = load_checked(*data)
    return [str(problem) for problem in found if problem.severity == severity]


def edit(path: Path, old: str, new: str) -> int:
    """Replace text once; returns the line of the edit."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def append_examples(path: Path, intent: str, examples: list[str]) -> int:
    """Add examples at the top of an intent's list; returns the line of the first."""
    text = path.read_text()
    at = text.index("    examples:\n", text.index(f"- name: {intent}\n")) + len("    examples:\n")
    path.write_text(text[:at] + "".join(f"      - {e}\n" for e in examples) + text[at:])
    return text[:at].count("\n") + 1


def test_shipped_data_has_no_errors_and_no_warnings(data_copy: tuple[Path, Path]) -> None:
    _, found = load_checked(*data_copy)
    assert found == []


def test_an_example_that_belongs_to_another_intent_is_flagged(
    data_copy: tuple[Path, Path],
) -> None:
    intents, _ = data_copy
    line = append_examples(intents / "practical.yaml", "hours", ["how much is a dental implant"])
    warnings = problems(data_copy, "warning")
    assert any(
        f"practical.yaml:{line}:" in w and "matches 'implants' better" in w for w in warnings
    ), warnings


def test_too_few_examples_is_a_warning(data_copy: tuple[Path, Path]) -> None:
    intents, _ = data_copy
    text = (intents / "conversation.yaml").read_text()
    start = text.index("- name: thanks")
    examples_at = text.index("    examples:\n", start) + len("    examples:\n")
    end = text.index("  - name:", examples_at)
    kept = "".join(text[examples_at:end].splitlines(keepends=True)[:5])
    (intents / "conversation.yaml").write_text(text[:examples_at] + kept + text[end:])
    assert any("'thanks' has only 5 examples" in w for w in problems(data_copy, "warning"))


def test_near_duplicate_examples_are_a_warning(data_copy: tuple[Path, Path]) -> None:
    intents, _ = data_copy
    append_examples(
        intents / "services.yaml",
        "whitening",
        [
            "how much does teeth whitening cost at your clinic",
            "how much does teeth whitening cost at your clinc",
        ],
    )
    assert any("nearly repeats" in w for w in problems(data_copy, "warning"))


def test_service_reply_missing_a_script_part_is_an_error(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    text = (replies / "services.yaml").read_text()
    start = text.index("    honesty:", text.index("  implants:"))
    end = text.index("    question:", start)
    (replies / "services.yaml").write_text(text[:start] + text[end:])
    assert any("services.implants.honesty: required but missing" in e for e in problems(data_copy))


def test_from_a_price_without_the_total_is_an_error(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    edit(replies / "services.yaml", ": {total}", ": from {total}")
    assert any("says 'from' a price" in e for e in problems(data_copy))


def test_a_bundle_that_leaves_out_the_crown_is_an_error(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    text = (replies / "clinic.yaml").read_text()
    bundle = text.index("  implants:", text.index("bundles:"))
    parts_line_end = text.index("\n", text.index("parts:", bundle))
    parts = text[text.index("parts:", bundle) : parts_line_end]
    without_crown = ", ".join(
        p for p in parts.removeprefix("parts: [").rstrip("]").split(", ") if "crown" not in p
    )
    (replies / "clinic.yaml").write_text(
        text[: text.index("parts:", bundle)] + f"parts: [{without_crown}]" + text[parts_line_end:]
    )
    found = problems(data_copy)
    assert any("bundle 'implants' leaves out the crown on the implant" in e for e in found), found


def test_unknown_placeholder_is_an_error(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    edit(replies / "conversation.yaml", "assistant of {clinic_name}", "assistant of {clinic}")
    assert any("unknown placeholder {clinic}" in e for e in problems(data_copy))


def test_an_offer_with_no_end_date_is_an_error(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    text = (replies / "offers.yaml").read_text()
    lines = [line for line in text.splitlines(keepends=True) if "ends:" not in line]
    (replies / "offers.yaml").write_text("".join(lines))
    assert any("has no end date" in e for e in problems(data_copy))


def seeded(data: tuple[Path, Path]) -> list[str]:
    """The problems (errors and warnings) a seeded mistake adds to a copy of the data."""
    _, found = load_checked(*data)
    return new_problems(found, data[0].parent)


PRESSURE = [
    "Glad to help! Please leave us a 5-star review.",
    "If you liked it, rate us on Google.",
    "Places are limited!",
    "Only 3 spots left this month.",
    "Book now before it's too late.",
    "Last chance to get this price.",
    "Hurry, call us today.",
]


@pytest.mark.parametrize("said", PRESSURE)
def test_pressure_in_a_reply_is_an_error_at_its_line(
    data_copy: tuple[Path, Path], said: str
) -> None:
    _, replies = data_copy
    text = (replies / "conversation.yaml").read_text()
    at = text.index("    - ", text.index("  thanks:"))
    (replies / "conversation.yaml").write_text(text[:at] + f'    - "{said}"\n' + text[at:])
    line = text[:at].count("\n") + 1
    (found,) = seeded(data_copy)
    assert found.startswith(f"replies/conversation.yaml:{line}: thanks: '"), found
    assert (
        found.endswith(
            "pressures the patient (a review request, urgency or an invented discount); the "
            "clinic does not do that"
        )
        or "it reads like" in found
    )


@pytest.mark.parametrize("said", PRESSURE)
def test_pressure_in_an_offer_is_an_error_at_its_line(
    data_copy: tuple[Path, Path], said: str
) -> None:
    _, replies = data_copy
    line = edit(
        replies / "offers.yaml", "The doctor will tell you whether your tooth needs it.", said
    )
    (found,) = seeded(data_copy)
    assert found.startswith(f"replies/offers.yaml:{line}: offer warm_gutta_percha.text: '")
    assert "pressures the patient" in found


def test_pressure_is_matched_by_meaning_not_by_exact_words() -> None:
    phrases = [_pressure_words(p) for p in ["leave us a review", "only 3 spots left", "hurry"]]
    assert pressure_in("pls leave us a reveiw", phrases) is not None
    assert pressure_in("Only two spots left!", phrases) is not None
    assert pressure_in("Leave us a quick 5-star review", phrases) is not None
    assert pressure_in("There's no hurry: think it over.", phrases) is None
    assert pressure_in("Don't worry, the doctor will review your X-ray.", phrases) is None


def test_no_shipped_reply_script_answer_or_offer_reads_as_pressure(
    data_copy: tuple[Path, Path],
) -> None:
    knowledge, _ = load_knowledge(*data_copy)
    assert knowledge is not None
    phrases = [_pressure_words(phrase) for phrase in knowledge.vocabulary.pressure_phrases]
    assert len(phrases) >= 20
    hits = {
        f"{text.where.path.name}:{text.where.line}": pressure_in(text.text, phrases)
        for text in knowledge.patient_texts
        if not text.fact
    }
    assert len(hits) > 500
    assert {where: hit for where, hit in hits.items() if hit} == {}


def test_one_run_reports_loader_and_linter_errors_together(data_copy: tuple[Path, Path]) -> None:
    _, replies = data_copy
    edit(replies / "conversation.yaml", "assistant of {clinic_name}", "assistant of {clinic}")
    edit(replies / "offers.yaml", "    ends: 2027-06-30\n", "")
    found = problems(data_copy)
    assert any("unknown placeholder {clinic}" in e for e in found)
    assert any("has no end date" in e for e in found)


def test_a_component_charged_per_jaw_is_an_error_naming_the_allowed_values(
    data_copy: tuple[Path, Path],
) -> None:
    _, replies = data_copy
    line = edit(replies / "clinic.yaml", "price: 95, per: visit}", "price: 95, per: jaw}")
    found = problems(data_copy)
    assert any(
        f"clinic.yaml:{line}: components.exam.per: Input should be 'tooth' or 'visit'" in e
        for e in found
    ), found
