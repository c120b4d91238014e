"""Bar charts drawn on the server as inline SVG: no script, no library, readable on a phone.

Each chart comes with the same numbers as rows for a plain `<table>`, for screen readers and
for anyone who prefers figures. Every piece of text is XML-escaped; the SVG is meant to be put
into the page as it is (in Jinja2: `{{ chart.svg | safe }}`). Values are counts or shares, never
negative. With a `unit` ("%"), figures show it and a day chart's description names no total;
`identity` (default: the title) names a chart's element ids: give one when two share a title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: The drawing's own units; the SVG scales to the width of its container.
WIDTH = 480
DAY_CHART_HEIGHT = 240
#: Room for the y-axis labels on the left, and for the date labels below the bars.
LEFT = 48
RIGHT = 8
TOP = 16
BOTTOM = 30
#: Of each day's slot, the share the bar takes (the rest is the gap between bars).
BAR_SHARE = 0.8
#: Horizontal bars: a label line above each bar, both from the left edge.
CATEGORY_LEFT = 8
ROW_HEIGHT = 50
LABEL_HEIGHT = 22
BAR_THICKNESS = 18
#: Room on the right of the longest bar for its value.
VALUE_ROOM = 64
FONT_SIZE = 15
BAR_COLOUR = "#2f6f9f"
TEXT_COLOUR = "#333333"
AXIS_COLOUR = "#999999"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Chart:
    """An inline SVG, and the same figures as (label, value) rows for a table."""

    title: str
    svg: str
    rows: tuple[tuple[str, str], ...]


def xml_text(text: str) -> str:
    """Text made safe for XML content and attribute values."""
    return escape(text, quote=True)


def short_date(day: dt.date) -> str:
    """The day and month ("26 Nov"), the same in every locale."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def long_date(day: dt.date) -> str:
    """The day, month and year ("26 Nov 2026"), for table rows and descriptions."""
    return f"{short_date(day)} {day.year}"


def figure(value: float, unit: str = "") -> str:
    """A value as people read it: whole numbers without decimals, others with one."""
    shown = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return f"{shown}{unit}"


def chart_id(name: str) -> str:
    """An id for the chart's title and description, made of the name's letters and digits."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"chart-{slug or 'untitled'}"


def labelled_days(count: int, every: int) -> set[int]:
    """Which of `count` days get a date label: every `every`-th, counting back from the last."""
    step = max(1, every)
    return {index for index in range(count) if (count - 1 - index) % step == 0}


def _svg(identity: str, title: str, description: str, height: float, body: list[str]) -> str:
    """The SVG element around the drawing, with its accessible title and description."""
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {WIDTH} {_number(height)}" width="100%" '
            f'aria-labelledby="{identity}-title {identity}-desc" '
            f'font-family="sans-serif" font-size="{FONT_SIZE}">',
            f'<title id="{identity}-title">{xml_text(title)}</title>',
            f'<desc id="{identity}-desc">{xml_text(description)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _number(value: float) -> str:
    """A coordinate, short: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "label") -> str:
    """One piece of text at a point."""
    return (
        f'<text class="{css}" x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}" '
        f'fill="{TEXT_COLOUR}">{xml_text(text)}</text>'
    )


