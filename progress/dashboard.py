"""The progress dashboard: what a person's practice and journal add up to.

Everything is counted per the person's own local date (the `local_date` each
row stores), so a practice at 00:30 belongs to the new day wherever they live.
Each part below is one query, run only if the page shows it, so the page
costs the same number of queries after a week as after five years. Your
patterns groups its rows in the database; Today reads the person's practice
sessions once, as narrow rows, and counts them in progress/practice_history.py.

This module is the overview: today, strength and streaks, the suggestion and
the insights. Each chart's rows and figure are in progress/panels/, the
periods in progress/ranges.py.
"""

import json
import uuid
from collections import Counter
from datetime import date
from functools import cached_property, partial

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F

from accounts.models import User
from ipnb_site.templatetags.wording import minutes_in_words
from journal.models import (
    LOOK_BACK_KEY_PREFIX,
    FacesRating,
    JournalEntry,
    LookBackPlan,
    Rupture,
    WindowMap,
    last_fortnight,
    look_back_key,
)
from practices.forms import ReadyToBegin
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
from progress.panels.practice_calendar import calendar_first_day, practice_calendar
from progress.panels.practice_kinds import minutes_by_kind
from progress.panels.river import river_chart, river_rows
from progress.practice_history import PracticeHistory, practice_history
from progress.ranges import RANGES, chart_range
from progress.scores import current_streak, longest_streak, practice_strength
from progress.suggestions import Suggestion, suggest_practice
from progress.window import WindowSummary, window_summary
from progress.written_sql import column, table

FIRST_PRACTICE_SLUG = "breathwork"
FIRST_PRACTICE_MINUTES = 3
# Today's quick start: this many one-tap Begins. The catalog changes rarely;
# an edit shows within the hour.
PRACTICES_TO_BEGIN = 3
PRACTICES_TO_BEGIN_SECONDS = 3600


