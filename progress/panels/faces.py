"""FACES over the chosen range: five small charts, each a rolling mean of one quality."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from accounts.models import User
from journal.models import FACES_FIELDS, FACES_QUALITIES, FacesRating
from practices.models import PracticeSession
from progress import charts
from progress.ranges import ChartRange

# The lines are a rolling mean over this many days, drawn with at most about
# this many points (the table lists the same points).
FACES_WINDOW_DAYS = 7
FACES_MAX_POINTS = 100
FACES_MULTIPLE_HEIGHT = 110  # each quality's own small chart


def faces_ratings(user: User, first_day: date | None, today: date) -> list[dict]:
    """Each FACES rating from first_day (and the week before it, for the rolling mean)
    to today, with whether a practice was finished that day."""
    ratings = FacesRating.objects.for_user(user).filter(local_date__lte=today)
    if first_day is not None:
        since = first_day - timedelta(days=FACES_WINDOW_DAYS - 1)
        ratings = ratings.filter(local_date__gte=since)
    finished = PracticeSession.objects.for_user(user).filter(
        local_date=OuterRef("local_date"), completed=True
    )
    return list(
        ratings.annotate(practised=Exists(finished))
        .values("local_date", "practised", *FACES_FIELDS)
        .order_by("local_date")
    )


def rolling_faces(
    ratings: list[dict], first: date, last: date
) -> list[tuple[date, dict[str, float] | None, int]]:
    """For each day from first to last: the mean of each FACES quality over the
    FACES_WINDOW_DAYS days ending that day, and how many ratings that took
    (None and 0 when the window holds none)."""
    by_day = {row["local_date"]: row for row in ratings}
    sums = dict.fromkeys(FACES_FIELDS, 0)
    count = 0
    day = first - timedelta(days=FACES_WINDOW_DAYS - 1)
    for offset in range(FACES_WINDOW_DAYS - 1):
        row = by_day.get(day + timedelta(days=offset))
        if row:
            count += 1
            for field in FACES_FIELDS:
                sums[field] += row[field]
    out = []
    day = first
    while day <= last:
        row = by_day.get(day)
        if row:
            count += 1
            for field in FACES_FIELDS:
                sums[field] += row[field]
        means = {field: sums[field] / count for field in FACES_FIELDS} if count else None
        out.append((day, means, count))
        gone = by_day.get(day - timedelta(days=FACES_WINDOW_DAYS - 1))
        if gone:
            count -= 1
            for field in FACES_FIELDS:
                sums[field] -= gone[field]
        day += timedelta(days=1)
    return out


def _summary(in_range: list[dict]) -> dict:
    """The numbers the summary sentence needs: ratings, the overall and the highest average."""
    n = len(in_range)
    summary: dict[str, object] = {"ratings": n, "window_days": FACES_WINDOW_DAYS}
    if n:
        mean = {
            label: sum(row[field] for row in in_range) / n for field, label, *_ in FACES_QUALITIES
        }
        highest = max(mean, key=lambda label: mean[label])
        summary |= {
            "average": round(sum(mean.values()) / len(mean), 1),
            "highest": highest,
            "highest_average": round(mean[highest], 1),
        }
    return summary


def faces_chart(
    ratings: list[dict], in_range: list[dict], chart_range: ChartRange, today: date
) -> dict:
    """`ratings` from faces_ratings; `in_range`, those of them inside the range itself."""
    first = chart_range.first_day(today) or (ratings[0]["local_date"] if ratings else today)
    days = (today - first).days + 1
    step = 1 if days <= FACES_MAX_POINTS else -(-days // FACES_MAX_POINTS)
    rolling = rolling_faces(ratings, first, today)
    # Points every `step` days, ending today.
    chosen = rolling[::-1][::step][::-1]
    labels = [f"{day.day} {day:%b}" for day, _, _ in chosen]
    titles = [f"{day.day} {day:%B %Y}" for day, _, _ in chosen]
    series = [
        (label, f"line-{field}", [means[field] if means else None for _, means, _ in chosen])
        for field, label, *_ in FACES_QUALITIES
    ]
    every = f", every {step} days" if step > 1 else ""
    # Small multiples: one short chart per quality on the same 1-5 scale, rather
    # than five lines crossing each other in one.
    multiples = []
    for (field, label, *_), (_, css_class, values) in zip(FACES_QUALITIES, series, strict=True):
        frame = charts.line_chart(
            [(label, css_class, values)],
            labels,
            titles,
            1,
            5,
            (1, 3, 5),
            dots=False,
            height=FACES_MULTIPLE_HEIGHT,
        )
        multiples.append(
            {"field": field, "label": label, "frame": frame, "svg": charts.frame_markup(frame)}
        )
    return {
        "multiples": multiples,
        "table": charts.table_markup(
            f"FACES {FACES_WINDOW_DAYS}-day rolling averages{every}, each from 1 to 5",
            [f"{FACES_WINDOW_DAYS} days to", *(label for _, label, *_ in FACES_QUALITIES)]
            + ["Ratings"],
            [
                [title, *(means[field] for field in FACES_FIELDS), count]
                for title, (_, means, count) in zip(titles, chosen, strict=True)
                if means
            ],
        ),
        **_summary(in_range),
        "has_data": bool(in_range),
    }
