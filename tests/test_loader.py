"""Loading the managers' files: clear problems with file and line, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.checks import load_checked
from bot.loader import Problem, load_knowledge, typed_price
from tests.conftest import INTENTS, PROJECT, REPLIES


def problems_of(intents: Path, replies: Path) -> list[str]:
    """The problems `frontdesk check` would print."""
    _, problems = load_knowledge(intents, replies)
    return [str(problem) for problem in problems if problem.severity == "error"]


@functools.cache
def shipped_problems() -> frozenset[str]:
    """What the checker says about the shipped data (nothing, once every edit is finished)."""
    _, found = load_checked(INTENTS, REPLIES)
    return frozenset(str(problem).removeprefix(f"{PROJECT}/") for problem in found)


def new_problems(found: Iterable[Problem], root: Path) -> list[str]:
    """Problems of a copy of the data, as `replies/x.yaml:12: ...`, that the shipped data lacks.

    A seeded mistake must add exactly its own problem, whatever else is being edited meanwhile.
    """
    printed = [str(problem).removeprefix(f"{root}/") for problem in found]
    return sorted(problem for problem in printed if problem not in shipped_problems())


def seeded(intents: Path, replies: Path) -> list[str]:
    """The problems a seeded mistake adds to a copy of the data (errors and warnings)."""
    _, found = load_knowledge(intents, replies)
    return new_problems(found, intents.parent)


def replace_in(path: Path, old: str, new: str) -> int:
    """Edit a file; returns the 1-based line of the edit."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def test_shipped_data_has_no_errors(data_copy: tuple[Path, Path]) -> None:
    assert problems_of(*data_copy) == []


