"""Benchmark: 100,000 people with a reminder due in the same minute.

Prints the time one tick takes to claim and enqueue them all on the configured
database and broker, one worker's send rate to a loopback SMTP sink, and the
duplicates when two ticks race. Run: .venv/bin/python bench/reminders.py
(REMINDERS_N to change the count, SEND_SECONDS for the send phase).
"""

import os
import subprocess
import sys
import threading
import time
from datetime import time as clock_time
from datetime import timedelta

from common import ROOT, free_port, scratch_database, setup_django

setup_django()

from celery.contrib.testing.worker import start_worker  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from ipnb_site.celery import app  # noqa: E402
from reminders import tasks  # noqa: E402
from reminders.models import Delivery, Reminder  # noqa: E402

N = int(os.environ.get("REMINDERS_N", "100000"))
SEND_SECONDS = float(os.environ.get("SEND_SECONDS", "15"))
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]


def seed(due_at) -> None:
    users = [
        User(email=f"bench{n}@example.com", password="!", timezone=ZONES[n % len(ZONES)])
        for n in range(N)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    saved = User.objects.order_by("id").only("id")
    Reminder.objects.bulk_create(
        (
            Reminder(user_id=user.id, local_time=clock_time(7, 30), next_fire_at=due_at)
            for user in saved.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )


def make_all_due_again(due_at) -> None:
    Delivery.objects.all().delete()
    Reminder.objects.update(next_fire_at=due_at)


def measure_baseline_update() -> float:
    """The floor: one bare UPDATE touching every reminder once."""
    started = time.perf_counter()
    Reminder.objects.update(next_fire_at=timezone.now() - timedelta(seconds=1))
    return time.perf_counter() - started


def measure_tick() -> tuple[float, dict]:
    started = time.perf_counter()
    counts = tasks.run_tick()
    return time.perf_counter() - started, counts


def measure_raw_smtp(port: int, count: int = 500) -> float:
    """The floor: plain smtplib over one connection, no Django, no database."""
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@localhost", "b@localhost", "hi"
    message.set_content("x" * 1500)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.send_message(message)
    return count / (time.perf_counter() - started)


def measure_sends() -> tuple[float, float]:
    """Let one solo worker drain the queue into a loopback SMTP sink for a while."""
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    raw_per_s = measure_raw_smtp(port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            time.sleep(2.0)  # worker start-up
            before = Delivery.objects.filter(status="sent").count()
            started = time.perf_counter()
            time.sleep(SEND_SECONDS)
            sent = Delivery.objects.filter(status="sent").count() - before
            elapsed = time.perf_counter() - started
        app.control.purge()
    finally:
        sink.terminate()
        sink.wait()
    return sent / elapsed, raw_per_s


def race_two_ticks() -> tuple[int, int]:
    handed: list[int] = []
    lock = threading.Lock()

    def record(ids):
        with lock:
            handed.extend(ids)

    tasks.send_deliveries.delay = record  # type: ignore[method-assign]  # count hand-overs instead of publishing
    barrier = threading.Barrier(2)
    claimed: list[int] = []

    def tick():
        barrier.wait()
        claimed.append(tasks.run_tick()["claimed"])
        connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duplicates = (len(handed) - len(set(handed))) + max(0, sum(claimed) - N)
    return duplicates, sum(claimed)


def main() -> None:
    with scratch_database():
        broker = settings.CELERY_BROKER_URL.split(":")[0]
        print(f"reminders benchmark: {N} people, database={connection.vendor}, broker={broker}")
        app.control.purge()
        due_at = timezone.now().replace(second=0, microsecond=0) - timedelta(seconds=1)
        started = time.perf_counter()
        seed(due_at)
        print(f"  seeded in {time.perf_counter() - started:.1f} s")

        baseline_s = measure_baseline_update()
        print(f"  baseline: one bare UPDATE of all {N} rows takes {baseline_s:.2f} s")
        tick_s, counts = measure_tick()
        claimed, dispatched = counts["claimed"], counts["dispatched"]
        print(
            f"  one tick: {tick_s:.2f} s to claim {claimed} and enqueue {dispatched}"
            f" ({claimed / tick_s:,.0f} per second, {tick_s / baseline_s:.1f}x the bare UPDATE)"
        )

        sends_per_s, raw_per_s = measure_sends()
        print(
            f"  one worker: {sends_per_s:.0f} emails per second to a loopback SMTP sink"
            f" (raw smtplib to the same sink: {raw_per_s:.0f} per second,"
            f" ratio {sends_per_s / raw_per_s:.2f})"
        )

        make_all_due_again(timezone.now() - timedelta(seconds=1))
        duplicates, claimed = race_two_ticks()
        print(f"  two racing ticks: claimed {claimed} in all, {duplicates} duplicates")
    summary = f"tick_s={tick_s:.2f} sends_per_s={sends_per_s:.0f} duplicates={duplicates}"
    print(f"reminders due={N} {summary}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