class Dashboard:
    """One person's progress for one chart range, read lazily, part by part."""

    min_records = MIN_RECORDS

    def __init__(self, user: User, range_key: str | None = None, today: date | None = None):
        self.user = user
        self.range = chart_range(range_key)
        self.today = today or user.local_today()
        self.first_day = self.range.first_day(self.today)
        self.ranges = list(RANGES.values())

    # Practice: one read of the person's sessions, counted in progress/practice_history.py

    @cached_property
    def _practice(self) -> PracticeHistory:
        return practice_history(self.user, calendar_first_day(self.today), self.today)

    @property
    def practised_days(self) -> set[date]:
        """Days with at least one finished (or logged) practice, as reminders count them."""
        return self._practice.practised_days

    @property
    def rest_days(self) -> frozenset[date]:
        """Planned rest days: they neither break a run of days nor lower the strength."""
        return self._practice.rest_days

    @property
    def resting_today(self) -> bool:
        return self.today in self.rest_days and not self.practised_today

    @cached_property
    def current_streak(self) -> int:
        return current_streak(self.practised_days, self.today, self.rest_days)

    @cached_property
    def longest_streak(self) -> int:
        return longest_streak(self.practised_days, self.rest_days)

    @cached_property
    def strength(self) -> int:
        return round(practice_strength(self.practised_days, self.today, self.rest_days) * 100)

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
        return self._practice.seconds_by_day.get(self.today, 0)

    @property
    def practised_today(self) -> bool:
        return self.today in self.practised_days

    @property
    def today_in_words(self) -> str:
        return minutes_in_words(self.seconds_today)

    @property
    def has_any_practice(self) -> bool:
        return self._practice.has_any_session

    @cached_property
    def rated_faces_today(self) -> bool:
        return self._today_marks["rated_faces"]

    @cached_property
    def _today_marks(self) -> dict:
        """Today's FACES, the person's window-of-tolerance signs and their look back, in
        one query (written out: `_today_marks_row`), kept until their data or day changes.

        The window check-in sits outside the cached part of Today (its form carries the
        CSRF token), so its signs are kept here to cost no query on a cached visit.
        """
        if self.is_first_run:  # nothing kept yet: no rating, no map, no plan
            return {"rated_faces": False, "above": None, "below": None, "look_back_ready": None}
        key = (
            f"today-marks:{self.user.public_id}:{self.user.data_version}:"
            f"{self.user.timezone}:{self.today}"
        )
        marks = cache.get(key)
        if marks is None:
            row = _today_marks_row(self.user, self.today)
            fortnight = row["look_back_from"] and last_fortnight(row["look_back_from"], self.today)
            ready = fortnight and row["look_back_last"] != look_back_key(fortnight[0])
            # The signs are sealed in the table: opened here, with the map's id.
            signs = partial(WindowMap.signs_read_apart, self.user.pk, row["window_id"])
            marks = {
                "rated_faces": row["rated_faces"],
                "above": signs("above_signs", row["above"]),
                "below": signs("below_signs", row["below"]),
                "look_back_ready": fortnight if ready else None,
            }
            cache.set(key, marks, 86400)
        return marks

    @property
    def window_signs(self) -> dict[str, list[str]]:
        """The person's own signs above and below their window, for Today's check-in."""
        return {
            "above": self._today_marks["above"] or [],
            "below": self._today_marks["below"] or [],
        }

    @property
    def look_back_ready(self) -> tuple[date, date] | None:
        """The fortnight waiting to be looked back on, when the person has asked for one."""
        return self._today_marks["look_back_ready"]

    # Today's practices: the one-tap Begins and the suggestion --------------------

    @cached_property
    def _catalog(self) -> list[Practice]:
        """Every practice in catalog order, with the person's `last_parameters`."""
        return catalog_with_last_settings(self.user)

    @cached_property
    def practices_to_begin(self) -> list[ReadyToBegin]:
        """The person's most practised practices (catalog order for a newcomer), each
        with the settings its Begin button starts with.

        Outside the cached part of the page (its forms carry the CSRF token), so
        kept on their own until the person's data changes.
        """
        key = f"practices-to-begin:{self.user.public_id}:{self.user.data_version}"
        choices = cache.get(key)
        if choices is None:
            times = {practice: use.times for practice, use in self._practice.use.items()}
            most_used = sorted(self._catalog, key=lambda practice: -times.get(practice.id, 0))
            choices = [
                ReadyToBegin.of(practice, practice.last_parameters)  # type: ignore[attr-defined]  # annotated
                for practice in most_used[:PRACTICES_TO_BEGIN]
            ]
            cache.set(key, choices, PRACTICES_TO_BEGIN_SECONDS)
        return choices

    @cached_property
    def suggestion(self) -> Suggestion | None:
        stats = {
            practice: {"rated": use.rated, "change": use.change}
            for practice, use in self._practice.use.items()
        }
        return suggest_practice(self._catalog, stats, self.today)

    # Practice over the last twelve months and twenty-six weeks (fixed windows) ----

    @cached_property
    def heatmap(self) -> dict:
        return practice_calendar(self._practice.seconds_by_day, self.today, self.rest_days)

    @cached_property
    def category_chart(self) -> dict:
        kinds = {practice.id: practice.category for practice in self._catalog}
        rows = [
            (day, kinds[practice], seconds)
            for (day, practice), seconds in self._practice.seconds.items()
        ]
        return minutes_by_kind(rows, self.today)

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
    def window(self) -> WindowSummary:
        return window_summary(self.user, self.first_day, self.today)

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
            self.range.within(PracticeSession.objects.for_user(self.user), self.today)
            .filter(before_rating__isnull=False, after_rating__isnull=False)
            .values("practice__name")
            .annotate(n=Count("id"), change=Avg(F("after_rating") - F("before_rating")))
            .order_by(),
            key=lambda row: (-row["change"], row["practice__name"]),
        )
        rows = self._feeling_rows
        naming = {
            key: sum(row[key] for row in rows) for key in ("rerated", "softer", "same", "stronger")
        }
        # Before-words are sealed at rest (vault/), so they are counted here, not in SQL.
        counted = Counter(
            session.before_emotion.strip().lower()
            for session in self.range.within(
                PracticeSession.objects.for_user(self.user), self.today
            )
            .exclude(before_emotion="")
            .only("public_id", "user_id", "before_emotion")
        )
        before_words = [
            {"word": word, "n": n}
            for word, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        ]
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


