"""Minutes practised per week over the last 26 weeks, stacked by kind of practice."""

from collections import defaultdict
from datetime import date, timedelta

from practices.models import Practice
from progress import charts
from progress.ranges import make_bucket

# A fixed window: this chart does not follow the chosen range.
CATEGORY_WEEKS = 26


def minutes_by_kind(seconds_by_day_and_kind: list[tuple[date, str, int]], today: date) -> dict:
    """The chart from (day, kind of practice, seconds) rows, which may cover more days."""
    first = today - timedelta(days=today.weekday(), weeks=CATEGORY_WEEKS - 1)
    categories = list(Practice.Category)
    seconds: dict[tuple[date, str], int] = defaultdict(int)
    for day, category, day_seconds in seconds_by_day_and_kind:
        if first <= day <= today:
            seconds[day - timedelta(days=day.weekday()), category] += day_seconds
    weeks = [make_bucket(first + timedelta(weeks=n), "week", today) for n in range(CATEGORY_WEEKS)]
    stacks = [
        [round((seconds.get((week.start, category.value)) or 0) / 60) for category in categories]
        for week in weeks
    ]
    totals = {
        category.label: sum(stack[index] for stack in stacks)
        for index, category in enumerate(categories)
    }
    figure = charts.stacked_bar_figure(
        series=[(category.label, f"category-{category.value}") for category in categories],
        buckets=weeks,
        stacks=stacks,
        amount_with_unit=charts.minutes_with_unit,
        table_title="Minutes practised per week, by kind of practice",
        first_column="Week",
        skip_empty_rows=False,
    )
    summary = {
        "weeks": CATEGORY_WEEKS,
        "seconds": sum(totals.values()) * 60,
        "minutes_by_kind": [(label, value) for label, value in totals.items() if value],
    }
    return {**figure, **summary}
