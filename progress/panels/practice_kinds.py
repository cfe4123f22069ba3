"""Minutes practised per week over the last 26 weeks, stacked by kind of practice."""

from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncWeek

from accounts.models import User
from practices.models import Practice, PracticeSession
from progress import charts
from progress.ranges import as_date, make_bucket

# A fixed window: this chart does not follow the chosen range.
CATEGORY_WEEKS = 26


def minutes_by_kind(user: User, today: date) -> dict:
    first = today - timedelta(days=today.weekday(), weeks=CATEGORY_WEEKS - 1)
    rows = (
        PracticeSession.objects.for_user(user)
        .filter(local_date__gte=first, local_date__lte=today)
        .annotate(week=TruncWeek("local_date"))
        .values("week", "practice__category")
        .annotate(seconds=Sum("seconds_practised"))
        .order_by()
    )
    categories = list(Practice.Category)
    seconds = {(as_date(row["week"]), row["practice__category"]): row["seconds"] for row in rows}
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
