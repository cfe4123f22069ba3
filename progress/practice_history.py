"""Everything Today shows about practice, counted from one read of the person's sessions.

Today needs the minutes of each day of the last twelve months (the calendar,
the kinds chart, today's figure), every day with a finished practice (streaks
and strength) and, per practice, how often it was done and how the ratings
before and after it changed (the quick start and the suggestion), and the
planned rest days (streaks and strength step over them). Read as a few narrow
rows and counted here, that costs one query and less time than grouping the
same rows in the database once for each part: five years of daily practice
are about 1,500 rows (bench/dashboard.py measures it).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import BooleanField, IntegerField, Value

from accounts.models import User
from practices.models import PracticeSession, RestDay


@dataclass
class PracticeUse:
    """How one person has used one practice."""

    times: int = 0  # sessions, finished or not
    rated: int = 0  # sessions rated before and after
    total_change: int = 0  # after minus before, added up over the rated sessions

    @property
    def change(self) -> float | None:
        """The average gain between the ratings before and after."""
        return self.total_change / self.rated if self.rated else None


@dataclass
class PracticeHistory:
    # (day, practice id) -> seconds practised, for the days from `since` on.
    seconds: dict[tuple[date, int], int] = field(default_factory=dict)
    # Days with at least one finished (or logged) practice, as reminders count them.
    practised_days: set[date] = field(default_factory=set)
    # Practice id -> how the person has used it.
    use: dict[int, PracticeUse] = field(default_factory=dict)
    has_any_session: bool = False
    # Planned rest days, past and to come.
    rest_days: frozenset[date] = frozenset()

    @cached_property
    def seconds_by_day(self) -> dict[date, int]:
        by_day: dict[date, int] = defaultdict(int)
        for (day, _), seconds in self.seconds.items():
            by_day[day] += seconds
        return by_day


def practice_history(user: User, since: date, today: date) -> PracticeHistory:
    """The person's sessions up to today, counted; seconds per day only from `since` on."""
    rows = (
        PracticeSession.objects.for_user(user)
        .filter(local_date__lte=today)
        .values_list(
            "local_date",
            "practice_id",
            "seconds_practised",
            "completed",
            "before_rating",
            "after_rating",
        )
        .order_by()
    )
    # Rest days ride along in the same query, as rows with no practice.
    no_number = Value(None, output_field=IntegerField())
    rest_rows = (
        RestDay.objects.for_user(user)
        .values_list(
            "local_date",
            no_number,
            Value(0, output_field=IntegerField()),
            Value(False, output_field=BooleanField()),
            no_number,
            no_number,
        )
        .order_by()
    )
    history = PracticeHistory()
    seconds: dict[tuple[date, int], int] = defaultdict(int)
    use: dict[int, PracticeUse] = defaultdict(PracticeUse)
    rest_days = set()
    for day, practice, day_seconds, completed, before, after in rows.union(rest_rows, all=True):
        if practice is None:
            rest_days.add(day)
            continue
        history.has_any_session = True
        if day >= since:
            seconds[day, practice] += day_seconds
        if completed:
            history.practised_days.add(day)
        practice_use = use[practice]
        practice_use.times += 1
        if before is not None and after is not None:
            practice_use.rated += 1
            practice_use.total_change += after - before
    history.seconds = dict(seconds)
    history.use = dict(use)
    history.rest_days = frozenset(rest_days)
    return history
