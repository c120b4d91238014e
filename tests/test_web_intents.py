"""The Intents page without a browser: examples by path, the checker's advice, refusals."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store
from bot.store.web import WebRepository
from bot.web.documents import apply_edits
from tests import test_web
from tests.test_web import field_errors, form_value, sign_in

client = test_web.client  # the fixtures, shared with the other pages' tests
opened = test_web.opened

WHITENING = "/intents/whitening"
EXAMPLES = "intents.whitening.examples"
#: Not understood by the shipped data; an example of whitening once added.
SPARKLE = "i'd like my pearly whites to sparkle again"


def examples_in(page: str) -> list[str]:
    """The examples shown in their boxes, in order."""
    found = re.findall(
        rf'<input class="text" id="example-\d+" name="{EXAMPLES}" value="([^"]*)"', page
    )
    return [html.unescape(text) for text in found]


def warnings_in(page: str) -> list[str]:
    """The checker's advice shown beside examples."""
    return [html.unescape(text) for text in re.findall(r'<p class="warning">([^<]*)</p>', page)]


async def save(
    client: httpx.AsyncClient, csrf: str, examples: list[str], **more: str
) -> httpx.Response:
    """Submit the whitening form as opened a moment ago, with these examples."""
    page = await client.get(WHITENING)
    data: dict[str, str | list[str]] = {
        "csrf_token": csrf,
        "base_hash": form_value(page, "base_hash"),
        EXAMPLES: examples,
        **more,
    }
    return await client.post(WHITENING, data=data)


async def answer(data_copy: tuple[Path, Path], database: Database, text: str) -> str:
    """What the bot over the saved copy of the data says to a new patient."""
    front_desk = FrontDesk(Brain.build(load_or_raise(*data_copy)), Store(database))
    async with front_desk.store.unit_of_work():
        outcome = await front_desk.handle_text(f"console:{len(text)}", text)
    return "\n".join(message.text for message in outcome.messages)


