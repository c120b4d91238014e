"""The managers' web page without a browser: sign-in, refusals, safe edits, revisions."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from bot.config import Settings
from bot.loader import load_or_raise
from bot.pricing import format_range, quote_bundle
from bot.store import Database
from bot.store.audit import AuditLog
from bot.store.web import WebRepository
from bot.web.app import create_app
from bot.web.checking import DataFolders
from bot.web.documents import EditRefused, apply_edits, content_hash
from bot.web.editor import DocumentEditor, FileChanged
from bot.web.links import new_sign_in_link
from bot.web.server import serving_beside
from tests.conftest import database_settings
from tests.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.test_cli import PROJECT, frontdesk
from tests.test_telegram import FAST_RETRIES, STAFF

#: The page reads the store as the bot writes it; it runs on SQLite only (the store's own
#: tests run on both databases).
pytestmark: list[pytest.MarkDecorator] = []

MANAGER = 4242
BASE = "http://testserver"


def web_settings(data_copy: tuple[Path, Path], database: Path | str, **more: Any) -> Settings:
    """Settings for the page over a copy of the data and the test's database."""
    intents, replies = data_copy
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        manager_ids=[MANAGER],
        **database_settings(database),
        intents_dir=intents,
        replies_dir=replies,
        **more,
    )


@pytest.fixture
async def opened(database: Path) -> AsyncIterator[Database]:
    """The test's database, open."""
    async with Database(database) as db:
        yield db


@pytest.fixture
async def client(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like HTTP client talking to the app in this event loop."""
    app = create_app(web_settings(data_copy, database), opened)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


async def sign_in(client: httpx.AsyncClient, database: Database) -> str:
    """Sign the client in with a fresh link; returns the CSRF token of its session."""
    link = await new_sign_in_link(WebRepository(database), MANAGER, BASE)
    response = await client.post("/signin", data={"token": link.rsplit("/", 1)[1]})
    assert response.status_code == 303
    return form_value(await client.get("/prices"), "csrf_token")


def form_value(response: httpx.Response, name: str) -> str:
    """The value of a hidden field in a page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.text)
    assert found is not None, f"no field {name}"
    return found[1]


def cookie_attributes(response: httpx.Response) -> set[str]:
    """The attributes of the cookie a response sets (lowercase), without its value."""
    return {part.strip().lower() for part in response.headers["set-cookie"].split(";")[1:]}


def field_errors(response: httpx.Response) -> dict[str, str]:
    """Each error message shown under a field, by the field's path."""
    return {
        path.replace("-", "."): message
        for path, message in re.findall(
            r'class="field-error" id="error-([\w-]+)-\d+">([^<]*)<', response.text
        )
    }


async def test_a_sign_in_link_signs_in_once_and_never_again(
    client: httpx.AsyncClient, opened: Database
) -> None:
    link = await new_sign_in_link(WebRepository(opened), MANAGER, BASE)
    token = link.rsplit("/", 1)[1]
    opened_link = await client.get(link)
    assert opened_link.status_code == 200 and "Sign in" in opened_link.text
    assert (await client.get("/prices")).status_code == 401  # opening the link spends nothing
    first = await client.post("/signin", data={"token": token})
    assert first.status_code == 303 and first.headers["location"] == "/prices"
    assert (await client.get("/prices")).status_code == 200
    client.cookies.clear()
    again = await client.post("/signin", data={"token": token})
    assert again.status_code == 403
    assert "does not work any more" in again.text
    assert (await client.get("/prices")).status_code == 401


