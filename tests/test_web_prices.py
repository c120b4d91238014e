"""The Prices page: a part switched between one price and a range, a bundle's parts."""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml

from bot.loader import load_or_raise
from bot.pricing import format_range, quote_bundle
from bot.store import Database
from tests import test_web
from tests.test_web import field_errors, form_value, sign_in
from tests.test_web_clinic import untouched_form

client = test_web.client  # the fixtures, shared with the other pages' tests
opened = test_web.opened


async def _save(
    client: httpx.AsyncClient, opened: Database, **fields: str | list[str]
) -> httpx.Response:
    csrf = await sign_in(client, opened)
    page = await client.get("/prices")
    data = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    return await client.post("/prices", data={**data, **fields})


def _quoted(data_copy: tuple[Path, Path], bundle: str) -> str:
    knowledge = load_or_raise(*data_copy)
    quote = quote_bundle(knowledge.bundles[bundle], knowledge.components)
    return format_range(quote.total, knowledge.clinic.currency)


async def test_saving_the_untouched_prices_form_changes_nothing(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    before = (data_copy[1] / "clinic.yaml").read_bytes()
    answer = await client.post("/prices", data=untouched_form(await client.get("/prices")))
    assert answer.status_code == 303 and answer.headers["location"] == "/prices?saved=0"
    assert (data_copy[1] / "clinic.yaml").read_bytes() == before


async def test_a_part_switched_to_a_range_is_quoted_as_a_range(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    response = await _save(
        client,
        opened,
        **{
            "kind:components.exam": "range",
            "components.exam.min": "90",
            "components.exam.max": "130",
        },
    )
    assert response.status_code == 303
    clinic = yaml.safe_load((data_copy[1] / "clinic.yaml").read_text())
    exam = clinic["components"]["exam"]
    assert (exam.get("price"), exam["min"], exam["max"]) == (None, 90, 130)
    assert _quoted(data_copy, "urgent_visit") == "$120–$160"  # exam plus a $30 X-ray


async def test_a_range_switched_to_one_price_without_a_price_starts_from_its_old_range(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    clinic_file = data_copy[1] / "clinic.yaml"
    implant = yaml.safe_load(clinic_file.read_text())["components"]["implant"]
    assert implant["min"] != implant["max"]
    response = await _save(
        client, opened, **{"kind:components.implant": "single", "components.implant.price": ""}
    )
    assert response.status_code == 422  # no one price to start from: asked for, nothing written
    assert field_errors(response) == {
        "components.implant.price": "write the price as a whole number, like 1500"
    }
    assert yaml.safe_load(clinic_file.read_text())["components"]["implant"] == implant
    response = await _save(
        client, opened, **{"kind:components.implant": "single", "components.implant.price": "1800"}
    )
    assert response.status_code == 303
    assert yaml.safe_load(clinic_file.read_text())["components"]["implant"]["price"] == 1800


async def test_a_part_unticked_from_a_bundle_leaves_its_total(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    clinic_file = data_copy[1] / "clinic.yaml"
    parts = yaml.safe_load(clinic_file.read_text())["bundles"]["urgent_visit"]["parts"]
    assert parts == ["exam", "periapical_xray"]
    response = await _save(client, opened, **{"bundles.urgent_visit.parts": ["exam", ""]})
    assert response.status_code == 303
    assert yaml.safe_load(clinic_file.read_text())["bundles"]["urgent_visit"]["parts"] == ["exam"]
    assert _quoted(data_copy, "urgent_visit") == "$95"


async def test_a_part_added_to_a_bundle_comes_after_its_parts_and_counts_in_its_total(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    response = await _save(
        client,
        opened,
        **{"bundles.urgent_visit.parts": ["exam", "periapical_xray", "bitewing_xray"]},
    )
    assert response.status_code == 303
    clinic = yaml.safe_load((data_copy[1] / "clinic.yaml").read_text())
    assert clinic["bundles"]["urgent_visit"]["parts"] == [
        "exam",
        "periapical_xray",
        "bitewing_xray",
    ]
    assert _quoted(data_copy, "urgent_visit") == "$185"


async def test_a_bundle_left_without_parts_is_refused_at_its_parts(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    before = (data_copy[1] / "clinic.yaml").read_bytes()
    response = await _save(client, opened, **{"bundles.urgent_visit.parts": [""]})
    assert response.status_code == 422
    assert field_errors(response) == {
        "bundles.urgent_visit.parts": "a service needs at least one part the patient pays for"
    }
    assert (data_copy[1] / "clinic.yaml").read_bytes() == before
