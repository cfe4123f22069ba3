"""Benchmark: 100,000 people with a reminder due in the same minute.

Prints the time one tick takes to claim and enqueue them all on the configured
database and broker (against one bare UPDATE of every row, the floor), the send
rate of a real Celery worker (production settings, in its own process) with one
and with four worker processes to a loopback SMTP sink (against raw smtplib to
the same sink), the minutes each would take to deliver all 100,000, and the
duplicates when two ticks race. The last line sums up:

    reminders due=N tick_s=X sends_per_s=X sends_per_s_4=X scaling_4=X duplicates=N

Targets: tick_s at most 3, sends_per_s at least 200, scaling_4 at least 3.
Run: .venv/bin/python bench/reminders.py (REMINDERS_N to change the count,
SEND_SECONDS for each send phase).
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

from common import ROOT, database_url, free_port, scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from ipnb_site.celery import app  # noqa: E402
from reminders import tasks  # noqa: E402
from reminders.models import Delivery, Reminder  # noqa: E402

N = int(os.environ.get("REMINDERS_N", "100000"))
SEND_SECONDS = float(os.environ.get("SEND_SECONDS", "15"))
# A mail relay across a network takes milliseconds to answer each message.
SLOW_SINK_MS = 10
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


def tidy_up() -> None:
    """Clear dead rows and refresh statistics, as autovacuum does between a day's ticks
    in production, so neither measurement pays for the one before it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


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


def start_sink(*handler: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", *handler],
        cwd=ROOT / "bench",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    return sink, port


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time a process and its children (a worker's pool) have used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return own + sum(cpu_seconds(int(child)) for child in children)


def worker_env(smtp_port: int, var_dir: str) -> dict:
    """A worker as production runs it: its settings, this run's database and broker."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ipnb_site.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def sent_so_far() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def measure_worker(processes: int, env: dict, log, sink_pid: int) -> tuple[float, float, float]:
    """Emails per second from one Celery worker with `processes` processes, once
    sending; and the CPU milliseconds per email of the worker and of the sink."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ipnb_site", "worker", "--pool=prefork"]
        + [f"--concurrency={processes}", "--prefetch-multiplier=1", "--without-gossip"]
        + ["--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        before = sent_so_far()
        deadline = time.monotonic() + 60
        while sent_so_far() == before and time.monotonic() < deadline:
            time.sleep(0.1)  # start-up: the first email is on its way
        time.sleep(1.0)  # every process has its first batch
        before, started = sent_so_far(), time.perf_counter()
        worker_cpu, sink_cpu = cpu_seconds(worker.pid), cpu_seconds(sink_pid)
        time.sleep(SEND_SECONDS)
        sent = sent_so_far() - before
        worker_cpu, sink_cpu = (
            cpu_seconds(worker.pid) - worker_cpu,
            cpu_seconds(sink_pid) - sink_cpu,
        )
        per_email = 1000 / max(sent, 1)
        return sent / (time.perf_counter() - started), worker_cpu * per_email, sink_cpu * per_email
    finally:
        # The rest stays queued (late acknowledgement) or half-claimed: no matter here.
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def measure_sends(*handler: str) -> dict[int, tuple[float, float, float]]:
    """Workers of 1 and 4 processes drain the queue the tick filled into an SMTP sink."""
    sink, port = start_sink(*handler)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = worker_env(port, var_dir)
            with open(Path(var_dir) / "worker.log", "ab+") as log:
                for processes in (1, 4):
                    results[processes] = measure_worker(processes, env, log, sink.pid)
                log.seek(0)
                errors = [line for line in log.read().decode().splitlines() if "ERROR" in line]
            if errors:
                print("  the worker logged errors:", *errors[:5], sep="\n    ")
    finally:
        sink.terminate()
        sink.wait()
    return results


def print_sends(results: dict[int, tuple[float, float, float]], raw_per_s: float) -> None:
    for processes, (rate, worker_ms, sink_ms) in results.items():
        print(
            f"    {processes} process{'es' if processes > 1 else ''}: {rate:4.0f} emails per "
            f"second ({rate / raw_per_s:.2f} of raw smtplib's rate); 100,000 in "
            f"{100_000 / rate / 60:.1f} minutes; CPU per email: worker {worker_ms:.2f} ms, "
            f"sink {sink_ms:.2f} ms"
        )
    one, four = results[1][0], results[4][0]
    print(f"    four processes send {four / one:.1f}x what one does")


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

        tidy_up()
        baseline_s = measure_baseline_update()
        tidy_up()
        print(f"  baseline: one bare UPDATE of all {N} rows takes {baseline_s:.2f} s")
        tick_s, counts = measure_tick()
        claimed, dispatched = counts["claimed"], counts["dispatched"]
        print(
            f"  one tick: {tick_s:.2f} s to claim {claimed} and enqueue {dispatched}"
            f" ({claimed / tick_s:,.0f} per second, {tick_s / baseline_s:.1f}x the bare UPDATE)"
        )

        sink, port = start_sink("aiosmtpd.handlers.Sink")
        raw_per_s = measure_raw_smtp(port)
        sink.terminate()
        sink.wait()
        print(f"  raw smtplib, one connection, no Django: {raw_per_s:.0f} emails per second")
        cores = os.cpu_count() or 1
        print(f"  a Celery worker, production settings, to a loopback SMTP sink ({cores} cores):")
        sends = measure_sends("aiosmtpd.handlers.Sink")
        print_sends(sends, raw_per_s)
        (sends_per_s, worker_ms, sink_ms), sends_per_s_4 = sends[1], sends[4][0]
        print(
            f"    every core busy with workers and sink alone would send at most "
            f"{cores * 1000 / (worker_ms + sink_ms):.0f} per second"
        )
        print(f"  the same, to a sink that answers each message after {SLOW_SINK_MS} ms:")
        slow = measure_sends("smtp_sinks.SlowSink", str(SLOW_SINK_MS))
        print_sends(slow, raw_per_s)
        app.control.purge()

        make_all_due_again(timezone.now() - timedelta(seconds=1))
        duplicates, claimed = race_two_ticks()
        print(f"  two racing ticks: claimed {claimed} in all, {duplicates} duplicates")
    summary = (
        f"tick_s={tick_s:.2f} sends_per_s={sends_per_s:.0f} sends_per_s_4={sends_per_s_4:.0f} "
        f"scaling_4={sends_per_s_4 / sends_per_s:.1f} "
        f"scaling_4_slow_sink={slow[4][0] / slow[1][0]:.1f} duplicates={duplicates}"
    )
    print(f"reminders due={N} {summary}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