async def test_an_expired_link_signs_no_one_in(
    client: httpx.AsyncClient, opened: Database
) -> None:
    web = WebRepository(opened)
    await web.add_sign_in_link(
        "old-token", MANAGER, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)
    )
    response = await client.post("/signin", data={"token": "old-token"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_a_link_for_someone_no_longer_a_manager_signs_no_one_in(
    client: httpx.AsyncClient, opened: Database
) -> None:
    link = await new_sign_in_link(WebRepository(opened), 77, BASE)
    response = await client.post("/signin", data={"token": link.rsplit("/", 1)[1]})
    assert response.status_code == 403


def every_route(app: Starlette, method: str) -> list[str]:
    """Every address of the app answering `method`, path parameters filled in, sign-in aside."""
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and method in (route.methods or ()):
            path = re.sub(
                r"\{(\w+)(?::int)?\}", lambda m: "1" if ":int" in m[0] else "implants", route.path
            )
            if not path.startswith(("/signin", "/static")):
                paths.append(path)
    return paths


def the_app(data_copy: tuple[Path, Path], database: Path, opened: Database) -> Starlette:
    """The app as `frontdesk web` builds it, to list its routes."""
    return create_app(web_settings(data_copy, database), opened)


async def test_without_a_session_every_page_shows_only_how_to_sign_in(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    paths = every_route(the_app(data_copy, database, opened), "GET")
    assert {"/prices", "/intents", "/numbers", "/try", "/unmatched", "/history"} <= set(paths)
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 401, path
        assert "/web" in response.text and "web-link" in response.text
        assert "Implant" not in response.text and "csrf_token" not in response.text


async def test_every_post_without_a_session_is_refused(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    files = sorted([*data_copy[0].rglob("*.yaml"), *data_copy[1].rglob("*.yaml")])
    before = [path.read_bytes() for path in files]
    paths = every_route(the_app(data_copy, database, opened), "POST")
    assert {"/prices", "/history/1/revert", "/signout", "/intents/implants"} <= set(paths)
    for path in paths:
        response = await client.post(path, data={"components.implant.min": "1"})
        assert response.status_code == 403, path
    assert [path.read_bytes() for path in files] == before


async def test_a_post_without_the_right_csrf_token_is_refused(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    fields = {"base_hash": form_value(page, "base_hash"), "components.implant.min": "1600"}
    assert (await client.post("/prices", data=fields)).status_code == 403
    wrong = {**fields, "csrf_token": csrf[:-1] + ("0" if csrf[-1] != "0" else "1")}
    assert (await client.post("/prices", data=wrong)).status_code == 403
    assert clinic.read_bytes() == before
    assert (await client.post("/prices", data={**fields, "csrf_token": csrf})).status_code == 303


async def test_every_post_of_a_signed_in_manager_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    await sign_in(client, opened)
    files = sorted([*data_copy[0].rglob("*.yaml"), *data_copy[1].rglob("*.yaml")])
    before = [path.read_bytes() for path in files]
    for path in every_route(the_app(data_copy, database, opened), "POST"):
        response = await client.post(path, data={"components.implant.min": "1"})
        assert response.status_code == 403, path
    assert [path.read_bytes() for path in files] == before


async def test_the_session_cookie_is_http_only_and_same_site_strict(
    client: httpx.AsyncClient, opened: Database
) -> None:
    link = await new_sign_in_link(WebRepository(opened), MANAGER, BASE)
    response = await client.post("/signin", data={"token": link.rsplit("/", 1)[1]})
    assert cookie_attributes(response) == {"httponly", "path=/", "samesite=strict"}


async def test_the_session_cookie_is_secure_when_the_page_is_served_over_https(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    app = create_app(web_settings(data_copy, database), opened)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://clinic.example") as web:
        link = await new_sign_in_link(WebRepository(opened), MANAGER, "https://clinic.example")
        response = await web.post("/signin", data={"token": link.rsplit("/", 1)[1]})
    assert cookie_attributes(response) == {"httponly", "path=/", "samesite=strict", "secure"}


async def test_a_session_idle_for_eight_hours_is_over(opened: Database) -> None:
    web = WebRepository(opened)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    await web.start_session("session-a", MANAGER, now=start)
    assert await web.session_manager("session-a", now=start + dt.timedelta(hours=7)) == MANAGER
    later = start + dt.timedelta(hours=14)  # 7 hours after the last request: still alive
    assert await web.session_manager("session-a", now=later) == MANAGER
    assert (
        await web.session_manager("session-a", now=later + dt.timedelta(hours=8, seconds=1))
        is None
    )


@pytest.mark.sqlite_only  # reads the database file's bytes
async def test_links_and_sessions_are_stored_only_as_hashes(
    client: httpx.AsyncClient, opened: Database, database: Path
) -> None:
    link = await new_sign_in_link(WebRepository(opened), MANAGER, BASE)
    token = link.rsplit("/", 1)[1]
    response = await client.post("/signin", data={"token": token})
    session_id = response.cookies["frontdesk_session"]
    await opened.checkpoint()
    stored = await asyncio.to_thread(database.read_bytes)
    assert token.encode() not in stored and session_id.encode() not in stored


async def test_a_sign_in_and_an_edit_go_to_the_audit_log_with_the_manager_id(
    client: httpx.AsyncClient, opened: Database
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    fields = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    await client.post("/prices", data={**fields, "components.exam.price": "99"})
    rows = await opened.fetch_all("SELECT actor, action, subject FROM audit_log ORDER BY id")
    lines = [(row["actor"], row["action"], row["subject"]) for row in rows]
    assert (f"manager:{MANAGER}", "web_sign_in", None) in lines
    assert (f"manager:{MANAGER}", "web_edit", "revision:1 replies/clinic.yaml") in lines


async def test_the_prices_page_names_every_input_by_its_path_in_the_data(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    page = (await client.get("/prices")).text
    for path in (
        "components.implant.min",
        "components.implant.max",
        "components.exam.price",
        "components.exam.per",
        "components.implant.name",
        "bundles.implants.name",
    ):
        assert f'name="{path}"' in page, path
        assert f'<label for="{path}">' in page, path
    knowledge = load_or_raise(*data_copy)
    quote = quote_bundle(knowledge.bundles["implants"], knowledge.components)
    total = format_range(quote.total, knowledge.clinic.currency)
    assert f'id="total-implants">{total}<' in page  # as the bot writes it


async def test_a_price_below_its_minimum_is_shown_at_the_field_and_nothing_is_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    response = await client.post(
        "/prices",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "components.implant.max": "1000",
        },
    )
    assert response.status_code == 422
    assert field_errors(response) == {
        "components.implant.max": "“From” (1500) is more than “To” (1000): the lowest price "
        "must not be above the highest"
    }
    assert 'value="1000"' in response.text  # the manager's input is kept to correct
    assert clinic.read_bytes() == before
    assert await WebRepository(opened).revisions() == []


async def test_a_price_with_a_thousands_separator_is_refused_at_its_field(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    before = (data_copy[1] / "clinic.yaml").read_bytes()
    response = await client.post(
        "/prices",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "components.implant.min": "1,600",
        },
    )
    assert response.status_code == 422
    assert "without separators" in field_errors(response)["components.implant.min"]
    assert (data_copy[1] / "clinic.yaml").read_bytes() == before


async def test_a_save_on_a_version_that_changed_since_is_refused(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    clinic = data_copy[1] / "clinic.yaml"
    edited_elsewhere = clinic.read_text().replace(
        "price: 95, per: visit}", "price: 97, per: visit}"
    )
    clinic.write_text(edited_elsewhere)
    response = await client.post(
        "/prices",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "components.implant.min": "1600",
        },
    )
    assert response.status_code == 409
    assert "This file was changed since you opened it" in response.text
    assert clinic.read_text() == edited_elsewhere


async def test_a_save_records_a_revision_with_its_diff_and_a_revert_undoes_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    clinic = data_copy[1] / "clinic.yaml"
    original = clinic.read_bytes()
    saved = await client.post(
        "/prices",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "components.implant.min": "1600",
        },
    )
    assert saved.headers["location"] == "/prices?saved=1"
    [revision] = await WebRepository(opened).revisions()
    assert revision.manager_id == MANAGER and revision.file == "replies/clinic.yaml"
    assert '-  implant: {name: "Implant placement (by implant system)", min: 1500' in revision.diff
    assert '+  implant: {name: "Implant placement (by implant system)", min: 1600' in revision.diff
    assert revision.previous_content.encode() == original
    history = await client.get("/history")
    assert "Revision 1: replies/clinic.yaml" in history.text
    reverted = await client.post("/history/1/revert", data={"csrf_token": csrf})
    assert reverted.headers["location"] == "/history?reverted=2"
    assert clinic.read_bytes() == original
    newest = (await WebRepository(opened).revisions())[0]
    assert newest.reverts == 1


async def test_an_older_revision_is_not_reverted_over_later_changes(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    for price in ("96", "97"):
        page = await client.get("/prices")
        fields = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
        await client.post("/prices", data={**fields, "components.exam.price": price})
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    response = await client.post("/history/1/revert", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert clinic.read_bytes() == before


def test_an_edit_rewrites_only_the_text_of_the_edited_values() -> None:
    text = (
        "# prices\n"
        "components:\n"
        "  # Implants\n"
        '  implant: {name: "Implant", min: 1500, max: 2400}  # by system\n'
        "  exam: {name: Exam, price: 95}\n"
        "list: [a, b,\n"
        "  c]\n"
    )
    edited = apply_edits(
        text, {"components.implant.max": "2500", "components.exam.name": "Exam: full"}
    )
    assert edited == text.replace("max: 2400", "max: 2500").replace(
        "name: Exam,", 'name: "Exam: full",'
    )


def test_a_list_of_examples_is_replaced_by_its_path_and_the_rest_stays() -> None:
    text = (
        "intents:\n"
        "  - name: implants\n"
        "    examples:\n"
        "      - how much is an implant\n"
        "      - implant price\n"
        "    kind: service\n"
        "  - name: crowns\n"
        "    examples: [crown price]\n"
    )
    edited = apply_edits(
        text, {"intents.implants.examples": ["implant cost", "yes", "do you do implants"]}
    )
    assert edited == (
        "intents:\n"
        "  - name: implants\n"
        "    examples:\n"
        "      - implant cost\n"
        '      - "yes"\n'
        "      - do you do implants\n"
        "    kind: service\n"
        "  - name: crowns\n"
        "    examples: [crown price]\n"
    )
    assert "- implant cost\n    kind" in apply_edits(
        text, {"intents.implants.examples": ["implant cost"]}
    )


def test_an_offer_end_date_is_edited_by_position() -> None:
    text = "offers:\n  - id: scanner\n    ends: 2027-06-30\n"
    assert apply_edits(text, {"offers.0.ends": "2028-01-31"}) == text.replace(
        "2027-06-30", "2028-01-31"
    )
    with pytest.raises(EditRefused) as refused:
        apply_edits(text, {"offers.0.ends": "next summer"})
    assert refused.value.problems[0].field == "offers.0.ends"


def test_a_path_that_names_nothing_is_refused() -> None:
    with pytest.raises(EditRefused) as refused:
        apply_edits("components:\n  exam: {price: 95}\n", {"components.nope.price": "1"})
    assert refused.value.problems[0].field == "components.nope.price"


def test_content_hash_changes_with_any_byte() -> None:
    assert content_hash("a: 1\n") != content_hash("a: 1\n\n")


def test_web_link_prints_a_link_only_for_a_manager(tmp_path: Path) -> None:
    env = {
        "DATABASE_PATH": str(tmp_path / "web.sqlite3"),
        "MANAGER_IDS": str(MANAGER),
        "WEB_PUBLIC_URL": "https://clinic.example/admin",
    }
    refused = frontdesk("web-link", "--manager", "12", env=env)
    assert refused.returncode == 2 and "not in MANAGER_IDS" in refused.stderr
    printed = frontdesk("web-link", "--manager", str(MANAGER), env=env)
    assert printed.returncode == 0, printed.stderr
    assert re.fullmatch(r"https://clinic\.example/admin/signin/[\w-]{40,}\n", printed.stdout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_page_is_served_beside_the_bot_when_web_port_is_set(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    port = _free_port()
    settings = web_settings(data_copy, database, web_port=port)
    async with serving_beside(settings, opened), httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                response = await http.get(f"http://127.0.0.1:{port}/prices")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        assert response.status_code == 401
        assert response.headers["x-frame-options"] == "DENY"
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as http:
            await http.get(f"http://127.0.0.1:{port}/prices")


async def test_web_in_the_staff_chat_sends_a_manager_a_private_link_and_refuses_others(
    api: FakeBotApi, data_copy: tuple[Path, Path], database: Path, knowledge: Any
) -> None:
    from bot.telegram.app import build_application, running

    settings = web_settings(
        data_copy,
        database,
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=api.url,
        staff_chat_id=STAFF,
        web_public_url="https://clinic.example",
    )
    application = build_application(settings, knowledge, retry_policy=FAST_RETRIES)
    async with running(application, poll_timeout=1):
        api.user_message(555, "/web", chat_id=STAFF, chat_type="supergroup")
        refusal = await api.wait_for(lambda r: r.chat_id == STAFF, timeout=15.0)
        assert "for clinic managers" in (refusal.text or "")
        since = len(api.sent)
        api.user_message(MANAGER, "/web", chat_id=STAFF, chat_type="supergroup")
        private = await api.wait_for(lambda r: r.chat_id == MANAGER, since=since, timeout=15.0)
        note = await api.wait_for(lambda r: r.chat_id == STAFF, since=since, timeout=15.0)
    found = re.search(r"https://clinic\.example/signin/([\w-]+)", private.text or "")
    assert found is not None
    assert "private message" in (note.text or "")
    async with Database(database) as db:
        assert await WebRepository(db).use_sign_in_link(found[1]) == MANAGER


async def _get_when_up(url: str, process: asyncio.subprocess.Process) -> httpx.Response:
    """GET a page of a starting server, waiting for it to listen (or to die)."""
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            if process.returncode is not None:
                break
            try:
                return await http.get(url)
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


async def _start(*arguments: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *arguments,
        cwd=PROJECT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_frontdesk_web_serves_the_page_until_interrupted(tmp_path: Path) -> None:
    port = _free_port()
    env = {"DATABASE_PATH": str(tmp_path / "web.sqlite3"), "WEB_PORT": str(port)}
    process = await _start("web", env=env)
    try:
        response = await _get_when_up(f"http://127.0.0.1:{port}/", process)
        assert response.status_code == 401 and "web-link" in response.text
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_frontdesk_run_serves_the_page_beside_the_bot_when_web_port_is_set(
    tmp_path: Path, api: FakeBotApi
) -> None:
    port = _free_port()
    env = {
        "DATABASE_PATH": str(tmp_path / "run.sqlite3"),
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_BASE_URL": api.url,
        "WEB_PORT": str(port),
    }
    process = await _start("run", env=env)
    try:
        response = await _get_when_up(f"http://127.0.0.1:{port}/prices", process)
        assert response.status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_signing_out_ends_the_session(client: httpx.AsyncClient, opened: Database) -> None:
    csrf = await sign_in(client, opened)
    response = await client.post("/signout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert (await client.get("/prices")).status_code == 401


async def test_an_error_in_another_file_is_named_at_the_top_and_nothing_is_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    offers = data_copy[1] / "offers.yaml"
    offers.write_text(offers.read_text().replace("ends:", "endz:", 1))
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    response = await client.post(
        "/prices",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "components.implant.min": "1600",
        },
    )
    assert response.status_code == 422
    assert field_errors(response) == {}
    assert re.search(r"<p>replies/offers\.yaml:\d+: [^<]*endz", response.text)
    assert "Nothing was saved." in response.text
    assert clinic.read_bytes() == before


def test_web_settings_are_checked_and_the_port_is_optional() -> None:
    assert Settings(_env_file=None).web_port is None  # type: ignore[call-arg]
    assert Settings(_env_file=None).web_host == "127.0.0.1"  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="65535"):
        Settings(_env_file=None, web_port=70000)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="http"):
        Settings(_env_file=None, web_public_url="clinic.example")  # type: ignore[call-arg]


async def test_a_manager_taken_off_manager_ids_loses_the_page_at_once(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], database: Path
) -> None:
    await sign_in(client, opened)
    settings = web_settings(data_copy, database)
    settings.manager_ids.clear()
    transport = httpx.ASGITransport(app=create_app(settings, opened))
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, cookies=client.cookies
    ) as later:
        assert (await later.get("/prices")).status_code == 401


async def test_behind_an_https_proxy_on_this_host_the_session_cookie_is_secure(
    data_copy: tuple[Path, Path], database: Path, opened: Database
) -> None:
    port = _free_port()
    settings = web_settings(data_copy, database, web_port=port)
    link = await new_sign_in_link(WebRepository(opened), MANAGER, "https://desk.example")
    token = link.rsplit("/", 1)[1]
    async with serving_beside(settings, opened), httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                response = await http.post(
                    f"http://127.0.0.1:{port}/signin",
                    data={"token": token},
                    headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
                )
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    assert response.status_code == 303
    assert "secure" in cookie_attributes(response)


def test_a_setting_the_file_leaves_out_is_added_where_it_belongs() -> None:
    text = (
        "components:\n"
        "  exam: {name: Exam, price: 95}  # note\n"
        "clinic:\n"
        "  name: X\n"
        '  phone: "1"\n'
        "# end\n"
    )
    assert apply_edits(text, {"components.exam.per": "visit", "clinic.email": "a@b.example"}) == (
        "components:\n"
        "  exam: {name: Exam, price: 95, per: visit}  # note\n"
        "clinic:\n"
        "  name: X\n"
        '  phone: "1"\n'
        "  email: a@b.example\n"
        "# end\n"
    )


async def test_a_clinic_file_broken_by_hand_is_explained_not_crashed_on(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("components:", "components: [", 1))
    before = clinic.read_bytes()
    page = await client.get("/prices")
    assert page.status_code == 503
    assert "frontdesk check" in page.text and 'href="/history"' in page.text
    saved = await client.post(
        "/prices", data={"csrf_token": csrf, "base_hash": "x", "components.exam.price": "1"}
    )
    assert saved.status_code == 503
    assert clinic.read_bytes() == before


def test_an_edit_of_a_file_that_is_not_valid_yaml_is_refused() -> None:
    with pytest.raises(EditRefused) as refused:
        apply_edits("components: [\n", {"components.exam.price": "1"})
    assert "not valid YAML" in refused.value.problems[0].message


async def test_two_saves_at_the_same_moment_on_one_version_let_exactly_one_through(
    data_copy: tuple[Path, Path], opened: Database
) -> None:
    editor = DocumentEditor(DataFolders(*data_copy), WebRepository(opened), AuditLog(opened))
    _, base_hash = editor.current("replies/clinic.yaml")
    results = await asyncio.gather(
        editor.save(MANAGER, "replies/clinic.yaml", base_hash, {"components.exam.price": "96"}),
        editor.save(MANAGER, "replies/clinic.yaml", base_hash, {"components.exam.price": "97"}),
        return_exceptions=True,
    )
    refused = [result for result in results if isinstance(result, FileChanged)]
    assert len(refused) == 1
    text = (data_copy[1] / "clinic.yaml").read_text()
    winner = "96" if not isinstance(results[0], FileChanged) else "97"
    assert f"price: {winner}, per: visit}}" in text
    assert len(await WebRepository(opened).revisions()) == 1


async def test_the_prices_page_groups_parts_under_the_file_s_own_headings(
    client: httpx.AsyncClient, opened: Database
) -> None:
    await sign_in(client, opened)
    page = (await client.get("/prices")).text
    implants = page.index('<h3 class="group">Implants</h3>')
    assert implants < page.index('id="component-implant"') < page.index('id="component-abutment"')
    assert page.index('<h3 class="group">Diagnostics</h3>') < page.index('id="component-exam"')


async def test_a_busy_web_port_leaves_the_bot_running_and_says_so(
    data_copy: tuple[Path, Path],
    database: Path,
    opened: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = web_settings(data_copy, database, web_port=port)
        async with serving_beside(settings, opened):
            for _ in range(100):
                if "cannot be used" in caplog.text:
                    break
                await asyncio.sleep(0.05)
    assert f"the web page is not served: port {port} cannot be used" in caplog.text
