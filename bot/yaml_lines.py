"""YAML loading that remembers the line of every value, so problems can name file:line.

It also catches the slips YAML itself lets through (a key written twice, a list item indented
into the one above) and words syntax errors for the manager, at the line that caused them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each of its values."""

    line: int
    lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int
    lines: dict[int, int]


@dataclass(frozen=True, order=True)
class YamlSlip:
    """A mistake the file loads despite, but that changes what it says."""

    line: int
    message: str


@dataclass(frozen=True)
class YamlFile:
    """A parsed file: its document, the slips found while reading it, and its text."""

    document: Any
    slips: tuple[YamlSlip, ...]
    text: str


INDENTED_INTO_ABOVE = (
    "this line is indented further than the one above, so it became part of it; "
    "start its '-' at the same column as the line above"
)
QUOTE_NOT_CLOSED = (
    "the quote that opens on this line is never closed, so the text runs on into the lines "
    "below; end the text with the same quote mark"
)

BRACKET_NOT_CLOSED = (
    "the '[' or '{' opened on this line is never closed with its ']' or '}' (or a line "
    "inside the brackets is broken)"
)


class _Lines(SafeConstructor):
    """A safe constructor whose containers carry 1-based line numbers and which notes slips."""

    def _start(self, text: str) -> None:
        self.source_lines = text.splitlines()
        self.slips: set[YamlSlip] = set()

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        first_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if key in first_lines:
                self.slips.add(
                    YamlSlip(
                        key_line,
                        f"{key!r} is written twice at the same level (first at line "
                        f"{first_lines[key]}); only this second one would count, silently. "
                        "Keep one of them",
                    )
                )
            else:
                first_lines[key] = key_line
            mapping.lines[key] = value_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.lines = {index: child.start_mark.line + 1 for index, child in enumerate(node.value)}
        return items

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        """A text; an unquoted one that swallowed a '- item' from the next lines is a slip."""
        text = super().construct_scalar(node)
        assert isinstance(text, str)
        if not node.style and node.end_mark.line > node.start_mark.line:  # plain: None or ""
            for number in range(node.start_mark.line + 1, node.end_mark.line + 1):
                stripped = self.source_lines[number].strip()
                if stripped == "-" or stripped.startswith("- "):
                    self.slips.add(
                        YamlSlip(number + 1, f"{INDENTED_INTO_ABOVE} (it now reads {text!r})")
                    )
        return text


class _LineLoader(Reader, Scanner, Parser, Composer, _Lines, Resolver):
    """The pure-Python parser: its complaints are the ones `_explained` knows how to word."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Lines.__init__(self)
        Resolver.__init__(self)
        self._start(text)


class _FastLineLoader(CParser, _Lines, Resolver):
    """libyaml's parser, several times faster, for the usual file that has no syntax error."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        _Lines.__init__(self)
        Resolver.__init__(self)
        self._start(text)


# The stubs accept only PyYAML's own loader classes here; both of ours are built the same way.
_Lines.add_constructor("tag:yaml.org,2002:map", _Lines.construct_mapping)  # type: ignore[type-var]
_Lines.add_constructor("tag:yaml.org,2002:seq", _Lines.construct_sequence)  # type: ignore[type-var]
_Lines.add_constructor("tag:yaml.org,2002:str", _Lines.construct_yaml_str)  # type: ignore[type-var]


class YamlSyntaxError(ValueError):
    """A file that is not valid YAML, with the line that caused it."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def read_yaml(path: Path) -> YamlFile:
    """Parse a YAML file into LineDict/LineList containers, or raise YamlSyntaxError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSyntaxError(
            1, f"not valid YAML: the file is not plain UTF-8 text ({error.reason})"
        ) from error
    fast = _FastLineLoader(text)
    try:
        return YamlFile(fast.get_single_data(), tuple(sorted(fast.slips)), text)
    except yaml.YAMLError:
        pass  # read again by the pure-Python parser, whose complaint is worded for a manager
    finally:
        fast.dispose()
    loader = _LineLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise _explained(text, error) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"not valid YAML ({error})") from error
    finally:
        loader.dispose()
    return YamlFile(document, tuple(sorted(loader.slips)), text)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file into LineDict/LineList containers, or raise YamlSyntaxError."""
    return read_yaml(path).document


def _explained(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError:
    """The parser's complaint as a sentence for a manager, at the line that caused it."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    problem = error.problem or ""
    detail = f" ({error.context + ', ' if error.context else ''}{problem})"
    if "quoted scalar" in (error.context or "") and error.context_mark is not None:
        return YamlSyntaxError(
            error.context_mark.line + 1, f"not valid YAML: {QUOTE_NOT_CLOSED}{detail}"
        )
    runaway = _runaway_quote_line(text, line)
    if runaway is not None:
        return YamlSyntaxError(runaway, f"not valid YAML: {QUOTE_NOT_CLOSED}{detail}")
    bracket = _open_bracket_line(text, line)
    if bracket is not None and ("flow" in (error.context or "") or "expected ','" in problem):
        return YamlSyntaxError(bracket, f"not valid YAML: {BRACKET_NOT_CLOSED}{detail}")
    if "block sequence start" in problem or "sequence entries are not allowed" in problem:
        sentence = INDENTED_INTO_ABOVE
    elif "mapping values are not allowed" in problem:
        sentence = "a ': ' inside a text that is not in quotes; put the whole text in quotes"
    elif "\\t" in problem or "tab" in problem:
        sentence = "a tab character; indent with spaces only"
    elif "found duplicate anchor" in problem or "undefined alias" in problem:
        sentence = "a '&' or '*' at the start of a text; put the whole text in quotes"
    elif "'<scalar>'" in problem:
        sentence = (
            "this line does not fit the lines above: a text in quotes ends early (write an "
            "apostrophe inside '...' as ''), or the line is indented differently from the "
            "items it belongs to"
        )
    else:
        sentence = (
            "this line does not fit the lines above: check that it is indented like the items "
            "it belongs to and that every quote is closed"
        )
    return YamlSyntaxError(line, f"not valid YAML: {sentence}{detail}")


def _runaway_quote_line(text: str, error_line: int) -> int | None:
    """The line of a quoted text that ran on over lines right up to the error, if any.

    Only a line with an odd number of that quote mark opens a text it does not close: a
    quoted text that merely looks long because something else broke earlier is not the cause.
    """
    lines = text.splitlines()
    runaway: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 > error_line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ("'", '"')
                and token.end_mark.line > token.start_mark.line
                and lines[token.start_mark.line].replace('\\"', "").count(token.style) % 2
            ):
                runaway = token
    except yaml.YAMLError:
        pass
    if runaway is None or runaway.end_mark.line + 1 < error_line - 1:
        return None
    return int(runaway.start_mark.line) + 1


def _open_bracket_line(text: str, error_line: int) -> int | None:
    """The line of a '[' or '{' still open at the error (opened on an earlier line), if any."""
    opened: list[int] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 >= error_line:
                break
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append(token.start_mark.line + 1)
            elif (
                isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and opened
            ):
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


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
