"""Edits that change a data file's shape: a setting taken out, a row added or removed."""

from __future__ import annotations

import pytest
import yaml

from bot.web.documents import REMOVE, EditRefused, NewRow, apply_edits

CLINIC = """\
clinic:
  # Opening hours
  hours:
    - {days: "Monday-Friday", open: "08:00", close: "19:00"}
    - {days: "Saturday", open: "09:00", close: "14:00"}
    - {days: "Sunday", closed: true}
  discounts:
    - who: "Seniors"
      what: "10% on treatment"
      percent: 10
    - who: "Students"
      what: "5% on cleaning"
components:
  exam: {name: "Exam", price: 95, per: visit}
  crown:
    name: Crown
    min: 900
    max: 1400
    per: tooth
"""


def test_a_single_price_becomes_a_range_in_a_one_line_part() -> None:
    edited = apply_edits(
        CLINIC,
        {
            "components.exam.price": REMOVE,
            "components.exam.min": "90",
            "components.exam.max": "120",
        },
    )
    assert yaml.safe_load(edited)["components"]["exam"] == {
        "name": "Exam",
        "per": "visit",
        "min": 90,
        "max": 120,
    }
    assert "# Opening hours" in edited


def test_a_range_becomes_a_single_price_in_a_part_written_over_several_lines() -> None:
    edited = apply_edits(
        CLINIC,
        {
            "components.crown.min": REMOVE,
            "components.crown.max": REMOVE,
            "components.crown.price": "1100",
        },
    )
    assert yaml.safe_load(edited)["components"]["crown"] == {
        "name": "Crown",
        "per": "tooth",
        "price": 1100,
    }
    assert edited.count("\n") == CLINIC.count("\n") - 1


def test_a_row_is_taken_out_of_a_list_and_the_rest_stay_as_written() -> None:
    edited = apply_edits(CLINIC, {"clinic.hours.1": REMOVE})
    assert [row["days"] for row in yaml.safe_load(edited)["clinic"]["hours"]] == [
        "Monday-Friday",
        "Sunday",
    ]
    assert '    - {days: "Sunday", closed: true}\n' in edited


def test_a_row_written_over_several_lines_is_taken_out_whole() -> None:
    edited = apply_edits(CLINIC, {"clinic.discounts.0": REMOVE})
    assert yaml.safe_load(edited)["clinic"]["discounts"] == [
        {"who": "Students", "what": "5% on cleaning"}
    ]


def test_a_new_row_is_added_at_the_end_of_a_list_with_typed_values() -> None:
    edited = apply_edits(
        CLINIC,
        {"clinic.hours": NewRow({"days": "Sunday", "closed": "true"}), "clinic.hours.2": REMOVE},
    )
    hours = yaml.safe_load(edited)["clinic"]["hours"]
    assert hours[-1] == {"days": "Sunday", "closed": True}
    assert len(hours) == 3


def test_a_row_edited_and_another_removed_in_one_save_both_land() -> None:
    edited = apply_edits(CLINIC, {"clinic.hours.0": REMOVE, "clinic.hours.2.days": "Sun"})
    hours = yaml.safe_load(edited)["clinic"]["hours"]
    assert [row["days"] for row in hours] == ["Saturday", "Sun"]


def test_a_closed_day_is_written_as_true_not_as_a_text() -> None:
    edited = apply_edits(CLINIC, {"clinic.hours.1.closed": "true"})
    assert yaml.safe_load(edited)["clinic"]["hours"][1]["closed"] is True


def test_the_last_row_of_a_list_cannot_be_taken_out() -> None:
    one_row = "clinic:\n  hours:\n    - {days: Monday, open: '08:00', close: '19:00'}\n"
    with pytest.raises(EditRefused):
        apply_edits(one_row, {"clinic.hours.0": REMOVE})


def test_a_new_row_of_a_list_written_key_per_line_is_written_the_same_way() -> None:
    offers = (
        "offers:\n"
        "  - id: scanner\n"
        "    intents: [crowns]\n"
        '    text: "New in our clinic: a scanner."\n'
        "    ends: 2027-06-30\n"
    )
    row = NewRow(
        {"id": "whitening_gel", "intents": ["whitening"], "text": "New: a gentler gel, too."}
    )
    edited = apply_edits(offers, {"offers": row})
    assert edited == offers + (
        '  - id: whitening_gel\n    intents: [whitening]\n    text: "New: a gentler gel, too."\n'
    )
