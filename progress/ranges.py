"""The periods the dashboard's charts cover, and the weeks or months they group by."""

from calendar import month_abbr, month_name, monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.db.models.functions import TruncMonth, TruncWeek


@dataclass(frozen=True)
class Bucket:
    """One week or month of a chart: its first and last day and its names."""

    start: date
    last: date
    short: str  # under the chart
    long: str  # in tables and tooltips


def add_months(first_of_month: date, months: int) -> date:
    month_index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def as_date(value: date | datetime) -> date:
    """TruncWeek and TruncMonth give a datetime on some databases and a date on others."""
    return value.date() if isinstance(value, datetime) else value


def bucket_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


# The names, once: strftime looks them up on every call.
MONTH_NAMES = tuple(month_name)
MONTH_ABBREVIATIONS = tuple(month_abbr)


def make_bucket(start: date, bucket: str, today: date) -> Bucket:
    """The week or month starting on `start`, cut short at today."""
    short, long = MONTH_ABBREVIATIONS[start.month], f"{MONTH_NAMES[start.month]} {start.year}"
    if bucket == "week":
        last = min(start + timedelta(days=6), today)
        return Bucket(start, last, f"{start.day} {short}", f"Week of {start.day} {long}")
    last = min(start.replace(day=monthrange(start.year, start.month)[1]), today)
    return Bucket(start, last, short, long)


@dataclass(frozen=True)
class ChartRange:
    """A period for the FACES, feelings and river charts and the insights."""

    key: str
    label: str
    in_words: str  # how the period reads in a sentence
    days: int | None  # None: from the first record on
    bucket: str  # "week" or "month": how the feelings and river charts group

    def first_day(self, today: date) -> date | None:
        return None if self.days is None else today - timedelta(days=self.days - 1)

    def within(self, queryset: QuerySet, today: date, field: str = "local_date") -> QuerySet:
        """The rows whose `field` falls in this range, ending today."""
        queryset = queryset.filter(**{f"{field}__lte": today})
        first = self.first_day(today)
        if first is not None:
            queryset = queryset.filter(**{f"{field}__gte": first})
        return queryset

    def group_by_bucket(self, queryset: QuerySet) -> QuerySet:
        """Values grouped by week or month, as `bucket`."""
        truncate = TruncWeek if self.bucket == "week" else TruncMonth
        return queryset.annotate(bucket=truncate("local_date")).values("bucket")

    def buckets(self, today: date, starts: Iterable[date]) -> list[Bucket]:
        """Every week or month of the range; all time starts at the earliest of `starts`."""
        first = self.first_day(today)
        if first is None:
            # All time: from the first period anything shown was recorded.
            first = min(starts, default=today)
        start = bucket_start(first, self.bucket)
        last = bucket_start(today, self.bucket)
        buckets = []
        while start <= last:
            buckets.append(make_bucket(start, self.bucket, today))
            start = start + timedelta(weeks=1) if self.bucket == "week" else add_months(start, 1)
        return buckets


RANGES = {
    chart_range.key: chart_range
    for chart_range in (
        ChartRange("90d", "90 days", "in the last 90 days", 90, "week"),
        ChartRange("1y", "1 year", "in the last year", 365, "week"),
        ChartRange("all", "All time", "so far", None, "month"),
    )
}
DEFAULT_RANGE = "90d"


def chart_range(key: str | None) -> ChartRange:
    """The range this key names; the default one for a missing or unknown key."""
    return RANGES.get(key or DEFAULT_RANGE, RANGES[DEFAULT_RANGE])
