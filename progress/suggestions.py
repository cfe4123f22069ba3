"""Today's suggested practice: varied from day to day, and once a person has
rated enough sessions, drawn from the practices that have helped them most.

Why it was suggested is said in the template (templates/progress/sentences.html).
"""

from dataclasses import dataclass
from datetime import date

from progress.insights import MIN_RECORDS

# Rotate among this many of the practices that helped most, so the suggestion
# changes from day to day instead of naming the same one for ever.
BEST_FEW = 3


@dataclass(frozen=True)
class Suggestion:
    practice: object  # practices.models.Practice
    based_on_ratings: bool
    # Some practices helped, and today is another one's turn, for variety.
    for_variety: bool = False
    rated: int = 0  # sessions rated before and after, when based on ratings
    change: float = 0.0  # their average gain, rounded to one decimal


def suggest_practice(catalog: list, stats: dict[int, dict], today: date) -> Suggestion | None:
    """Pick one practice for today.

    `catalog` is every practice in catalog order; `stats` maps a practice id to
    its `rated` session count and average `change` (after minus before rating).
    Practices with at least MIN_RECORDS rated sessions and a gain count as
    having helped; the best few take turns by date (a lone one every other
    day, so the days still vary). Before there are any, the whole catalog
    takes turns.
    """
    if not catalog:
        return None
    helped = sorted(
        (
            practice
            for practice in catalog
            if (row := stats.get(practice.id))
            and row["rated"] >= MIN_RECORDS
            and (row["change"] or 0) > 0
        ),
        key=lambda practice: (-stats[practice.id]["change"], practice.name),
    )[:BEST_FEW]
    turns = helped + [None] if len(helped) == 1 else helped
    practice = turns[today.toordinal() % len(turns)] if turns else None
    if practice is not None:
        row = stats[practice.id]
        return Suggestion(
            practice=practice,
            based_on_ratings=True,
            rated=row["rated"],
            change=round(row["change"], 1),
        )
    others = [practice for practice in catalog if practice not in helped] or catalog
    practice = others[today.toordinal() // len(turns or [None]) % len(others)]
    return Suggestion(practice=practice, based_on_ratings=False, for_variety=bool(helped))
