"""What every page shares: its place in the navigation, the app's services, rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.templating import Jinja2Templates

from bot.config import Settings
from bot.store import Database
from bot.store.audit import AuditLog
from bot.store.web import WebRepository
from bot.web.auth import CSRF_FIELD, CSRF_HEADER, Visit
from bot.web.checking import DataFolders
from bot.web.editor import DocumentEditor

if TYPE_CHECKING:
    from bot.core import FrontDesk

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")


@dataclass(frozen=True)
class Page:
    """One page of the site: its title and address in the navigation, and its routes.

    A new page is one module that builds a `Page` and one template; `bot.web.app` lists it.
    """

    title: str
    path: str
    routes: list[BaseRoute] = field(default_factory=list)


@dataclass
class WebServices:
    """What the pages work with; one per app, shared with the bot when `run` serves the page."""

    settings: Settings
    database: Database
    web: WebRepository
    audit: AuditLog
    folders: DataFolders
    editor: DocumentEditor
    #: The bot's live core when `frontdesk run` serves the page (None under `frontdesk web`):
    #: what it knows right now, swapped on every reload, for pages that ask it questions.
    front_desk: FrontDesk | None = None
    pages: list[Page] = field(default_factory=list)

    @classmethod
    def build(
        cls, settings: Settings, database: Database, front_desk: FrontDesk | None = None
    ) -> WebServices:
        """The services over an open (or soon opened) database and the configured folders."""
        web = WebRepository(database)
        audit = AuditLog(database)
        folders = DataFolders(settings.intents_dir, settings.replies_dir)
        editor = DocumentEditor(folders, web, audit)
        return cls(settings, database, web, audit, folders, editor, front_desk)


def services_of(request: Request) -> WebServices:
    """The services of the app serving this request."""
    services = request.app.state.services
    assert isinstance(services, WebServices)
    return services


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    visit: Visit | None = None,
    status_code: int = 200,
) -> Response:
    """A page from its template, with the navigation and, when signed in, the CSRF token."""
    services = services_of(request)
    full = {
        "pages": services.pages,
        "current_path": request.url.path,
        "manager": visit.manager if visit else None,
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "csrf_token": visit.manager.csrf_token if visit else "",
        **(context or {}),
    }
    return TEMPLATES.TemplateResponse(request, template, full, status_code=status_code)
