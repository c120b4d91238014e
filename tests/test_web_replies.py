"""The Services and replies page without a browser: wordings by path, previews, refusals."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.pricing import format_range, quote_bundle
from bot.replies import ReplyBook
from bot.store import Database, Store
from bot.store.web import WebRepository
from bot.web.replies_page import allowed_placeholders
from tests import test_web
from tests.test_web import field_errors, form_value, sign_in

client = test_web.client  # the fixtures, shared with the other pages' tests
opened = test_web.opened

IMPLANTS = "/replies?item=service:implants"


def wordings_in(page: str, path: str) -> list[str]:
    """The texts of every box named `path` in a page (the blank "Add a wording" one included)."""
    found = re.findall(rf'<textarea[^>]*name="{re.escape(path)}"[^>]*>([^<]*)</textarea>', page)
    return [
        text.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&") for text in found
    ]


async def post_section(
    client: httpx.AsyncClient,
    csrf: str,
    item: str,
    file: str,
    lists: dict[str, list[str]],
    **more: str,
) -> httpx.Response:
    """Submit one form of the page, as opened a moment ago, with these lists."""
    page = (await client.get(f"/replies?item={item}")).text
    section = page.split(f'name="file" value="{file}"')[0].rsplit("<form", 1)[1]
    base_hash = re.search(r'name="base_hash" value="([^"]*)"', section)
    assert base_hash is not None
    data: dict[str, str | list[str]] = {
        "csrf_token": csrf,
        "base_hash": base_hash[1],
        "file": file,
        "item": item,
        **lists,
        **more,
    }
    return await client.post("/replies", data=data)


def current_wordings(replies: Path, service: str, part: str) -> list[str]:
    """A script part's wordings as the bot loads them from the (copied) data."""
    knowledge = load_or_raise(replies.parent / "intents", replies)
    return list(getattr(knowledge.services[service], part))


