"""The fortnightly look back: two weeks of FACES, the river, window check-ins and
practice set side by side, and three questions whose answers become a journal
entry (so search and the data file include them).

A reflection, not a test: the page counts and describes, never scores. When the
check-ins or the answers suggest a hard stretch, the page offers the crisis
link, gently. The sentences themselves are in templates/journal/look_back.html.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db import transaction
from django.db.models import Avg, Count, Sum

from journal.models import (
    FACES_QUALITIES,
    FORTNIGHT,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    LookBackPlan,
    RiverZone,
    last_fortnight,
    look_back_key,
)
from practices.models import PracticeSession
from progress.window import HARD_STRETCH_CHECK_INS, WindowSummary, window_summary

# Words that, in an answer, suggest the weeks were very heavy. Not a diagnosis: only
# a reason to say, gently, where help is.
HEAVY_WORDS = (
    "hopeless",
    "can't go on",
    "cannot go on",
    "can't cope",
    "cannot cope",
    "no way out",
    "give up",
    "worthless",
    "unbearable",
    "falling apart",
    "hurt myself",
    "end it",
    "panic",
)


@dataclass
class LookBack:
    """One person's look back on one fortnight (first_day to last_day, their own days)."""

    plan: LookBackPlan
    first_day: date
    last_day: date

    @staticmethod
    def plan_for(user) -> LookBackPlan | None:
        return LookBackPlan.objects.for_user(user).first()

    @classmethod
    def latest_for(cls, user, today: date | None = None) -> "LookBack | None":
        """The fortnight that ended last, for someone who asked for look backs."""
        plan = cls.plan_for(user)
        if plan is None:
            return None
        fortnight = last_fortnight(plan.starts_on, today or user.local_today())
        return cls(plan, *fortnight) if fortnight else None

    @staticmethod
    def turn_on(user) -> LookBackPlan:
        """On from today, with the two weeks just gone ready to look back on at once."""
        today = user.local_today()
        plan, _ = LookBackPlan.objects.get_or_create(
            user=user, defaults={"starts_on": today - FORTNIGHT}
        )
        return plan

    @staticmethod
    def turn_off(user) -> None:
        LookBackPlan.objects.for_user(user).delete()

    @property
    def user(self):
        return self.plan.user

    @property
    def next_day(self) -> date:
        """When the next look back is ready."""
        return self.last_day + FORTNIGHT + timedelta(days=1)

    @property
    def key(self) -> str:
        return look_back_key(self.first_day)

    @property
    def prompt_text(self) -> str:
        """The entry's prompt, as it will read in the journal."""
        return f"Looking back on two weeks, {self.first_day:%-d %B} to {self.last_day:%-d %B %Y}"

    @cached_property
    def entry(self) -> JournalEntry | None:
        return (
            JournalEntry.objects.for_user(self.user)
            .filter(prompt_key=self.key, is_draft=False)
            .first()
        )

    # The fortnight, side by side ----------------------------------------------------

    @cached_property
    def faces(self) -> dict:
        """Days rated, and the qualities that felt strongest and hardest on average."""
        ratings = FacesRating.objects.for_user(self.user).filter(
            local_date__gte=self.first_day, local_date__lte=self.last_day
        )
        row = ratings.aggregate(
            days=Count("id"), **{field: Avg(field) for field, *_ in FACES_QUALITIES}
        )
        if not row["days"]:
            return {"days": 0}
        averages = sorted(
            ((row[field], label) for field, label, *_ in FACES_QUALITIES),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return {
            "days": row["days"],
            "strongest": averages[0][1],
            "strongest_average": averages[0][0],
            "hardest": averages[-1][1],
            "hardest_average": averages[-1][0],
        }

    @cached_property
    def river(self) -> dict:
        """River check-ins by where they placed the person."""
        zones = dict.fromkeys(RiverZone.values, 0)
        for check_in in IntegrationCheckIn.objects.for_user(self.user).filter(
            local_date__gte=self.first_day, local_date__lte=self.last_day
        ):
            zones[check_in.river_zone] += 1
        total = sum(zones.values())
        most = max(zones, key=lambda zone: zones[zone]) if total else ""
        return {
            "check_ins": total,
            "most": RiverZone(most).label.lower() if most else "",
            "most_count": zones.get(most, 0),
            "away_from_flow": total - zones[RiverZone.FLOW],
        }

    @cached_property
    def window(self) -> WindowSummary:
        return window_summary(self.user, self.first_day, self.last_day)

    @cached_property
    def practice(self) -> dict:
        sessions = PracticeSession.objects.for_user(self.user).filter(
            local_date__gte=self.first_day, local_date__lte=self.last_day
        )
        row = sessions.aggregate(
            seconds=Sum("seconds_practised"), days=Count("local_date", distinct=True)
        )
        return {"seconds": row["seconds"] or 0, "days": row["days"]}

    @property
    def hard_stretch(self) -> bool:
        """Most check-ins outside the window, or most river check-ins near a bank."""
        river = self.river
        river_hard = (
            river["check_ins"] >= HARD_STRETCH_CHECK_INS
            and river["away_from_flow"] * 2 > river["check_ins"]
        )
        return self.window.mostly_outside or river_hard

    # The answers --------------------------------------------------------------------

    @staticmethod
    def sounds_heavy(text: str) -> bool:
        lowered = text.casefold().replace("’", "'")
        return any(words in lowered for words in HEAVY_WORDS)

    @property
    def answers_sound_heavy(self) -> bool:
        return self.entry is not None and self.sounds_heavy(self.entry.body)

    def keep(self, answers: list[tuple[str, str]], prompt_text: str) -> JournalEntry:
        """The answers as a journal entry written today to this fortnight's prompt:
        a second look back on the same fortnight replaces the first one's words."""
        body = "\n\n".join(f"{question}\n{answer}" for question, answer in answers if answer)
        with transaction.atomic():
            entry = self.entry or JournalEntry(
                user=self.user, prompt_key=self.key, local_date=self.user.local_today()
            )
            entry.body, entry.prompt_text, entry.is_draft = body, prompt_text, False
            entry.full_clean()
            entry.save()
        self.__dict__["entry"] = entry
        return entry