async def test_the_list_shows_every_intent_by_kind_with_its_number_of_examples(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    response = await client.get("/intents")
    assert response.status_code == 200
    knowledge = load_or_raise(*data_copy)
    for name, intent in knowledge.intents.items():
        link = response.text.split(f'<a href="/intents/{name}">')[1].split("</a>")[0]
        assert f"{len(intent.examples)} examples" in link, name
    assert "<h2>Services</h2>" in response.text and "<h2>Conversation</h2>" in response.text


async def test_an_intent_s_examples_are_boxes_named_by_its_path(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    page = (await client.get(WHITENING)).text
    knowledge = load_or_raise(*data_copy)
    assert examples_in(page) == list(knowledge.intents["whitening"].examples)
    assert f'<textarea id="add-examples" name="{EXAMPLES}"' in page
    assert 'value="intents.whitening.examples.0"' in page  # its Remove button
    assert (await client.get("/intents/tooth_jewellery")).status_code == 404


async def test_an_added_example_makes_the_bot_understand_a_question_it_did_not_before(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    assert "didn't get that" in await answer(data_copy, opened, SPARKLE)
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    response = await save(client, csrf, [*before, SPARKLE])
    assert response.status_code == 303
    assert response.headers["location"] == f"{WHITENING}?saved=1#examples"
    assert list(load_or_raise(*data_copy).intents["whitening"].examples) == [*before, SPARKLE]
    said = await answer(data_copy, opened, SPARKLE)
    assert "didn't get that" not in said and "whitening" in said
    shown = (await client.get(response.headers["location"])).text
    assert "Saved as revision 1." in shown and SPARKLE in examples_in(shown)


async def test_several_examples_can_be_added_one_per_line(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    response = await save(
        client, csrf, [*before, "whiter smile please\r\n\r\nteeth look dull  \r\n"]
    )
    assert response.status_code == 303
    after = list(load_or_raise(*data_copy).intents["whitening"].examples)
    assert after == [*before, "whiter smile please", "teeth look dull"]


async def test_the_remove_button_takes_out_one_example_and_keeps_the_rest_of_the_file(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[0] / "services.yaml"
    text = services.read_text()
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    response = await save(client, csrf, before, remove=f"{EXAMPLES}.2")
    assert response.status_code == 303
    assert list(load_or_raise(*data_copy).intents["whitening"].examples) == [
        *before[:2],
        *before[3:],
    ]
    after = services.read_text()
    assert len(after.splitlines()) == len(text.splitlines()) - 1
    assert after.split("  - name: whitening")[0] == text.split("  - name: whitening")[0]


async def test_an_example_that_belongs_to_another_intent_is_refused_at_its_box(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[0] / "services.yaml"
    before_bytes = services.read_bytes()
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    response = await save(client, csrf, [*before, "how much does an implant cost"])
    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == [f"{EXAMPLES}.{len(before)}"]
    assert "is also an example of 'implants'" in html.unescape(errors[f"{EXAMPLES}.{len(before)}"])
    assert examples_in(response.text)[-1] == "how much does an implant cost"  # kept to fix
    assert services.read_bytes() == before_bytes
    assert await WebRepository(opened).revisions() == []


async def test_a_clash_found_at_another_intent_is_named_by_that_intent_at_the_top(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[0] / "services.yaml"
    before = services.read_bytes()
    children = list(load_or_raise(*data_copy).intents["children"].examples)
    page = await client.get("/intents/children")
    response = await client.post(
        "/intents/children",
        data={
            "csrf_token": csrf,
            "base_hash": form_value(page, "base_hash"),
            "intents.children.examples": [*children, "teeth whitening"],
        },
    )
    assert response.status_code == 422
    alert = html.unescape(response.text.split('role="alert"')[1].split("</div>")[0])
    assert "intents.whitening.examples: example 'teeth whitening' of 'whitening'" in alert
    assert services.read_bytes() == before


async def test_removing_every_example_is_refused_and_nothing_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[0] / "services.yaml"
    before = services.read_bytes()
    response = await save(client, csrf, ["", ""])
    assert response.status_code == 422
    assert "at least one" in field_errors(response)[EXAMPLES]
    assert services.read_bytes() == before


async def test_the_checker_s_advice_is_shown_beside_the_example_it_is_about(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    assert warnings_in((await client.get(WHITENING)).text) == []
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    added = [
        "can you make my teeth whiter please doctor",
        "can you make my teeth whiter please doctr",
        "price of one implant tooth",
    ]
    response = await save(client, csrf, [*before, *added])
    assert response.status_code == 303  # advice, not an error: the save goes through
    page = (await client.get(WHITENING)).text
    rows = {
        int(number): row
        for number, row in re.findall(r'<li id="example-(\d+)-row">(.*?)</li>', page, re.S)
    }
    assert warnings_in(rows[len(before)]) == []
    assert "nearly repeats" in " ".join(warnings_in(rows[len(before) + 1]))
    assert "matches 'implants' better than its own intent" in " ".join(
        warnings_in(rows[len(before) + 2])
    )
    listed = (await client.get("/intents")).text
    link = listed.split('<a href="/intents/whitening">')[1].split("</a>")[0]
    assert "2 pieces of advice" in link


async def test_too_few_examples_is_advice_at_the_top_of_the_intent(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)
    response = await save(client, csrf, before[:19])
    assert response.status_code == 303
    page = (await client.get(WHITENING)).text
    advice = page.split('<div class="warnings-box" role="note">')[1].split("</div>")[0]
    assert "has only 19 examples; give at least 20" in advice


async def test_check_without_saving_says_what_the_checker_would_and_writes_nothing(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    services = data_copy[0] / "services.yaml"
    before_bytes = services.read_bytes()
    before = list(load_or_raise(*data_copy).intents["whitening"].examples)

    async def check(examples: list[str]) -> str:
        response = await client.post(
            f"{WHITENING}/check", data={"csrf_token": csrf, EXAMPLES: examples}
        )
        assert response.status_code == 200
        return html.unescape(response.text)

    assert "the checker has no advice" in await check(before)
    advised = await check([*before, "price of one implant tooth"])
    assert "matches 'implants' better than its own intent" in advised
    refused = await check([*before, "how much does an implant cost"])
    assert "could not be saved" in refused and "is also an example of 'implants'" in refused
    assert services.read_bytes() == before_bytes
    assert await WebRepository(opened).revisions() == []


async def test_without_a_session_the_intents_are_neither_shown_nor_saved(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path]
) -> None:
    before = (data_copy[0] / "services.yaml").read_bytes()
    assert (await client.get("/intents")).status_code == 401
    assert (await client.get(WHITENING)).status_code == 401
    posted = await client.post(WHITENING, data={EXAMPLES: ["whiter"]})
    assert posted.status_code == 403
    assert (data_copy[0] / "services.yaml").read_bytes() == before


def test_a_list_item_is_addressed_by_its_name_and_an_example_removed_from_the_middle() -> None:
    text = (
        "intents:\n"
        "  - name: first\n"
        "    examples:\n"
        "      - a\n"
        "  # the second intent\n"
        "  - name: second\n"
        "    examples:\n"
        "      - one\n"
        "      - two  # kept\n"
        "      - three\n"
        "    kind: service\n"
    )
    edited = apply_edits(text, {"intents.second.examples": ["one", "three"]})
    assert edited == text.replace(
        "      - two  # kept\n      - three\n", "      - three  # kept\n"
    )
