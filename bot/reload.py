"""Live reload: notice edited data files, validate them, swap them in or keep the last good."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.checks import load_checked
from bot.core import Brain, FrontDesk
from bot.loader import Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: swapped in new data, or kept the old because of these problems."""

    applied: bool
    problems: tuple[Problem, ...]
    intents: int = 0


def snapshot(folders: tuple[Path, ...]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every YAML file under the folders."""
    found: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.y*ml"):
            try:
                stat = path.stat()
            except OSError:
                continue
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


class DataWatcher:
    """Polls intents/ and replies/; on a change, reloads them without a restart."""

    def __init__(self, front_desk: FrontDesk, intents_dir: Path, replies_dir: Path) -> None:
        self.front_desk = front_desk
        self.folders = (intents_dir, replies_dir)
        self._seen = snapshot(self.folders)

    @property
    def fingerprint(self) -> str:
        """The data files as last seen (names, times, sizes), the same for every worker."""
        seen = sorted(
            (str(path.relative_to(folder)), index, *stamp)
            for index, folder in enumerate(self.folders)
            for path, stamp in self._seen.items()
            if path.is_relative_to(folder)
        )
        return hashlib.sha256(repr(seen).encode()).hexdigest()[:32]

    def changed(self) -> bool:
        """Whether any data file was added, removed or edited since the last look."""
        return snapshot(self.folders) != self._seen

    async def reload_if_changed(self) -> ReloadResult | None:
        """Reload when files changed; None when nothing did."""
        current = snapshot(self.folders)
        if current == self._seen:
            return None
        self._seen = current
        return await self.reload()

    async def reload(self) -> ReloadResult:
        """Load, check and train off the event loop; swap in only if there are no errors."""
        intents_dir, replies_dir = self.folders
        knowledge, problems = await asyncio.to_thread(
            load_checked, intents_dir, replies_dir, False
        )
        errors = tuple(problem for problem in problems if problem.severity == "error")
        if knowledge is None or errors:
            log.error("data reload refused: %s error(s); keeping the last good data", len(errors))
            for problem in errors:
                log.error("%s", problem)
            return ReloadResult(False, errors)
        brain = await asyncio.to_thread(Brain.build, knowledge, self.front_desk.brain)
        self.front_desk.replace_brain(brain)
        log.info("data reloaded: %s intents", len(knowledge.intents))
        return ReloadResult(True, (), len(knowledge.intents))
