"""Gentle observations from a person's own records.

Each insight says how many records it rests on (n) and what it can't tell,
and appears only once there are enough records to say anything. None of them
grades the person: they describe, in plain words, what the numbers show.
"""

from dataclasses import dataclass
from datetime import date

from journal.models import FACES_QUALITIES

# Fewer records than this, and a pattern is mostly chance.
MIN_RECORDS = 10
# How many of the most frequent words before a practice are named.
TOP_WORDS = 3


@dataclass(frozen=True)
class Insight:
    key: str
    title: str
    findings: tuple[str, ...]
    n: int
    basis: str  # what the n counts, in words
    caveat: str


def _change_in_words(change: float) -> str:
    if change >= 0.5:
        return f"about {change:.1f} points more settled afterwards"
    if change <= -0.5:
        return f"about {-change:.1f} points less settled afterwards"
    return "about as settled afterwards as before"


def practices_that_settle(per_practice: list[dict]) -> Insight | None:
    """How settled a person felt after each practice compared with before (0 to 10)."""
    enough = [row for row in per_practice if row["n"] >= MIN_RECORDS]
    if not enough:
        return None
    n = sum(row["n"] for row in enough)
    return Insight(
        key="practices",
        title="How settled you felt, before and after",
        findings=tuple(
            f"{row['practice__name']}: {_change_in_words(row['change'])}, over {row['n']} sessions."
            for row in enough
        ),
        n=n,
        basis=f"{n} sessions where you rated how settled you felt before and after",
        caveat=(
            "These are your own ratings, not a measurement, and a practice chosen on a calmer "
            "day may look different for that reason alone. Practices with fewer than "
            f"{MIN_RECORDS} rated sessions aren't shown yet."
        ),
    )


def naming_feelings(summary: dict) -> Insight | None:
    """What happened to feelings the person re-rated after naming them."""
    n = summary.get("rerated") or 0
    if n < MIN_RECORDS:
        return None
    return Insight(
        key="naming",
        title="Naming what you feel",
        findings=(
            f"Of {n} feelings you rated again after naming them, {summary['softer']} felt "
            f"softer, {summary['same']} about the same and {summary['stronger']} stronger.",
        ),
        n=n,
        basis=f"{n} feelings rated again after naming",
        caveat=(
            "A 2007 brain-imaging study (Lieberman and colleagues) found that putting feelings "
            "into words lowered activity in the amygdala, an area involved in alarm. Your own "
            "re-ratings show how naming tends to go for you; they can't show why, and some "
            "feelings simply need more time."
        ),
    )


def _faces_mean(row: dict) -> float:
    return sum(row[field] for field, *_ in FACES_QUALITIES) / len(FACES_QUALITIES)


def faces_and_practice(ratings: list[dict]) -> Insight | None:
    """FACES on days with a finished practice, next to FACES on other days.

    `ratings` are FACES rows: the five scores, and `practised` that day.
    """
    groups = {True: [], False: []}
    for rating in ratings:
        groups[bool(rating["practised"])].append(_faces_mean(rating))
    if len(groups[True]) < MIN_RECORDS or len(groups[False]) < MIN_RECORDS:
        return None
    with_practice = {"n": len(groups[True]), "mean": sum(groups[True]) / len(groups[True])}
    without = {"n": len(groups[False]), "mean": sum(groups[False]) / len(groups[False])}
    n = with_practice["n"] + without["n"]
    return Insight(
        key="faces",
        title="FACES on days you practised",
        findings=(
            f"On {with_practice['n']} days you practised, your FACES average was "
            f"{with_practice['mean']:.1f} out of 5; on {without['n']} other days it was "
            f"{without['mean']:.1f}.",
        ),
        n=n,
        basis=f"{n} days with a FACES rating",
        caveat=(
            "This shows two things happening together, not that one causes the other: a good "
            "day can make practice easier, just as practice can help a day."
        ),
    )


def feelings_before_practice(words: list[dict]) -> Insight | None:
    """The words a person most often wrote for how they felt just before practising.

    `words` are rows of (word, n), most frequent first, already lower-cased.
    """
    n = sum(row["n"] for row in words)
    if n < MIN_RECORDS:
        return None
    top = words[:TOP_WORDS]
    listed = "; ".join(
        f"{row['word']} ({row['n']} time{'s' if row['n'] != 1 else ''})" for row in top
    )
    return Insight(
        key="before",
        title="How you felt when you came to practise",
        findings=(f"The words you wrote most often before a practice: {listed}.",),
        n=n,
        basis=f"{n} sessions where you wrote a word for how you felt before",
        caveat=(
            "These show what tends to bring you to practice, not what practice does with it. "
            "One word can't hold a whole mood, and similar words are counted separately."
        ),
    )


def _days_in_words(days: float) -> str:
    if days < 0.5:
        return "the same day"
    return f"about {days:.1f} day{'s' if round(days, 1) != 1 else ''}"


def repair_over_time(repairs: list[tuple[date, date]]) -> Insight | None:
    """Days from rupture to repair, the earlier half of the repairs next to the later half.

    `repairs` are (ruptured_on, repaired_on) pairs, oldest rupture first.
    """
    n = len(repairs)
    if n < MIN_RECORDS:
        return None
    earlier, later = repairs[: n // 2], repairs[n // 2 :]

    def mean_days(pairs):
        return sum((repaired - ruptured).days for ruptured, repaired in pairs) / len(pairs)

    return Insight(
        key="repair",
        title="Time to repair",
        findings=(
            f"Your earlier {len(earlier)} repairs (from {earlier[0][0]:%B %Y}) came "
            f"{_days_in_words(mean_days(earlier))} after the rupture, on average.",
            f"Your more recent {len(later)} (up to {later[-1][0]:%B %Y}) came "
            f"{_days_in_words(mean_days(later))} after it.",
        ),
        n=n,
        basis=f"{n} ruptures you noted as repaired",
        caveat=(
            "Some ruptures are simply bigger than others, and waiting until both of you are "
            "calm is often part of a good repair. Only repairs you marked as done are counted."
        ),
    )
