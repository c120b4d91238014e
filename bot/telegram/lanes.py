"""Work in lanes: one item at a time per lane (a chat), lanes in parallel, woken on demand.

The inbox processor (updates) and the courier (outbox rows) both work this way: it keeps
each chat in order while one slow or throttled chat never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Hashable
from typing import Any

from bot.store.database import DATABASE_ERRORS

log = logging.getLogger(__name__)

STORAGE_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, OSError)


class Lanes:
    """Runs `start_due()` whenever woken (or every `idle_seconds`) until cancelled."""

    def __init__(self, concurrency: int, idle_seconds: float = 0.5) -> None:
        self.concurrency = concurrency
        self.idle_seconds = idle_seconds
        self._busy: set[Hashable] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for work now."""
        self._wake.set()

    @property
    def full(self) -> bool:
        """Whether as many items are in progress as allowed."""
        return len(self._tasks) >= self.concurrency

    @property
    def working(self) -> bool:
        """Whether any item is in progress."""
        return bool(self._tasks)

    def busy(self, lane: Hashable) -> bool:
        """Whether the lane has an item in progress."""
        return lane in self._busy

    def start(self, lane: Hashable, work: Coroutine[Any, Any, None]) -> None:
        """Run one item of a free lane; the lane is free again when it ends."""
        self._busy.add(lane)
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._lane_free(lane, done))

    def _lane_free(self, lane: Hashable, task: asyncio.Task[None]) -> None:
        self._busy.discard(lane)
        self._tasks.discard(task)
        self.wake()

    async def start_due(self) -> None:
        """Start what may be started now (a subclass's job)."""
        raise NotImplementedError

    async def run(self) -> None:
        """Start due work whenever woken, until cancelled; then cancel what is in progress."""
        try:
            while True:
                self._wake.clear()
                try:
                    await self.start_due()
                except STORAGE_ERRORS as error:
                    log.error(
                        "%s: database unreadable: %s", type(self).__name__, type(error).__name__
                    )
                # Not wait_for: on 3.11 it can swallow a cancel that meets a finished wait.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.idle_seconds):
                        await self._wake.wait()
        finally:
            for task in list(self._tasks):
                task.cancel()
            await self.drain()

    async def drain(self) -> None:
        """Wait for the items in progress to end."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
