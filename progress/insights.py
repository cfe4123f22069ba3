"""Gentle observations from a person's own records.

Each insight says how many records it rests on (n) and what it can't tell,
and appears only once there are enough records to say anything. None of them
grades the person: they describe, in plain words, what the numbers show.

The numbers are worked out here; the words are in the template
(templates/progress/sentences.html, one partial per insight key).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from journal.models import FACES_QUALITIES

# Fewer records than this, and a pattern is mostly chance.
MIN_RECORDS = 10
# How many of the most frequent words before a practice are named.
TOP_WORDS = 3
# A change in the average rating smaller than this reads as "about as settled".
NOTICEABLE_CHANGE = 0.5


@dataclass(frozen=True)
class Insight:
    key: str  # which insight: names its partial in the template
    n: int  # how many records it rests on
    details: dict[str, Any] = field(default_factory=dict)  # the numbers its sentences need

    min_records: ClassVar[int] = MIN_RECORDS


def _settling(row: dict) -> dict:
    """One practice's average change in words' terms: more, less or as settled, by how much."""
    change = row["change"]
    if change >= NOTICEABLE_CHANGE:
        direction = "more"
    elif change <= -NOTICEABLE_CHANGE:
        direction = "less"
    else:
        direction = "same"
    return {
        "name": row["practice__name"],
        "sessions": row["n"],
        "direction": direction,
        "points": round(abs(change), 1),
    }


def practices_that_settle(per_practice: list[dict]) -> Insight | None:
    """How settled a person felt after each practice compared with before (0 to 10)."""
    enough = [row for row in per_practice if row["n"] >= MIN_RECORDS]
    if not enough:
        return None
    n = sum(row["n"] for row in enough)
    return Insight(key="practices", n=n, details={"practices": [_settling(r) for r in enough]})


def naming_feelings(summary: dict) -> Insight | None:
    """What happened to feelings the person re-rated after naming them."""
    n = summary.get("rerated") or 0
    if n < MIN_RECORDS:
        return None
    details = {key: summary[key] for key in ("softer", "same", "stronger")}
    return Insight(key="naming", n=n, details=details)


def _faces_mean(row: dict) -> float:
    return sum(row[field] for field, *_ in FACES_QUALITIES) / len(FACES_QUALITIES)


def faces_and_practice(ratings: list[dict]) -> Insight | None:
    """FACES on days with a finished practice, next to FACES on other days.

    `ratings` are FACES rows: the five scores, and `practised` that day.
    """
    groups: dict[bool, list[float]] = {True: [], False: []}
    for rating in ratings:
        groups[bool(rating["practised"])].append(_faces_mean(rating))
    practised, other = groups[True], groups[False]
    if len(practised) < MIN_RECORDS or len(other) < MIN_RECORDS:
        return None
    details = {
        "practised_days": len(practised),
        "practised_average": round(sum(practised) / len(practised), 1),
        "other_days": len(other),
        "other_average": round(sum(other) / len(other), 1),
    }
    return Insight(key="faces", n=len(practised) + len(other), details=details)


def feelings_before_practice(words: list[dict]) -> Insight | None:
    """The words a person most often wrote for how they felt just before practising.

    `words` are rows of (word, n), most frequent first, already lower-cased.
    """
    n = sum(row["n"] for row in words)
    if n < MIN_RECORDS:
        return None
    top = [(row["word"], row["n"]) for row in words[:TOP_WORDS]]
    return Insight(key="before", n=n, details={"words": top})


def _repair_time(pairs: list[tuple[date, date]]) -> dict:
    days = sum((repaired - ruptured).days for ruptured, repaired in pairs) / len(pairs)
    return {
        "repairs": len(pairs),
        "first_rupture": pairs[0][0],
        "last_rupture": pairs[-1][0],
        "same_day": days < 0.5,
        "days": round(days, 1),
    }


def repair_over_time(repairs: list[tuple[date, date]]) -> Insight | None:
    """Days from rupture to repair, the earlier half of the repairs next to the later half.

    `repairs` are (ruptured_on, repaired_on) pairs, oldest rupture first.
    """
    n = len(repairs)
    if n < MIN_RECORDS:
        return None
    details = {
        "earlier": _repair_time(repairs[: n // 2]),
        "later": _repair_time(repairs[n // 2 :]),
    }
    return Insight(key="repair", n=n, details=details)