def test_broken_yaml_is_reported_with_its_line(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    line = replace_in(replies / "practical.yaml", "  hours:", "  hours: [unclosed")
    found = seeded(intents, replies)
    assert len(found) == 1, found
    assert found[0].startswith(f"replies/practical.yaml:{line}: not valid YAML: the '[' or '{{'")


def test_unknown_component_in_a_bundle_names_the_line(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    line = replace_in(replies / "clinic.yaml", "panoramic_xray]", "panoramic_xary]")
    found = problems_of(intents, replies)
    assert any(f"clinic.yaml:{line}:" in p and "panoramic_xary" in p for p in found)


def test_price_typed_into_a_template_is_an_error(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    text = (replies / "practical.yaml").read_text()
    first_template = text.index("    - ", text.index("  prices:"))
    line = text[:first_template].count("\n") + 1
    (replies / "practical.yaml").write_text(
        text[:first_template] + '    - "A cleaning is only $99 here."\n' + text[first_template:]
    )
    found = problems_of(intents, replies)
    assert any(f"practical.yaml:{line}:" in p and "price is typed" in p for p in found)


def test_unknown_placeholder_is_an_error(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    text = (replies / "practical.yaml").read_text()
    (replies / "practical.yaml").write_text(text.replace("{phone}", "{telephone}", 1))
    assert any("unknown placeholder {telephone}" in p for p in problems_of(intents, replies))


def test_same_example_under_two_intents_is_an_error(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    text = (intents / "practical.yaml").read_text()
    marker = "    examples:\n"
    at = text.index(marker) + len(marker)
    (intents / "practical.yaml").write_text(
        text[:at] + "      - Can I get implants?\n" + text[at:]
    )
    found = problems_of(intents, replies)
    assert any("also an example of" in p for p in found)


def test_missing_reply_for_a_service_is_an_error(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    text = (replies / "services.yaml").read_text()
    (replies / "services.yaml").write_text(text.replace("  whitening:", "  whitening_old:", 1))
    found = problems_of(intents, replies)
    assert any("'whitening' has no script" in p for p in found)


def test_unknown_key_is_reported_not_ignored(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    line = replace_in(replies / "clinic.yaml", "  phone:", "  phone_number: x\n  phone:")
    found = problems_of(intents, replies)
    assert any(f"clinic.yaml:{line}:" in p and "unknown key" in p for p in found)


def test_an_urgent_symptom_that_is_no_symptom_names_its_line(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        intents / "vocabulary.yaml", "urgent_symptoms: [pain,", "urgent_symptoms: [pian,"
    )
    assert seeded(intents, replies) == [
        f"intents/vocabulary.yaml:{line}: urgent symptom 'pian' is not among symptoms"
    ]


def test_a_key_written_twice_names_both_lines_and_the_second_does_not_silently_win(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        replies / "clinic.yaml",
        "  periodic_checkup:",
        "  exam: {name: Exam, price: 10, per: visit}\n  periodic_checkup:",
    )
    first = (
        (replies / "clinic.yaml")
        .read_text()
        .splitlines()
        .index('  exam: {name: "Comprehensive exam and consultation", price: 95, per: visit}')
    )
    assert seeded(intents, replies) == [
        f"replies/clinic.yaml:{line}: 'exam' is written twice at the same level (first at line "
        f"{first + 1}); only this second one would count, silently. Keep one of them"
    ]


def test_a_service_block_pasted_twice_is_one_duplicate_key(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    services = replies / "services.yaml"
    text = services.read_text()
    start, end = text.index("  implants:\n"), text.index("\n  filling:\n")
    first = text[:start].count("\n") + 1
    pasted_at = text.index("\n  root_canal:\n") + 1
    services.write_text(text[:pasted_at] + text[start : end + 1] + text[pasted_at:])
    line = text[:pasted_at].count("\n") + 1
    assert seeded(intents, replies) == [
        f"replies/services.yaml:{line}: 'implants' is written twice at the same level (first "
        f"at line {first}); only this second one would count, silently. Keep one of them"
    ]


def test_a_list_item_indented_into_the_one_above_is_reported_at_its_line(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        intents / "practical.yaml",
        "      - how much do you charge\n",
        "      - how much do you charge\n        - and the price\n",
    )
    assert seeded(intents, replies) == [
        f"intents/practical.yaml:{line + 1}: this line is indented further than the one above, "
        "so it became part of it; start its '-' at the same column as the line above (it now "
        "reads 'how much do you charge - and the price')"
    ]


def test_a_quoted_list_item_indented_into_the_one_above_is_reported_at_its_line(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        intents / "practical.yaml",
        "      - how much do you charge\n",
        '      - "how much is it"\n        - "and the price"\n',
    )
    (found,) = seeded(intents, replies)
    assert found.startswith(
        f"intents/practical.yaml:{line + 1}: not valid YAML: this line is indented further "
        "than the one above, so it became part of it"
    )


def test_an_unclosed_quote_is_one_problem_at_its_line_with_nothing_cascading(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    path = intents / "practical.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lines[216] = lines[216].replace("- ", '- "', 1)
    path.write_text("".join(lines))
    _, found = load_checked(intents, replies)
    assert new_problems(found, intents.parent) == [
        "intents/practical.yaml:217: not valid YAML: the quote that opens on this line is "
        "never closed, so the text runs on into the lines below; end the text with the same "
        "quote mark (while "
        "parsing a block collection, expected <block end>, but found '<scalar>')"
    ]


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("replies/services.yaml", "    bundle: implants\n", "    bundle: 'implants\n"),
        ("replies/clinic.yaml", "  name: Bright", "  name: 'Bright"),
        ("replies/offers.yaml", "    title: Warm", "    title: 'Warm"),
        ("replies/practical.yaml", "  prices:\n", "  prices: [\n"),
        ("intents/conversation.yaml", "  - name: thanks\n", "  - name: 'thanks\n"),
        ("intents/vocabulary.yaml", "  kids: children\n", "  kids: 'children\n"),
        ("intents/facets.yaml", "facets:\n", "facets:\n  oops: 'x\n"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem_at_its_line(
    data_copy: tuple[Path, Path], name: str, old: str, new: str
) -> None:
    intents, replies = data_copy
    changed = replace_in(intents.parent / name, old, new)
    line = changed + (new.count("\n") - old.count("\n"))
    _, found = load_checked(intents, replies)
    problems = new_problems(found, intents.parent)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{name}:{line}: not valid YAML: the ")
    assert "is never closed" in problems[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("min: 1500, max: 2400", "min: 1,500, max: 2,400", "1500 and 2400 (not 1,500 and 2,400"),
        ("price: 550, per: visit", "price: 1.500, per: visit", "1500 (not 1.500"),
    ],
)
def test_a_price_with_a_thousands_separator_is_one_plain_problem(
    data_copy: tuple[Path, Path], old: str, new: str, message: str
) -> None:
    intents, replies = data_copy
    line = replace_in(replies / "clinic.yaml", old, new)
    assert seeded(intents, replies) == [
        f"replies/clinic.yaml:{line}: write prices without separators: {message}; a ',' or '.' "
        "between the thousands makes it another number, or none)"
    ]


def test_a_price_with_a_separator_on_its_own_line_is_reported_there(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        replies / "clinic.yaml",
        '  exam: {name: "Comprehensive exam and consultation", price: 95, per: visit}',
        "  exam:\n    name: Exam\n    price: 1,500\n    per: visit",
    )
    (found,) = seeded(intents, replies)
    assert found.startswith(
        f"replies/clinic.yaml:{line + 2}: write prices without separators: 1500 (not 1,500"
    )


def test_an_intent_defined_twice_is_reported_at_the_second_naming_the_first(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    path = intents / "practical.yaml"
    text = path.read_text()
    start = text.index("  - name: hours\n")
    end = text.index("  - name:", start + 1)
    path.write_text(text + text[start:end])
    first, second = text[:start].count("\n") + 1, text.count("\n") + 1
    assert seeded(intents, replies) == [
        f"intents/practical.yaml:{second}: intent 'hours' is defined twice (first at "
        f"practical.yaml:{first}); the bot would use only the first, so keep one of them"
    ]


@pytest.mark.parametrize(
    "typed",
    ["$500", "500 USD", "500 dollars", "500 bucks", "Implants from 1500.", "It costs 1,500."],
)
@pytest.mark.parametrize(("name", "before"), [("practical.yaml", '"You can pay by:')])
def test_a_price_typed_into_a_reply_is_an_error_at_its_line(
    data_copy: tuple[Path, Path], typed: str, name: str, before: str
) -> None:
    intents, replies = data_copy
    line = replace_in(replies / name, before, f'"{typed} You can pay by:')
    (found,) = seeded(intents, replies)
    assert found.startswith(f"replies/{name}:{line}: payment: a price is typed into the text (")


@pytest.mark.parametrize("typed", ["$500", "500 USD", "500 bucks", "Implants from 1500."])
def test_a_price_typed_into_an_offer_is_an_error_at_its_line(
    data_copy: tuple[Path, Path], typed: str
) -> None:
    intents, replies = data_copy
    line = replace_in(
        replies / "offers.yaml",
        "The doctor will tell you whether your tooth needs it.",
        typed,
    )
    (found,) = seeded(intents, replies)
    assert found.startswith(
        f"replies/offers.yaml:{line}: offer warm_gutta_percha.text: a price is typed into the "
        "text ("
    )


@pytest.mark.parametrize(
    "text",
    [
        "We open at 9:30 on Saturdays.",
        "Children from 13 to 18 see the pediatric dentist.",
        "The warranty lasts 2 years.",
        "Come back in 6 months.",
        "Seniors (65 and over) get 10% on treatment.",
        "Call +1 413 555 0142 or 413 555 0142.",
        "Only 2 visits, about 45 minutes each.",
        "Suite 200, Springfield, MA 01105",
    ],
)
def test_times_ages_counts_phones_and_percentages_are_not_prices(text: str) -> None:
    assert typed_price(text, None) is None


def test_a_script_part_with_one_wording_is_an_error_at_its_line(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    path = replies / "services.yaml"
    text = path.read_text()
    start = text.index("    honesty:", text.index("  implants:"))
    end = text.index("    question:", start)
    kept = "".join(text[start:end].splitlines(keepends=True)[:2])
    path.write_text(text[:start] + kept + text[end:])
    line = text[:start].count("\n") + 2
    assert seeded(intents, replies) == [
        f"replies/services.yaml:{line}: implants.honesty has only 1 wording; write at least 2, "
        "so a patient who asks twice gets new words"
    ]


def test_a_label_too_long_for_a_button_is_an_error(data_copy: tuple[Path, Path]) -> None:
    intents, replies = data_copy
    line = replace_in(
        intents / "practical.yaml",
        "    label: Opening hours\n",
        "    label: When we are open on weekdays, weekends and holidays\n",
    )
    assert seeded(intents, replies) == [
        f"intents/practical.yaml:{line}: intents.2.label: String should have at most 40 characters"
    ]


def test_a_component_no_bundle_uses_is_a_warning_at_its_line(
    data_copy: tuple[Path, Path],
) -> None:
    intents, replies = data_copy
    line = replace_in(
        replies / "clinic.yaml",
        "components:\n",
        'components:\n  gold_leaf: {name: "Gold leaf", price: 400, per: tooth}\n',
    )
    _, problems = load_knowledge(intents, replies)
    warnings = [str(p) for p in problems if p.severity == "warning"]
    assert warnings == [
        f"{replies / 'clinic.yaml'}:{line + 1}: warning: component 'gold_leaf' is in no bundle, "
        "so no patient is ever quoted its price"
    ]
