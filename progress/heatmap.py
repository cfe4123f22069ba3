"""The practice calendar: a year of days as squares, shaded by minutes practised.

Like the other charts, its markup is built here as plain strings: a year of
squares drawn by a template loop would cost several times as much, on every
visit. Every text is escaped; every number is one we formatted.
"""

from calendar import day_name, month_abbr, month_name
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from django.utils.safestring import SafeString, mark_safe

from progress.charts import Tick, XLabel, minutes_with_unit, number

CELL = 11  # one day's square
CELL_STEP = 13  # square plus gap
HEATMAP_LEFT = 34  # room for the weekday labels
HEATMAP_TOP = 19  # room for the month labels
HEATMAP_LEVELS = 4  # shades above "none"


@dataclass(frozen=True)
class Cell:
    x: str
    y: str
    level: int  # 0 (no practice) to HEATMAP_LEVELS
    title: str


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


def heatmap(minutes_by_day: dict[date, int], first: date, last: date) -> Heatmap:
    """A calendar: one column per week (Monday on top), one square per day."""
    top = max(minutes_by_day.values(), default=0)
    monday = first - timedelta(days=first.weekday())
    cells, months = [], []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        weekday = day.weekday()
        x = HEATMAP_LEFT + (day - monday).days // 7 * CELL_STEP
        minutes = minutes_by_day.get(day, 0)
        # calendar's names rather than strftime: a year of squares is drawn on every visit.
        cells.append(
            Cell(
                x=str(x),
                y=str(HEATMAP_TOP + weekday * CELL_STEP),
                level=heatmap_level(minutes, top),
                title=f"{day_name[weekday]} {day.day} {month_name[day.month]} {day.year}: "
                + minutes_with_unit(minutes),
            )
        )
        if day.day == 1 or day == first:
            months.append(XLabel(x=str(x), text=month_abbr[day.month]))
    columns = (last - monday).days // 7 + 1
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
        f'<rect class="heat heat-{cell.level}" x="{cell.x}" y="{cell.y}" width="{CELL}" '
        f'height="{CELL}" rx="2"><title>{escape(cell.title)}</title></rect>'
        for cell in heatmap.cells
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
