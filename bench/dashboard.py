"""Benchmark: the progress dashboard after one week and after five years of history.

Seeds DASHBOARD_OTHERS people with a year of history each (so every table is
large and the indexes have to do the work), then one person with a week and
one with five years. The baseline, measured in the same run by the same
clients, is a trivial logged-in page: "Your data" (/progress/data/), which
reads nothing but the session and the user and renders the site layout with
one small form. Prints, for the full dashboard and for each HTMX range swap,
the median time and the query count for both people and the ratio to that
page. The dashboard is cached per person until their data changes, so these
are repeat visits; a separate line measures the full page right after a write
(the cache rebuilt on every request). Then the time to export five years,
delete that account, and import the file into a new one. The last line sums
up the repeat visits, then the visits right after a write:

    dashboard queries_week=N queries_5y=N median_ms_5y=X trivial_ms=X ratio_5y=X
      queries_cold_week=N queries_cold_5y=N median_ms_cold_5y=X trivial_paired_ms=X
      ratio_cold_5y=X

(one line). The cold ratio is measured with its own baseline: each cold
request is taken in turn with one of the trivial page, so a machine whose
speed drifts during the run (shared or throttled cores) moves both alike.
Targets: the same query count at a week and at five years, at most 12,
ratio_5y (the five-year full dashboard over the trivial page) at most 4 on
PostgreSQL, and ratio_cold_5y (the same page right after a write) at most 3.
The summary ends with ratio_sealed_to_plain and ratio_cold_sealed_to_plain: a
second five-year person has the same history written with encryption at rest
off, and both full pages, repeat and right after a write, are timed side by
side (target at most 1.10).
Run: .venv/bin/python bench/dashboard.py (DASHBOARD_OTHERS, DASHBOARD_ROUNDS).
"""

import io
import json
import os
import statistics
import time
from datetime import timedelta

from common import ROOT, scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from portability.export import export_json  # noqa: E402
from portability.importing import apply_plan, plan_import  # noqa: E402
from portability.reading import read_export  # noqa: E402
from practices.models import PracticeSession  # noqa: E402
from progress.ranges import RANGES  # noqa: E402
from progress.sample import build_history, save_history  # noqa: E402

OTHERS = int(os.environ.get("DASHBOARD_OTHERS", "200"))
ROUNDS = int(os.environ.get("DASHBOARD_ROUNDS", "25"))
TRIVIAL_URL = "/progress/data/"
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]


def person(email: str, zone: str, days: int, *, sealed: bool = True) -> User:
    """`sealed=False`: the same history written with encryption at rest off (the baseline)."""
    settings.ENCRYPTION_AT_REST = sealed
    try:
        user = User.objects.create_user(email, "bench-password", timezone=zone)
        today = user.local_today()
        save_history(build_history(user, today - timedelta(days=days - 1), today, seed=days))
        return user
    finally:
        settings.ENCRYPTION_AT_REST = True


def seed_others() -> None:
    for n in range(OTHERS):
        person(f"other{n}@example.com", ZONES[n % len(ZONES)], 365)


def measure(
    client: Client, url: str, headers: dict, user: User | None = None, *, sealed: bool = True
) -> tuple[float, int]:
    """Median milliseconds over ROUNDS requests, and the queries one request makes.

    With `user`, each request follows a write to that person's data, so the
    dashboard's cache misses every time: the cold path. `sealed=False` reads
    with encryption at rest off (for the person whose history was written so).
    """
    settings.ENCRYPTION_AT_REST = sealed
    try:
        (page_ms, queries), _ = measure_beside_trivial(client, url, headers, user, trivial=None)
    finally:
        settings.ENCRYPTION_AT_REST = True
    return page_ms, queries


