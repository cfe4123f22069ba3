"""Load benchmark: gunicorn on PostgreSQL under a mixed logged-in workload.

Three runs under one gunicorn on PostgreSQL, all with 50 concurrent users:
1. capacity: the bare Django view (/healthz), a trivial logged-in page
   ("Your data": the session, the user and the layout) and the mixed
   workload, each sent back to back with no pause for CAPACITY_SECONDS once
   every user has logged in (the requests per second over that window); the
   trivial page and the mixed workload take CAPACITY_TURNS turns each, one
   after the other, and their means count; `ratio_to_bare` and
   `ratio_to_trivial` are the mixed workload's over theirs;
2. the mixed workload as people use it (0.5-1.5 s between actions, arriving
   ten a second, each logging in first) for 60 s: dashboard, a practice start
   to finish, journal create and search, reminder settings. Its figures are
   the summary line's; `p99_no_login_ms` leaves out the log-in POSTs (Argon2,
   slow on purpose);
3. afterwards, every write the server acknowledged is looked up in the database;
4. encryption at rest on and off: another USERS people have the same kind of
   history written with encryption off; the mixed workload runs flat out
   against a server with encryption off (bench/settings_without_encryption.py)
   as them, then against the usual server again as the sealed people.
   `rps_ratio_sealed_to_plain` is the mean of the two sealed runs over the
   plain one (target at least 0.90).

Between runs, practice sessions the previous run cut off are closed as the
beat task closes abandoned ones, so every run starts with nobody mid-practice.

Run: .venv/bin/python bench/load.py  (needs DATABASE_URL for PostgreSQL and
the bench extra: pip install -c requirements/constraints.txt ".[bench]")
Tunables: LOAD_USERS (50), LOAD_SECONDS (60), CAPACITY_SECONDS (20), CAPACITY_TURNS (2),
WORKERS, THREADS.
"""

