"""The practice calendar: a year of days as squares, shaded by minutes practised.

Like the other charts, its markup is built here as plain strings: a year of
squares drawn by a template loop would cost several times as much, on every
visit. Every text is escaped; every number is one we formatted.
"""

from calendar import day_name, month_abbr, month_name
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from progress.charts import Tick, XLabel, minutes_with_unit, number

CELL = 11  # one day's square
CELL_STEP = 13  # square plus gap
HEATMAP_LEFT = 34  # room for the weekday labels
HEATMAP_TOP = 19  # room for the month labels
HEATMAP_LEVELS = 4  # shades above "none"


class Cell(NamedTuple):
    x: str
    y: str
    level: int  # 0 (no practice) to HEATMAP_LEVELS
    title: str
    rest: bool = False  # a planned rest day without practice


@dataclass
class Heatmap:
    width: int
    height: int
    cells: list[Cell]
    months: list[XLabel]
    weekdays: list[Tick]


def heatmap_level(minutes: int, top: int) -> int:
    """0 for no practice; otherwise 1 to HEATMAP_LEVELS, relative to the busiest day."""
    if minutes <= 0:
        return 0
    return max(1, min(HEATMAP_LEVELS, -(-minutes * HEATMAP_LEVELS // max(top, 1))))


# The names, once: calendar's look them up with strftime on every use.
DAY_NAMES = tuple(day_name)
MONTH_NAMES = tuple(month_name)
REST_CLASS = {False: "", True: " heat-rest"}
ROW_Y = tuple(str(HEATMAP_TOP + weekday * CELL_STEP) for weekday in range(7))


def heatmap(
    minutes_by_day: dict[date, int], first: date, last: date, rest: frozenset[date] = frozenset()
) -> Heatmap:
    """A calendar: one column per week (Monday on top), one square per day."""
    top = max(minutes_by_day.values(), default=0)
    monday = first - timedelta(days=first.weekday())
    # Most squares share a handful of values: say and shade each one once.
    values = {0, *minutes_by_day.values()}
    said = {minutes: minutes_with_unit(minutes) for minutes in values}
    levels = {minutes: heatmap_level(minutes, top) for minutes in values}
    columns = (last - monday).days // 7 + 1
    column_x = [str(HEATMAP_LEFT + column * CELL_STEP) for column in range(columns)]
    cells, months = [], []
    day, one_day = first, timedelta(days=1)
    for offset in range((first - monday).days, (last - monday).days + 1):
        column, weekday = divmod(offset, 7)
        minutes = minutes_by_day.get(day, 0)
        resting = not minutes and day in rest
        title = (
            f"{DAY_NAMES[weekday]} {day.day} {MONTH_NAMES[day.month]} {day.year}: "
            f"{'a rest day' if resting else said[minutes]}"
        )
        cells.append(Cell(column_x[column], ROW_Y[weekday], levels[minutes], title, resting))
        if day.day == 1 or day == first:
            months.append(XLabel(x=column_x[column], text=month_abbr[day.month]))
        day += one_day
    weekdays = [
        Tick(y=number(HEATMAP_TOP + row * CELL_STEP + CELL - 1), label=name)
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    ]
    # The first month's label would collide with the next when it starts late in its month.
    if len(months) > 1 and float(months[1].x) - float(months[0].x) < 3 * CELL_STEP:
        months.pop(0)
    return Heatmap(
        width=HEATMAP_LEFT + columns * CELL_STEP,
        height=HEATMAP_TOP + 7 * CELL_STEP,
        cells=cells,
        months=months,
        weekdays=weekdays,
    )


def heatmap_markup(heatmap: Heatmap) -> SafeString:
    """The inside of the calendar's <svg>."""
    parts = [
        f'<text class="chart-tick" x="{label.x}" y="13">{escape(label.text)}</text>'
        for label in heatmap.months
    ]
    parts += [
        f'<text class="chart-tick" x="0" y="{label.y}">{escape(label.label)}</text>'
        for label in heatmap.weekdays
    ]
    parts += [
        f'<rect class="heat heat-{cell.level}{REST_CLASS[cell.rest]}" x="{cell.x}" y="{cell.y}" '
        f'width="{CELL}" height="{CELL}" rx="2"><title>{escape(cell.title)}</title></rect>'
        for cell in heatmap.cells
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
