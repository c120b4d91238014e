"""Loading the managers' files: clear problems with file and line, never a traceback."""

from __future__ import annotations

from pathlib import Path

from bot.loader import load_knowledge


def problems_of(intents: Path, replies: Path) -> list[str]:
    """The problems `frontdesk check` would print."""
    _, problems = load_knowledge(intents, replies)
    return [str(problem) for problem in problems if problem.severity == "error"]


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
    found = problems_of(intents, replies)
    assert len(found) == 1
    assert found[0].startswith(f"{replies / 'practical.yaml'}:")
    assert "not valid YAML" in found[0]
    reported_line = int(found[0].split(":")[1])
    assert abs(reported_line - line) <= 2


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
    assert problems_of(intents, replies) == [
        f"{intents / 'vocabulary.yaml'}:{line}: urgent symptom 'pian' is not among symptoms"
    ]
