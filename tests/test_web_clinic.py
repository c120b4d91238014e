"""The Clinic page without a browser: labelled fields by path, saves the bot answers with."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from bot.core import Brain, FrontDesk
from bot.loader import load_or_raise
from bot.store import Database, Store
from tests import test_web
from tests.test_web import field_errors, form_value, sign_in

client = test_web.client  # the fixtures, shared with the other pages' tests
opened = test_web.opened

CLINIC = "/clinic"


class FormFields(HTMLParser):
    """Every named field of a page and the value a browser would send for it untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.ticked: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name")
        if tag == "input" and name and named.get("type") == "checkbox":
            ticked = self.ticked.setdefault(name, [])
            if "checked" in named:
                ticked.append(named.get("value") or "")
        elif tag == "input" and name:
            self.values[name] = named.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in named:
            self.values[self._select] = named.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def untouched_form(page: httpx.Response) -> dict[str, Any]:
    """What pressing Save sends when nothing was changed (a group of ticks: a list)."""
    fields = FormFields()
    fields.feed(page.text)
    return {**fields.values, **{name: ["", *keys] for name, keys in fields.ticked.items()}}


async def answer_of(data_copy: tuple[Path, Path], tmp_path: Path, text: str) -> str:
    """What the bot, run over the saved copy of the data, answers a new patient."""
    store = Store(Database(tmp_path / "patients.sqlite3"))
    await store.open()
    try:
        front_desk = FrontDesk(Brain.build(load_or_raise(*data_copy)), store)
        async with store.unit_of_work():
            outcome = await front_desk.handle_text(f"console:{len(text)}", text)
    finally:
        await store.close()
    return "\n".join(message.text for message in outcome.messages)


async def test_every_fact_is_a_labelled_field_named_by_its_path(
    client: httpx.AsyncClient, opened: Database
) -> None:
    await sign_in(client, opened)
    page = await client.get(CLINIC)
    assert page.status_code == 200
    fields = untouched_form(page)
    assert fields["clinic.phone"] == "+1 413 555 0142"
    assert fields["clinic.hours.1.days"] == "Saturday"
    assert (fields["clinic.hours.1.open"], fields["clinic.hours.1.close"]) == ("09:00", "14:00")
    assert fields["clinic.hours.2.closed"] == "true"  # Sunday
    assert fields["clinic.doctors.2.name"] == "Dr. Priya Raman"
    assert fields["clinic.discounts.1.age_below"] == "14"
    assert fields["clinic.warranty.terms.2.period"] == "5 years"
    assert "bank transfer" in fields["clinic.payment_methods"].splitlines()
    for path in ("clinic.hours.1.open", "clinic.phone", "clinic.discounts.0.percent"):
        assert f'<label for="{path}">' in page.text, path  # every field has its label
    assert 'type="time" value="09:00"' in page.text