def measure_beside_trivial(
    client: Client, url: str, headers: dict, user: User | None, trivial: Client | None
) -> tuple[tuple[float, int], float | None]:
    """As measure(), and with `trivial` the trivial page's median from requests
    taken in turn with the page's, so a machine that speeds up or slows down
    during the run moves both figures alike and their ratio stays fair."""

    def touch():
        if user is not None:
            User.objects.data_changed(user.pk)

    def timed(some_client: Client, some_url: str, some_headers: dict) -> float:
        started = time.perf_counter()
        response = some_client.get(some_url, headers=some_headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    client.get(url, headers=headers)  # warm up templates and the connection
    timings, trivial_timings = [], []
    for _ in range(ROUNDS):
        if trivial is not None:
            trivial_timings.append(timed(trivial, TRIVIAL_URL, {}))
        touch()
        timings.append(timed(client, url, headers))
    touch()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    trivial_ms = statistics.median(trivial_timings) if trivial_timings else None
    return (statistics.median(timings), len(queries)), trivial_ms


class Upload(io.BytesIO):
    """Just enough of an uploaded file for read_export."""

    @property
    def size(self) -> int:
        return len(self.getbuffer())


def main() -> None:
    with scratch_database():
        print(
            f"dashboard benchmark: database={connection.vendor}, {OTHERS} other people with "
            f"a year each, median of {ROUNDS} requests"
        )
        started = time.perf_counter()
        seed_others()
        week = person("week@example.com", "Europe/Berlin", 7)
        years = person("years@example.com", "America/New_York", 5 * 365)
        plain = person("plain@example.com", "America/New_York", 5 * 365, sealed=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        sessions, seed_s = PracticeSession.objects.count(), time.perf_counter() - started
        print(f"  seeded {sessions:,} practice sessions in all in {seed_s:.1f} s")
        print(
            f"  one week: {PracticeSession.objects.for_user(week).count()} sessions; five years: "
            f"{PracticeSession.objects.for_user(years).count():,} sessions"
        )

        clients = {}
        for name, user in (("week", week), ("years", years), ("plain", plain)):
            clients[name] = Client()
            clients[name].force_login(user)
        trivial_ms, trivial_queries = measure(clients["years"], TRIVIAL_URL, {})
        print(f"  trivial page {TRIVIAL_URL}: {trivial_ms:.1f} ms ({trivial_queries} queries)")
        pages: list[tuple[str, str, dict]] = [("full page, 90 days", "/", {})] + [
            (f"htmx swap, {choice.label}", f"/?range={key}", {"HX-Request": "true"})
            for key, choice in RANGES.items()
        ]
        results = {}
        for label, url, headers in pages:
            week_ms, week_queries = measure(clients["week"], url, headers)
            years_ms, years_queries = measure(clients["years"], url, headers)
            results[label] = (week_ms, years_ms, week_queries, years_queries)
            print(
                f"  {label:<22} week {week_ms:6.1f} ms ({week_queries:2} queries, "
                f"x{week_ms / trivial_ms:4.2f})   five years {years_ms:6.1f} ms "
                f"({years_queries:2} queries, x{years_ms / trivial_ms:4.2f})"
            )
        cold_week_ms, cold_week_queries = measure(clients["week"], "/", {}, user=week)
        cold_ms, cold_queries = measure(clients["years"], "/", {}, user=years)
        print(
            f"  full page right after a write (cache rebuilt): week {cold_week_ms:6.1f} ms "
            f"({cold_week_queries} queries, x{cold_week_ms / trivial_ms:4.2f})   five years "
            f"{cold_ms:6.1f} ms ({cold_queries} queries, x{cold_ms / trivial_ms:4.2f})"
        )
        # The summary's cold ratio: five years right after a write, each request
        # taken in turn with one of the trivial page, so both see the same machine.
        (paired_cold_ms, _), paired_trivial_ms = measure_beside_trivial(
            clients["years"], "/", {}, years, trivial=clients["week"]
        )
        assert paired_trivial_ms is not None
        print(
            f"  the same five years, each request in turn with one of the trivial page: "
            f"{paired_cold_ms:6.1f} ms against {paired_trivial_ms:.1f} ms, "
            f"x{paired_cold_ms / paired_trivial_ms:4.2f}"
        )
        # Encryption at rest on and off, side by side: the same five years, sealed or not.
        plain_ms, plain_queries = measure(clients["plain"], "/", {}, sealed=False)
        years_again_ms, _ = measure(clients["years"], "/", {})
        plain_cold_ms, _ = measure(clients["plain"], "/", {}, user=plain, sealed=False)
        cold_again_ms, _ = measure(clients["years"], "/", {}, user=years)
        sealed_ms = statistics.median([results["full page, 90 days"][1], years_again_ms])
        sealed_cold_ms = statistics.median([cold_ms, cold_again_ms])
        print(
            f"  encryption at rest, five years, full page: sealed {sealed_ms:6.1f} ms, "
            f"plain {plain_ms:6.1f} ms ({plain_queries} queries), x{sealed_ms / plain_ms:4.2f}; "
            f"right after a write: sealed {sealed_cold_ms:6.1f} ms, plain {plain_cold_ms:6.1f} ms, "
            f"x{sealed_cold_ms / plain_cold_ms:4.2f}"
        )
        # The trivial page again, after everything else: a fair baseline if the machine slowed.
        trivial_ms = statistics.median([trivial_ms, measure(clients["week"], TRIVIAL_URL, {})[0]])

        started = time.perf_counter()
        exported = export_json(years)
        export_s = time.perf_counter() - started
        print(f"  export five years as JSON: {export_s:.2f} s, {len(exported) / 1e6:.1f} MB")

        started = time.perf_counter()
        years.delete()
        delete_s = time.perf_counter() - started
        print(f"  delete that account and everything in it: {delete_s:.2f} s")

        again = User.objects.create_user("years@example.com", "bench-password")
        started = time.perf_counter()
        data = read_export(Upload(exported))
        plan = plan_import(again, data)
        apply_plan(plan)
        import_s = time.perf_counter() - started
        print(f"  import it into a new account: {import_s:.2f} s for {plan.total_new:,} items")

        started = time.perf_counter()
        repeat = plan_import(again, json.loads(exported))
        dedupe_s = time.perf_counter() - started
        assert repeat.total_new == 0, repeat.total_new
        here = repeat.total_already_here
        print(f"  check the same file again (all {here:,} already here): {dedupe_s:.2f} s")

    week_ms, years_ms, week_queries, years_queries = results["full page, 90 days"]
    print(
        f"dashboard queries_week={week_queries} queries_5y={years_queries} "
        f"median_ms_5y={years_ms:.1f} trivial_ms={trivial_ms:.1f} "
        f"ratio_5y={years_ms / trivial_ms:.2f} queries_cold_week={cold_week_queries} "
        f"queries_cold_5y={cold_queries} median_ms_cold_5y={paired_cold_ms:.1f} "
        f"trivial_paired_ms={paired_trivial_ms:.1f} "
        f"ratio_cold_5y={paired_cold_ms / paired_trivial_ms:.2f} "
        f"ratio_sealed_to_plain={sealed_ms / plain_ms:.2f} "
        f"ratio_cold_sealed_to_plain={sealed_cold_ms / plain_cold_ms:.2f}"
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
