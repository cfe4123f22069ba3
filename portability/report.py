"""A printable summary of one date range, e.g. to share with a therapist.

Numbers and feeling words by default; journal text and notes only when the
person asks for them. Every query goes through the owning app's `for_user`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Avg, Count, Q, Sum

from journal.models import (
    FACES_QUALITIES,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Quadrant,
    Rupture,
)
from practices.models import PracticeSession
from progress import charts

TOP_WORDS = 12
# A year, leap day included: the longest range a report (or a shared one) covers.
REPORT_MAX_DAYS = 366
# The report's parts a person can choose to share; journal text is asked for apart.
SECTIONS = {
    "practice": "Practice",
    "faces": "FACES",
    "river": "River check-ins",
    "feelings": "Feelings named",
    "repair": "Repair after rupture",
}
ALL_SECTIONS = frozenset(SECTIONS)
# Up to a month the charts show each day; longer ranges show weeks.
DAILY_CHART_DAYS = 31


@dataclass(frozen=True)
class ChartSlot:
    start: date
    short: str  # under the bar
    long: str  # in the tooltip and the table


@dataclass
class Report:
    user: object
    start: date
    end: date
    include_journal: bool = False
    sections: frozenset[str] = ALL_SECTIONS

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def shows(self) -> dict[str, bool]:
        """Which parts are in this report, by the names in SECTIONS."""
        return {name: name in self.sections for name in SECTIONS}

    @property
    def person_name(self) -> str:
        """The name the person chose, or nothing: a report may leave the app, and
        the email address (which `User.name` falls back on) must never go with it."""
        return getattr(self.user, "display_name", "")

    # Charts: drawn as SVG like the dashboard's, so they print and go into the PDF.

    @property
    def chart_unit(self) -> str:
        return "day" if self.days <= DAILY_CHART_DAYS else "week"

    @cached_property
    def _chart_slots(self) -> list[ChartSlot]:
        if self.chart_unit == "day":
            days = (self.start + timedelta(days=n) for n in range(self.days))
            return [ChartSlot(day, f"{day:%d %b}".lstrip("0"), f"{day:%a %d %b}") for day in days]
        monday = self.start - timedelta(days=self.start.weekday())
        slots = []
        while monday <= self.end:
            slots.append(
                ChartSlot(monday, f"{monday:%d %b}".lstrip("0"), f"Week of {monday:%d %b}")
            )
            monday += timedelta(days=7)
        return slots

    def _slot_of(self, day: date) -> date:
        return day if self.chart_unit == "day" else day - timedelta(days=day.weekday())

    @cached_property
    def minutes_chart(self) -> dict:
        """Minutes practised per day or week, as one bar each."""
        minutes: dict[date, int] = {}
        for day, seconds in (
            PracticeSession.objects.for_user(self.user)
            .filter(local_date__range=(self.start, self.end))
            .values("local_date")
            .annotate(seconds=Sum("seconds_practised"))
            .order_by()
            .values_list("local_date", "seconds")
        ):
            slot = self._slot_of(day)
            minutes[slot] = minutes.get(slot, 0) + round((seconds or 0) / 60)
        slots = self._chart_slots
        frame = charts.stacked_bar_chart(
            [[minutes.get(slot.start, 0)] for slot in slots],
            [("Minutes", "category-breath")],
            [slot.short for slot in slots],
            [slot.long for slot in slots],
            charts.minutes_with_unit,
        )
        return {
            "frame": frame,
            "svg": charts.frame_markup(frame),
            "legend": [],
            "has_data": any(minutes.values()),
        }

    @cached_property
    def river_chart(self) -> dict:
        """Average chaos and rigidity per day or week, as two lines."""
        totals: dict[date, list[int]] = {}
        for check_in in self.check_ins:
            sums = totals.setdefault(self._slot_of(check_in.local_date), [0, 0, 0])
            sums[0] += check_in.chaos
            sums[1] += check_in.rigidity
            sums[2] += 1
        slots = self._chart_slots

        def average(slot: ChartSlot, index: int) -> float | None:
            if slot.start not in totals:
                return None
            return totals[slot.start][index] / totals[slot.start][2]

        frame = charts.line_chart(
            [
                ("Chaos", "line-chaos", [average(slot, 0) for slot in slots]),
                ("Rigidity", "line-rigidity", [average(slot, 1) for slot in slots]),
            ],
            [slot.short for slot in slots],
            [slot.long for slot in slots],
            0,
            10,
            (0, 5, 10),
        )
        return {
            "frame": frame,
            "svg": charts.frame_markup(frame),
            "legend": [("Chaos (solid)", "line-chaos"), ("Rigidity (dashed)", "line-rigidity")],
            "has_data": bool(totals),
        }

    @cached_property
    def practices(self) -> list[dict]:
        sessions = PracticeSession.objects.for_user(self.user).filter(
            local_date__range=(self.start, self.end)
        )
        rated = Q(before_rating__isnull=False, after_rating__isnull=False)
        return list(
            sessions.values("practice__name")
            .annotate(
                sessions=Count("id"),
                finished=Count("id", filter=Q(completed=True)),
                seconds=Sum("seconds_practised"),
                rated=Count("id", filter=rated),
                before=Avg("before_rating", filter=rated),
                after=Avg("after_rating", filter=rated),
            )
            .order_by("-seconds", "practice__name")
        )

    @cached_property
    def practice_days(self) -> int:
        return (
            PracticeSession.objects.for_user(self.user)
            .filter(local_date__range=(self.start, self.end), completed=True)
            .values("local_date")
            .distinct()
            .count()
        )

    @property
    def practice_seconds(self) -> int:
        return sum(row["seconds"] or 0 for row in self.practices)

    @property
    def session_count(self) -> int:
        return sum(row["sessions"] for row in self.practices)

    @cached_property
    def practice_notes(self) -> list[PracticeSession]:
        if not self.include_journal or "practice" not in self.sections:
            return []
        return list(
            PracticeSession.objects.for_user(self.user)
            .filter(local_date__range=(self.start, self.end))
            .exclude(notes="")
            .select_related("practice")
            .order_by("local_date", "started_at")
        )

    @cached_property
    def faces(self) -> list[FacesRating]:
        return list(
            FacesRating.objects.for_user(self.user)
            .filter(local_date__range=(self.start, self.end))
            .order_by("local_date")
        )

    @property
    def faces_qualities(self) -> list[str]:
        return [label for _, label, *_ in FACES_QUALITIES]

    @property
    def faces_averages(self) -> list[tuple[str, float]]:
        if not self.faces:
            return []
        return [
            (label, sum(getattr(rating, field) for rating in self.faces) / len(self.faces))
            for field, label, *_ in FACES_QUALITIES
        ]

    @cached_property
    def check_ins(self) -> list[IntegrationCheckIn]:
        return list(
            IntegrationCheckIn.objects.for_user(self.user)
            .filter(local_date__range=(self.start, self.end))
            .order_by("local_date", "created_at")
        )

    @property
    def river_averages(self) -> dict | None:
        if not self.check_ins:
            return None
        count = len(self.check_ins)
        return {
            "chaos": sum(check_in.chaos for check_in in self.check_ins) / count,
            "rigidity": sum(check_in.rigidity for check_in in self.check_ins) / count,
        }

    @cached_property
    def _feelings(self):
        return NamedEmotion.objects.for_user(self.user).filter(
            entry__is_draft=False, entry__local_date__range=(self.start, self.end)
        )

    @cached_property
    def feeling_words(self) -> list[dict]:
        return list(
            self._feelings.values("emotion__word", "emotion__quadrant")
            .annotate(n=Count("id"))
            .order_by("-n", "emotion__word")[:TOP_WORDS]
        )

    @cached_property
    def quadrants(self) -> list[tuple[str, str, int]]:
        counts = dict(
            self._feelings.values("emotion__quadrant")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("emotion__quadrant", "n")
        )
        return [(q.value, q.label, counts.get(q.value, 0)) for q in Quadrant]

    @property
    def feelings_named(self) -> int:
        return sum(count for _, _, count in self.quadrants)

    @cached_property
    def naming(self) -> dict:
        return self._feelings.rerating_summary()

    @cached_property
    def ruptures(self) -> list[Rupture]:
        return list(
            Rupture.objects.for_user(self.user)
            .filter(ruptured_on__range=(self.start, self.end))
            .prefetch_related("felt")
            .order_by("ruptured_on", "created_at")
        )

    @cached_property
    def entries(self) -> list[JournalEntry]:
        if not self.include_journal:
            return []
        return list(
            JournalEntry.objects.for_user(self.user)
            .filter(is_draft=False, local_date__range=(self.start, self.end))
            .with_details()
            .order_by("local_date", "created_at")
        )
