"""Who is signed in: one-time links, session cookies, and the CSRF token of every form."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from bot.store.web import WebRepository

log = logging.getLogger(__name__)

SESSION_COOKIE = "frontdesk_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def csrf_token_of(session_id: str) -> str:
    """The CSRF token of a session: derived from its id, so it need not be stored."""
    return hmac.new(session_id.encode("utf-8"), b"csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Manager:
    """A signed-in manager, and the CSRF token their forms must carry."""

    id: int
    csrf_token: str


@dataclass(frozen=True)
class Visit:
    """A signed-in manager's request, with its form already read (on POST)."""

    request: Request
    manager: Manager
    form: FormData | None


PageHandler = Callable[[Visit], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
Refusal = Callable[[Request, int], Awaitable[Response]]
#: Turns a page's handler into an endpoint only a signed-in manager gets through.
Guard = Callable[[PageHandler], Endpoint]


async def signed_in(
    request: Request, web: WebRepository, manager_ids: Collection[int]
) -> Manager | None:
    """The manager of the request's session cookie (still in MANAGER_IDS), or None."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    manager_id = await web.session_manager(session_id)
    if manager_id is None or manager_id not in manager_ids:
        return None
    return Manager(manager_id, csrf_token_of(session_id))


async def csrf_ok(request: Request, manager: Manager, form: FormData) -> bool:
    """Whether a POST carries the session's CSRF token (form field or header)."""
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    return isinstance(sent, str) and hmac.compare_digest(sent, manager.csrf_token)


def set_session_cookie(response: Response, request: Request, session_id: str) -> None:
    """The session cookie: HttpOnly, SameSite=Strict, Secure whenever the page is on https.

    It has no expiry of its own: the server ends the session after 8 hours without a request.
    """
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Forget the session cookie in the browser."""
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def managers_only(
    web_of: Callable[[Request], WebRepository],
    manager_ids_of: Callable[[Request], Collection[int]],
    refuse: Refusal,
) -> Guard:
    """Wrap a page: no session, no data (401 page, 403 on POST); a POST needs the CSRF token."""

    def wrap(handler: PageHandler) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            manager = await signed_in(request, web_of(request), manager_ids_of(request))
            posting = request.method not in ("GET", "HEAD")
            if manager is None:
                if posting:
                    log.warning("web %s %s refused: no session", request.method, request.url.path)
                return await refuse(request, 403 if posting else 401)
            form = None
            if posting:
                form = await request.form()
                if not await csrf_ok(request, manager, form):
                    log.warning("manager=%s web POST refused: bad CSRF token", manager.id)
                    return await refuse(request, 403)
            return await handler(Visit(request, manager, form))

        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap
