"""What an editing page does with a submitted form: a checked save, or what to show instead."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from bot.web.checking import attach_to_fields
from bot.web.documents import EditRefused, EditValue, FieldProblem
from bot.web.editor import DocumentEditor, FileChanged, Saved


@dataclass(frozen=True)
class Refused:
    """Nothing was written: the messages by field (None: the form as a whole), and why."""

    errors: dict[str | None, list[str]]
    conflict: bool
    status_code: int


async def save_form(
    editor: DocumentEditor,
    manager_id: int,
    file: str,
    base_hash: str,
    edits: Mapping[str, EditValue],
    in_plain_words: Callable[[str], str],
) -> Saved | Refused:
    """Save the edits through the checker; a changed file or a mistake comes back as Refused,
    each checker message said in the page's words and shown at the field it is about."""
    try:
        return await editor.save(manager_id, file, base_hash, edits)
    except FileChanged as changed:
        return Refused({None: [f"{changed}. Nothing was saved."]}, True, 409)
    except EditRefused as refused:
        problems = [
            FieldProblem(problem.field, in_plain_words(problem.message))
            for problem in refused.problems
        ]
        return Refused(attach_to_fields(problems, edits), False, 422)


def where_shown(lists: Mapping[str, int], removed: Collection[str]) -> Callable[[str], str]:
    """Where an error about the saved file shows on a page of lists (list path -> its rows):
    rows after a removed one moved up a place in the file, and the row after the last one is
    the list's new row ("new:" and the list's path)."""
    moved: dict[str, str] = {}
    for name, count in lists.items():
        kept = [index for index in range(count) if f"{name}.{index}" not in removed]
        for now, before in enumerate(kept):
            moved[f"{name}.{now}"] = f"{name}.{before}"
        moved[f"{name}.{len(kept)}"] = f"new:{name}"

    def shown_at(place: str) -> str:
        steps = place.split(".")
        for cut in range(len(steps), 0, -1):
            row = ".".join(steps[:cut])
            if row in moved:
                return ".".join([moved[row], *steps[cut:]])
        return place

    return shown_at
