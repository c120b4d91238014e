"""Edit a YAML data file by field path, rewriting only the text of the values that change.

Paths name a value the way a manager reads the file: `components.implant.min`,
`offers.0.ends`, `intents.implants.examples` (a list item by its position, or by its `name` or
`id`). The file is read with ruamel.yaml's round-trip loader (comments, quotes and key order
kept) and each edited value's text is replaced where it stands, so every comment, line break
and unedited line stays byte for byte. The result is parsed again and must equal the old data
with exactly the edits applied, or nothing is returned.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


class Removal:
    """An edit that takes a setting or a list's row out of the file."""

    def __repr__(self) -> str:
        return "REMOVE"


#: Take the setting (or the row of a list) at the path out.
REMOVE = Removal()


@dataclass(frozen=True)
class NewRow:
    """An edit that adds a row at the end of a list: its fields, as a form gives them (a text,
    or the texts of a list)."""

    fields: Mapping[str, str | Sequence[str]]

    def data(self, path: str) -> dict[str, Any]:
        """The row as it reads back from the file."""
        return {
            key: _typed(None, value, path)[0] if isinstance(value, str) else list(value)
            for key, value in self.fields.items()
        }

    def tokens(self, path: str) -> list[tuple[str, str]]:
        """Each field's key and its YAML text."""
        return [
            (
                key,
                _typed(None, value, f"{path}.{key}")[1]
                if isinstance(value, str)
                else "[" + ", ".join(_string_token(item, None) for item in value) + "]",
            )
            for key, value in self.fields.items()
        ]


