"""YAML loading that remembers the line of every value, so problems can name file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each of its values."""

    line: int
    lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int
    lines: dict[int, int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose containers carry 1-based line numbers."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            mapping.lines[key] = value_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.lines = {index: child.start_mark.line + 1 for index, child in enumerate(node.value)}
        return items


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


class YamlSyntaxError(ValueError):
    """A file that is not valid YAML, with the line where the parser gave up."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(path: Path) -> Any:
    """Parse a YAML file into LineDict/LineList containers, or raise YamlSyntaxError."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or str(error)
        raise YamlSyntaxError(line, f"not valid YAML: {problem}") from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise YamlSyntaxError(1, f"not valid YAML: {error}") from error


def line_of(document: Any, location: tuple[int | str, ...]) -> int:
    """The line of the deepest value along `location` that the document knows, else 1."""
    line = getattr(document, "line", 1)
    node = document
    for step in location:
        lines = getattr(node, "lines", None)
        if lines is None or step not in lines:
            break
        line = lines[step]
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line