import base64
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from common import ROOT, database_url, free_port, scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CAPACITY_SECONDS = int(os.environ.get("CAPACITY_SECONDS", "20"))
CAPACITY_TURNS = int(os.environ.get("CAPACITY_TURNS", "2"))
SPAWN_PER_SECOND = 10
# A capacity run's logins must end within this, or its window is cut short.
LOGIN_ALLOWANCE_SECONDS = 60
WORKERS = int(os.environ.get("WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# A login waiting for its hash holds a thread for seconds, so a worker needs
# spare ones; 16 made the CPU-heavy pages contend for each worker's GIL.
THREADS = int(os.environ.get("THREADS", "8"))
PASSWORD = "load-test-password-1"


def seed_people(prefix: str = "load", *, sealed: bool = True) -> None:
    """`sealed=False`: their history written with encryption at rest off (the baseline)."""
    # Hashed as production hashes it: the server runs the production settings.
    hasher = Argon2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.com", password=password, timezone="Europe/Berlin")
        for n in range(USERS)
    )
    settings.ENCRYPTION_AT_REST = sealed
    try:
        for n in range(USERS):
            call_command("seed_history", email=f"{prefix}{n}@example.com", years=1, verbosity=0)
    finally:
        settings.ENCRYPTION_AT_REST = True


def encryption_keys_variable() -> str:
    """This process's keys, so the server opens what the seeding sealed."""
    return ",".join(
        f"{key.key_id}:{base64.b64encode(key.secret).decode()}" for key in settings.ENCRYPTION_KEYS
    )


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ipnb_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            # As behind nginx (README): one request per connection, and a worker
            # takes a request only when it has a thread free. With kept-alive
            # connections each person stuck to the worker that first accepted
            # them, and one worker (one core, by the GIL) got most of the load.
            "--keep-alive",
            "0",
            "--worker-connections",
            str(THREADS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def percentile(times: dict[int, int], fraction: float) -> float:
    """The response time `fraction` of the requests finished within, as locust reckons it."""
    total = sum(times.values())
    within = int(total * fraction)
    counted = 0
    for ms in sorted(times, reverse=True):
        counted += times[ms]
        if total - counted <= within:
            return float(ms)
    return 0.0


def close_cut_off_sessions() -> None:
    """Close the sessions a run left mid-practice, as beat would some hours later."""
    from django.utils import timezone

    from practices.models import ABANDON_AFTER, PracticeSession

    PracticeSession.objects.close_abandoned(now=timezone.now() + ABANDON_AFTER)


def run_locust(
    user_class: str, seconds: int, port: int, env: dict, out: Path, *, think: bool = True
) -> dict:
    close_cut_off_sessions()
    times_file = Path(f"{out}_times.json")
    env = {**env, "LOAD_NO_THINK": "0" if think else "1", "LOAD_TIMES_FILE": str(times_file)}
    # People arrive ten a second; in capacity runs everyone arrives at once and
    # the run stops itself CAPACITY_SECONDS after the last one has logged in.
    arrival = ["--spawn-rate", str(SPAWN_PER_SECOND if think else USERS)]
    if not think:
        seconds += LOGIN_ALLOWANCE_SECONDS
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            user_class,
            "--headless",
            "--users",
            str(USERS),
            *arrival,
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(out),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT / "bench",
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{out}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    times = {
        name: {int(ms): count for ms, count in counts.items()}
        for name, counts in json.loads(times_file.read_text()).items()
    }
    without_login: Counter[int] = Counter()
    for name, counts in times.items():
        if name != "log in":
            without_login.update(counts)
    return {
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "p99_no_login": percentile(without_login, 0.99),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        "rows": rows,
    }


def mean_of(runs: list[dict]) -> dict:
    """Turns' requests per second averaged, their errors added up."""
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "errors": sum(run["errors"] for run in runs),
    }


def missing_writes(acked_file: Path) -> tuple[int, int]:
    from journal.models import JournalEntry
    from practices.models import PracticeSession

    acked = (
        [json.loads(line) for line in acked_file.read_text().splitlines()]
        if acked_file.exists()
        else []
    )
    missing = 0
    # Bodies are sealed (the plain run's are not): searched here, opened, not in SQL.
    settings.ENCRYPTION_AT_REST = False  # opens sealed text, and reads plain text as it is
    try:
        bodies = "\n".join(entry.body for entry in JournalEntry.objects.exclude(body=""))
    finally:
        settings.ENCRYPTION_AT_REST = True
    for write in acked:
        if write["kind"] == "journal_entry":
            found = write["value"] in bodies
        else:
            # Ended early on purpose (short runs): finished, though not "completed".
            found = PracticeSession.objects.filter(
                public_id=write["value"], ended_at__isnull=False
            ).exists()
        missing += not found
    return len(acked), missing


def main() -> None:
    with scratch_database() as connection:
        if connection.vendor != "postgresql":
            print("load: set DATABASE_URL to a PostgreSQL server (a production-like run)")
            sys.exit(2)
        started = time.perf_counter()
        seed_people()
        seed_people("plain", sealed=False)
        # The seeding wrote about a hundred years of rows; statistics made now, not
        # by autovacuum in the middle of the first runs (which it slowed by a fifth).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"load: {USERS} people with a year of history each (text sealed), and {USERS} "
            f"more written with encryption at rest off, seeded and vacuumed in "
            f"{time.perf_counter() - started:.0f} s"
        )
        if not settings.CACHE_URL.startswith("redis"):
            # Production shares one cache (README); without it a person's cached
            # dashboard is found only by the worker that built it.
            print("load: CACHE_URL is not Redis, so each gunicorn worker keeps its own cache")
        work = Path(tempfile.mkdtemp(prefix="ipnb-load-"))
        acked_file = work / "acked.jsonl"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ipnb_site.settings",
            "DATABASE_URL": database_url(settings.DATABASES["default"]),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "VAR_DIR": str(work),
            # Production refuses to start without a mail server unless told to keep files.
            "EMAIL_TO_FILES": "1",
            "LOG_LEVEL": "WARNING",
            "ENCRYPTION_KEYS": encryption_keys_variable(),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_USERS": str(USERS),
            "LOAD_ACKED_FILE": str(acked_file),
            # A database connection for every thread, as the settings assume.
            "DATABASE_POOL_MAX": str(max(THREADS, 10)),
            "CAPACITY_SECONDS": str(CAPACITY_SECONDS),
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = free_port()
        server = start_server(env, port)
        try:
            bare = run_locust("BareUser", CAPACITY_SECONDS, port, env, work / "bare", think=False)
            # The trivial page and the mixed workload take turns, so a machine
            # whose speed drifts during the runs weighs on both alike.
            trivial_runs, mixed_runs = [], []
            for turn in range(CAPACITY_TURNS):
                trivial_runs.append(
                    run_locust(
                        "TrivialPerson",
                        CAPACITY_SECONDS,
                        port,
                        env,
                        work / f"trivial{turn}",
                        think=False,
                    )
                )
                mixed_runs.append(
                    run_locust(
                        "Person", CAPACITY_SECONDS, port, env, work / f"capacity{turn}", think=False
                    )
                )
                print(
                    f"load: capacity, turn {turn + 1} of {CAPACITY_TURNS}, {USERS} users back "
                    f"to back for {CAPACITY_SECONDS} s after all have logged in: "
                    f"trivial logged-in page {trivial_runs[-1]['rps']:.0f} req/s, "
                    f"mixed workload {mixed_runs[-1]['rps']:.0f} req/s"
                )
            trivial = mean_of(trivial_runs)
            flat_out = mean_of(mixed_runs)
            print(
                f"load: capacity, {USERS} users back to back for {CAPACITY_SECONDS} s "
                f"after all have logged in: bare view {bare['rps']:.0f} req/s, "
                f"trivial logged-in page {trivial['rps']:.0f} req/s, "
                f"mixed workload {flat_out['rps']:.0f} req/s "
                f"(means of {CAPACITY_TURNS} turns; "
                f"errors {bare['errors'] + trivial['errors'] + flat_out['errors']})"
            )
            mixed = run_locust("Person", SECONDS, port, env, work / "mixed")
        finally:
            server.terminate()
            server.wait(timeout=30)
        # Encryption at rest on and off, side by side: the mixed workload flat out
        # against the same server with encryption off, for the people written plain;
        # then sealed again, so a machine that slowed meanwhile shows up in both.
        plain_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.settings_without_encryption",
            "LOAD_EMAIL_PREFIX": "plain",
        }
        server = start_server(plain_env, port)
        try:
            plain = run_locust(
                "Person", CAPACITY_SECONDS, port, plain_env, work / "plain", think=False
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        server = start_server(env, port)
        try:
            sealed_again = run_locust(
                "Person", CAPACITY_SECONDS, port, env, work / "sealed", think=False
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        sealed_rps = (flat_out["rps"] + sealed_again["rps"]) / 2
        print(
            f"load: encryption at rest, mixed workload flat out: sealed {flat_out['rps']:.0f} "
            f"and {sealed_again['rps']:.0f} req/s, plain {plain['rps']:.0f} req/s "
            f"(p50 sealed {sealed_again['p50']:.0f} ms, plain {plain['p50']:.0f} ms; "
            f"errors {plain['errors'] + sealed_again['errors']})"
        )
        print(
            f"load: mixed workload, {USERS} users, {SECONDS} s, "
            f"{WORKERS} gunicorn workers x {THREADS} threads:"
        )
        for name, row in sorted(mixed["rows"].items()):
            if name != "Aggregated":
                print(
                    f"  {name:28} {int(row['Request Count']):6} requests  p50 {row['50%']:>5} ms"
                    f"  p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms"
                    f"  failures {row['Failure Count']}"
                )
        acked, missing = missing_writes(acked_file)
        print(f"load: {acked} acknowledged writes checked, {missing} missing")
    to_bare = flat_out["rps"] / bare["rps"] if bare["rps"] else 0.0
    to_trivial = flat_out["rps"] / trivial["rps"] if trivial["rps"] else 0.0
    errors = mixed["errors"] + flat_out["errors"] + trivial["errors"]
    errors += plain["errors"] + sealed_again["errors"]
    sealed_to_plain = sealed_rps / plain["rps"] if plain["rps"] else 0.0
    print(
        f"load rps={mixed['rps']:.1f} p50_ms={mixed['p50']:.0f} p95_ms={mixed['p95']:.0f} "
        f"p99_ms={mixed['p99']:.0f} p99_no_login_ms={mixed['p99_no_login']:.0f} "
        f"errors={errors} ratio_to_bare={to_bare:.2f} ratio_to_trivial={to_trivial:.2f} "
        f"missing_writes={missing} rps_ratio_sealed_to_plain={sealed_to_plain:.2f}"
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
