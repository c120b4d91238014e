"""Unmatched questions, Try it and Numbers in a real Chromium, over real turns of the bot.

The fixtures and helpers are those of tests/test_web_browser.py (uvicorn on 127.0.0.1 over
copies of the data and a SQLite file in tmp_path); screenshots go to docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store
from tests import test_web_browser as in_chromium
from tests.test_web_browser import CHROMIUM, Site, screenshot, sign_in
from tests.test_web_try import row_counts

#: The fixtures of tests/test_web_browser.py, under their own names.
site, browser, page = in_chromium.site, in_chromium.browser, in_chromium.page

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]

TOOTHBRUSHES = "do you sell electric toothbrushes"
WIFI = "do you have wifi in the waiting room"
IMPLANT = "how much is an implant"


async def chat(site: Site, brain: Brain, patient: str, *texts: str) -> None:
    """A patient writes, turn by turn, through the real front desk on the site's database."""
    front_desk = FrontDesk(brain, Store(site.database))
    for text in texts:
        async with site.database.unit_of_work():
            await front_desk.handle_text(f"telegram:{patient}", text, "Ann Example", 555001)


async def answered_intent(site: Site, text: str, tmp_path: Path) -> str | None:
    """The intent a front desk trained on the site's (saved) data answers a new patient with."""
    store = Store(Database(tmp_path / "after.sqlite3"))
    await store.open()
    try:
        knowledge = load_or_raise(site.intents, site.replies)
        async with store.unit_of_work():
            await FrontDesk(Brain.build(knowledge), store).handle_text("console:new", text)
        row = await store.database.fetch_one(
            "SELECT intent, score FROM messages WHERE direction = 'in' ORDER BY id DESC"
        )
    finally:
        await store.close()
    assert row is not None
    return str(row["intent"]) if row["intent"] and row["score"] >= 0.5 else None


async def test_adding_an_unmatched_question_as_an_example_makes_the_bot_answer_it(
    site: Site, page: Page, brain: Brain, tmp_path: Path
) -> None:
    await chat(site, brain, "1001", TOOTHBRUSHES, IMPLANT)
    await chat(site, brain, "1002", "Do you sell electric toothbrushes?", WIFI)
    assert await answered_intent(site, TOOTHBRUSHES, tmp_path) is None
    await sign_in(page, site)
    await page.get_by_role("link", name="Unmatched questions").click()
    groups = page.locator(".unmatched-group")
    assert await groups.count() == 2
    first = groups.first
    assert await first.get_by_role("heading").text_content() == f"“{TOOTHBRUSHES}”"
    assert await first.locator(".count").text_content() == "2"
    body = await page.locator("main").text_content() or ""
    assert "Ann Example" not in body and "555001" not in body and IMPLANT not in body
    await screenshot(page, "unmatched")

    await first.get_by_label("Add as an example of").select_option("hygiene")
    async with page.expect_navigation():
        await first.get_by_role("button", name="Add as an example").click()
    notice = await page.locator(".notice").text_content() or ""
    assert "Added as an example of “Professional cleaning" in notice, notice
    assert await page.locator(".unmatched-group").count() == 1  # only the wifi one is left
    assert await answered_intent(site, TOOTHBRUSHES, tmp_path) == "hygiene"
    await page.get_by_role("link", name="History").click()
    assert await page.get_by_role("heading", name="Revision 1: intents/services.yaml").count()


async def test_a_dismissed_group_stays_hidden_and_the_page_works_by_keyboard(
    site: Site, page: Page, brain: Brain
) -> None:
    await chat(site, brain, "1001", TOOTHBRUSHES, WIFI)
    await sign_in(page, site)
    await page.goto(f"{site.url}/unmatched")
    wifi = page.locator(".unmatched-group").filter(has_text=WIFI)
    await wifi.get_by_label("Add as an example of").focus()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Dismiss"
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "hidden from now on" in (await page.locator(".notice").text_content() or "")
    await chat(site, brain, "1002", "do you have wifi in the waiting room please")
    await page.goto(f"{site.url}/unmatched?days=7")
    shown = await page.locator(".unmatched-group h2").all_text_contents()
    assert shown == [f"“{TOOTHBRUSHES}”"]
    assert "1 group was dismissed" in (await page.locator("#hidden-count").text_content() or "")


async def test_try_it_shows_the_intent_and_the_exact_reply_and_changes_nothing(
    site: Site, page: Page, brain: Brain, tmp_path: Path
) -> None:
    await sign_in(page, site)
    before = await row_counts(site.database)
    await page.get_by_role("link", name="Try it").click()
    await page.get_by_label("A patient writes").fill(IMPLANT)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Try it").click()
    assert "implants" in (await page.locator("#tried-intent").text_content() or "")
    shown = await page.locator(".bubble.reply").all_text_contents()
    store = Store(Database(tmp_path / "real.sqlite3"))
    await store.open()
    try:
        async with store.unit_of_work():
            outcome = await FrontDesk(brain, store).handle_text("console:new", IMPLANT)
    finally:
        await store.close()
    assert shown == [message.text for message in outcome.messages]
    assert await row_counts(site.database) == before
    await screenshot(page, "try-it")


async def test_the_numbers_page_draws_charts_of_real_conversations(
    site: Site, browser: Browser, brain: Brain
) -> None:
    await chat(site, brain, "1001", IMPLANT, "zxqv blorp frind")
    await chat(site, brain, "1002", "I want to talk to a person")
    await chat(site, brain, "1003", IMPLANT, "stop sending me messages")
    wide = await browser.new_context(viewport={"width": 1200, "height": 1400})
    page = await wide.new_page()
    await sign_in(page, site)
    await page.goto(f"{site.url}/numbers")
    assert await page.locator("section.chart svg[role=img]").count() == 9
    await screenshot(page, "numbers")
    messages = page.locator("#messages")
    await messages.get_by_text("The figures as a table").click()
    assert sum(await figures(messages)) == 5  # today's, or yesterday's past midnight
    bars = messages.locator("rect.bar")
    assert await bars.count() == 30
    assert await bars.last.get_attribute("height") != "0"  # today's bar is drawn
    intents = page.locator("#intents")
    label = "Dental implants"
    assert await intents.locator("text.label").first.text_content() == label
    assert await intents.locator("text.value").first.text_content() == "2"
    assert sum(await figures(page.locator("#opt-outs"))) == 1
    assert sum(await figures(page.locator("#booking-requests"))) == 0
    await wide.close()


async def figures(card: Locator) -> list[int]:
    """The figures of a chart's table, oldest day first."""
    return [int(text) for text in await card.locator("tbody td.figure").all_text_contents()]


async def test_the_three_pages_fit_a_phone_with_nothing_blocked(
    site: Site, browser: Browser, brain: Brain
) -> None:
    await chat(site, brain, "1001", TOOTHBRUSHES, IMPLANT)
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await phone.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    await sign_in(page, site)
    await page.goto(f"{site.url}/try")
    await page.get_by_label("A patient writes").fill(IMPLANT)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Try it").click()
    for path in ("/unmatched", "/try", "/numbers"):
        if path != "/try":
            await page.goto(site.url + path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path  # nothing runs off the side of the screen
    assert await page.locator("section.chart svg[role=img]").count() == 9
    assert problems == []  # no inline style or script refused by the page's CSP
    await screenshot(page, "numbers-phone")
    await phone.close()
