"""River check-ins over the chosen range: average chaos and rigidity per week or month."""

from datetime import date

from django.db.models import Avg, Count

from accounts.models import User
from journal.models import IntegrationCheckIn
from progress import charts
from progress.ranges import ChartRange, as_date


def river_rows(user: User, chart_range: ChartRange, today: date) -> dict[date, dict]:
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
    summary: dict = {"check_ins": n}
    if n:
        summary["chaos"] = round(sum(row["chaos"] * row["n"] for row in rows.values()) / n, 1)
        summary["rigidity"] = round(sum(row["rigidity"] * row["n"] for row in rows.values()) / n, 1)
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
        **summary,
        "keys": [("Chaos (solid)", "line-chaos"), ("Rigidity (dashed)", "line-rigidity")],
        "has_data": bool(n),
    }