#: A new value from a form: a line of text, the lines of a list, a removal or a new row.
EditValue = str | Sequence[str] | Removal | NewRow

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_DATE = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_WHOLE_NUMBER = re.compile(r"\d+")
_DECIMAL = re.compile(r"\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FieldProblem:
    """Why a value cannot be saved, at its field path (None: about the file as a whole)."""

    field: str | None
    message: str


class EditRefused(Exception):
    """The edits cannot be written; `problems` says which fields and why."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


def content_hash(text: str) -> str:
    """The SHA-256 of a file's text: what a form remembers of the version it showed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(text: str) -> Any:
    """The file as ruamel.yaml round-trip structures (comments and key order kept)."""
    return YAML(typ="rt").load(text)


def heading_before(mapping: CommentedMap, key: str) -> str | None:
    """The comment line written just above a key ("# Implants" -> "Implants"), if any."""
    tokens: list[Any] = []
    keys = list(mapping)
    if keys and keys[0] == key and mapping.ca.comment and len(mapping.ca.comment) > 1:
        tokens = mapping.ca.comment[1] or []
    item = mapping.ca.items.get(key)
    if item and len(item) > 1 and item[1]:
        tokens = item[1]
    lines = [line.strip() for token in tokens for line in str(token.value).splitlines()]
    comments = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    return comments[-1] if comments else None


def split_path(path: str) -> list[str]:
    """The steps of a field path."""
    return path.split(".")


def value_at(data: Any, path: str) -> Any:
    """The value a path names in loaded data; KeyError if there is none."""
    node = data
    for step in split_path(path):
        if isinstance(node, Mapping):
            node = node[step]
        elif isinstance(node, list):
            node = node[_list_index(node, step)]
        else:
            raise KeyError(path)
    return node


def _list_index(items: list[Any], step: str) -> int:
    if step.isdecimal():
        if int(step) >= len(items):
            raise KeyError(step)
        return int(step)
    for number, item in enumerate(items):
        if isinstance(item, Mapping) and step in (item.get("name"), item.get("id")):
            return number
    raise KeyError(step)


def _set_value(data: Any, path: str, value: Any) -> None:
    *parents, last = split_path(path)
    node = data
    for step in parents:
        node = node[step] if isinstance(node, dict) else node[_list_index(node, step)]
    if isinstance(node, dict):
        node[last] = value
    else:
        node[_list_index(node, last)] = value


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str
    field: str


def apply_edits(text: str, edits: Mapping[str, EditValue]) -> str:
    """The file's text with each path set to its new value; EditRefused if one cannot be."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        old_data = yaml.safe_load(text)
    except yaml.YAMLError:
        message = "the file is not valid YAML now; fix it by hand or revert the last change"
        raise EditRefused([FieldProblem(None, message)]) from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise EditRefused([FieldProblem(None, "the file holds no settings to edit")])
    expected = copy.deepcopy(old_data)
    splices: list[_Splice] = []
    problems: list[FieldProblem] = []
    structural: list[tuple[str, Removal | NewRow]] = []
    for path, new_value in edits.items():
        try:
            located = _locate(root, path, allow_missing=not isinstance(new_value, Removal))
            if isinstance(new_value, Removal):
                splices.append(_removal(text, root, path))
                structural.append((path, new_value))
                continue
            if isinstance(new_value, NewRow):
                splices.append(_appended_row(text, located.node, new_value, path))
                structural.append((path, new_value))
                continue
            if located.node is None:
                value, written = _typed(None, new_value, path)
                splices.append(_insertion(text, located.parent, path, written))
            elif isinstance(located.node, yaml.SequenceNode):
                if isinstance(new_value, str):
                    raise _Invalid("give a list of lines")
                value = list(new_value)
                splices.extend(_list_splices(text, located.node, value, path))
            else:
                value, written = _typed(located.node, new_value, path)
                splices.append(_scalar_splice(text, located.node, written, path))
            _set_value(expected, path, value)
        except _Invalid as invalid:
            problems.append(FieldProblem(path, str(invalid)))
    # Rows are taken out from the last up, after the values are set, so positions stay right.
    for path, change in sorted(structural, key=lambda item: _removal_order(item[0]), reverse=True):
        if isinstance(change, Removal):
            _remove_value(expected, path)
    for path, change in structural:
        if isinstance(change, NewRow):
            value_at(expected, path).append(change.data(path))
    if problems:
        raise EditRefused(problems)
    new_text = _spliced(text, splices)
    try:
        written_data = yaml.safe_load(new_text)
    except yaml.YAMLError:
        written_data = None
    if written_data != expected:
        raise EditRefused(
            [FieldProblem(None, "this change cannot be written safely; edit the file by hand")]
        )
    return new_text


class _Invalid(ValueError):
    """A value the field cannot take, in words for the manager."""


@dataclass(frozen=True)
class _Located:
    node: yaml.Node | None
    parent: yaml.Node


def _locate(root: yaml.Node, path: str, *, allow_missing: bool = True) -> _Located:
    node: yaml.Node = root
    steps = split_path(path)
    for number, step in enumerate(steps):
        child = _child(node, step)
        if child is None:
            last = number == len(steps) - 1
            if allow_missing and last and isinstance(node, yaml.MappingNode):
                return _Located(None, node)
            raise _Invalid("there is no such setting in this file")
        node = child
    return _Located(node, node)


def _removal_order(path: str) -> list[tuple[int, int | str]]:
    """Sorts removals so that a list's later rows come first."""
    return [(0, int(step)) if step.isdecimal() else (1, step) for step in split_path(path)]


def _remove_value(data: Any, path: str) -> None:
    *parents, last = split_path(path)
    node = value_at(data, ".".join(parents)) if parents else data
    if isinstance(node, dict):
        del node[last]
    else:
        del node[_list_index(node, last)]


def _removal(text: str, root: yaml.Node, path: str) -> _Splice:
    """The text to cut to take a mapping's key or a block list's row out."""
    *parents, last = split_path(path)
    parent = _locate(root, ".".join(parents), allow_missing=False).node if parents else root
    child = _locate(root, path, allow_missing=False).node
    assert parent is not None and child is not None
    if isinstance(parent, yaml.MappingNode):
        pairs = parent.value
        number = next(n for n, (key, value) in enumerate(pairs) if value is child)
        if len(pairs) == 1:
            raise _Invalid("the last setting of a group cannot be taken out here")
        key_start = pairs[number][0].start_mark.index
        if parent.flow_style:
            if number + 1 < len(pairs):
                return _Splice(key_start, pairs[number + 1][0].start_mark.index, "", path)
            previous_end = pairs[number - 1][1].end_mark.index
            return _Splice(previous_end, child.end_mark.index, "", path)
        return _Splice(*_whole_lines(text, key_start, child.end_mark.index), "", path)
    if isinstance(parent, yaml.SequenceNode) and not parent.flow_style:
        if len(parent.value) == 1:
            raise _Invalid("a list needs at least one row")
        dash = text.rfind("-", 0, child.start_mark.index)
        return _Splice(*_whole_lines(text, dash, child.end_mark.index), "", path)
    raise _Invalid("this is written in a way the page cannot change; edit the file by hand")


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of start's line to just after end's line (end may stand at a line start)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        raise _Invalid("this is written in a way the page cannot change; edit the file by hand")
    end_line_start = text.rfind("\n", 0, end) + 1
    if end_line_start > start and not text[end_line_start:end].strip():
        return line_start, end_line_start  # a block ends where the next line's text starts
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end == -1 else line_end + 1


def _appended_row(text: str, sequence: yaml.Node | None, row: NewRow, path: str) -> _Splice:
    """A new last row of a block list, in the style of the row before it: {key: value, ...}
    on one line, or one key per line."""
    if not isinstance(sequence, yaml.SequenceNode) or sequence.flow_style or not sequence.value:
        raise _Invalid("this list is written in a way the page cannot extend")
    fields = [f"{key}: {written}" for key, written in row.tokens(path)]
    last = sequence.value[-1]
    dash = text.rfind("-", 0, last.start_mark.index)
    line_start = text.rfind("\n", 0, dash) + 1
    indent = text[line_start:dash]
    if indent.strip():
        raise _Invalid("this list is written in a way the page cannot extend")
    _, at = _whole_lines(text, dash, last.end_mark.index)
    if isinstance(last, yaml.MappingNode) and not last.flow_style:
        inner = " " * (last.start_mark.index - line_start)
        addition = indent + "- " + ("\n" + inner).join(fields) + "\n"
    else:
        addition = indent + "- {" + ", ".join(fields) + "}\n"
    if at == len(text) and not text.endswith("\n"):
        addition = "\n" + addition.rstrip("\n")
    return _Splice(at, at, addition, path)


def _child(node: yaml.Node, step: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode):
        items: list[yaml.Node] = node.value
        if step.isdecimal():
            return items[int(step)] if int(step) < len(items) else None
        for item in items:
            if isinstance(item, yaml.MappingNode):
                names = {
                    key.value: value.value
                    for key, value in item.value
                    if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
                }
                if step in (names.get("name"), names.get("id")):
                    return item
    return None


def _typed(node: yaml.Node | None, new_value: EditValue, path: str) -> tuple[Any, str]:
    """The Python value a form's text stands for, and how to write it, by the old value's type."""
    if not isinstance(new_value, str):
        raise _Invalid("give one value, not a list")
    if node is not None and not isinstance(node, yaml.ScalarNode):
        raise _Invalid("this is a group of settings, not one value")
    raw = new_value.strip()
    tag = node.tag if node is not None else _guess_tag(raw)
    if tag == _INT:
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise _Invalid("write a whole number without separators or symbols, like 1500")
        return int(raw), str(int(raw))
    if tag == _FLOAT:
        if not _DECIMAL.fullmatch(raw):
            raise _Invalid("write a number like 12.5, without separators or symbols")
        return float(raw), raw
    if tag == _BOOL:
        if raw.lower() not in ("true", "false"):
            raise _Invalid("write true or false")
        return raw.lower() == "true", raw.lower()
    if tag == _DATE:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise _Invalid("write a date as year-month-day, like 2027-06-30") from None
        return day, day.isoformat()
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    return new_value, _string_token(new_value, style)


def _guess_tag(raw: str) -> str:
    if raw in ("true", "false"):
        return _BOOL
    if _WHOLE_NUMBER.fullmatch(raw):
        return _INT
    if _ISO_DATE.fullmatch(raw):
        return _DATE
    return "tag:yaml.org,2002:str"


def _string_token(value: str, style: str | None) -> str:
    """A YAML token that reads back as exactly `value`, in the old token's style if it can.

    A plain (unquoted) text is kept plain only if it reads back unchanged inside {...}, the
    strictest place it can stand; otherwise it is written in double quotes.
    """
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style is None and value and "\n" not in value:
        try:
            reads_back = yaml.safe_load("{k: " + value + "}")
        except yaml.YAMLError:
            reads_back = None
        if isinstance(reads_back, dict) and reads_back.get("k") == value:
            return value
    return json.dumps(value, ensure_ascii=False)


def _scalar_splice(text: str, node: yaml.Node, written: str, path: str) -> _Splice:
    start, end = node.start_mark.index, node.end_mark.index
    old = text[start:end]
    trailing = old[len(old.rstrip()) :]  # a block scalar's own line breaks stay
    return _Splice(start, end, written + trailing, path)


def _insertion(text: str, mapping: yaml.Node, path: str, written: str) -> _Splice:
    key = split_path(path)[-1]
    start, end = mapping.start_mark.index, mapping.end_mark.index
    if isinstance(mapping, yaml.MappingNode) and mapping.flow_style:
        closing = text.rfind("}", start, end)
        before = text[start:closing].rstrip()
        at = start + len(before)
        separator = ", " if before.rstrip() != "{" else ""
        return _Splice(at, at, f"{separator}{key}: {written}", path)
    pairs = mapping.value
    if not pairs:
        raise _Invalid("there is no such setting in this file")
    column = pairs[0][0].start_mark.column
    last_end = pairs[-1][1].end_mark.index
    line_end = text.find("\n", max(start, last_end - 1))
    at = len(text) if line_end == -1 else line_end
    return _Splice(at, at, "\n" + " " * column + f"{key}: {written}", path)


def _list_splices(
    text: str, sequence: yaml.SequenceNode, values: list[str], path: str
) -> list[_Splice]:
    """Replace a list of texts item by item (block lists) or as a whole (flow lists)."""
    items: list[yaml.Node] = sequence.value
    scalars = [item for item in items if isinstance(item, yaml.ScalarNode)]
    if len(scalars) != len(items):
        raise _Invalid("only a list of plain texts can be edited here")
    if sequence.flow_style or not items:
        tokens = [_string_token(value, None) for value in values]
        start, end = sequence.start_mark.index, sequence.end_mark.index
        return [_Splice(start, end, "[" + ", ".join(tokens) + "]", path)]
    splices = [
        _scalar_splice(text, item, _string_token(value, item.style), path)
        for item, value in zip(scalars, values, strict=False)
    ]
    if len(values) > len(items):
        last = scalars[-1]
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        indent = text[line_start : last.start_mark.index]
        if indent.strip() != "-":
            raise _Invalid("this list is written in a way the page cannot extend")
        line_end = text.find("\n", last.end_mark.index)
        at = len(text) if line_end == -1 else line_end
        added = "".join(
            "\n" + indent + _string_token(value, last.style) for value in values[len(items) :]
        )
        splices.append(_Splice(at, at, added, path))
    elif len(values) < len(items):
        if not values:
            raise _Invalid("a list needs at least one line")
        keep_end = text.find("\n", items[len(values) - 1].end_mark.index)
        drop_end = text.find("\n", items[-1].end_mark.index)
        if keep_end == -1:
            raise _Invalid("this list is written in a way the page cannot shorten")
        splices.append(_Splice(keep_end, len(text) if drop_end == -1 else drop_end, "", path))
    return splices


def _spliced(text: str, splices: list[_Splice]) -> str:
    """Apply the replacements from the end backwards, so earlier offsets stay right."""
    ordered = sorted(splices, key=lambda splice: (splice.start, splice.end))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.start < earlier.end:
            raise EditRefused([FieldProblem(later.field, "two edits overlap in the file")])
    for splice in reversed(ordered):
        text = text[: splice.start] + splice.text + text[splice.end :]
    return text
