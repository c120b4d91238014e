"""The History page: every saved change with its diff, and a Revert button for each."""

from __future__ import annotations

import logging

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.web.auth import Guard, Visit
from bot.web.documents import EditRefused
from bot.web.editor import FileChanged
from bot.web.pages import Page, render, services_of

log = logging.getLogger(__name__)

#: How many revisions the page lists, newest first.
SHOWN = 50


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """Each line of a unified diff with how to show it: added, removed, place or context."""
    kinds = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "place"
        elif line.startswith("+"):
            kind = "added"
        elif line.startswith("-"):
            kind = "removed"
        else:
            kind = "context"
        kinds.append((kind, line))
    return kinds


async def _show(visit: Visit, errors: list[str], notice: str = "", status: int = 200) -> Response:
    services = services_of(visit.request)
    revisions = await services.web.revisions(SHOWN)
    return render(
        visit.request,
        "history.html",
        {
            "revisions": revisions,
            "diffs": {revision.id: diff_lines(revision.diff) for revision in revisions},
            "errors": errors,
            "notice": notice,
        },
        visit=visit,
        status_code=status,
    )


async def show_history(visit: Visit) -> Response:
    """The saved changes, newest first."""
    reverted = visit.request.query_params.get("reverted")
    notice = f"Reverted: the change is undone, saved as revision {reverted}." if reverted else ""
    return await _show(visit, [], notice)


async def revert(visit: Visit) -> Response:
    """Undo one revision (a checked save, recorded as a revision of its own)."""
    services = services_of(visit.request)
    revision_id = int(visit.request.path_params["revision_id"])
    try:
        saved = await services.editor.revert(visit.manager.id, revision_id)
    except KeyError:
        return await _show(visit, [f"There is no revision {revision_id}."], status=404)
    except FileChanged as changed:
        return await _show(visit, [str(changed)], status=409)
    except EditRefused as refused:
        messages = [problem.message for problem in refused.problems]
        return await _show(visit, ["The revert was not saved:", *messages], status=422)
    return RedirectResponse(f"/history?reverted={saved.revision_id}", status_code=303)


def page(managers: Guard) -> Page:
    """The History page and its routes."""
    return Page(
        "History",
        "/history",
        [
            Route("/history", managers(show_history)),
            Route("/history/{revision_id:int}/revert", managers(revert), methods=["POST"]),
        ],
    )
