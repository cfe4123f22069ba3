"""Consistency measures over the set of local dates a person practised on.

Planned rest days count for neither side: they don't break a run of days or
lower the strength, and they don't add to them either (a rest day the person
practised anyway counts as practised).
"""

from bisect import bisect_right
from collections.abc import Collection, Iterable
from datetime import date, timedelta

# Loop Habit Tracker's idea, our own code: an exponential moving average whose
# weight halves every 13 days for a daily goal.
DAILY_HALF_LIFE_DAYS = 13
DECAY = 0.5 ** (1 / DAILY_HALF_LIFE_DAYS)


def current_streak(days: Iterable[date], today: date, rest: Collection[date] = ()) -> int:
    """Practised days in a row up to today, stepping over rest days.

    A day still in progress does not break the streak: if today has no
    practice yet, the streak ending yesterday still counts.
    """
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    streak = 0
    while day in practised or day in rest:
        streak += day in practised
        day -= timedelta(days=1)
    return streak


def longest_streak(days: Iterable[date], rest: Collection[date] = ()) -> int:
    practised = {day.toordinal() for day in days}
    kept = sorted(practised | {day.toordinal() for day in rest})
    longest = run = 0
    previous = None
    for day in kept:
        if day - 1 != previous:
            run = 0
        run += day in practised
        longest = max(longest, run)
        previous = day
    return longest


def practice_strength(days: Iterable[date], today: date, rest: Collection[date] = ()) -> float:
    """A forgiving score from 0 to 1: a missed day lowers it a little.

    Starts at the first practice; a month of daily practice brings it near 0.8,
    two months past 0.95.
    """
    # Day by day the score is `score * DECAY + (1 - DECAY) * practised`, from 0
    # before the first practice; added up, each practised day contributes
    # (1 - DECAY) * DECAY ** (days since it). Summed that way, five years cost
    # one step per practised day rather than one per calendar day. A rest day
    # leaves the score as it is, so it is no step at all.
    end = today.toordinal()
    practised = {day.toordinal() for day in days if day <= today}
    resting = sorted(day.toordinal() for day in rest if day <= today) if rest else []
    resting = [day for day in resting if day not in practised]

    def rest_days_since(day: int) -> int:
        return len(resting) - bisect_right(resting, day)

    return sum((1.0 - DECAY) * DECAY ** (end - day - rest_days_since(day)) for day in practised)