async def test_saving_the_untouched_form_changes_nothing(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    answer = await client.post(CLINIC, data=untouched_form(await client.get(CLINIC)))
    assert answer.status_code == 303 and answer.headers["location"] == "/clinic?saved=0"
    assert clinic.read_bytes() == before


async def test_new_saturday_hours_change_that_line_only_and_what_the_bot_answers(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    csrf = await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_text()
    page = await client.get(CLINIC)
    form = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    saved = await client.post(CLINIC, data={**form, "clinic.hours.1.close": "16:30"})
    assert saved.status_code == 303
    assert clinic.read_text() == before.replace(
        '{days: "Saturday", open: "09:00", close: "14:00"}',
        '{days: "Saturday", open: "09:00", close: "16:30"}',
    )
    said = await answer_of(data_copy, tmp_path, "are you open on saturday")
    assert "09:00–16:30" in said and "14:00" not in said.split("\n")[0]


async def test_closing_on_saturday_makes_the_bot_say_it_is_closed(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    csrf = await sign_in(client, opened)
    page = await client.get(CLINIC)
    form = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    assert "09:00–14:00" in await answer_of(data_copy, tmp_path, "are you open on saturday")
    saved = await client.post(CLINIC, data={**form, "clinic.hours.1.closed": "true"})
    assert saved.status_code == 303
    said = await answer_of(data_copy, tmp_path, "are you open on saturday?")
    assert said == "We're closed on Saturday."


async def test_a_time_in_words_is_refused_at_its_field_in_plain_words(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    page = await client.get(CLINIC)
    form = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    answer = await client.post(CLINIC, data={**form, "clinic.hours.1.open": "9am"})
    assert answer.status_code == 422
    assert field_errors(answer) == {"clinic.hours.1.open": "Write a time like 09:00"}
    assert 'value="9am"' in answer.text  # what was typed is shown back
    assert clinic.read_bytes() == before


async def test_a_discount_over_a_hundred_percent_is_refused_at_its_field(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    csrf = await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    page = await client.get(CLINIC)
    form = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    answer = await client.post(CLINIC, data={**form, "clinic.discounts.0.percent": "120"})
    assert answer.status_code == 422
    assert field_errors(answer) == {"clinic.discounts.0.percent": "Write 100 or less"}
    assert clinic.read_bytes() == before


async def test_a_way_to_pay_added_on_its_own_line_is_saved_as_a_new_item(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_text()
    before_methods = load_or_raise(*data_copy).clinic.payment_methods
    form = untouched_form(await client.get(CLINIC))
    form["clinic.payment_methods"] += "\r\nchecks"
    assert (await client.post(CLINIC, data=form)).status_code == 303
    after = clinic.read_text()
    assert after.count("\n") == before.count("\n") + 1
    methods = load_or_raise(*data_copy).clinic.payment_methods
    assert methods[-2:] == [before_methods[-1], "checks"] and len(methods) == 7


async def test_an_after_hours_phone_is_added_where_the_file_had_none(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    csrf = await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    page = await client.get(CLINIC)
    form = {"csrf_token": csrf, "base_hash": form_value(page, "base_hash")}
    phone = "+1 413 555 0199"
    answer = await client.post(CLINIC, data={**form, "clinic.after_hours_phone": phone})
    assert answer.status_code == 303
    assert load_or_raise(*data_copy).clinic.after_hours_phone == phone
    shown = await client.get(answer.headers["location"])
    assert f'value="{phone}"' in shown.text and "Saved as revision 1" in shown.text
    assert clinic.read_text().count(phone) == 1


async def test_without_a_session_the_clinic_page_shows_nothing_and_saves_nothing(
    client: httpx.AsyncClient, data_copy: tuple[Path, Path]
) -> None:
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    shown = await client.get(CLINIC)
    assert shown.status_code == 401 and "Maple Avenue" not in shown.text
    refused = await client.post(CLINIC, data={"clinic.hours.1.close": "16:30"})
    assert refused.status_code == 403
    assert clinic.read_bytes() == before


async def test_the_parts_a_discount_is_taken_off_are_ticked_and_unticking_one_removes_it(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    form = untouched_form(await client.get(CLINIC))
    seniors = "clinic.discounts.0.applies_to"
    assert form[seniors][1:3] == ["filling_composite", "canal_treatment"]
    assert "clinic.discounts.2.applies_to" not in form  # students: only mentioned
    form[seniors] = [key for key in form[seniors] if key != "canal_treatment"] + ["exam"]
    assert (await client.post(CLINIC, data=form)).status_code == 303
    discount = load_or_raise(*data_copy).clinic.discounts[0]
    assert "canal_treatment" not in discount.applies_to and discount.applies_to[-1] == "exam"
    assert len(discount.applies_to) == 9
    shown = await client.get(CLINIC)
    ticks = shown.text.split(f'id="{seniors}"')[1].split("</fieldset>")[0]
    assert 'value="canal_treatment">' in ticks and 'value="exam" checked>' in ticks


async def test_a_doctor_taken_out_and_one_added_change_who_the_bot_names(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_text()
    form = untouched_form(await client.get(CLINIC))
    form["remove:clinic.doctors.4"] = "1"  # Dr. Laura Chen
    form.update(
        {
            "new:clinic.doctors.name": "Dr. Ana Ruiz",
            "new:clinic.doctors.role": "general dentist",
            "new:clinic.doctors.years": "7",
            "new:clinic.doctors.degree": "DDS",
        }
    )
    saved = await client.post(CLINIC, data=form)
    assert saved.status_code == 303
    after = clinic.read_text()
    assert 'Dr. Laura Chen", role' not in after
    assert "    - {name: Dr. Ana Ruiz, role: general dentist, years: 7, degree: DDS}\n" in after
    untouched = [line for line in before.splitlines() if 'Laura Chen", role' not in line]
    assert [line for line in after.splitlines() if "Ana Ruiz" not in line] == untouched
    said = await answer_of(data_copy, tmp_path, "who are your doctors?")
    assert "Ana Ruiz" in said and "Dr. Laura Chen" not in said.split("Orthodontist")[0]


async def test_a_new_day_of_hours_is_added_and_a_line_taken_out_in_one_save(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    await sign_in(client, opened)
    form = untouched_form(await client.get(CLINIC))
    form["remove:clinic.hours.2"] = "1"  # Sunday, closed
    form.update(
        {
            "new:clinic.hours.days": "Sunday",
            "new:clinic.hours.closed": "false",
            "new:clinic.hours.open": "10:00",
            "new:clinic.hours.close": "13:00",
        }
    )
    assert (await client.post(CLINIC, data=form)).status_code == 303
    said = await answer_of(data_copy, tmp_path, "are you open on sunday?")
    assert "10:00–13:00" in said


async def test_a_mistake_in_a_new_row_shows_at_its_field_and_nothing_is_written(
    client: httpx.AsyncClient, opened: Database, data_copy: tuple[Path, Path]
) -> None:
    await sign_in(client, opened)
    clinic = data_copy[1] / "clinic.yaml"
    before = clinic.read_bytes()
    form = untouched_form(await client.get(CLINIC))
    form["remove:clinic.hours.0"] = "1"
    form.update({"new:clinic.hours.days": "Sunday", "new:clinic.hours.open": "10:00"})
    answer = await client.post(CLINIC, data=form)
    assert answer.status_code == 422
    assert list(field_errors(answer)) == ["new_clinic.hours"]  # the new row's
    assert "closing" in field_errors(answer)["new_clinic.hours"]
    assert 'value="Sunday"' in answer.text  # what was typed is kept to correct
    assert clinic.read_bytes() == before
