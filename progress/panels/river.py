"""River check-ins over the chosen range: average chaos and rigidity per week or month."""

from datetime import date

from django.db.models import Avg, Count

from journal.models import IntegrationCheckIn
from progress import charts
from progress.ranges import ChartRange, as_date


def river_rows(user, chart_range: ChartRange, today: date) -> dict[date, dict]:
    """Per week or month of the range: check-ins `n` and the average chaos and rigidity."""
    check_ins = chart_range.within(IntegrationCheckIn.objects.for_user(user), today)
    rows = chart_range.group_by_bucket(check_ins).annotate(
        n=Count("id"), chaos=Avg("chaos"), rigidity=Avg("rigidity")
    )
    return {as_date(row["bucket"]): row for row in rows.order_by("bucket")}


def river_chart(rows: dict[date, dict], chart_range: ChartRange, today: date) -> dict:
    buckets = chart_range.buckets(today, rows)
    chaos = [rows[b.start]["chaos"] if b.start in rows else None for b in buckets]
    rigidity = [rows[b.start]["rigidity"] if b.start in rows else None for b in buckets]
    n = sum(row["n"] for row in rows.values())
    if n:
        mean_chaos = sum(row["chaos"] * row["n"] for row in rows.values()) / n
        mean_rigidity = sum(row["rigidity"] * row["n"] for row in rows.values()) / n
        summary = (
            f"You checked in on the river {n} time{'s' if n != 1 else ''} "
            f"{chart_range.in_words}. On average, chaos was {mean_chaos:.1f} and rigidity "
            f"{mean_rigidity:.1f}, out of 10."
        )
    else:
        summary = (
            f"No river check-ins {chart_range.in_words}. A check-in places you between "
            "the banks of chaos and rigidity."
        )
    frame = charts.line_chart(
        [("Chaos", "line-chaos", chaos), ("Rigidity", "line-rigidity", rigidity)],
        [b.short for b in buckets],
        [b.long for b in buckets],
        0,
        10,
        (0, 5, 10),
    )
    return {
        "frame": frame,
        "svg": charts.frame_markup(frame),
        "table": charts.table_markup(
            f"Average chaos and rigidity, by {chart_range.bucket}, each from 0 to 10",
            [chart_range.bucket.capitalize(), "Chaos", "Rigidity", "Check-ins"],
            [
                [b.long, rows[b.start]["chaos"], rows[b.start]["rigidity"], rows[b.start]["n"]]
                for b in buckets
                if b.start in rows
            ],
        ),
        "summary": summary,
        "keys": [("Chaos (solid)", "line-chaos"), ("Rigidity (dashed)", "line-rigidity")],
        "has_data": bool(n),
    }
