"""Check an edited file together with all the others, in a scratch copy, before it is written."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.checks import load_checked
from bot.loader import Problem
from bot.web.documents import FieldProblem

#: "components.implant: min 2400 is greater than max 1500": a schema error names its place.
_PLACE_PREFIX = re.compile(r"^(?P<place>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+): (?P<message>.+)$")


@dataclass(frozen=True)
class DataFolders:
    """The folders a manager edits (INTENTS_DIR and REPLIES_DIR); files are named from them."""

    intents: Path
    replies: Path

    def folders(self) -> dict[str, Path]:
        """Each folder by the name a file reference starts with."""
        return {"intents": self.intents, "replies": self.replies}

    def files(self) -> list[str]:
        """Every data file, as "replies/clinic.yaml"."""
        return sorted(
            f"{name}/{path.relative_to(folder).as_posix()}"
            for name, folder in self.folders().items()
            if folder.is_dir()
            for path in folder.rglob("*.y*ml")
        )

    def path_of(self, file: str) -> Path:
        """Where a data file lives; KeyError for anything that is not one of them."""
        if file not in self.files():
            raise KeyError(file)
        name, _, rest = file.partition("/")
        return self.folders()[name] / rest


def check_with_edit(folders: DataFolders, file: str, new_text: str) -> list[FieldProblem]:
    """The errors all the data would have with `file` replaced by `new_text` (none: safe)."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-check-") as scratch:
        copies = DataFolders(Path(scratch) / "intents", Path(scratch) / "replies")
        for name, folder in folders.folders().items():
            shutil.copytree(folder, copies.folders()[name])
        edited = copies.path_of(file)
        edited.write_text(new_text, encoding="utf-8")
        _, problems = load_checked(copies.intents, copies.replies, warnings=False)
        errors = [problem for problem in problems if problem.severity == "error"]
        return [_field_problem(problem, copies, file, new_text) for problem in errors]


def _field_problem(problem: Problem, copies: DataFolders, file: str, text: str) -> FieldProblem:
    """The problem at the field path it is about, when it is about a place in the edited file."""
    problem_file = _reference(problem.path, copies)
    if problem_file != file:
        return FieldProblem(
            None, f"{problem_file or problem.path.name}:{problem.line}: {problem.message}"
        )
    named = _PLACE_PREFIX.match(problem.message)
    if named is not None:
        return FieldProblem(named["place"], named["message"])
    return FieldProblem(path_at_line(text, problem.line), problem.message)


def _reference(path: Path, copies: DataFolders) -> str | None:
    for name, folder in copies.folders().items():
        if path.is_relative_to(folder):
            return f"{name}/{path.relative_to(folder).as_posix()}"
    return None


def path_at_line(text: str, line: int) -> str | None:
    """The shortest field path whose value starts on a line (1-based), or None."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    found = [path for path, node in _walk(root, "") if node.start_mark.line + 1 == line]
    return min(found, key=lambda path: path.count("."), default=None)


def _walk(node: yaml.Node | None, prefix: str) -> Iterable[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            yield path, value
            yield from _walk(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            path = f"{prefix}.{number}" if prefix else str(number)
            yield path, item
            yield from _walk(item, path)


def attach_to_fields(
    problems: Iterable[FieldProblem], edited: Iterable[str]
) -> dict[str | None, list[str]]:
    """Messages by the field to show them at: the edited field inside a problem's place if any.

    A schema error names a component ("components.implant: min ... greater than max"); the
    manager changed `components.implant.max`, so that is where the message belongs.
    """
    edited = list(edited)
    shown: dict[str | None, list[str]] = {}
    for problem in problems:
        targets: list[str | None] = [problem.field]
        if problem.field is not None and problem.field not in edited:
            inside = [path for path in edited if path.startswith(problem.field + ".")]
            targets = list(inside) or targets
        for target in targets:
            shown.setdefault(target, []).append(problem.message)
    return shown
