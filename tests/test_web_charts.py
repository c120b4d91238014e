"""Server-side SVG charts: well-formed, accessible, escaped, and drawn to scale."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from bot.web.charts import Chart, category_bars, chart_id, day_bars, figure, labelled_days

SVG = "{http://www.w3.org/2000/svg}"
FIRST_DAY = dt.date(2026, 10, 28)


def thirty_days(values: list[float] | None = None) -> list[tuple[dt.date, float]]:
    """30 consecutive days from 28 Oct 2026, with the given values (default 0, 1, 2...)."""
    counts = values if values is not None else [float(index) for index in range(30)]
    return [(FIRST_DAY + dt.timedelta(days=index), value) for index, value in enumerate(counts)]


def parsed(chart: Chart) -> ET.Element:
    """The chart's SVG as an XML tree (fails on anything not well-formed)."""
    return ET.fromstring(chart.svg)


def bars(chart: Chart) -> list[ET.Element]:
    """The bars, in drawing order."""
    return [rect for rect in parsed(chart).iter(f"{SVG}rect") if rect.get("class") == "bar"]


def texts(chart: Chart, css: str) -> list[str]:
    """The text of every <text> of one class."""
    return [
        element.text or ""
        for element in parsed(chart).iter(f"{SVG}text")
        if element.get("class") == css
    ]


def test_a_day_chart_is_an_accessible_svg_image_that_scales_to_the_page() -> None:
    root = parsed(day_bars("Messages per day", thirty_days()))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Messages per day"
    assert desc is not None and "28 Oct 2026 to 26 Nov 2026" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_a_day_chart_draws_one_bar_per_day() -> None:
    assert len(bars(day_bars("Messages per day", thirty_days()))) == 30
    assert len(bars(day_bars("Messages per day", thirty_days()[:7]))) == 7


def test_a_bar_s_height_is_proportional_to_its_value() -> None:
    values = [0.0] * 27 + [2.0, 4.0, 8.0]
    heights = [
        float(bar.get("height", "")) for bar in bars(day_bars("Calls", thirty_days(values)))
    ]
    assert heights[:27] == [0.0] * 27
    assert heights[-3] * 2 == pytest.approx(heights[-2])
    assert heights[-3] * 4 == pytest.approx(heights[-1])


def test_bars_stand_on_one_baseline_and_the_highest_fills_the_plot() -> None:
    drawn = bars(day_bars("Calls", thirty_days([1.0, 3.0] * 15)))
    bottoms = {round(float(bar.get("y", "")) + float(bar.get("height", "")), 1) for bar in drawn}
    tops = [float(bar.get("y", "")) for bar in drawn]
    assert len(bottoms) == 1
    assert min(tops) == pytest.approx(16)  # the top margin: the peak reaches the max label


def test_the_y_axis_is_labelled_with_the_largest_value_and_zero() -> None:
    chart = day_bars("Messages per day", thirty_days([0.0] * 29 + [17.0]))
    assert texts(chart, "axis-label") == ["17", "0"]


def test_a_share_chart_shows_its_unit_and_one_decimal() -> None:
    chart = day_bars("Unmatched share", thirty_days([0.0] * 29 + [12.5]), unit="%")
    assert texts(chart, "axis-label") == ["12.5%", "0%"]
    assert chart.rows[-1] == ("26 Nov 2026", "12.5%")


def test_dates_are_labelled_every_few_days_ending_with_the_last_day() -> None:
    labels = texts(day_bars("Messages per day", thirty_days(), label_every=7), "label")
    assert labels == ["29 Oct", "5 Nov", "12 Nov", "19 Nov", "26 Nov"]
    assert labelled_days(30, 7) == {1, 8, 15, 22, 29}
    assert labelled_days(3, 0) == {0, 1, 2}


def test_a_chart_of_nothing_draws_flat_bars_and_says_so() -> None:
    chart = day_bars("Opt-outs per day", thirty_days([0.0] * 30))
    assert [bar.get("height") for bar in bars(chart)] == ["0"] * 30
    assert "nothing on any day" in chart.svg


def test_the_table_rows_carry_the_same_numbers_as_the_bars() -> None:
    chart = day_bars("Messages per day", thirty_days([3.0] * 30))
    assert len(chart.rows) == 30
    assert chart.rows[0] == ("28 Oct 2026", "3") and chart.rows[-1] == ("26 Nov 2026", "3")


def test_category_labels_are_escaped_and_read_back_exactly() -> None:
    nasty = "<script>alert('x')</script> & \"co\""
    chart = category_bars("Top intents <today>", [(nasty, 3.0), ("hours", 1.0)])
    assert "<script>" not in chart.svg and "<today>" not in chart.svg
    root = parsed(chart)
    assert nasty in texts(chart, "label")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Top intents <today>"
    assert chart.rows[0] == (nasty, "3")


def test_category_bars_keep_their_order_and_their_lengths_are_proportional() -> None:
    chart = category_bars("Handoffs by reason", [("human", 6.0), ("emergency", 3.0), ("x", 1.0)])
    assert texts(chart, "label") == ["human", "emergency", "x"]
    assert texts(chart, "value") == ["6", "3", "1"]
    widths = [float(bar.get("width", "")) for bar in bars(chart)]
    assert widths[0] == pytest.approx(2 * widths[1]) == pytest.approx(6 * widths[2])
    tops = [float(bar.get("y", "")) for bar in bars(chart)]
    assert tops == sorted(tops)  # first listed, drawn on top


def test_an_empty_category_chart_is_still_a_valid_labelled_image() -> None:
    chart = category_bars("Handoffs by reason", [])
    root = parsed(chart)
    assert root.get("role") == "img" and bars(chart) == []
    assert texts(chart, "label") == ["Nothing yet"] and chart.rows == ()


def test_chart_ids_are_safe_and_two_charts_can_be_told_apart() -> None:
    assert chart_id('Top "intents" <30 days>') == "chart-top-intents-30-days"
    assert chart_id("!!!") == "chart-untitled"
    first = parsed(category_bars("Top", [("a", 1.0)], identity="week"))
    second = parsed(category_bars("Top", [("a", 1.0)], identity="month"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_figures_read_as_whole_numbers_unless_they_have_a_fraction() -> None:
    assert (figure(3.0), figure(100 / 3, "%"), figure(0)) == ("3", "33.3%", "0")
