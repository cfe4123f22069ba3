"""Feelings named in journal entries over the chosen range, stacked by quadrant."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils.translation import ngettext

from accounts.models import User
from journal.models import NamedEmotion, Quadrant
from progress import charts
from progress.ranges import ChartRange, as_date


def feeling_rows(user: User, chart_range: ChartRange, today: date) -> list[dict]:
    """Feelings named in saved entries, per period and quadrant, with their re-ratings."""
    # Filtering on the entry's owner too (always the same person) lets the
    # database reach the entries through their (user, local_date) index
    # instead of reading everyone's.
    named = chart_range.within(
        NamedEmotion.objects.for_user(user).filter(entry__user=user, entry__is_draft=False),
        today,
        "entry__local_date",
    )
    before = F("intensity")
    rows = (
        chart_range.group_by_bucket(named.annotate(local_date=F("entry__local_date")))
        .annotate(
            quadrant=F("emotion__quadrant"),
            n=Count("id"),
            rerated=Count("id", filter=Q(intensity_after__isnull=False)),
            softer=Count("id", filter=Q(intensity_after__lt=before)),
            same=Count("id", filter=Q(intensity_after=before)),
            stronger=Count("id", filter=Q(intensity_after__gt=before)),
        )
        .order_by()
    )
    return [{**row, "bucket": as_date(row["bucket"])} for row in rows]


def feelings_with_unit(feelings: int) -> str:
    return ngettext("%(n)d feeling", "%(n)d feelings", feelings) % {"n": feelings}


def feelings_chart(rows: list[dict], chart_range: ChartRange, today: date) -> dict:
    quadrants = list(Quadrant)
    counts = {(row["bucket"], row["quadrant"]): row["n"] for row in rows}
    buckets = chart_range.buckets(today, {row["bucket"] for row in rows})
    stacks = [[counts.get((b.start, q.value), 0) for q in quadrants] for b in buckets]
    totals = [(q.label, sum(stack[i] for stack in stacks)) for i, q in enumerate(quadrants)]
    figure = charts.stacked_bar_figure(
        series=[(q.label, f"quadrant-{q.value}") for q in quadrants],
        buckets=buckets,
        stacks=stacks,
        amount_with_unit=feelings_with_unit,
        table_title=f"Feelings named per {chart_range.bucket}, by quadrant",
        first_column=chart_range.bucket.capitalize(),
        skip_empty_rows=True,
    )
    return {**figure, "feelings": sum(count for _, count in totals), "by_quadrant": totals}
