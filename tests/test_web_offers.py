"""The Offers page without a browser: what it shows, what it saves, what it refuses."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store
from tests import test_web
from tests.test_web import field_errors, form_value, sign_in

client = test_web.client  # the fixtures, shared with the other pages' tests
opened = test_web.opened

OFFERS = "/offers"


def front_desk_over(data_copy: tuple[Path, Path], database: Database) -> FrontDesk:
    """The bot as it would run over the saved copy of the data and the page's database."""
    return FrontDesk(Brain.build(load_or_raise(*data_copy)), Store(database))


async def ask(front_desk: FrontDesk, patient: str, text: str) -> list[str]:
    """One patient's message through the bot; the offers it showed."""
    async with front_desk.store.unit_of_work():
        outcome = await front_desk.handle_text(f"console:{patient}", text)
    return [effect.offer_id for effect in outcome.effects if hasattr(effect, "offer_id")]


async def opened_form(client: httpx.AsyncClient, csrf: str) -> dict[str, str]:
    """What an untouched form sends: the CSRF token and the version it was opened on."""
    page = await client.get(OFFERS)
    return {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}


async def test_the_page_shows_each_offer_with_its_dates_services_and_how_many_saw_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    before = await client.get(OFFERS)
    assert before.status_code == 200
    assert 'type="date" value="2027-06-30"' in before.text
    assert "flows into every narrow bend" in before.text
    assert "a root canal" in before.text  # the service it is attached to, in plain words
    assert before.text.count("data-seen>0<") == 2
    front_desk = front_desk_over(data_copy, opened)
    assert await ask(front_desk, "ann", "how much is a root canal") == ["warm_gutta_percha"]
    assert await ask(front_desk, "bob", "how much is a root canal") == ["warm_gutta_percha"]
    assert await ask(front_desk, "bob", "root canal price please") == []  # once per patient
    after = await client.get(OFFERS)
    card = after.text.split('id="offer-warm_gutta_percha"')[1].split("</fieldset>")[0]
    assert "Seen by <strong data-seen>2</strong> patients" in card
    other = after.text.split('id="offer-intraoral_scanner"')[1]
    assert "Seen by <strong data-seen>0</strong> patients" in other
    assert "console:ann" not in after.text and "console:bob" not in after.text


async def test_an_end_date_moved_into_the_past_is_saved_alone_and_the_bot_stops_showing_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_text()
    form = {**await opened_form(client, csrf), "offers.0.ends": "2026-02-28"}
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 303 and answer.headers["location"] == "/offers?saved=1"
    after = offers.read_text()
    assert after == before.replace("ends: 2027-06-30", "ends: 2026-02-28", 1)
    shown = await client.get(answer.headers["location"])
    assert "Saved as revision 1" in shown.text and "Ended on 2026-02-28" in shown.text
    front_desk = front_desk_over(data_copy, opened)
    assert await ask(front_desk, "cat", "how much is a root canal") == []


