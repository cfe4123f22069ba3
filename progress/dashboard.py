"""The progress dashboard: what a person's practice and journal add up to.

Everything is counted per the person's own local date (the `local_date` each
row stores), so a practice at 00:30 belongs to the new day wherever they live.
Sums and averages are grouped in the database; each part below is one query,
run only if the page shows it, so the page costs the same number of queries
after a week as after five years.

This module is the overview: today, strength and streaks, the suggestion and
the insights. Each chart's rows and figure are in progress/panels/, the
periods in progress/ranges.py.
"""

from datetime import date
from functools import cached_property

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Lower, Trim

from accounts.models import User
from ipnb_site.templatetags.wording import minutes_in_words
from journal.models import Rupture
from practices.models import Practice, PracticeSession
from progress.insights import (
    MIN_RECORDS,
    Insight,
    faces_and_practice,
    feelings_before_practice,
    naming_feelings,
    practices_that_settle,
    repair_over_time,
)
from progress.panels.faces import faces_chart, faces_ratings
from progress.panels.feelings import feeling_rows, feelings_chart
from progress.panels.practice_calendar import practice_calendar
from progress.panels.practice_kinds import minutes_by_kind
from progress.panels.river import river_chart, river_rows
from progress.ranges import RANGES, chart_range
from progress.scores import current_streak, longest_streak, practice_strength
from progress.suggestions import Suggestion, suggest_practice

FIRST_PRACTICE_SLUG = "breathwork"
FIRST_PRACTICE_MINUTES = 3


class Dashboard:
    """One person's progress for one chart range, read lazily, part by part."""

    min_records = MIN_RECORDS

    def __init__(self, user: User, range_key: str | None = None, today: date | None = None):
        self.user = user
        self.range = chart_range(range_key)
        self.today = today or user.local_today()
        self.first_day = self.range.first_day(self.today)
        self.ranges = list(RANGES.values())

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
    def is_first_run(self) -> bool:
        """Nothing recorded yet, ever: Today says where to start instead of showing charts.

        Every write to the person's data bumps data_version, so this needs no query.
        """
        return self.user.data_version == 0

    @cached_property
    def first_practice(self) -> Practice | None:
        """What Today offers a newcomer: a few minutes of paced breathing."""
        return Practice.objects.filter(slug=FIRST_PRACTICE_SLUG).first()

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

    @cached_property
    def heatmap(self) -> dict:
        return practice_calendar(self._days, self.today)

    @cached_property
    def category_chart(self) -> dict:
        return minutes_by_kind(self.user, self.today)

    # The charts for the chosen range ------------------------------------------

    @cached_property
    def _faces_ratings(self) -> list[dict]:
        return faces_ratings(self.user, self.first_day, self.today)

    @cached_property
    def _faces_in_range(self) -> list[dict]:
        first = self.first_day
        return [row for row in self._faces_ratings if first is None or row["local_date"] >= first]

    @cached_property
    def faces_chart(self) -> dict:
        return faces_chart(self._faces_ratings, self._faces_in_range, self.range, self.today)

    @cached_property
    def river_chart(self) -> dict:
        return river_chart(river_rows(self.user, self.range, self.today), self.range, self.today)

    @cached_property
    def _feeling_rows(self) -> list[dict]:
        return feeling_rows(self.user, self.range, self.today)

    @cached_property
    def feelings_chart(self) -> dict:
        return feelings_chart(self._feeling_rows, self.range, self.today)

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
            self.range.within(PracticeSession.objects.for_user(self.user), self.today)
            .exclude(before_emotion="")
            .annotate(word=word)
            .values("word")
            .annotate(n=Count("id"))
            .order_by("-n", "word")
        )
        repairs = list(
            self.range.within(
                Rupture.objects.for_user(self.user).repaired(), self.today, "ruptured_on"
            )
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
