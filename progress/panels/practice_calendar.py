"""Minutes practised each day over the last twelve months, as a calendar."""

from datetime import date, timedelta

from progress import charts, heatmap
from progress.ranges import add_months, year_before


def calendar_first_day(today: date) -> date:
    """The day after the same date a year ago: twelve whole months up to today."""
    return year_before(today) + timedelta(days=1)


def practice_calendar(
    seconds_by_day: dict[date, int], today: date, rest_days: frozenset[date] = frozenset()
) -> dict:
    """The calendar from the seconds practised on each day (any days; those shown are
    picked), with the planned rest days on which nothing was practised."""
    first = calendar_first_day(today)
    # A practice of a few seconds still shows, as a minute.
    minutes = {
        day: max(1, round(seconds / 60))
        for day, seconds in seconds_by_day.items()
        if first <= day <= today and seconds
    }
    months: dict[date, list[int]] = {}
    month = first.replace(day=1)
    while month <= today:
        months[month] = [0, 0]  # days practised, minutes
        month = add_months(month, 1)
    for day, value in minutes.items():
        counts = months[day.replace(day=1)]
        counts[0] += 1
        counts[1] += value
    practised = len(minutes)
    resting = frozenset(day for day in rest_days if first <= day <= today and day not in minutes)
    chart = heatmap.heatmap(minutes, first, today, resting)
    return {
        "width": chart.width,
        "height": chart.height,
        "svg": heatmap.heatmap_markup(chart),
        "table": charts.table_markup(
            "Days practised and minutes, by month, last 12 months",
            ["Month", "Days practised", "Minutes"],
            [[f"{month:%B %Y}", *counts] for month, counts in months.items()],
        ),
        # For the summary sentence:
        "days": practised,
        "rest_days": len(resting),
        "seconds": sum(minutes.values()) * 60,
        "has_data": bool(practised),
    }
