"""A printable summary of one date range, e.g. to share with a therapist.

Numbers and feeling words by default; journal text and notes only when the
person asks for them. Every query goes through the owning app's `for_user`.
"""

from dataclasses import dataclass
from datetime import date
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

TOP_WORDS = 12


@dataclass
class Report:
    user: object
    start: date
    end: date
    include_journal: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

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
        if not self.include_journal:
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
