"""Consistency measures over the set of local dates a person practised on."""

from collections.abc import Iterable
from datetime import date, timedelta

# Loop Habit Tracker's idea, our own code: an exponential moving average whose
# weight halves every 13 days for a daily goal.
DAILY_HALF_LIFE_DAYS = 13
DECAY = 0.5 ** (1 / DAILY_HALF_LIFE_DAYS)


def current_streak(days: Iterable[date], today: date) -> int:
    """Consecutive practised days up to today.

    A day still in progress does not break the streak: if today has no
    practice yet, the streak ending yesterday still counts.
    """
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    streak = 0
    while day in practised:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(days: Iterable[date]) -> int:
    practised = sorted({day.toordinal() for day in days})
    longest = run = 0
    previous = None
    for day in practised:
        run = run + 1 if day - 1 == previous else 1
        longest = max(longest, run)
        previous = day
    return longest


def practice_strength(days: Iterable[date], today: date) -> float:
    """A forgiving score from 0 to 1: a missed day lowers it a little.

    Starts at the first practice; a month of daily practice brings it near 0.8,
    two months past 0.95.
    """
    # Day by day the score is `score * DECAY + (1 - DECAY) * practised`, from 0
    # before the first practice; added up, each practised day contributes
    # (1 - DECAY) * DECAY ** (days since it). Summed that way, five years cost
    # one step per practised day rather than one per calendar day.
    end = today.toordinal()
    return sum(
        (1.0 - DECAY) * DECAY ** (end - day.toordinal()) for day in set(days) if day <= today
    )