def _bar(x: float, y: float, width: float, height: float, tooltip: str) -> str:
    """One bar, with its figure as a tooltip."""
    return (
        f'<rect class="bar" x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="{BAR_COLOUR}"><title>{xml_text(tooltip)}</title></rect>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    """An axis line."""
    return (
        f'<line class="axis" x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" '
        f'y2="{_number(y2)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )


def _date_label(index: int, count: int, slot: float, baseline: float, day: dt.date) -> str:
    """A date under its bar; the first and last are aligned to stay inside the drawing."""
    if index == count - 1:
        x, anchor = LEFT + (index + 1) * slot, "end"
    elif index == 0:
        x, anchor = LEFT + index * slot, "start"
    else:
        x, anchor = LEFT + (index + 0.5) * slot, "middle"
    return _text(x, baseline + FONT_SIZE + 6, short_date(day), anchor)


def _day_description(title: str, points: Sequence[tuple[dt.date, float]], unit: str) -> str:
    """What a day chart shows, in words: the period, the total or the busiest day."""
    if not points:
        return f"{title}: no days to show."
    first, last = points[0][0], points[-1][0]
    busiest_day, busiest = max(points, key=lambda point: point[1])
    span = f"{title}, {long_date(first)} to {long_date(last)}"
    if busiest <= 0:
        return f"{span}: nothing on any day."
    total = "" if unit else f"{figure(sum(value for _, value in points))} in total, "
    return f"{span}: {total}highest {figure(busiest, unit)} on {long_date(busiest_day)}."


def day_bars(
    title: str,
    points: Sequence[tuple[dt.date, float]],
    unit: str = "",
    label_every: int = 7,
    description: str | None = None,
    identity: str | None = None,
) -> Chart:
    """A bar per day, oldest first, a date under every `label_every`-th, the max on the y-axis."""
    peak = max((value for _, value in points), default=0.0)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = DAY_CHART_HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(1, len(points))
    body = [
        _line(LEFT, TOP, LEFT, baseline),
        _line(LEFT, baseline, WIDTH - RIGHT, baseline),
        _text(LEFT - 6, TOP + FONT_SIZE / 2, figure(peak, unit), "end", "axis-label"),
        _text(LEFT - 6, baseline, figure(0, unit), "end", "axis-label"),
    ]
    dated = labelled_days(len(points), label_every)
    for index, (day, value) in enumerate(points):
        height = plot_height * max(0.0, value) / peak if peak > 0 else 0.0
        x = LEFT + index * slot + slot * (1 - BAR_SHARE) / 2
        tooltip = f"{long_date(day)}: {figure(value, unit)}"
        body.append(_bar(x, baseline - height, slot * BAR_SHARE, height, tooltip))
        if index in dated:
            body.append(_date_label(index, len(points), slot, baseline, day))
    said = description or _day_description(title, points, unit)
    svg = _svg(chart_id(identity or title), title, said, DAY_CHART_HEIGHT, body)
    rows = tuple((long_date(day), figure(value, unit)) for day, value in points)
    return Chart(title, svg, rows)


def _category_description(title: str, items: Sequence[tuple[str, float]], unit: str) -> str:
    """What a category chart shows, in words: how many, and the largest."""
    if not items:
        return f"{title}: nothing to show."
    name, value = max(items, key=lambda item: item[1])
    return f"{title}: {len(items)} shown; the largest is {name} with {figure(value, unit)}."


def category_bars(
    title: str,
    items: Sequence[tuple[str, float]],
    unit: str = "",
    description: str | None = None,
    identity: str | None = None,
) -> Chart:
    """A horizontal bar per category, in the order given, its name above it, its value after."""
    peak = max((value for _, value in items), default=0.0)
    longest = WIDTH - CATEGORY_LEFT - VALUE_ROOM
    height = TOP + ROW_HEIGHT * max(1, len(items)) + TOP / 2
    body: list[str] = []
    for index, (name, value) in enumerate(items):
        top = TOP + index * ROW_HEIGHT
        length = longest * max(0.0, value) / peak if peak > 0 else 0.0
        bar_top = top + LABEL_HEIGHT - 2
        shown = figure(value, unit)
        body.append(_text(CATEGORY_LEFT, top + FONT_SIZE - 2, name))
        body.append(_bar(CATEGORY_LEFT, bar_top, length, BAR_THICKNESS, f"{name}: {shown}"))
        value_x = CATEGORY_LEFT + length + 6
        body.append(_text(value_x, bar_top + BAR_THICKNESS - 3, shown, css="value"))
    if not items:
        body.append(_text(CATEGORY_LEFT, TOP + FONT_SIZE, "Nothing yet"))
    said = description or _category_description(title, items, unit)
    svg = _svg(chart_id(identity or title), title, said, height, body)
    rows = tuple((name, figure(value, unit)) for name, value in items)
    return Chart(title, svg, rows)
