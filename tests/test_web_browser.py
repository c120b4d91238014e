"""The managers' web page in a real Chromium: sign in, edit prices, errors, history, conflicts.

The app runs with uvicorn on 127.0.0.1 (the same server `frontdesk run` starts beside the bot)
over a copy of intents/ and replies/ and a SQLite file, all in tmp_path. Each test leaves
screenshots of the pages it saw in docs/screenshots/.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.pricing import format_range, quote_bundle
from bot.store import Database, Store
from bot.store.web import WebRepository
from bot.web.links import new_sign_in_link
from bot.web.server import serving_beside
from tests.test_web import MANAGER, web_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SECOND_MANAGER = 4343

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


@dataclass
class Site:
    """The page under test: its address, its database and the copied data."""

    url: str
    database: Database
    intents: Path
    replies: Path

    @property
    def clinic(self) -> Path:
        """The copied replies/clinic.yaml the page edits."""
        return self.replies / "clinic.yaml"

    async def link(self, manager_id: int = MANAGER) -> str:
        """A fresh one-time sign-in link."""
        return await new_sign_in_link(WebRepository(self.database), manager_id, self.url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def site(data_copy: tuple[Path, Path], database: Path) -> AsyncIterator[Site]:
    """uvicorn serving the page on a free port, over the copies in tmp_path."""
    port = _free_port()
    settings = web_settings(data_copy, database, web_port=port)
    settings.manager_ids.append(SECOND_MANAGER)
    async with Database(database) as opened, serving_beside(settings, opened):
        url = f"http://127.0.0.1:{port}"
        await _wait_until_listening(port)
        yield Site(url, opened, *data_copy)


async def _wait_until_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError("the web page never started listening")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Chromium from Debian, headless, with no traffic of its own on the closed network."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser profile (no cookies) with a laptop-sized window."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    yield await context.new_page()
    await context.close()


async def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


async def sign_in(page: Page, site: Site, manager_id: int = MANAGER) -> None:
    """Open a fresh link and press Sign in; the page then shows the prices."""
    await page.goto(await site.link(manager_id))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{site.url}/prices")


async def save(page: Page) -> None:
    """Press the first Save button and wait for the answer page."""
    async with page.expect_navigation():
        await page.get_by_role("button", name="Save prices").first.click()


async def test_the_one_time_link_signs_in_once_and_never_again(
    site: Site, page: Page, browser: Browser
) -> None:
    link = await site.link()
    await page.goto(link)
    await screenshot(page, "sign-in-link")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{site.url}/prices")
    assert await page.get_by_role("heading", name="Prices", exact=True).is_visible()
    assert await page.get_by_text(f"Manager {MANAGER}").is_visible()

    other = await browser.new_context()
    second = await other.new_page()
    await second.goto(link)
    await second.get_by_role("button", name="Sign in").click()
    await second.wait_for_load_state()
    assert await second.get_by_role(
        "heading", name="This link does not work any more"
    ).is_visible()
    await screenshot(second, "sign-in-link-used")
    response = await second.goto(f"{site.url}/prices")
    assert response is not None and response.status == 401
    await other.close()


async def test_without_a_session_every_page_and_every_post_is_refused(
    site: Site, page: Page
) -> None:
    before = site.clinic.read_bytes()
    for path in ("/", "/prices", "/history"):
        response = await page.goto(site.url + path)
        assert response is not None and response.status == 401, path
        assert await page.get_by_role("heading", name="Sign in to edit the clinic's data").count()
        assert await page.locator("input").count() == 0, path
    await screenshot(page, "sign-in-needed")
    for path in ("/prices", "/history/1/revert", "/signout"):
        answer = await page.request.post(
            site.url + path, form={"components.implant.min": "1"}, max_redirects=0
        )
        assert answer.status == 403, path
    assert site.clinic.read_bytes() == before


async def test_a_post_without_the_csrf_token_is_refused_even_when_signed_in(
    site: Site, page: Page
) -> None:
    await sign_in(page, site)
    before = site.clinic.read_bytes()
    base_hash = await page.locator("input[name=base_hash]").input_value()
    answer = await page.request.post(
        f"{site.url}/prices",
        form={"base_hash": base_hash, "components.implant.min": "1600"},
        max_redirects=0,
    )
    assert answer.status == 403
    assert site.clinic.read_bytes() == before


async def test_changing_the_implant_price_changes_the_total_a_patient_is_quoted(
    site: Site, page: Page, tmp_path: Path
) -> None:
    await sign_in(page, site)
    await screenshot(page, "prices")
    total = page.locator("#total-implants")
    before = await total.text_content()
    await page.locator("#components\\.implant\\.min").fill("1700")
    await page.locator("#components\\.implant\\.max").fill("2600")
    # The total changes as the manager types, before anything is saved.
    assert await total.text_content() != before
    typed_total = await total.text_content()
    await total.scroll_into_view_if_needed()
    await screenshot(page, "prices-typing")
    await save(page)
    assert await page.locator(".notice").text_content() == (
        "Saved as revision 1. The bot quotes the new prices within a few seconds."
    )
    assert "min: 1700, max: 2600" in site.clinic.read_text()

    knowledge = load_or_raise(site.intents, site.replies)
    quote = quote_bundle(knowledge.bundles["implants"], knowledge.components)
    expected = format_range(quote.total, knowledge.clinic.currency)
    assert expected == typed_total  # what the page showed is what the bot will say
    store = Store(Database(tmp_path / "patients.sqlite3"))
    await store.open()
    try:
        front_desk = FrontDesk(Brain.build(knowledge), store)
        async with store.unit_of_work():
            outcome = await front_desk.handle_text("console:web-test", "how much is an implant")
    finally:
        await store.close()
    said = "\n".join(message.text for message in outcome.messages)
    assert expected in said
    assert before not in said


async def test_a_part_switched_to_a_range_and_a_part_unticked_change_the_totals_as_you_go(
    site: Site, page: Page
) -> None:
    await sign_in(page, site)
    total = page.locator("#total-urgent_visit")
    assert await total.text_content() == "$125"  # exam $95 and an X-ray of the tooth $30
    assert await page.locator("#components\\.exam\\.min").is_hidden()
    await page.locator("#kind\\:components\\.exam").select_option("range")
    assert await page.locator("#components\\.exam\\.price").is_hidden()
    assert await page.locator("#components\\.exam\\.min").input_value() == "95"  # starts there
    await page.locator("#components\\.exam\\.max").fill("140")
    assert await total.text_content() == "$125–$170"
    await page.locator("#total-urgent_visit").scroll_into_view_if_needed()
    bundle = page.locator('[data-bundle-parts="urgent_visit"]')
    await page.locator("#bundle-urgent_visit-title").locator("..").locator("summary").click()
    await bundle.get_by_label("Periapical X-ray (one tooth)").uncheck()
    assert await total.text_content() == "$95–$140"
    await screenshot(page, "prices-parts")
    await save(page)
    saved = site.clinic.read_text()
    assert (
        'exam: {name: "Comprehensive exam and consultation", per: visit, min: 95, max: 140}'
        in saved
    )
    assert "parts: [exam]\n" in saved


async def test_a_save_with_max_below_min_shows_the_message_at_the_field_and_changes_nothing(
    site: Site, page: Page
) -> None:
    await sign_in(page, site)
    before = site.clinic.read_bytes()
    field = page.locator("#components\\.implant\\.max")
    await field.fill("1000")
    await save(page)
    assert await field.get_attribute("aria-invalid") == "true"
    described = await field.get_attribute("aria-describedby")
    assert described is not None
    message = page.locator(f"#{described.split()[0]}")
    assert await message.text_content() == (
        "“From” (1500) is more than “To” (1000): the lowest price must not be above the highest"
    )
    # The message sits in the same card as the field.
    card = page.locator("#component-implant")
    assert await card.locator(".field-error").count() == 1
    await message.scroll_into_view_if_needed()
    await screenshot(page, "prices-error")
    assert site.clinic.read_bytes() == before


async def test_a_revert_restores_the_previous_file(site: Site, page: Page) -> None:
    await sign_in(page, site)
    original = site.clinic.read_bytes()
    await page.locator("#components\\.exam\\.price").fill("105")
    await save(page)
    assert site.clinic.read_bytes() != original
    await page.get_by_role("link", name="History").click()
    assert await page.locator("pre.diff .added").first.text_content() == (
        '+  exam: {name: "Comprehensive exam and consultation", price: 105, per: visit}'
    )
    await screenshot(page, "history")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Revert revision 1").click()
    assert "Reverted" in (await page.locator(".notice").text_content() or "")
    assert site.clinic.read_bytes() == original
    assert await page.get_by_role("heading", name="Revision 2: replies/clinic.yaml").count()


async def test_two_concurrent_edits_do_not_overwrite_each_other(
    site: Site, page: Page, browser: Browser
) -> None:
    other = await browser.new_context()
    second = await other.new_page()
    await sign_in(page, site)
    await sign_in(second, site, SECOND_MANAGER)  # both opened the same version
    await page.locator("#components\\.implant\\.min").fill("1600")
    await second.locator("#components\\.exam\\.price").fill("99")
    await save(page)
    await save(second)
    alert = second.get_by_role("alert")
    assert "This file was changed since you opened it" in (await alert.text_content() or "")
    await screenshot(second, "prices-conflict")
    saved = site.clinic.read_text()
    assert "min: 1600, max: 2400" in saved  # the first save stands
    assert "price: 95, per: visit}" in saved and "price: 99" not in saved
    await other.close()


async def test_the_prices_page_fits_a_phone_works_offline_and_is_reachable_by_keyboard(
    site: Site, browser: Browser
) -> None:
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await phone.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    await sign_in(page, site)
    assert await page.evaluate("typeof htmx") == "object"  # the vendored copy, no CDN
    assert problems == []  # nothing blocked by the page's strict Content-Security-Policy
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the screen
    await screenshot(page, "prices-phone")
    navigation = [text.strip() for text in await page.locator("nav a").all_text_contents()]
    assert navigation[0] == "Prices" and "History" in navigation
    focused = []
    for _ in range(len(navigation) + 4):
        await page.keyboard.press("Tab")
        focused.append(await page.evaluate("document.activeElement.textContent.trim()"))
    reached = ["Skip to the page", *navigation, "Sign out", "Save prices"]
    assert focused[: len(reached)] == reached  # every link, then the form, by keyboard alone
    await phone.close()
