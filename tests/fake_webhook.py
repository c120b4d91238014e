"""Telegram's webhook delivery and the clinic's load balancer, for several `frontdesk run` workers.

Telegram posts each update to the webhook URL with the secret header and forgets it only after
a 200; until then it posts it again. In front of the workers a load balancer passes each post to
the next worker in turn, and to another one when a worker does not answer (killed, restarting).
Like Telegram, one chat's next update is posted only after its previous one was accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import aiohttp

from tests.fake_bot_api import FakeBotApi, JSONDict


def update_chat(update: JSONDict) -> int:
    """The chat (or user) an update is about, which keeps its updates in order."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat") or (value.get("message") or {}).get("chat")
        if isinstance(chat, dict):
            return int(chat["id"])
        sender = value.get("from")
        if isinstance(sender, dict):
            return int(sender["id"])
    return 0


@dataclass
class DeliveryCounts:
    """What the delivery did: posts accepted, posts refused or failed, per worker."""

    accepted: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)


class WebhookDelivery:
    """Posts the fake server's updates to the workers behind a round-robin load balancer."""

    def __init__(
        self, api: FakeBotApi, workers: list[str], max_connections: int = 40, retry: float = 0.2
    ) -> None:
        self.api = api
        self.workers = list(workers)
        self.max_connections = max_connections
        self.retry = retry
        self.counts = DeliveryCounts()
        self._next = 0
        self._posting: dict[int, int] = {}  # chat -> update_id being posted
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> WebhookDelivery:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self._loop = asyncio.create_task(self._deliver())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def _deliver(self) -> None:
        while True:
            webhook = self.api.webhook
            if webhook is not None:
                for update in self.api.undelivered():
                    if len(self._tasks) >= self.max_connections:
                        break
                    chat = update_chat(update)
                    if chat in self._posting:
                        continue  # the chat's earlier update first
                    self._posting[chat] = update["update_id"]
                    task = asyncio.create_task(self._post(update, chat, webhook))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            await self.api.next_change(0.05)
            await asyncio.sleep(0.01)  # a burst of new updates is looked at once, not each

    def _worker(self) -> str:
        worker = self.workers[self._next % len(self.workers)]
        self._next += 1
        return worker

    async def _post(self, update: JSONDict, chat: int, webhook: JSONDict) -> None:
        assert self._session is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": str(webhook.get("secret_token", ""))}
        try:
            while True:
                for _ in self.workers:  # a worker that does not answer: the next one
                    worker = self._worker()
                    status = 0
                    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                        async with self._session.post(
                            worker, json=update, headers=headers
                        ) as answer:
                            status = answer.status
                    if status == 200:
                        self.counts.accepted[worker] = self.counts.accepted.get(worker, 0) + 1
                        self.api.confirm_delivered(update["update_id"])
                        return
                    self.counts.failed[worker] = self.counts.failed.get(worker, 0) + 1
                await asyncio.sleep(self.retry)  # none answered: Telegram tries again later
        finally:
            self._posting.pop(chat, None)
