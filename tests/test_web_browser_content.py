"""The Services and replies and Intents pages in a real Chromium: edits the bot then uses.

Same set-up as tests/test_web_browser.py (uvicorn over copies of the data in tmp_path); the
screenshots go to docs/screenshots/ (replies.png, intents.png and a few more).
"""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Store
from tests import test_web_browser
from tests.test_web_browser import Site, screenshot, sign_in

pytestmark = test_web_browser.pytestmark
site = test_web_browser.site  # the fixtures, shared with the Prices page's browser tests
browser = test_web_browser.browser
page = test_web_browser.page

#: Not understood by the shipped data; an example of whitening once added.
SPARKLE = "i'd like my pearly whites to sparkle again"
#: An example the checker finds closer to implants than to whitening.
IMPLANT_LIKE = "price of one implant tooth"


async def bot_answer(site: Site, text: str, patient: str) -> str:
    """What the bot over the saved copy of the data says to a new patient."""
    front_desk = FrontDesk(
        Brain.build(load_or_raise(site.intents, site.replies)), Store(site.database)
    )
    async with front_desk.store.unit_of_work():
        outcome = await front_desk.handle_text(f"console:{patient}", text)
    return "\n".join(message.text for message in outcome.messages)


async def press(page: Page, name: str) -> None:
    """Press a submit button (the first of that name) and wait for the answer page."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=name).first.click()


async def test_an_example_added_on_the_intents_page_makes_the_bot_understand_a_new_question(
    site: Site, page: Page
) -> None:
    assert "didn't get that" in await bot_answer(site, SPARKLE, "before")
    await sign_in(page, site)
    await page.get_by_role("link", name="Intents", exact=True).click()
    await page.get_by_role("link", name=re.compile(r"^whitening \d+ examples")).click()
    await page.wait_for_url(f"{site.url}/intents/whitening")
    await page.get_by_label("Add examples, one per line").fill(f"{SPARKLE}\n{IMPLANT_LIKE}")
    await page.get_by_role("button", name="Check without saving").click()
    checked = page.locator("#check-result .warning")
    await checked.filter(has_text="matches 'implants' better than its own intent").wait_for()
    await checked.scroll_into_view_if_needed()
    await screenshot(page, "intents-check")
    assert "didn't get that" in await bot_answer(site, SPARKLE, "checked")  # nothing saved yet
    await press(page, "Save examples")
    assert "Saved as revision 1" in (await page.locator(".notice").text_content() or "")
    boxes = page.locator('input[name="intents.whitening.examples"]')
    assert await boxes.nth(-2).input_value() == SPARKLE
    # The checker's advice on the new examples, beside the one it is about.
    advice = page.locator("li", has=boxes.last).locator(".warning")
    assert "matches 'implants' better than its own intent" in (await advice.text_content() or "")
    await boxes.nth(-4).scroll_into_view_if_needed()
    await screenshot(page, "intents")
    said = await bot_answer(site, SPARKLE, "after")
    assert "didn't get that" not in said and "whitening" in said


async def test_a_changed_wording_shows_in_the_preview_and_after_saving_in_the_bot_s_reply(
    site: Site, page: Page
) -> None:
    await sign_in(page, site)
    await page.get_by_role("link", name="Services and replies").click()
    await page.get_by_label("Service or reply to edit").select_option("service:implants")
    await page.get_by_role("button", name="Open").click()
    await page.wait_for_url(f"{site.url}/replies?item=service%3Aimplants")
    knowledge = load_or_raise(site.intents, site.replies)
    wording = "Yes, {clinic_name} places implants every week."
    box = page.locator("#services-implants-yes-0")
    await box.fill(wording)
    preview = page.locator("#preview-services-implants-yes-0 .rendered")
    rendered = f"Yes, {knowledge.clinic.name} places implants every week."
    await preview.filter(has_text=rendered).wait_for()  # rendered by the server as typed
    await box.scroll_into_view_if_needed()
    await screenshot(page, "replies")
    await press(page, "Save the script")
    assert "Saved as revision 1" in (await page.locator(".notice").text_content() or "")
    assert await page.locator("#services-implants-yes-0").input_value() == wording
    assert rendered in await bot_answer(site, "do you do implants", "implants")


async def test_an_unknown_placeholder_is_refused_at_its_box_and_the_file_stays_byte_for_byte(
    site: Site, page: Page
) -> None:
    services = site.replies / "services.yaml"
    before = services.read_bytes()
    await sign_in(page, site)
    await page.goto(f"{site.url}/replies?item=service:implants")
    box = page.locator("#services-implants-offer-1")
    await box.fill("Ask about our {discount_code} this week.")
    live = page.locator("#preview-services-implants-offer-1 .field-error")
    await live.filter(has_text="{discount_code} cannot be used here").wait_for()
    await press(page, "Save the script")
    box = page.locator("#services-implants-offer-1")
    assert await box.get_attribute("aria-invalid") == "true"
    described = await box.get_attribute("aria-describedby")
    assert described is not None
    message = await page.locator(f"#{described.split()[0]}").text_content()
    assert message == "unknown placeholder {discount_code}"
    assert "Nothing was saved." in (await page.get_by_role("alert").text_content() or "")
    await box.scroll_into_view_if_needed()
    await screenshot(page, "replies-error")
    assert services.read_bytes() == before


async def test_removing_wordings_below_the_minimum_is_refused(site: Site, page: Page) -> None:
    conversation = site.replies / "conversation.yaml"
    await sign_in(page, site)
    await page.goto(f"{site.url}/replies?item=conversation:thanks")
    await press(page, "Remove wording 3 of “Wordings”")
    assert "Saved as revision 1" in (await page.locator(".notice").text_content() or "")
    assert len(load_or_raise(site.intents, site.replies).replies["thanks"]) == 2
    before = conversation.read_bytes()
    await press(page, "Remove wording 2 of “Wordings”")
    list_error = page.locator("#replies-thanks .field-error").first
    assert "write at least 2" in (await list_error.text_content() or "")
    assert await page.locator("#replies-thanks-0").input_value() != ""
    assert conversation.read_bytes() == before


async def test_both_pages_fit_a_phone_and_are_reachable_by_keyboard(
    site: Site, browser: Browser
) -> None:
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await phone.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    await sign_in(page, site)
    for path, name in (
        ("/replies?item=service:implants", "replies-phone"),
        ("/intents", "intents-list-phone"),
        ("/intents/whitening", "intents-phone"),
    ):
        await page.goto(site.url + path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path  # nothing runs off the side of the screen
        await screenshot(page, name)
    await page.goto(f"{site.url}/replies?item=service:implants")
    focused = []
    for _ in range(40):
        await page.keyboard.press("Tab")
        focused.append(
            await page.evaluate(
                "document.activeElement.id || document.activeElement.textContent.trim()"
            )
        )
    assert "item" in focused  # the choice of service or reply
    assert "Save the script" in focused
    assert "services-implants-yes-0" in focused
    await page.locator("#services-implants-yes-0").fill("Yes, we do implants at {clinic_name}.")
    await page.locator("#preview-services-implants-yes-0 .rendered").wait_for()
    assert problems == []  # htmx's request passed the strict Content-Security-Policy
    await phone.close()