async def test_a_price_typed_into_an_offer_is_refused_at_its_text_and_nothing_changes(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_bytes()
    form = {**await opened_form(client, csrf), "offers.1.text": "Digital scans now only $99!"}
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 422
    errors = field_errors(answer)
    assert list(errors) == ["offers.1.text"]
    assert errors["offers.1.text"].startswith("A price is written into the text (“$99”)")
    assert "Digital scans now only $99!</textarea>" in answer.text  # what was typed stays
    assert offers.read_bytes() == before


async def test_pressure_wording_in_an_offer_is_refused_at_its_text(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_bytes()
    text = "New scanner in our clinic. Hurry, book now before the spots run out."
    answer = await client.post(
        OFFERS, data={**await opened_form(client, csrf), "offers.0.text": text}
    )
    assert answer.status_code == 422
    assert "pressures the patient" in field_errors(answer)["offers.0.text"]
    assert offers.read_bytes() == before


async def test_an_end_before_the_start_is_refused_at_the_end_date_in_plain_words(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_bytes()
    form = {**await opened_form(client, csrf), "offers.1.ends": "2025-12-31"}
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 422
    assert field_errors(answer) == {
        "offers.1.ends": "The end date (2025-12-31) is before the start date (2026-01-01): "
        "an offer must start before it ends"
    }
    assert offers.read_bytes() == before


async def test_an_empty_end_date_is_refused_rather_than_saved(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_bytes()
    answer = await client.post(
        OFFERS, data={**await opened_form(client, csrf), "offers.0.ends": ""}
    )
    assert answer.status_code == 422
    assert "Write a date" in field_errors(answer)["offers.0.ends"]
    assert offers.read_bytes() == before


async def test_a_form_opened_before_someone_else_saved_is_refused_as_a_conflict(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    stale = await opened_form(client, csrf)
    first = await client.post(OFFERS, data={**stale, "offers.0.starts": "2026-01-05"})
    assert first.status_code == 303
    offers = data_copy[1] / "offers.yaml"
    saved = offers.read_bytes()
    second = await client.post(OFFERS, data={**stale, "offers.1.starts": "2026-01-09"})
    assert second.status_code == 409
    assert "This file was changed since you opened it" in second.text
    assert offers.read_bytes() == saved


async def test_without_a_session_the_offers_page_shows_nothing_and_saves_nothing(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path]
) -> None:
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_bytes()
    shown = await client.get(OFFERS)
    assert shown.status_code == 401 and "gutta-percha" not in shown.text
    refused = await client.post(OFFERS, data={"offers.0.ends": "2026-02-28"})
    assert refused.status_code == 403
    assert offers.read_bytes() == before


async def test_a_new_offer_is_added_and_the_bot_shows_it_once_with_its_service(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    offers = data_copy[1] / "offers.yaml"
    before = offers.read_text()
    form = {
        **await opened_form(client, csrf),
        "new:offers.title": "Gentler whitening gel",
        "new:offers.text": "New in our clinic: a whitening gel that is kinder to sensitive teeth.",
        "new:offers.starts": "2026-01-01",
        "new:offers.ends": "2027-06-30",
        "new:offers.intents": ["", "whitening"],
    }
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 303
    after = offers.read_text()
    assert after.startswith(before)  # every offer and comment as it was, the new one after
    assert after[len(before) :] == (
        "  - id: gentler_whitening_gel\n"
        "    intents: [whitening]\n"
        "    title: Gentler whitening gel\n"
        '    text: "New in our clinic: a whitening gel that is kinder to sensitive teeth."\n'
        "    starts: 2026-01-01\n"
        "    ends: 2027-06-30\n"
    )
    front_desk = front_desk_over(data_copy, opened)
    assert await ask(front_desk, "dora", "how much is teeth whitening") == [
        "gentler_whitening_gel"
    ]
    assert await ask(front_desk, "dora", "how much is teeth whitening") == []  # once


async def test_a_new_offer_without_a_service_is_refused_at_its_services(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    before = (data_copy[1] / "offers.yaml").read_bytes()
    form = {
        **await opened_form(client, csrf),
        "new:offers.title": "Night guards",
        "new:offers.text": "New in our clinic: softer night guards.",
        "new:offers.starts": "2026-12-01",
        "new:offers.ends": "2027-01-31",
    }
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 422
    assert field_errors(answer) == {
        "new_offers.intents": "Tick at least one service the offer goes with"
    }
    assert 'value="Night guards"' in answer.text
    assert (data_copy[1] / "offers.yaml").read_bytes() == before


async def test_an_offer_taken_out_and_another_given_a_new_service_in_one_save(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    form = {
        **await opened_form(client, csrf),
        "remove:offers.0": "1",
        "offers.1.intents": ["", "crowns", "implants", "orthodontics", "dentures"],
    }
    answer = await client.post(OFFERS, data=form)
    assert answer.status_code == 303
    after = (data_copy[1] / "offers.yaml").read_text()
    assert "warm_gutta_percha" not in after
    assert "    intents: [crowns, implants, orthodontics, dentures]\n" in after
    front_desk = front_desk_over(data_copy, opened)
    assert await ask(front_desk, "eve", "how much is a root canal") == []
