"""Serving the web app with uvicorn: on its own (`frontdesk web`) or beside the Telegram bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import uvicorn

from bot.config import DEFAULT_WEB_PORT, Settings
from bot.store import Database, DatabaseUnwritable
from bot.web.app import create_app
from bot.web.links import public_base_url

if TYPE_CHECKING:
    from bot.core import FrontDesk

log = logging.getLogger(__name__)


class BesideServer(uvicorn.Server):
    """A uvicorn server that leaves SIGINT and SIGTERM to whoever runs it (the bot, the CLI)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Install no signal handlers: the bot's own stop the whole process."""
        yield


def server_config(
    settings: Settings, database: Database, port: int, front_desk: FrontDesk | None = None
) -> uvicorn.Config:
    """uvicorn's settings: the app, the address, and X-Forwarded-* trusted only from the proxy.

    The proxy is trusted at 127.0.0.1 and ::1, or at the addresses in uvicorn's own
    FORWARDED_ALLOW_IPS environment variable.
    """
    return uvicorn.Config(
        create_app(settings, database, front_desk),
        host=settings.web_host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=None,
        log_config=None,  # our logging; uvicorn's access log would print addresses and paths
        access_log=False,
        server_header=False,
        lifespan="off",
    )


@contextlib.asynccontextmanager
async def serving_beside(
    settings: Settings, database: Database, front_desk: FrontDesk | None = None
) -> AsyncIterator[None]:
    """While inside, serve the page on WEB_PORT (if set) in this process and event loop."""
    if settings.web_port is None:
        yield
        return
    server = BesideServer(server_config(settings, database, settings.web_port, front_desk))
    task = asyncio.create_task(_serve_or_log(server, settings.web_port), name="web")
    log.info("web page on %s:%s", settings.web_host, settings.web_port)
    try:
        yield
    finally:
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)


async def _serve_or_log(server: uvicorn.Server, port: int) -> None:
    """Serve; if the port cannot be used, say so and let the bot go on without the page."""
    try:
        await server.serve()
    except SystemExit:  # uvicorn exits when it cannot listen; the bot must not stop with it
        log.error("the web page is not served: port %s cannot be used", port)


async def serve_alone(settings: Settings) -> int:
    """`frontdesk web`: open the database and serve the page until Ctrl-C."""
    database = Database(settings.database)
    try:
        await database.open()
    except DatabaseUnwritable as error:
        print(f"frontdesk web: the database cannot be written: {error}", file=sys.stderr)
        return 1
    port = settings.web_port or DEFAULT_WEB_PORT
    server = BesideServer(server_config(settings, database, port))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Stop serving, then close the database: its thread would keep the process alive.
        loop.add_signal_handler(sig, setattr, server, "should_exit", True)
    try:
        print(
            f"Serving the managers' page on {settings.web_host}:{port}; sign in with a link "
            f"from `frontdesk web-link --manager ID` ({public_base_url(settings)}).",
            file=sys.stderr,
        )
        await server.serve()
        return 0 if server.started else 1
    finally:
        await database.close()
