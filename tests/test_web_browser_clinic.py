"""The Offers and Clinic pages in a real Chromium: edits the bot answers with, and refusals."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store
from tests import test_web_browser
from tests.test_web_browser import Site, screenshot, sign_in

pytestmark = test_web_browser.pytestmark
site = test_web_browser.site  # the fixtures, shared with the Prices page's tests
browser = test_web_browser.browser
page = test_web_browser.page


async def save(page: Page, button: str) -> None:
    """Press the first Save button of the page and wait for the answer page."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=button).first.click()


def front_desk_over(site: Site, store: Store) -> FrontDesk:
    """The bot as it would run over the saved copy of the data."""
    return FrontDesk(Brain.build(load_or_raise(site.intents, site.replies)), store)


async def answer(front_desk: FrontDesk, patient: str, text: str) -> tuple[str, list[str]]:
    """What the bot says to one message, and the offers it showed."""
    async with front_desk.store.unit_of_work():
        outcome = await front_desk.handle_text(f"console:{patient}", text)
    said = "\n".join(message.text for message in outcome.messages)
    return said, [effect.offer_id for effect in outcome.effects if hasattr(effect, "offer_id")]


async def ask_once(site: Site, where: Path, text: str) -> tuple[str, list[str]]:
    """A new patient's first message to the bot over the saved copy, in a database of its own."""
    store = Store(Database(where))
    await store.open()
    try:
        return await answer(front_desk_over(site, store), "browser-test", text)
    finally:
        await store.close()


async def test_changing_saturday_hours_changes_what_the_bot_answers(
    site: Site, page: Page, tmp_path: Path
) -> None:
    said, _ = await ask_once(site, tmp_path / "before.sqlite3", "are you open on saturday")
    assert "On Saturday we're open 09:00–14:00." in said
    await sign_in(page, site)
    await page.get_by_role("link", name="Clinic").click()
    await page.wait_for_url(f"{site.url}/clinic")
    await screenshot(page, "clinic")
    saturday = page.locator("#hours-1")
    assert await saturday.get_by_label("Days").input_value() == "Saturday"
    await saturday.get_by_label("Opens at").fill("10:00")
    await saturday.get_by_label("Closes at").fill("15:30")
    await save(page, "Save clinic")
    assert await page.locator(".notice").text_content() == (
        "Saved as revision 1. The bot answers with the new facts within seconds."
    )
    assert '{days: "Saturday", open: "10:00", close: "15:30"}' in site.clinic.read_text()
    said, _ = await ask_once(site, tmp_path / "after.sqlite3", "are you open on saturday")
    assert "On Saturday we're open 10:00–15:30." in said


async def test_a_discount_over_a_hundred_percent_is_refused_at_its_field_and_nothing_changes(
    site: Site, page: Page
) -> None:
    await sign_in(page, site)
    await page.goto(f"{site.url}/clinic")
    before = site.clinic.read_bytes()
    field = page.locator("#clinic\\.discounts\\.0\\.percent")
    await field.fill("150")
    await save(page, "Save clinic")
    assert await field.get_attribute("aria-invalid") == "true"
    described = await field.get_attribute("aria-describedby")
    assert described is not None
    message = page.locator(f"#{described.split()[0]}")
    assert await message.text_content() == "Write 100 or less"
    assert await page.locator("#discount-0 .field-error").count() == 1
    await field.scroll_into_view_if_needed()
    await screenshot(page, "clinic-error")
    assert site.clinic.read_bytes() == before


async def test_an_offer_ended_yesterday_is_no_longer_shown_by_the_bot(
    site: Site, page: Page, tmp_path: Path
) -> None:
    _, shown = await ask_once(site, tmp_path / "before.sqlite3", "how much is a root canal")
    assert shown == ["warm_gutta_percha"]
    await sign_in(page, site)
    await page.goto(f"{site.url}/offers")
    card = page.locator("#offer-warm_gutta_percha")
    assert await card.locator("[data-status]").text_content() == "Shown to patients now"
    await card.get_by_label("Shown until (last day)").fill("2026-02-28")
    await save(page, "Save offers")
    assert "ends: 2026-02-28" in (site.replies / "offers.yaml").read_text()
    assert await card.locator("[data-status]").text_content() == (
        "Ended on 2026-02-28: no longer shown"
    )
    _, shown = await ask_once(site, tmp_path / "after.sqlite3", "how much is a root canal")
    assert shown == []


