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

from django.db import connection

from accounts.models import User
from practices.models import PracticeSession, RestDay
from progress.written_sql import column, table


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
    history = PracticeHistory()
    seconds: dict[tuple[date, int], int] = defaultdict(int)
    use: dict[int, PracticeUse] = defaultdict(PracticeUse)
    rest_days = set()
    for day, practice, day_seconds, completed, before, after in _history_rows(user, today):
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


def _history_rows(user: User, today: date) -> list[tuple]:
    """The person's sessions up to today, and their rest days as rows with no practice.

    Written out (progress/written_sql.py): through the ORM, compiling the union and
    turning 1,500 rows into Python took twice as long as the query itself. Neither
    table hides rows from their owner (`for_user` adds nothing but the owner).
    """
    if not user.is_authenticated:
        return []
    sessions, rest = PracticeSession, RestDay
    fields = ", ".join(column(sessions, name) for name in HISTORY_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {fields} FROM {table(sessions)} "  # noqa: S608 (written_sql.py)
            f"WHERE {column(sessions, 'user')} = %s AND {column(sessions, 'local_date')} <= %s "
            f"UNION ALL SELECT {column(rest, 'local_date')}, NULL, 0, FALSE, NULL, NULL "
            f"FROM {table(rest)} WHERE {column(rest, 'user')} = %s",
            [user.pk, today, user.pk],
        )
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][0], str):  # SQLite gives a union's dates as text
        rows = [(date.fromisoformat(row[0]), *row[1:]) for row in rows]
    return rows


HISTORY_FIELDS = (
    "local_date",
    "practice_id",
    "seconds_practised",
    "completed",
    "before_rating",
    "after_rating",
)