def _today_marks_row(user: User, today: date) -> dict:
    """Today's FACES, the window map and the look back, read in one statement.

    Written out (progress/written_sql.py): built with the ORM, its five subqueries
    took longer to compile than to run, on every visit to Today after a write.
    """
    faces, window, plan, entry = FacesRating, WindowMap, LookBackPlan, JournalEntry
    owner = {model: column(model, "user") for model in (faces, window, plan, entry)}
    with connection.cursor() as cursor:
        cursor.execute(
            # A row with no map or no plan still gives one row: the joins are outer.
            "SELECT EXISTS (SELECT 1 FROM "  # noqa: S608 (written_sql.py)
            f"{table(faces)} WHERE {owner[faces]} = %s AND {column(faces, 'local_date')} = %s), "
            f"map.{column(window, 'above_signs')}, map.{column(window, 'below_signs')}, "
            f"map.{column(window, 'public_id')}, plan.{column(plan, 'starts_on')}, "
            f"(SELECT {column(entry, 'prompt_key')} FROM {table(entry)} "
            f"WHERE {owner[entry]} = %s AND {column(entry, 'deleted_at')} IS NULL "
            f"AND NOT {column(entry, 'is_draft')} AND {column(entry, 'prompt_key')} LIKE %s "
            f"ORDER BY {column(entry, 'prompt_key')} DESC LIMIT 1) "
            "FROM (SELECT 1) AS one "
            f"LEFT JOIN {table(window)} AS map ON map.{owner[window]} = %s "
            f"LEFT JOIN {table(plan)} AS plan ON plan.{owner[plan]} = %s",
            [user.pk, today, user.pk, f"{LOOK_BACK_KEY_PREFIX}%", user.pk, user.pk],
        )
        rated, above, below, window_id, starts_on, last_key = cursor.fetchone()
    if isinstance(starts_on, str):  # SQLite gives dates, ids and JSON as text
        starts_on = date.fromisoformat(starts_on)
    if isinstance(window_id, str):
        window_id = uuid.UUID(window_id)
    return {
        "rated_faces": bool(rated),
        "above": json.loads(above) if above is not None else None,
        "below": json.loads(below) if below is not None else None,
        "window_id": window_id,
        "look_back_from": starts_on,
        "look_back_last": last_key,
    }


def catalog_with_last_settings(user: User) -> list[Practice]:
    """`Practice.objects.with_last_settings_of(user)` in catalog order, written out
    (progress/written_sql.py): the ORM's subquery cost three times the query's time."""
    session = PracticeSession
    latest = (
        f"SELECT {column(session, 'parameters')} FROM {table(session)} "  # noqa: S608
        f"WHERE {column(session, 'user')} = %s "
        f"AND {column(session, 'practice')} = practice.{column(Practice, 'id')} "
        f"AND NOT {column(session, 'logged_manually')} "
        f"ORDER BY {column(session, 'started_at')} DESC, {column(session, 'id')} DESC LIMIT 1"
    )
    practices = list(
        Practice.objects.raw(
            f"SELECT practice.*, ({latest}) AS last_parameters "  # noqa: S608
            f"FROM {table(Practice)} AS practice "
            f"ORDER BY {column(Practice, 'position')}, {column(Practice, 'name')}",
            [user.pk],
        )
    )
    for practice in practices:  # JSON comes as text, opened here as the ORM's JSONField would
        if isinstance(practice.last_parameters, str):  # type: ignore[attr-defined]
            practice.last_parameters = json.loads(practice.last_parameters)  # type: ignore[attr-defined]
    return practices