async def test_a_new_offer_typed_on_the_page_is_shown_by_the_bot(
    site: Site, page: Page, tmp_path: Path
) -> None:
    await sign_in(page, site)
    await page.goto(f"{site.url}/offers")
    card = page.locator("#offer-new")
    await card.get_by_label("Short name").fill("Gentler whitening gel")
    await card.get_by_label("What the bot tells the patient").fill(
        "New in our clinic: a whitening gel that is kinder to sensitive teeth."
    )
    await card.get_by_label("Shown from").fill("2026-01-01")
    await card.get_by_label("Shown until (last day)").fill("2027-12-31")
    await card.get_by_label("whitening", exact=True).check()
    await card.scroll_into_view_if_needed()
    await screenshot(page, "offers-new")
    await save(page, "Save offers")
    assert "id: gentler_whitening_gel" in (site.replies / "offers.yaml").read_text()
    assert await page.locator("#offer-gentler_whitening_gel").count() == 1
    _, shown = await ask_once(site, tmp_path / "patients.sqlite3", "how much is teeth whitening")
    assert shown == ["gentler_whitening_gel"]


async def test_the_offers_page_counts_the_patients_each_offer_was_shown_to(
    site: Site, page: Page
) -> None:
    front_desk = front_desk_over(site, Store(site.database))
    for patient in ("ann", "bob", "cy"):
        _, shown = await answer(front_desk, patient, "how much is an implant")
        assert shown == ["intraoral_scanner"]
    _, shown = await answer(front_desk, "ann", "how much is a crown")
    assert shown == []  # the scanner once per patient: still three patients
    _, shown = await answer(front_desk, "dee", "how much is a root canal")
    assert shown == ["warm_gutta_percha"]
    await sign_in(page, site)
    await page.get_by_role("link", name="Offers").click()
    await page.wait_for_url(f"{site.url}/offers")
    scanner = page.locator("#offer-intraoral_scanner")
    assert await scanner.locator("[data-seen]").text_content() == "3"
    assert await page.locator("#offer-warm_gutta_percha [data-seen]").text_content() == "1"
    assert "console:" not in await page.content()  # counts only, never who
    await screenshot(page, "offers")


async def test_a_price_typed_into_an_offer_is_refused_at_its_text_and_the_file_is_unchanged(
    site: Site, page: Page
) -> None:
    offers = site.replies / "offers.yaml"
    before = offers.read_bytes()
    await sign_in(page, site)
    await page.goto(f"{site.url}/offers")
    text = page.locator("#offers\\.1\\.text")
    await text.fill("New in our clinic: a digital scan for just $49, no paste needed.")
    await save(page, "Save offers")
    assert await text.get_attribute("aria-invalid") == "true"
    described = await text.get_attribute("aria-describedby")
    assert described is not None
    message = await page.locator(f"#{described.split()[0]}").text_content()
    assert message is not None and message.startswith("A price is written into the text (“$49”)")
    assert await page.locator("#offer-intraoral_scanner .field-error").count() == 1
    assert await page.locator("#offer-warm_gutta_percha .field-error").count() == 0
    assert "$49" in await text.input_value()  # what was typed is still there to fix
    await text.scroll_into_view_if_needed()
    await screenshot(page, "offers-error")
    assert offers.read_bytes() == before


async def test_both_pages_fit_a_phone_and_are_reachable_by_keyboard(
    site: Site, browser: Browser
) -> None:
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await phone.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    await sign_in(page, site)
    for path, button, first_field in (
        ("/offers", "Save offers", "offers.0.title"),
        ("/clinic", "Save clinic", "clinic.hours.0.days"),
    ):
        await page.goto(site.url + path)
        assert problems == [], path  # nothing blocked by the strict Content-Security-Policy
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path  # nothing runs off the side of the screen
        await screenshot(page, f"{path.strip('/')}-phone")
        reached = []
        for _ in range(20):
            await page.keyboard.press("Tab")
            reached.append(await page.evaluate("document.activeElement.name || ''"))
            if reached[-1] == first_field:
                break
        assert reached[-1] == first_field, (path, reached)
        assert await page.get_by_role("button", name=button).first.is_visible()
    await phone.close()
