"""The progress dashboard: what a person's practice and journal add up to.

Everything is counted per the person's own local date (the `local_date` each
row stores), so a practice at 00:30 belongs to the new day wherever they live.
Sums and averages are grouped in the database; each part below is one query,
run only if the page shows it, so the page costs the same number of queries
after a week as after five years.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Lower, Trim, TruncMonth, TruncWeek

from ipnb_site.templatetags.wording import minutes_in_words
from journal.models import (
    FACES_FIELDS,
    FACES_QUALITIES,
    FacesRating,
    IntegrationCheckIn,
    NamedEmotion,
    Quadrant,
    Rupture,
)
from practices.models import Practice, PracticeSession
from progress import charts
from progress.insights import (
    MIN_RECORDS,
    Insight,
    faces_and_practice,
    feelings_before_practice,
    naming_feelings,
    practices_that_settle,
    repair_over_time,
)
from progress.scores import current_streak, longest_streak, practice_strength
from progress.suggestions import Suggestion, suggest_practice


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


RANGES = {
    chart_range.key: chart_range
    for chart_range in (
        ChartRange("90d", "90 days", "in the last 90 days", 90, "week"),
        ChartRange("1y", "1 year", "in the last year", 365, "week"),
        ChartRange("all", "All time", "so far", None, "month"),
    )
}
DEFAULT_RANGE = "90d"
# The practice calendar covers the last twelve months; minutes by category
# this many weeks. Neither follows the range.
CATEGORY_WEEKS = 26
# The FACES lines are a rolling mean over this many days, drawn with at most
# about this many points (the table lists the same points).
FACES_WINDOW_DAYS = 7
FACES_MAX_POINTS = 100


def chart_range(key: str | None) -> ChartRange:
    return RANGES.get(key or DEFAULT_RANGE, RANGES[DEFAULT_RANGE])


def _add_months(first_of_month: date, months: int) -> date:
    month_index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def bucket_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


@dataclass(frozen=True)
class Bucket:
    start: date
    last: date
    short: str  # under the chart
    long: str  # in tables and tooltips


def _bucket(start: date, bucket: str, today: date) -> Bucket:
    if bucket == "week":
        last = min(start + timedelta(days=6), today)
        return Bucket(start, last, f"{start.day} {start:%b}", f"Week of {start.day} {start:%B %Y}")
    last = min(start.replace(day=monthrange(start.year, start.month)[1]), today)
    return Bucket(start, last, f"{start:%b}", f"{start:%B %Y}")


def _group_by(queryset, bucket: str):
    if bucket == "week":
        return queryset.annotate(bucket=TruncWeek("local_date")).values("bucket")
    return queryset.annotate(bucket=TruncMonth("local_date")).values("bucket")


def _stacked_bars(
    *, series, buckets, stacks, unit, table_title, first_column, summary, skip_empty_rows
) -> dict:
    """A stacked bar chart with its key, numbers table and summary, ready for the template."""
    frame = charts.stacked_bar_chart(
        stacks, series, [b.short for b in buckets], [b.long for b in buckets], unit
    )
    rows = [
        [bucket.long, *stack, sum(stack)]
        for bucket, stack in zip(buckets, stacks, strict=True)
        if sum(stack) or not skip_empty_rows
    ]
    return {
        "frame": frame,
        "svg": charts.frame_markup(frame),
        "keys": series,
        "table": charts.table_markup(
            table_title, [first_column, *(label for label, _ in series), "All"], rows
        ),
        "summary": summary,
        "has_data": any(sum(stack) for stack in stacks),
    }


class Dashboard:
    """One person's progress for one chart range, read lazily, part by part."""

    def __init__(self, user, range_key: str | None = None, today: date | None = None):
        self.user = user
        self.range = chart_range(range_key)
        self.today = today or user.local_today()
        self.first_day = self.range.first_day(self.today)
        self.ranges = list(RANGES.values())

    def _in_range(self, queryset, field: str = "local_date"):
        queryset = queryset.filter(**{f"{field}__lte": self.today})
        if self.first_day is not None:
            queryset = queryset.filter(**{f"{field}__gte": self.first_day})
        return queryset

    # Consistency: all of the person's history, one row per practised day --------

    @cached_property
    def _days(self) -> dict[date, dict]:
        rows = (
            PracticeSession.objects.for_user(self.user)
            .filter(local_date__lte=self.today)
            .values("local_date")
            .annotate(
                seconds=Sum("seconds_practised"), finished=Count("id", filter=Q(completed=True))
            )
            .order_by()
        )
        return {row["local_date"]: row for row in rows}

    @cached_property
    def practised_days(self) -> set[date]:
        """Days with at least one finished (or logged) practice, as reminders count them."""
        return {day for day, row in self._days.items() if row["finished"]}

    @cached_property
    def current_streak(self) -> int:
        return current_streak(self.practised_days, self.today)

    @cached_property
    def longest_streak(self) -> int:
        return longest_streak(self.practised_days)

    @cached_property
    def strength(self) -> int:
        return round(practice_strength(self.practised_days, self.today) * 100)

    @property
    def show_streaks(self) -> bool:
        return not self.user.hide_streaks

    @property
    def seconds_today(self) -> int:
        row = self._days.get(self.today)
        return (row["seconds"] or 0) if row else 0

    @property
    def practised_today(self) -> bool:
        return self.today in self.practised_days

    @property
    def today_in_words(self) -> str:
        return minutes_in_words(self.seconds_today)

    @property
    def has_any_practice(self) -> bool:
        return bool(self._days)

    @property
    def rated_faces_today(self) -> bool:
        # Every range ends today, so the FACES chart's rows already hold the answer.
        ratings = self._faces_ratings
        return bool(ratings) and ratings[-1]["local_date"] == self.today

    min_records = MIN_RECORDS

    # Today's suggestion ----------------------------------------------------------

    @cached_property
    def _practice_stats(self) -> dict[int, dict]:
        """Per practice: rated sessions and the average change, all time and in range."""
        rated = Q(before_rating__isnull=False, after_rating__isnull=False)
        in_range = rated & Q(local_date__lte=self.today)
        if self.first_day is not None:
            in_range &= Q(local_date__gte=self.first_day)
        change = F("after_rating") - F("before_rating")
        rows = (
            PracticeSession.objects.for_user(self.user)
            .filter(rated)
            .values("practice_id", "practice__name")
            .annotate(
                rated=Count("id"),
                change=Avg(change),
                rated_in_range=Count("id", filter=in_range),
                change_in_range=Avg(change, filter=in_range),
            )
            .order_by()
        )
        return {row["practice_id"]: row for row in rows}

    @cached_property
    def suggestion(self) -> Suggestion | None:
        catalog = list(Practice.objects.order_by("position", "name"))
        return suggest_practice(catalog, self._practice_stats, self.today)

    # Practice over the last twelve months and twenty-six weeks (fixed windows) ----

    @property
    def heatmap_first_day(self) -> date:
        """The day after the same date a year ago: twelve whole months up to today."""
        return _year_before(self.today) + timedelta(days=1)

    @cached_property
    def heatmap(self) -> dict:
        first = self.heatmap_first_day
        # A practice of a few seconds still shows, as a minute.
        minutes = {
            day: max(1, round(row["seconds"] / 60))
            for day, row in self._days.items()
            if first <= day and row["seconds"]
        }
        months: dict[date, list[int]] = {}
        month = first.replace(day=1)
        while month <= self.today:
            months[month] = [0, 0]  # days practised, minutes
            month = _add_months(month, 1)
        for day, value in minutes.items():
            months[day.replace(day=1)][0] += 1
            months[day.replace(day=1)][1] += value
        days = len(minutes)
        total = sum(minutes.values())
        if days:
            summary = (
                f"In the last 12 months you practised on {days} day{'s' if days != 1 else ''}, "
                f"{minutes_in_words(total * 60)} in all. Darker squares are days with more "
                "minutes."
            )
        else:
            summary = (
                "No practice in the last 12 months yet. Each day you practise will fill in "
                "a square here."
            )
        chart = charts.heatmap(minutes, first, self.today)
        return {
            "width": chart.width,
            "height": chart.height,
            "svg": charts.heatmap_markup(chart),
            "table": charts.table_markup(
                "Days practised and minutes, by month, last 12 months",
                ["Month", "Days practised", "Minutes"],
                [
                    [f"{month:%B %Y}", practised, total]
                    for month, (practised, total) in months.items()
                ],
            ),
            "summary": summary,
            "has_data": bool(days),
        }

    @cached_property
    def category_chart(self) -> dict:
        first = self.today - timedelta(days=self.today.weekday(), weeks=CATEGORY_WEEKS - 1)
        rows = (
            PracticeSession.objects.for_user(self.user)
            .filter(local_date__gte=first, local_date__lte=self.today)
            .annotate(week=TruncWeek("local_date"))
            .values("week", "practice__category")
            .annotate(seconds=Sum("seconds_practised"))
            .order_by()
        )
        categories = list(Practice.Category)
        seconds = {
            (_as_date(row["week"]), row["practice__category"]): row["seconds"] for row in rows
        }
        weeks = [
            _bucket(first + timedelta(weeks=n), "week", self.today) for n in range(CATEGORY_WEEKS)
        ]
        stacks = [
            [
                round((seconds.get((week.start, category.value)) or 0) / 60)
                for category in categories
            ]
            for week in weeks
        ]
        totals = {
            category.label: sum(stack[index] for stack in stacks)
            for index, category in enumerate(categories)
        }
        minutes = sum(totals.values())
        if minutes:
            parts = "; ".join(
                f"{label.lower()} {value} minute{'s' if value != 1 else ''}"
                for label, value in totals.items()
                if value
            )
            summary = (
                f"In the last {CATEGORY_WEEKS} weeks you practised "
                f"{minutes_in_words(minutes * 60)}: {parts}."
            )
        else:
            summary = (
                f"No practice in the last {CATEGORY_WEEKS} weeks yet. Body, breath, grounding "
                "and awareness practices will each show in their own shade."
            )
        return _stacked_bars(
            series=[(category.label, f"category-{category.value}") for category in categories],
            buckets=weeks,
            stacks=stacks,
            unit="minutes",
            table_title="Minutes practised per week, by kind of practice",
            first_column="Week",
            summary=summary,
            skip_empty_rows=False,
        )

    # The charts for the chosen range ------------------------------------------

    @cached_property
    def _faces_ratings(self) -> list[dict]:
        """Each FACES rating in the range, and the week before it for the rolling mean,
        with whether a practice was finished that day."""
        ratings = FacesRating.objects.for_user(self.user).filter(local_date__lte=self.today)
        if self.first_day is not None:
            since = self.first_day - timedelta(days=FACES_WINDOW_DAYS - 1)
            ratings = ratings.filter(local_date__gte=since)
        finished = PracticeSession.objects.for_user(self.user).filter(
            local_date=OuterRef("local_date"), completed=True
        )
        return list(
            ratings.annotate(practised=Exists(finished))
            .values("local_date", "practised", *FACES_FIELDS)
            .order_by("local_date")
        )

    @cached_property
    def _faces_in_range(self) -> list[dict]:
        first = self.first_day
        return [row for row in self._faces_ratings if first is None or row["local_date"] >= first]

    @cached_property
    def faces_chart(self) -> dict:
        ratings = self._faces_ratings
        in_range = self._faces_in_range
        first = self.first_day or (ratings[0]["local_date"] if ratings else self.today)
        days = (self.today - first).days + 1
        step = 1 if days <= FACES_MAX_POINTS else -(-days // FACES_MAX_POINTS)
        rolling = rolling_faces(ratings, first, self.today)
        # Points every `step` days, ending today.
        chosen = rolling[::-1][::step][::-1]
        labels = [f"{day.day} {day:%b}" for day, _, _ in chosen]
        titles = [f"{day.day} {day:%B %Y}" for day, _, _ in chosen]
        series = [
            (label, f"line-{field}", [means[field] if means else None for _, means, _ in chosen])
            for field, label, *_ in FACES_QUALITIES
        ]
        n = len(in_range)
        if n:
            mean = {
                label: sum(row[field] for row in in_range) / n
                for field, label, *_ in FACES_QUALITIES
            }
            steadiest = max(mean, key=mean.get)
            summary = (
                f"You rated FACES on {n} day{'s' if n != 1 else ''} {self.range.in_words}. "
                f"Across the five qualities your average was "
                f"{sum(mean.values()) / len(mean):.1f} out of 5; {steadiest.lower()} was "
                f"highest, at {mean[steadiest]:.1f}. The lines are {FACES_WINDOW_DAYS}-day "
                "rolling averages."
            )
        else:
            summary = (
                f"No FACES ratings {self.range.in_words}. Rating the five qualities takes "
                "about a minute, in your journal."
            )
        every = f", every {step} days" if step > 1 else ""
        frame = charts.line_chart(series, labels, titles, 1, 5, (1, 2, 3, 4, 5), dots=False)
        return {
            "frame": frame,
            "svg": charts.frame_markup(frame),
            "keys": [(label, f"line-{field}") for field, label, *_ in FACES_QUALITIES],
            "table": charts.table_markup(
                f"FACES {FACES_WINDOW_DAYS}-day rolling averages{every}, each from 1 to 5",
                [f"{FACES_WINDOW_DAYS} days to", *(label for _, label, *_ in FACES_QUALITIES)]
                + ["Ratings"],
                [
                    [title, *(means[field] for field in FACES_FIELDS), count]
                    for title, (_, means, count) in zip(titles, chosen, strict=True)
                    if means
                ],
            ),
            "summary": summary,
            "has_data": bool(n),
        }

    def _buckets(self, starts) -> list[Bucket]:
        bucket = self.range.bucket
        first = self.first_day
        if first is None:
            # All time: from the first period anything shown was recorded.
            first = min(starts, default=self.today)
        start = bucket_start(first, bucket)
        last = bucket_start(self.today, bucket)
        buckets = []
        while start <= last:
            buckets.append(_bucket(start, bucket, self.today))
            start = start + timedelta(weeks=1) if bucket == "week" else _add_months(start, 1)
        return buckets

    @cached_property
    def _river_rows(self) -> dict[date, dict]:
        check_ins = self._in_range(IntegrationCheckIn.objects.for_user(self.user))
        rows = _group_by(check_ins, self.range.bucket).annotate(
            n=Count("id"), chaos=Avg("chaos"), rigidity=Avg("rigidity")
        )
        return {_as_date(row["bucket"]): row for row in rows.order_by("bucket")}

    @cached_property
    def river_chart(self) -> dict:
        rows = self._river_rows
        buckets = self._buckets(rows)
        chaos = [rows[b.start]["chaos"] if b.start in rows else None for b in buckets]
        rigidity = [rows[b.start]["rigidity"] if b.start in rows else None for b in buckets]
        n = sum(row["n"] for row in rows.values())
        if n:
            mean_chaos = sum(row["chaos"] * row["n"] for row in rows.values()) / n
            mean_rigidity = sum(row["rigidity"] * row["n"] for row in rows.values()) / n
            summary = (
                f"You checked in on the river {n} time{'s' if n != 1 else ''} "
                f"{self.range.in_words}. On average, chaos was {mean_chaos:.1f} and rigidity "
                f"{mean_rigidity:.1f}, out of 10."
            )
        else:
            summary = (
                f"No river check-ins {self.range.in_words}. A check-in places you between "
                "the banks of chaos and rigidity."
            )
        frame = charts.line_chart(
            [("Chaos", "line-chaos", chaos), ("Rigidity", "line-rigidity", rigidity)],
            [b.short for b in buckets],
            [b.long for b in buckets],
            0,
            10,
            (0, 5, 10),
        )
        return {
            "frame": frame,
            "svg": charts.frame_markup(frame),
            "table": charts.table_markup(
                f"Average chaos and rigidity, by {self.range.bucket}, each from 0 to 10",
                [self.range.bucket.capitalize(), "Chaos", "Rigidity", "Check-ins"],
                [
                    [b.long, rows[b.start]["chaos"], rows[b.start]["rigidity"], rows[b.start]["n"]]
                    for b in buckets
                    if b.start in rows
                ],
            ),
            "summary": summary,
            "keys": [("Chaos (solid)", "line-chaos"), ("Rigidity (dashed)", "line-rigidity")],
            "has_data": bool(n),
        }

    @cached_property
    def _feeling_rows(self) -> list[dict]:
        """Feelings named in saved entries, per period and quadrant, with their re-ratings."""
        # Filtering on the entry's owner too (always the same person) lets the
        # database reach the entries through their (user, local_date) index
        # instead of reading everyone's.
        named = NamedEmotion.objects.for_user(self.user).filter(
            entry__user=self.user, entry__is_draft=False
        )
        named = self._in_range(named, "entry__local_date")
        before = F("intensity")
        rows = (
            _group_by(named.annotate(local_date=F("entry__local_date")), self.range.bucket)
            .annotate(
                quadrant=F("emotion__quadrant"),
                n=Count("id"),
                rerated=Count("id", filter=Q(intensity_after__isnull=False)),
                softer=Count("id", filter=Q(intensity_after__lt=before)),
                same=Count("id", filter=Q(intensity_after=before)),
                stronger=Count("id", filter=Q(intensity_after__gt=before)),
            )
            .order_by()
        )
        return [{**row, "bucket": _as_date(row["bucket"])} for row in rows]

    @cached_property
    def feelings_chart(self) -> dict:
        rows = self._feeling_rows
        quadrants = list(Quadrant)
        counts = {(row["bucket"], row["quadrant"]): row["n"] for row in rows}
        buckets = self._buckets({row["bucket"] for row in rows})
        stacks = [[counts.get((b.start, q.value), 0) for q in quadrants] for b in buckets]
        totals = [(q.label, sum(stack[i] for stack in stacks)) for i, q in enumerate(quadrants)]
        n = sum(count for _, count in totals)
        if n:
            parts = "; ".join(f"{count} {label.lower()}" for label, count in totals)
            summary = (
                f"You named {n} feeling{'s' if n != 1 else ''} {self.range.in_words}: {parts}."
            )
        else:
            summary = (
                f"No feelings named {self.range.in_words}. Naming what you feel, in a "
                "journal entry, often helps it settle."
            )
        return _stacked_bars(
            series=[(q.label, f"quadrant-{q.value}") for q in quadrants],
            buckets=buckets,
            stacks=stacks,
            unit="feelings",
            table_title=f"Feelings named per {self.range.bucket}, by quadrant",
            first_column=self.range.bucket.capitalize(),
            summary=summary,
            skip_empty_rows=True,
        )

    # Insights --------------------------------------------------------------------

    @cached_property
    def insights(self) -> list[Insight]:
        """Only the ones with enough data behind them to say anything."""
        per_practice = sorted(
            (
                {
                    "practice__name": row["practice__name"],
                    "n": row["rated_in_range"],
                    "change": row["change_in_range"],
                }
                for row in self._practice_stats.values()
                if row["rated_in_range"]
            ),
            key=lambda row: (-row["change"], row["practice__name"]),
        )
        rows = self._feeling_rows
        naming = {
            key: sum(row[key] for row in rows) for key in ("rerated", "softer", "same", "stronger")
        }
        word = Lower(Trim("before_emotion"))
        before_words = list(
            self._in_range(PracticeSession.objects.for_user(self.user))
            .exclude(before_emotion="")
            .annotate(word=word)
            .values("word")
            .annotate(n=Count("id"))
            .order_by("-n", "word")
        )
        repairs = list(
            self._in_range(Rupture.objects.for_user(self.user).repaired(), "ruptured_on")
            .filter(repaired_on__isnull=False)
            .order_by("ruptured_on", "repaired_on")
            .values_list("ruptured_on", "repaired_on")
        )
        found = [
            practices_that_settle(per_practice),
            naming_feelings(naming),
            faces_and_practice(self._faces_in_range),
            feelings_before_practice(before_words),
            repair_over_time(repairs),
        ]
        return [insight for insight in found if insight is not None]


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _as_date(value) -> date:
    """TruncWeek and TruncMonth give a datetime on some databases and a date on others."""
    return value.date() if hasattr(value, "date") else value


def rolling_faces(
    ratings: list[dict], first: date, last: date
) -> list[tuple[date, dict[str, float] | None, int]]:
    """For each day from first to last: the mean of each FACES quality over the
    FACES_WINDOW_DAYS days ending that day, and how many ratings that took
    (None and 0 when the window holds none)."""
    by_day = {row["local_date"]: row for row in ratings}
    sums = dict.fromkeys(FACES_FIELDS, 0)
    count = 0
    day = first - timedelta(days=FACES_WINDOW_DAYS - 1)
    for offset in range(FACES_WINDOW_DAYS - 1):
        row = by_day.get(day + timedelta(days=offset))
        if row:
            count += 1
            for field in FACES_FIELDS:
                sums[field] += row[field]
    out = []
    day = first
    while day <= last:
        row = by_day.get(day)
        if row:
            count += 1
            for field in FACES_FIELDS:
                sums[field] += row[field]
        means = {field: sums[field] / count for field in FACES_FIELDS} if count else None
        out.append((day, means, count))
        gone = by_day.get(day - timedelta(days=FACES_WINDOW_DAYS - 1))
        if gone:
            count -= 1
            for field in FACES_FIELDS:
                sums[field] -= gone[field]
        day += timedelta(days=1)
    return out
