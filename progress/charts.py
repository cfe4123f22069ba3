"""Geometry for the dashboard's server-rendered SVG charts.

Templates draw with SVG presentation attributes only (x, y, width, height,
points, class): the CSP allows no inline styles. Every number here is already
a string with one decimal, so the templates never depend on number formatting.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from progress.ranges import Bucket

# Drawn for a phone: a 360-unit-wide chart fills a card about 300 px wide, so
# the 13-unit labels render at about 11 px (the browser tests measure at least 10).
WIDTH = 360
HEIGHT = 180
LEFT = 30  # room for the y-axis labels
RIGHT = 8
TOP = 10
BOTTOM = 26  # room for the x-axis labels
MAX_X_LABELS = 4


def number(value: float) -> str:
    """A coordinate as markup wants it: one decimal."""
    return f"{value:.1f}"


def minutes_with_unit(minutes: int) -> str:
    """A whole number of minutes for a tooltip: 1 minute, 90 minutes."""
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class XLabel:
    x: str
    text: str


class Bar(NamedTuple):  # a tuple: charts draw a hundred or more
    x: str
    y: str
    width: str
    height: str
    title: str
    css_class: str  # the series' colour


class Point(NamedTuple):
    x: str
    y: str
    title: str


@dataclass
class Line:
    name: str
    css_class: str
    segments: list[str] = field(default_factory=list)  # polyline "points" strings
    points: list[Point] = field(default_factory=list)


@dataclass
class Frame:
    """What every chart shares: its size, axis ticks and labels along the bottom."""

    width: int = WIDTH
    height: int = HEIGHT
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def plot_left(self) -> str:
        return number(LEFT)

    @property
    def plot_right(self) -> str:
        return number(WIDTH - RIGHT)

    @property
    def baseline(self) -> str:
        return number(self.height - BOTTOM)

    @property
    def label_y(self) -> str:
        return number(self.height - BOTTOM + 18)

    @property
    def tick_label_x(self) -> str:
        return number(LEFT - 6)


def _plot_height(height: int = HEIGHT) -> float:
    return height - TOP - BOTTOM


def _slot(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def _y(value: float, low: float, high: float, height: int = HEIGHT) -> float:
    share = (value - low) / (high - low) if high > low else 0
    return TOP + _plot_height(height) * (1 - share)


def nice_ceiling(value: float) -> float:
    """A round top for the axis at or above `value`: 10, 20, 25, 50, 100, 200 ..."""
    if value <= 0:
        return 10
    step = 1
    while True:
        for multiple in (1, 2, 2.5, 5):
            top = multiple * step
            if top >= value:
                return top
        step *= 10


def _x_labels(labels: list[str]) -> list[XLabel]:
    slot = _slot(len(labels))
    every = max(1, -(-len(labels) // MAX_X_LABELS))
    return [
        XLabel(x=number(LEFT + slot * (index + 0.5)), text=text)
        for index, text in enumerate(labels)
        if index % every == 0
    ]


def line_chart(
    series: list[tuple[str, str, list[float | None]]],
    labels: list[str],
    titles: list[str],
    low: float,
    high: float,
    tick_values: tuple[float, ...],
    *,
    dots: bool = True,
    height: int = HEIGHT,
) -> Frame:
    """One line per series; a missing value breaks the line, a lone value is a dot.

    Without `dots` (dense lines, whose values are in the chart's table) no
    point is drawn, except a lone value, which would otherwise not show at all.
    """
    slot = _slot(len(labels))
    frame = Frame(
        height=height,
        ticks=[
            Tick(y=number(_y(value, low, high, height)), label=f"{value:g}")
            for value in tick_values
        ],
        x_labels=_x_labels(labels),
    )
    for name, css_class, values in series:
        line = Line(name=name, css_class=css_class)
        run: list[str] = []
        for index, value in enumerate(values):
            if value is None:
                if len(run) > 1:
                    line.segments.append(" ".join(run))
                run = []
                continue
            x, y = number(LEFT + slot * (index + 0.5)), number(_y(value, low, high, height))
            run.append(f"{x},{y}")
            alone = (index == 0 or values[index - 1] is None) and (
                index + 1 == len(values) or values[index + 1] is None
            )
            if dots or alone:
                line.points.append(Point(x=x, y=y, title=f"{titles[index]}: {name} {value:.1f}"))
        if len(run) > 1:
            line.segments.append(" ".join(run))
        frame.lines.append(line)
    return frame


def stacked_bar_chart(
    stacks: list[list[int]],
    series: list[tuple[str, str]],
    labels: list[str],
    titles: list[str],
    amount_with_unit: Callable[[int], str],
) -> Frame:
    """One bar per slot, its parts stacked from zero in the order of `series` (name, class).

    `amount_with_unit` says a part's value with its unit, for the bar's tooltip.
    """
    top = nice_ceiling(max((sum(stack) for stack in stacks), default=0))
    slot = _slot(len(stacks))
    # Said once per amount: a translated plural costs more than the rest of a bar.
    amounts = {
        value: amount_with_unit(value) for value in {value for stack in stacks for value in stack}
    }
    frame = Frame(
        ticks=[
            Tick(y=number(_y(top * share, 0, top)), label=f"{top * share:g}")
            for share in (0, 0.5, 1)
        ],
        x_labels=_x_labels(labels),
    )
    for index, (stack, title) in enumerate(zip(stacks, titles, strict=True)):
        below = 0.0
        for (name, css_class), value in zip(series, stack, strict=True):
            if value <= 0:
                continue
            frame.bars.append(
                Bar(
                    x=number(LEFT + slot * index + slot * 0.15),
                    y=number(_y(below + value, 0, top)),
                    width=number(slot * 0.7),
                    height=number(_plot_height() * value / top),
                    title=f"{title}: {name}, {amounts[value]}",
                    css_class=css_class,
                )
            )
            below += value
    return frame


# Markup -------------------------------------------------------------------------
# A five-year dashboard draws hundreds of squares, bars and table cells. Built
# here as plain strings they cost a fraction of what a template loop does;
# every piece of text is escaped, and numbers are already strings we formatted.


def _axes_markup(frame: Frame) -> list[str]:
    parts = [
        f'<line class="chart-gridline" x1="{frame.plot_left}" x2="{frame.plot_right}" '
        f'y1="{tick.y}" y2="{tick.y}"/><text class="chart-tick" x="{frame.tick_label_x}" '
        f'y="{tick.y}" text-anchor="end" dominant-baseline="middle">{escape(tick.label)}</text>'
        for tick in frame.ticks
    ]
    parts += [
        f'<text class="chart-tick" x="{label.x}" y="{frame.label_y}" '
        f'text-anchor="middle">{escape(label.text)}</text>'
        for label in frame.x_labels
    ]
    return parts


def frame_markup(frame: Frame) -> SafeString:
    """The inside of a bar or line chart's <svg>."""
    parts = _axes_markup(frame)
    parts += [
        f'<rect class="{bar.css_class}" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
        f'height="{bar.height}"><title>{escape(bar.title)}</title></rect>'
        for bar in frame.bars
    ]
    for line in frame.lines:
        parts.append(f'<g class="chart-line {line.css_class}">')
        parts += [f'<polyline points="{points}" fill="none"/>' for points in line.segments]
        parts += [
            f'<circle cx="{point.x}" cy="{point.y}" r="3.5"><title>{escape(point.title)}</title>'
            "</circle>"
            for point in line.points
        ]
        parts.append("</g>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def table_markup(caption: str, headings: list[str], rows: list[list]) -> SafeString:
    """A data table: the first cell of each row is its heading; floats get one decimal."""

    def cell(value) -> str:
        if isinstance(value, int):  # most cells: nothing to escape
            return str(value)
        return escape(f"{value:.1f}" if isinstance(value, float) else str(value))

    head = "".join(f'<th scope="col">{escape(heading)}</th>' for heading in headings)
    body = "".join(
        f'<tr><th scope="row">{cell(row[0])}</th>'
        + "".join(f"<td>{cell(value)}</td>" for value in row[1:])
        + "</tr>"
        for row in rows
    )
    return mark_safe(  # noqa: S308 (every text above is escaped)
        f'<table><caption class="visually-hidden">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def stacked_bar_figure(
    *,
    series: list[tuple[str, str]],
    buckets: list[Bucket],
    stacks: list[list[int]],
    amount_with_unit: Callable[[int], str],
    table_title: str,
    first_column: str,
    skip_empty_rows: bool,
) -> dict:
    """A stacked bar chart with its key and numbers table, ready for the template."""
    frame = stacked_bar_chart(
        stacks, series, [b.short for b in buckets], [b.long for b in buckets], amount_with_unit
    )
    rows = [
        [bucket.long, *stack, sum(stack)]
        for bucket, stack in zip(buckets, stacks, strict=True)
        if sum(stack) or not skip_empty_rows
    ]
    return {
        "frame": frame,
        "svg": frame_markup(frame),
        "keys": series,
        "table": table_markup(
            table_title, [first_column, *(label for label, _ in series), "All"], rows
        ),
        "has_data": any(sum(stack) for stack in stacks),
    }
