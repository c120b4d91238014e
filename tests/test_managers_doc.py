"""docs/managers.md: every YAML example, added where the document says, passes the checker."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml

from bot.checks import load_checked
from bot.core.flows.answers import did_you_mean_choices
from bot.core.turn import Turn
from bot.loader import load_knowledge
from bot.matcher import Alternative, Match
from tests.conftest import PROJECT
from tests.test_loader import new_problems

DOC = PROJECT / "docs" / "managers.md"
YAML_BLOCK = re.compile(r"^(?P<indent>[ ]*)```yaml\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)
DATA_FILE = re.compile(r"`((?:intents|replies)/[a-z_]+\.yaml)`")


def examples() -> list[tuple[str, str, int]]:
    """(file the document puts it in, YAML text, line in the document) of every example."""
    text = DOC.read_text(encoding="utf-8")
    found = []
    for block in YAML_BLOCK.finditer(text):
        named_before = DATA_FILE.findall(text[: block.start()])
        line = text[: block.start()].count("\n") + 1
        target = named_before[-1] if named_before else ""
        found.append((target, textwrap.dedent(block["body"]), line))
    return found


def merged(shipped: Any, example: Any, depth: int = 0) -> Any:
    """The file's contents after a manager adds the example the way the document says.

    A top-level list grows (a new intent, offer or medical facet); an entry with a `name`
    (a component, a bundle) replaces the one it names, as editing that line does; other
    mappings take the example's keys; anything else is replaced by the example's value.
    """
    if isinstance(shipped, dict) and isinstance(example, dict):
        if "name" in example and depth > 1:
            return example
        result = dict(shipped)
        for key, value in example.items():
            result[key] = merged(shipped[key], value, depth + 1) if key in shipped else value
        return result
    if isinstance(shipped, list) and isinstance(example, list) and depth == 1:
        return shipped + [item for item in example if item not in shipped]
    return example


def add_example(root: Path, target: str, example: str) -> None:
    """Add one example to its file under a copy of the data."""
    path = root / target
    shipped = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        yaml.safe_dump(merged(shipped, yaml.safe_load(example)), allow_unicode=True, width=1000),
        encoding="utf-8",
    )


def test_the_document_has_the_examples_it_teaches_with() -> None:
    targets = {target for target, _, _ in examples()}
    assert {"intents/practical.yaml", "replies/practical.yaml", "replies/clinic.yaml"} <= targets
    assert {"replies/facets.yaml", "replies/offers.yaml"} <= targets


@pytest.mark.parametrize(
    ("target", "example", "line"), examples(), ids=[f"line {line}" for *_, line in examples()]
)
def test_every_example_names_its_file_and_is_valid_yaml(
    target: str, example: str, line: int
) -> None:
    assert target, f"managers.md:{line}: say which file the example goes in"
    assert (PROJECT / target).is_file(), f"managers.md:{line}: no such file {target}"
    assert isinstance(yaml.safe_load(example), dict), f"managers.md:{line}: not a YAML mapping"


def test_every_example_added_where_the_document_says_passes_the_checker(
    data_copy: tuple[Path, Path],
) -> None:
    intents, _ = data_copy
    root = intents.parent
    for target, example, _ in examples():
        add_example(root, target, example)
    _, found = load_checked(*data_copy)
    assert new_problems(found, root) == []


def test_a_label_is_what_the_did_you_mean_button_shows(data_copy: tuple[Path, Path]) -> None:
    intents, _ = data_copy
    for target, example, _ in examples():
        add_example(intents.parent, target, example)
    knowledge, _ = load_knowledge(*data_copy)
    assert knowledge is not None
    turn = SimpleNamespace(brain=SimpleNamespace(knowledge=knowledge))
    match = Match("sick_note", 0.5, (Alternative("prices", 0.4), Alternative("implants", 0.3)))
    choices = did_you_mean_choices(cast(Turn, turn), match)
    assert [choice.label for choice in choices] == [
        "A note for work or school",
        "Prices of treatments",
        knowledge.intents["implants"].description.split(":")[0],  # no label: as before
    ]
