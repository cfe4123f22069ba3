"""The window of tolerance: what to try from each state, and which practices
brought a person back within, from their own check-ins around their practices.

A "before and after" is a check-in at most PAIR_GAP before a practice began and
the first one at most PAIR_GAP after it ended. A practice is named only once it
has MIN_PAIRS of them starting from the same side of the window, and always as
"n times out of m": a count of what happened, never a score.

The words are in templates/journal/includes/window_sentences.html.
"""

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from journal.models import WindowCheckIn, WindowState
from practices.models import Practice, PracticeSession

PAIR_GAP = timedelta(minutes=30)
# Fewer befores and afters than this, and "it helped" is mostly chance.
MIN_PAIRS = 5

# Commonly suggested from each side of the window; the reason is said in the template.
PRACTICE_FOR_STATE: dict[str, str] = {
    WindowState.ABOVE: "breathwork",  # a long exhale
    WindowState.BELOW: "grounding",  # orienting to the room, the senses, the body
    WindowState.WITHIN: "wheel-of-awareness",
}


@dataclass(frozen=True)
class BackWithin:
    state: str  # where the person began: above or below
    practice: str  # the practice's name
    back: int  # afterwards they were within this many times
    times: int  # out of this many befores and afters


def back_within(
    check_ins: list[tuple[datetime, str]], sessions: list[tuple[str, datetime, datetime]]
) -> list[BackWithin]:
    """From check-ins (time, state) and practices (name, began, ended): per side and
    practice with at least MIN_PAIRS befores and afters, how often it ended within.
    Most often back within first."""
    check_ins = sorted(check_ins)
    times = [moment for moment, _ in check_ins]
    outside: Counter = Counter()
    came_back: Counter = Counter()
    for name, began, ended in sessions:
        before_at = bisect_right(times, began) - 1
        after_at = bisect_left(times, ended)
        if before_at < 0 or after_at >= len(times):
            continue
        (before_time, before), (after_time, after) = check_ins[before_at], check_ins[after_at]
        if began - before_time > PAIR_GAP or after_time - ended > PAIR_GAP:
            continue
        if before == WindowState.WITHIN:
            continue
        outside[before, name] += 1
        came_back[before, name] += after == WindowState.WITHIN
    found = [
        BackWithin(state=state, practice=name, back=came_back[state, name], times=count)
        for (state, name), count in outside.items()
        if count >= MIN_PAIRS
    ]
    return sorted(found, key=lambda row: (row.state, -row.back / row.times, row.practice))


@dataclass(frozen=True)
class WindowSummary:
    counts: dict[str, int]  # check-ins above, within and below
    back_within: list[BackWithin]

    min_pairs: ClassVar[int] = MIN_PAIRS
    pair_minutes: ClassVar[int] = int(PAIR_GAP.total_seconds() // 60)

    @property
    def check_ins(self) -> int:
        return sum(self.counts.values())

    @property
    def mostly_outside(self) -> bool:
        """Most check-ins above or below the window: a hard stretch, perhaps."""
        outside = self.counts[WindowState.ABOVE] + self.counts[WindowState.BELOW]
        return self.check_ins >= HARD_STRETCH_CHECK_INS and outside * 2 > self.check_ins


# A hard stretch is only read from at least this many check-ins.
HARD_STRETCH_CHECK_INS = 3


def window_summary(user, first_day: date | None, last_day: date) -> WindowSummary:
    """The person's check-ins from first_day (all time without) to last_day, counted,
    and their befores and afters among them: two queries."""
    check_ins = WindowCheckIn.objects.for_user(user).filter(local_date__lte=last_day)
    sessions = PracticeSession.objects.for_user(user).filter(
        local_date__lte=last_day,
        ended_at__isnull=False,
        logged_manually=False,
        stage__in=[PracticeSession.Stage.AFTER, PracticeSession.Stage.DONE],
    )
    if first_day is not None:
        check_ins = check_ins.filter(local_date__gte=first_day)
        sessions = sessions.filter(local_date__gte=first_day)
    rows = list(check_ins.order_by().values_list("checked_at", "state"))
    counts = dict.fromkeys(WindowState.values, 0) | Counter(state for _, state in rows)
    pairs = back_within(
        rows, list(sessions.order_by().values_list("practice__name", "started_at", "ended_at"))
    )
    return WindowSummary(counts=counts, back_within=pairs)


def suggestions_after(check_in: WindowCheckIn) -> dict:
    """What the check-in card says next: a practice commonly suggested from this
    state, and the person's own befores and afters starting from it, if enough."""
    suggested = Practice.objects.filter(slug=PRACTICE_FOR_STATE[check_in.state]).first()
    own: list[BackWithin] = []
    if check_in.state != WindowState.WITHIN:
        summary = window_summary(check_in.user, None, check_in.local_date)
        own = [row for row in summary.back_within if row.state == check_in.state]
    return {"window_practice": suggested, "window_back_within": own, "window_min_pairs": MIN_PAIRS}