async def test_every_wording_is_a_box_named_by_its_path_with_the_placeholders_it_may_use(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    response = await client.get(IMPLANTS)
    assert response.status_code == 200
    page = response.text
    knowledge = load_or_raise(*data_copy)
    script = knowledge.services["implants"]
    for part in ("yes", "offer", "cost", "why_total", "honesty", "question"):
        shown = wordings_in(page, f"services.implants.{part}")
        assert shown == [*getattr(script, part), ""], part  # and one blank box to add another
    for facet, wordings in knowledge.facet_replies["implants"].items():
        assert wordings_in(page, f"facets.implants.{facet}") == [*wordings, ""], facet
    cost = page.split('id="services-implants-cost"')[1].split("</fieldset>")[0]
    assert "must use <code>{parts}</code> <code>{total}</code>" in cost
    offer = page.split('id="services-implants-offer"')[1].split("</fieldset>")[0]
    assert "<code>{phone}</code>" in offer and "<code>{total}</code>" not in offer
    # Each wording is shown as the patient reads it, with the bundle's total filled in.
    total = format_range(
        quote_bundle(knowledge.bundles["implants"], knowledge.components).total,
        knowledge.clinic.currency,
    )
    assert f"Altogether: {total}." in cost
    # What each placeholder reads as now, and the whole reply as the bot sends it.
    assert f"<dt><code>{{total}}</code></dt><dd>{total}</dd>" in cost
    phone = knowledge.clinic.phone
    assert f"<dt><code>{{phone}}</code></dt><dd>{phone}</dd>" in offer
    whole = page.split('<details class="whole-reply">')[1].split("</details>")[0]
    assert ReplyBook.build(knowledge).service("implants", 0) in html.unescape(whole)


async def test_the_page_opens_a_practical_or_conversation_reply_chosen_from_the_list(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    page = (await client.get("/replies")).text
    assert '<option value="practical:hours">Hours</option>' in page
    assert '<option value="conversation:greeting_first">Greeting first</option>' in page
    hours = (await client.get("/replies?item=practical:hours")).text
    knowledge = load_or_raise(*data_copy)
    assert wordings_in(hours, "replies.hours") == [*knowledge.replies["hours"], ""]
    assert 'name="file" value="replies/practical.yaml"' in hours
    missing = await client.get("/replies?item=service:tooth_jewellery")
    assert missing.status_code == 404
    assert "There is no service or reply" in missing.text


async def test_a_changed_wording_is_saved_in_place_and_the_bot_then_says_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[1] / "services.yaml"
    before = services.read_text()
    wordings = current_wordings(data_copy[1], "implants", "yes")
    changed = ["Yes, we place implants, and we plan each one from a 3D scan.", *wordings[1:]]
    response = await post_section(
        client,
        csrf,
        "service:implants",
        "replies/services.yaml",
        {"services.implants.yes": [*changed, ""]},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/replies?item=service:implants&saved=1")
    after = services.read_text()
    changed_lines = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed_lines == [
        (
            '      - "Yes, we place implants."',
            '      - "Yes, we place implants, and we plan each one from a 3D scan."',
        )
    ]
    book = ReplyBook.build(load_or_raise(*data_copy))
    assert book.service("implants", 0).startswith("Yes, we place implants, and we plan each one")
    shown = await client.get(response.headers["location"])
    assert "Saved as revision 1." in shown.text


async def test_a_wording_added_to_a_reply_is_used_by_the_bot_in_its_turn(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    knowledge = load_or_raise(*data_copy)
    thanks = list(knowledge.replies["thanks"])
    added = "You're very welcome. Anything else about your teeth?"
    response = await post_section(
        client,
        csrf,
        "conversation:thanks",
        "replies/conversation.yaml",
        {"replies.thanks": [*thanks, added]},
    )
    assert response.status_code == 303
    book = ReplyBook.build(load_or_raise(*data_copy))
    assert book.text("thanks", len(thanks)) == added
    front_desk = FrontDesk(Brain.build(book.knowledge), Store(opened))
    said = []
    for _ in range(len(thanks) + 1):
        async with front_desk.store.unit_of_work():
            outcome = await front_desk.handle_text("console:thankful", "thanks a lot")
        said.extend(message.text for message in outcome.messages)
    assert added in said


async def test_a_wording_with_an_unknown_placeholder_is_refused_at_its_box_and_nothing_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[1] / "services.yaml"
    before = services.read_bytes()
    wordings = current_wordings(data_copy[1], "implants", "offer")
    broken = [wordings[0], "Ask about our {discount_code} today.", *wordings[2:]]
    response = await post_section(
        client,
        csrf,
        "service:implants",
        "replies/services.yaml",
        {"services.implants.offer": broken},
    )
    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == ["services.implants.offer.1"]
    assert "unknown placeholder {discount_code}" in errors["services.implants.offer.1"]
    assert "Nothing was saved." in response.text
    assert wordings_in(response.text, "services.implants.offer")[1] == broken[1]  # kept to fix
    assert services.read_bytes() == before
    assert await WebRepository(opened).revisions() == []


async def test_removing_wordings_below_the_minimum_is_refused_and_nothing_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    conversation = data_copy[1] / "conversation.yaml"
    thanks = list(load_or_raise(*data_copy).replies["thanks"])
    assert len(thanks) == 3
    # The Remove button of the last wording: one fewer, still enough.
    removed = await post_section(
        client,
        csrf,
        "conversation:thanks",
        "replies/conversation.yaml",
        {"replies.thanks": thanks},
        remove="replies.thanks.2",
    )
    assert removed.status_code == 303
    assert list(load_or_raise(*data_copy).replies["thanks"]) == thanks[:2]
    before = conversation.read_bytes()
    again = await post_section(
        client,
        csrf,
        "conversation:thanks",
        "replies/conversation.yaml",
        {"replies.thanks": thanks[:2]},
        remove="replies.thanks.0",
    )
    assert again.status_code == 422
    assert "write at least 2" in field_errors(again)["replies.thanks"]
    assert conversation.read_bytes() == before


async def test_a_cost_wording_without_the_total_is_refused_at_its_box(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[1] / "services.yaml"
    before = services.read_bytes()
    wordings = current_wordings(data_copy[1], "implants", "cost")
    response = await post_section(
        client,
        csrf,
        "service:implants",
        "replies/services.yaml",
        {"services.implants.cost": [*wordings[:2], "It is not expensive:\n{parts}"]},
    )
    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == ["services.implants.cost.2"]  # not the wordings that show both
    assert "must show {parts} and {total}" in errors["services.implants.cost.2"]
    assert services.read_bytes() == before


async def test_a_price_typed_into_a_wording_is_refused_at_that_wording(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[1] / "services.yaml"
    before = services.read_bytes()
    wordings = current_wordings(data_copy[1], "implants", "honesty")
    typed = [*wordings[:2], "An implant costs only $1500 with us."]
    response = await post_section(
        client,
        csrf,
        "service:implants",
        "replies/services.yaml",
        {"services.implants.honesty": typed},
    )
    assert response.status_code == 422
    errors = field_errors(response)
    assert "a price is typed into the text" in errors["services.implants.honesty.2"]
    assert "services.implants.honesty.0" not in errors
    assert services.read_bytes() == before


async def test_a_follow_up_answer_is_saved_in_the_facets_file(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    knowledge = load_or_raise(*data_copy)
    pain = list(knowledge.facet_replies["implants"]["pain"])
    new = "It is done under local anaesthesia, so you feel pressure but no pain."
    response = await post_section(
        client,
        csrf,
        "service:implants",
        "replies/facets.yaml",
        {"facets.implants.pain": [new, *pain[1:]]},
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("#file-replies-facets-yaml")
    book = ReplyBook.build(load_or_raise(*data_copy))
    assert book.facet("implants", "pain", 0) == new


async def test_the_preview_renders_a_wording_as_the_patient_would_read_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    knowledge = load_or_raise(*data_copy)
    total = format_range(
        quote_bundle(knowledge.bundles["implants"], knowledge.components).total,
        knowledge.clinic.currency,
    )
    path = "services.implants.cost"
    response = await client.get(
        "/replies/preview", params={"path": path, path: "In all: {total}. Call {phone}."}
    )
    assert response.status_code == 200
    assert f"In all: {total}. Call {knowledge.clinic.phone}." in response.text
    refused = await client.get(
        "/replies/preview",
        params={"path": "services.implants.yes", "services.implants.yes": "Only {total}!"},
    )
    assert "{total} cannot be used here" in refused.text
    assert "Only" not in refused.text


async def test_without_a_session_the_page_preview_and_saves_are_refused(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path]
) -> None:
    before = (data_copy[1] / "services.yaml").read_bytes()
    assert (await client.get(IMPLANTS)).status_code == 401
    assert (await client.get("/replies/preview?path=replies.thanks")).status_code == 401
    posted = await client.post(
        "/replies", data={"file": "replies/services.yaml", "services.implants.yes": ["x", "y"]}
    )
    assert posted.status_code == 403
    assert (data_copy[1] / "services.yaml").read_bytes() == before


async def test_a_save_on_a_version_that_changed_since_is_refused_and_keeps_the_typing(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get("/replies?item=conversation:thanks")
    base_hash = form_value(page, "base_hash")
    conversation = data_copy[1] / "conversation.yaml"
    conversation.write_text(conversation.read_text() + "\n# edited by hand\n")
    response = await client.post(
        "/replies",
        data={
            "csrf_token": csrf,
            "base_hash": base_hash,
            "file": "replies/conversation.yaml",
            "item": "conversation:thanks",
            "replies.thanks": ["Thank you too.", "My pleasure."],
        },
    )
    assert response.status_code == 409
    assert "changed since you opened it" in response.text
    assert wordings_in(response.text, "replies.thanks")[:2] == ["Thank you too.", "My pleasure."]
    assert "Thank you too." not in conversation.read_text()


def test_the_placeholders_each_list_may_use_follow_the_loader_s_rules() -> None:
    cost, must = allowed_placeholders("services.implants.cost")
    assert {"parts", "total", "phone"} <= cost and must == {"parts", "total"}
    offer, nothing = allowed_placeholders("services.implants.offer")
    assert "total" not in offer and nothing == frozenset()
    closed, needs_opens = allowed_placeholders("replies.handoff_closed")
    assert "opens" in closed and needs_opens == {"opens"}
    assert "total" in allowed_placeholders("replies.urgent_price")[0]
    assert "date" in allowed_placeholders("replies.reminder_hygiene")[0]
    assert "date" not in allowed_placeholders("replies.thanks")[0]
