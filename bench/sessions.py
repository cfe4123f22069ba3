"""Benchmark: what checking the signed-in device costs a page, and the two new pages.

Seeds SESSIONS_OTHERS people with three signed-in devices and a year of activity
(about one line a day) each, so both tables are large, then one person with the
same. The baseline, measured in the same run by the same client, is the trivial
"Your data" page (/progress/data/) without DeviceSessionMiddleware. Prints the
median time and query count of that page with the middleware, of Where you're
signed in, and of the Activity page, each with its ratio to the baseline:

    sessions middleware_ratio=X sessions_page_ratio=X activity_page_ratio=X
      queries_trivial=N queries_with_middleware=N

(one line). Target: middleware_ratio at most 1.1 (one indexed read per page).
Run: .venv/bin/python bench/sessions.py (SESSIONS_OTHERS, SESSIONS_ROUNDS).
"""

import os
import statistics
import time
from datetime import timedelta

from common import scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from activity.models import ActivityEvent, ActivityKind, DeviceSession  # noqa: E402

OTHERS = int(os.environ.get("SESSIONS_OTHERS", "2000"))
ROUNDS = int(os.environ.get("SESSIONS_ROUNDS", "200"))
MIDDLEWARE = "activity.middleware.DeviceSessionMiddleware"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
KINDS = [ActivityKind.SIGNED_IN, ActivityKind.DATA_DOWNLOADED, ActivityKind.REPORT_MADE]


def seed(people: list[User]) -> None:
    now = timezone.now()
    DeviceSession.objects.bulk_create(
        DeviceSession(
            user=person,
            browser="Firefox",
            system="Linux",
            kind="computer",
            expires_at=now + timedelta(days=14),
        )
        for person in people
        for _ in range(3)
    )
    ActivityEvent.objects.bulk_create(
        (
            ActivityEvent(
                user=person,
                kind=KINDS[day % 3],
                occurred_at=now - timedelta(days=day),
                device="Firefox on a Linux computer",
            )
            for person in people
            for day in range(365)
        ),
        batch_size=5000,
    )


def median_ms(client: Client, url: str) -> tuple[float, int]:
    for _ in range(5):
        client.get(url)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def signed_in(email: str) -> Client:
    client = Client(HTTP_USER_AGENT=FIREFOX)
    response = client.post("/accounts/login/", {"username": email, "password": "bench-pass-42"})
    assert response.status_code == 302
    return client


def main() -> None:
    with scratch_database():
        people = User.objects.bulk_create(
            User(email=f"p{n}@example.com", password="!") for n in range(OTHERS)
        )
        person = User.objects.create_user("bench@example.com", "bench-pass-42")
        seed([*people, person])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{DeviceSession.objects.count()} device rows, "
            f"{ActivityEvent.objects.count()} activity lines, {ROUNDS} rounds"
        )

        without = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
        with override_settings(MIDDLEWARE=without):
            trivial_ms, trivial_queries = median_ms(signed_in(person.email), "/progress/data/")
        client = signed_in(person.email)
        with_ms, with_queries = median_ms(client, "/progress/data/")
        sessions_ms, sessions_queries = median_ms(client, "/accounts/sessions/")
        activity_ms, activity_queries = median_ms(client, "/accounts/activity/")

        rows = [
            ("trivial page, no device check", trivial_ms, trivial_queries),
            ("trivial page, with the check", with_ms, with_queries),
            ("Where you're signed in", sessions_ms, sessions_queries),
            ("Activity, page 1 of a year", activity_ms, activity_queries),
        ]
        for name, ms, queries in rows:
            print(f"{name:32} {ms:7.2f} ms  {queries} queries  x{ms / trivial_ms:.2f}")
        print(
            f"sessions middleware_ratio={with_ms / trivial_ms:.2f} "
            f"sessions_page_ratio={sessions_ms / trivial_ms:.2f} "
            f"activity_page_ratio={activity_ms / trivial_ms:.2f} "
            f"queries_trivial={trivial_queries} queries_with_middleware={with_queries}"
        )


if __name__ == "__main__":
    main()
