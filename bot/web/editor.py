"""Saving a data file from the web page: checked, atomic, recorded, and revertible."""

from __future__ import annotations

import asyncio
import difflib
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.store.audit import AuditLog
from bot.store.web import WebRepository
from bot.web.checking import DataFolders, check_with_edit
from bot.web.documents import EditRefused, EditValue, FieldProblem, apply_edits, content_hash

log = logging.getLogger(__name__)

FILE_CHANGED = "This file was changed since you opened it"


class FileChanged(Exception):
    """The file is no longer the version the form was opened on; nothing was written."""


@dataclass(frozen=True)
class Saved:
    """A change that was written: its revision number (None when nothing changed)."""

    revision_id: int | None
    content_hash: str


def read_text(path: Path) -> str:
    """A data file's text, exactly as stored."""
    return path.read_bytes().decode("utf-8")


def write_atomically(path: Path, text: str) -> None:
    """Replace a file in one step (a temporary file beside it, then os.replace)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unified_diff(file: str, previous: str, new: str) -> str:
    """The change as a unified diff, as `git diff` would show it."""
    return "".join(
        difflib.unified_diff(
            previous.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{file}",
            tofile=f"b/{file}",
        )
    )


class DocumentEditor:
    """Applies managers' edits one save at a time; the files stay the single source of truth."""

    def __init__(self, folders: DataFolders, web: WebRepository, audit: AuditLog) -> None:
        self.folders = folders
        self.web = web
        self.audit = audit
        self._lock = asyncio.Lock()

    def current(self, file: str) -> tuple[str, str]:
        """A file's text and its hash, for a form to carry."""
        text = read_text(self.folders.path_of(file))
        return text, content_hash(text)

    async def save(
        self, manager_id: int, file: str, base_hash: str, edits: Mapping[str, EditValue]
    ) -> Saved:
        """Check and write the edits; EditRefused with field problems, or FileChanged."""
        async with self._lock:
            path = self.folders.path_of(file)
            previous = await asyncio.to_thread(read_text, path)
            if content_hash(previous) != base_hash:
                raise FileChanged(FILE_CHANGED)
            new = apply_edits(previous, edits)
            if new == previous:
                return Saved(None, base_hash)
            return await self._write_checked(manager_id, file, previous, new, None)

    async def revert(self, manager_id: int, revision_id: int) -> Saved:
        """Put back what a revision replaced, as a checked save and a revision of its own."""
        async with self._lock:
            revision = await self.web.revision(revision_id)
            if revision is None:
                raise KeyError(revision_id)
            path = self.folders.path_of(revision.file)
            current = await asyncio.to_thread(read_text, path)
            if current != revision.new_content:
                raise FileChanged(
                    f"{FILE_CHANGED}: it was changed after this revision, so reverting it would "
                    "also undo the later changes. Revert the newer revisions first."
                )
            return await self._write_checked(
                manager_id, revision.file, current, revision.previous_content, revision.id
            )

    async def _write_checked(
        self, manager_id: int, file: str, previous: str, new: str, reverts: int | None
    ) -> Saved:
        problems: list[FieldProblem] = await asyncio.to_thread(
            check_with_edit, self.folders, file, new
        )
        if problems:
            log.info("manager=%s web save refused: %s error(s)", manager_id, len(problems))
            raise EditRefused(problems)
        await asyncio.to_thread(write_atomically, self.folders.path_of(file), new)
        async with self.web.database.unit_of_work():
            revision_id = await self.web.add_revision(
                manager_id, file, unified_diff(file, previous, new), previous, new, reverts
            )
            action = "web_revert" if reverts is not None else "web_edit"
            await self.audit.record(
                f"manager:{manager_id}", action, f"revision:{revision_id} {file}"
            )
        log.info("manager=%s saved revision=%s", manager_id, revision_id)
        return Saved(revision_id, content_hash(new))
