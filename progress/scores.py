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
    practised = sorted(set(days))
    longest = run = 0
    previous = None
    for day in practised:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    return longest


def practice_strength(days: Iterable[date], today: date) -> float:
    """A forgiving score from 0 to 1: a missed day lowers it a little.

    Starts at the first practice; a month of daily practice brings it near 0.8,
    two months past 0.95.
    """
    practised = set(days)
    if not practised:
        return 0.0
    score = 0.0
    day = min(practised)
    while day <= today:
        score = score * DECAY + (1.0 - DECAY) * (day in practised)
        day += timedelta(days=1)
    return score
