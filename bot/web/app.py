"""The managers' web app assembled: sign-in, the pages, static files, safe headers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.store import Database
from bot.web import (
    clinic_page,
    history,
    intents_page,
    numbers_page,
    offers_page,
    prices,
    replies_page,
    try_page,
    unmatched_page,
)
from bot.web.auth import (
    SESSION_COOKIE,
    Guard,
    Visit,
    clear_session_cookie,
    managers_only,
    set_session_cookie,
    signed_in,
)
from bot.web.links import new_secret
from bot.web.pages import HERE, Page, WebServices, render, services_of

if TYPE_CHECKING:
    from bot.core import FrontDesk

log = logging.getLogger(__name__)

#: Every page, in the order of the navigation. A new page: one module, one template, one line.
PAGE_BUILDERS: tuple[Callable[[Guard], Page], ...] = (
    prices.page,
    replies_page.page,
    intents_page.page,
    offers_page.page,
    clinic_page.page,
    unmatched_page.page,
    try_page.page,
    numbers_page.page,
    history.page,
)

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a sign-in link must not leak in a Referer
]


class SecurityHeaders:
    """Adds the headers every response carries; pages (not static files) are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def refuse(request: Request, status_code: int) -> Response:
    """The sign-in explanation: what a visitor without a session sees, and never any data."""
    return render(request, "sign_in_needed.html", {"status": status_code}, status_code=status_code)


managers = managers_only(
    lambda request: services_of(request).web,
    lambda request: services_of(request).settings.manager_ids,
    refuse,
)


async def home(request: Request) -> Response:
    """The first page: the sign-in explanation, or the first page of the navigation."""
    services = services_of(request)
    if await signed_in(request, services.web, services.settings.manager_ids) is None:
        return await refuse(request, 401)
    return RedirectResponse(services.pages[0].path, status_code=303)


async def sign_in_link(request: Request) -> Response:
    """A link from Telegram: a button that signs in (opening the link alone spends nothing)."""
    token = request.path_params["token"]
    return render(request, "sign_in.html", {"token": token})


async def sign_in(request: Request) -> Response:
    """Spend a one-time link and start a session."""
    services = services_of(request)
    form = await request.form()
    token = form.get("token")
    manager_id = await services.web.use_sign_in_link(token) if isinstance(token, str) else None
    if manager_id is None or manager_id not in services.settings.manager_ids:
        log.warning("web sign-in refused: link unknown, used, expired or not a manager")
        return render(request, "sign_in_refused.html", status_code=403)
    session_id = new_secret()
    await services.web.purge_expired()  # spent links and idle sessions are kept no longer
    async with services.database.unit_of_work():
        await services.web.start_session(session_id, manager_id)
        await services.audit.record(f"manager:{manager_id}", "web_sign_in")
    log.info("manager=%s signed in to the web page", manager_id)
    response = RedirectResponse(services.pages[0].path, status_code=303)
    set_session_cookie(response, request, session_id)
    return response


@managers
async def sign_out(visit: Visit) -> Response:
    """End this browser's session."""
    request = visit.request
    services = services_of(request)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    await services.web.end_session(session_id)
    await services.audit.record(f"manager:{visit.manager.id}", "web_sign_out")
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, request)
    return response


def create_app(
    settings: Settings, database: Database, front_desk: FrontDesk | None = None
) -> Starlette:
    """The web app over the data folders and the (open) database it shares with the bot."""
    services = WebServices.build(settings, database, front_desk)
    services.pages = [build(managers) for build in PAGE_BUILDERS]
    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/signin/{token}", sign_in_link),
        Route("/signin", sign_in, methods=["POST"]),
        Route("/signout", sign_out, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    for page in services.pages:
        routes.extend(page.routes)
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.services = services
    return app


__all__ = ["Page", "create_app"]
