"""Fault scenarios: break a real server on purpose and check what people rely on.

Each run starts its own servers on free loopback ports (a throwaway
PostgreSQL cluster, redis-server, an aiosmtpd SMTP server, gunicorn and a
Celery worker), so stopping them disturbs nothing else on the machine:

1. PostgreSQL stops while requests flow: they get the friendly 503 page, and
   the same gunicorn workers serve normally once it is back.
2. The broker is down when the reminder tick runs: nothing crashes, and every
   due reminder is sent exactly once when it returns.
3. The SMTP server is down: deliveries retry, and each arrives exactly once
   when it returns.
4. The worker is killed (SIGKILL) mid-batch, twice, at moments the SMTP server
   holds: before it has anything of an email, and after it has all of one but
   before it answers. Another worker finishes; no email is lost, none arrives
   twice.

The script plays Celery beat's part by running the reminder tick itself
(the same `run_tick` beat's task runs), and shortens the delivery timings
(first retry 1 s, lease 3 s, a send counted as interrupted after 5 s) so each
scenario takes seconds. It prints what it injected and what it verified, and
exits 1 if any check failed.

Run: make faults  (needs PostgreSQL's server binaries and redis-server), or
python -m tests.faults.run [database] [broker] [smtp] [worker] for some.
"""

import base64
import http.cookiejar
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import free_port  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402

PASSWORD = "fault-scenario-password-1"
failures: list[str] = []


def check(condition: bool, what: str) -> bool:
    print(f"    {'ok  ' if condition else 'FAIL'} {what}")
    if not condition:
        failures.append(what)
    return condition


def wait_for(predicate, seconds: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


# Servers ---------------------------------------------------------------------


class Postgres:
    """A throwaway cluster, so stopping it cannot touch anyone's real database."""

    def __init__(self, base: Path):
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not versions:
            sys.exit("faults: PostgreSQL's server binaries are missing (apt install postgresql)")
        self.bin = versions[-1]
        self.base = base / "pg"
        self.data = self.base / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")

    def create(self) -> None:
        self.base.mkdir()
        if os.geteuid() == 0:
            self.base.parent.chmod(0o711)  # let the postgres user reach its folder
            shutil.chown(self.base, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "faults")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off"
        log = str(self.base / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


class Redis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)
        if not wait_for(lambda: _pings(client), 10):
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.kill()  # like a crash: Redis keeps nothing on disk here
        self.process.wait()


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


class Mail:
    """The SMTP server; stopping it closes the port, as a mail host going down does."""

    def __init__(self):
        self.port = free_port()
        self.raw: list[bytes] = []
        self.sink: SmtpSink | None = None

    def start(self) -> None:
        self.sink = SmtpSink(port=self.port)
        self.sink.raw = self.raw  # one record across restarts
        self.sink.start()

    def stop(self) -> None:
        assert self.sink is not None
        self.sink.stop()
        self.sink = None

    def recipients(self) -> Counter:
        found = (re.search(rb"^To: (\S+)", raw, re.M) for raw in list(self.raw))
        return Counter(match.group(1).decode() for match in found if match)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ipnb_site", "worker", "--pool=solo"]
        + ["--prefetch-multiplier=1", "--without-gossip", "--without-mingle", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    start = log.stat().st_size if log.exists() else 0
    if not wait_for(lambda: b"ready." in log.read_bytes()[start:], 30):
        raise RuntimeError(f"the Celery worker did not start; see {log}")
    return worker


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ipnb_site.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    if not wait_for(lambda: _get_status(f"http://127.0.0.1:{port}/healthz") == 200, 30):
        raise RuntimeError("gunicorn did not start")
    return server


def _get_status(url: str) -> int | None:
    try:
        return urllib.request.urlopen(url, timeout=2).status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def gunicorn_workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


class Visitor:
    """A signed-in person's browser: cookies, CSRF token and all."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, dict]:
        try:
            with self.opener.open(self.base_url + path, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def log_in(self, email: str) -> None:
        _, html, _ = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode(
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        with self.opener.open(self.base_url + "/accounts/login/", data, timeout=30) as response:
            assert response.url.rstrip("/") == self.base_url, response.url


class LogRecords(logging.Handler):
    """Keep a logger's records (first line each) instead of printing tracebacks."""

    def __init__(self, name: str):
        super().__init__()
        self.logger = logging.getLogger(name)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")

    def __enter__(self):
        self.logger.addHandler(self)
        self.logger.propagate = False
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.propagate = True


# Reminders ---------------------------------------------------------------------


def make_due_reminders(count: int, label: str) -> list[str]:
    """`count` people, each with one practice reminder due a moment ago."""
    from django.utils import timezone

    from accounts.models import User
    from reminders.models import Reminder

    users = User.objects.bulk_create(
        User(email=f"{label}{n}@example.com", timezone="Europe/Berlin") for n in range(count)
    )
    due = timezone.now() - timedelta(seconds=5)
    local = due.astimezone(users[0].zone)
    Reminder.objects.bulk_create(
        Reminder(user=user, local_time=local.time(), next_fire_at=due) for user in users
    )
    return [user.email for user in users]


def deliveries_of(emails: list[str]):
    from reminders.models import Delivery

    return Delivery.objects.filter(reminder__user__email__in=emails)


def tick() -> dict:
    from django.db import connection

    from reminders.tasks import run_tick

    try:
        return run_tick()
    finally:
        connection.close()


def tick_until_settled(emails: list[str], seconds: float) -> bool:
    """Tick once a second, as beat would (faster), until no delivery is still to go:
    one a worker is preparing is still on its way too."""
    from reminders.models import Delivery

    still_to_go = [Delivery.Status.PENDING, Delivery.Status.PREPARING, Delivery.Status.SENDING]

    def settled() -> bool:
        tick()
        return not deliveries_of(emails).filter(status__in=still_to_go).exists()

    return wait_for(settled, seconds, every=1.0)


def verify_each_arrived_once(mail: Mail, emails: list[str]) -> None:
    """Every person got exactly one email, and every delivery says so."""
    from reminders.models import Delivery

    arrived = mail.recipients()
    statuses = Counter(deliveries_of(emails).values_list("status", flat=True))
    duplicates = sum(max(0, arrived[email] - 1) for email in emails)
    lost = sum(1 for email in emails if arrived[email] == 0)
    check(duplicates == 0, f"no email arrived twice (duplicates={duplicates})")
    check(lost == 0, f"every person got their reminder (lost={lost} of {len(emails)})")
    check(
        statuses == {Delivery.Status.SENT: len(emails)}, f"deliveries recorded as {dict(statuses)}"
    )


# Scenarios ---------------------------------------------------------------------


def database_restart(pg: Postgres, env: dict, log: Path) -> None:
    from django.db import connection

    from accounts.models import User

    print("fault 1: PostgreSQL stopped for 5 s while four people keep using the app")
    User.objects.create_user("reader@example.com", PASSWORD, timezone="Europe/Berlin")
    port = free_port()
    server = start_gunicorn(env, port, log)
    try:
        visitors = [Visitor(f"http://127.0.0.1:{port}") for _ in range(4)]
        for visitor in visitors:
            visitor.log_in("reader@example.com")
        workers_before = gunicorn_workers(server)
        seen: list[tuple[float, float, int, str, dict]] = []  # started, ended, status, page
        stop = threading.Event()

        def browse(visitor: Visitor) -> None:
            while not stop.is_set():
                for path in ("/", "/journal/", "/practices/history/"):
                    started = time.monotonic()
                    status, html, headers = visitor.get(path)
                    seen.append((started, time.monotonic(), status, html, headers))

        threads = [threading.Thread(target=browse, args=(v,)) for v in visitors]
        for thread in threads:
            thread.start()
        time.sleep(2)
        stopped_at = time.monotonic()
        pg.stop()
        print("    injected: pg_ctl stop -m fast (connections cut, new ones refused)")
        time.sleep(5)
        pg.start()
        restarted_at = time.monotonic()
        print(f"    injected: started again after {restarted_at - stopped_at:.1f} s")
        recovered = wait_for(lambda: seen[-1][0] > restarted_at and seen[-1][2] == 200, 30)
        recovered_at = time.monotonic()
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join()
        connection.close()  # the script's own connection was cut too

        before = Counter(status for _, ended, status, _, _ in seen if ended < stopped_at)
        outage = [
            (status, html, headers)
            for started, _, status, html, headers in seen
            if stopped_at <= started < restarted_at
        ]
        after = Counter(status for started, _, status, _, _ in seen if started > recovered_at)
        every = Counter(status for _, _, status, _, _ in seen)
        refused = [(html, headers) for status, html, headers in outage if status == 503]
        check(set(before) == {200}, f"before: every request served {dict(before)}")
        odd = [html[:300] for _, _, status, html, _ in seen if status not in (200, 503)]
        check(
            set(every) <= {200, 503},
            f"nothing but pages and the 503 page at any time {dict(every)} {odd[:1]}",
        )
        check(
            len(refused) > 0,
            f"requests made during the outage got 503 ({len(refused)} of {len(outage)}; "
            "the rest waited and were served once it was back)",
        )
        check(
            all(
                "back in a moment" in html and headers.get("Retry-After")
                for html, headers in refused
            ),
            "each 503 is the friendly page, with Retry-After",
        )
        check(
            recovered,
            f"served normally again {recovered_at - restarted_at:.1f} s after PostgreSQL came back",
        )
        check(set(after) == {200}, f"after: every request served {dict(after)}")
        workers_after = gunicorn_workers(server)
        check(
            server.poll() is None and workers_after == workers_before,
            f"no process restarted (gunicorn workers {workers_before} -> {workers_after})",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def broker_down(redis: Redis, mail: Mail, env: dict, log: Path) -> None:
    print("fault 2: the broker (Redis) down when the reminder tick runs")
    emails = make_due_reminders(40, "broker")
    worker = start_worker(env, log)
    try:
        redis.stop()
        print("    injected: redis-server killed (it keeps nothing on disk: queued tasks are gone)")
        started = time.monotonic()
        logged = LogRecords("reminders")
        try:
            with logged:
                counts = tick()
        except Exception as error:  # the check below reports it
            counts = {"error": repr(error)}
        took = time.monotonic() - started
        check("error" not in counts, f"the tick finished in {took:.1f} s without raising {counts}")
        check(
            counts.get("undispatched") == len(emails),
            f"it gave all {len(emails)} deliveries back for later",
        )
        check(
            any("could not reach the broker" in line for line in logged.lines),
            f"it logged why: {logged.lines[:1]}",
        )
        check(
            sum(mail.recipients()[email] for email in emails) == 0,
            "nothing was sent while the broker was down",
        )
        time.sleep(2)
        redis.start()
        print("    injected: redis-server started again, empty")
        settled = tick_until_settled(emails, 60)
        check(settled, "the next ticks handed every delivery to the worker")
        check(worker.poll() is None, "the worker survived the outage and reconnected")
        verify_each_arrived_once(mail, emails)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def smtp_down(mail: Mail, env: dict, log: Path) -> None:
    from reminders.models import Delivery

    print("fault 3: the SMTP server down when reminders are due")
    emails = make_due_reminders(40, "smtp")
    mail.stop()
    print("    injected: SMTP server stopped (connections refused)")
    worker = start_worker(env, log)
    try:

        def all_tried_twice() -> bool:
            tick()
            return deliveries_of(emails).filter(attempts__gte=2).count() == len(emails)

        tried = wait_for(all_tried_twice, 30, every=1.0)
        pending = deliveries_of(emails).filter(status=Delivery.Status.PENDING).count()
        check(tried, "each delivery was tried at least twice (backing off) while it was down")
        check(pending == len(emails), f"all {len(emails)} wait to be retried ({pending} pending)")
        mail.start()
        print("    injected: SMTP server started again")
        check(tick_until_settled(emails, 60), "the retries went out once it was back")
        verify_each_arrived_once(mail, emails)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def worker_killed(mail: Mail, env: dict, log: Path) -> None:
    from reminders.models import UNCONFIRMED, Delivery

    print("fault 4: the worker killed (SIGKILL) twice in the middle of a batch")
    emails = make_due_reminders(300, "batch")
    before = mail.sink.count()
    worker = start_worker(env, log)
    try:
        tick()
        # First between two emails' handing over: the server has nothing of the 101st.
        first, worker = kill_worker_at(mail, worker, "rcpt", before + 101, emails, env, log)
        in_flight = deliveries_of([first]).get()
        check(in_flight.status == Delivery.Status.PREPARING, f"{first} was left preparing")
        check(mail.recipients()[first] == 0, f"the server had nothing of {first}")
        # Then after an email's final dot, before the server's answer: it has all of it.
        second, worker = kill_worker_at(mail, worker, "reply", before + 201, emails, env, log)
        handed_over = deliveries_of([second]).get()
        check(handed_over.status == Delivery.Status.SENDING, f"{second} was left handed over")
        check(tick_until_settled(emails, 90), "a new worker took over the rest of the batch")
        received = mail.recipients()
        check(
            received[first] == 1,
            f"the email cut off before the server had it arrived once ({first})",
        )
        check(
            received[second] == 1,
            f"the email the server had at the kill arrived once ({second})",
        )
        check(
            deliveries_of([second]).get().last_error == UNCONFIRMED,
            "and is recorded as sent, without the server's confirmation",
        )
        verify_each_arrived_once(mail, emails)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def kill_worker_at(mail: Mail, worker, stage: str, nth: int, emails: list[str], env, log):
    """SIGKILL `worker` while the SMTP server holds the nth message at `stage`, and
    start a replacement; the recipient held and the new worker."""
    mail.sink.hold(stage, nth)

    def held() -> bool:
        if mail.sink.holding.is_set():
            return True
        tick()  # as beat would, so sends cut off by an earlier kill are taken up again
        return False

    if not wait_for(held, 90, every=0.5):
        raise RuntimeError(f"the worker never reached message {nth}; see {log}")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    mail.sink.release()
    statuses = Counter(deliveries_of(emails).values_list("status", flat=True))
    held_for = mail.sink.held_for
    print(f"    injected: SIGKILL to the worker at the {stage} of message {nth} ({held_for})")
    print(f"    state left behind: {dict(statuses)}")
    return held_for, start_worker(env, log)


# Running ---------------------------------------------------------------------


@contextmanager
def servers(base: Path):
    pg, redis, mail = Postgres(base), Redis(), Mail()
    pg.create()
    redis.start()
    mail.start()
    try:
        yield pg, redis, mail
    finally:
        if mail.sink:
            mail.stop()
        if redis.process and redis.process.poll() is None:
            redis.stop()
        with suppress(RuntimeError):  # already stopped
            pg.stop()


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="ipnb-faults-"))
    try:
        with servers(base) as (pg, redis, mail):
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "ipnb_site.settings",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                # Production refuses to start without keys for text at rest.
                "ENCRYPTION_KEYS": "faults:" + base64.b64encode(secrets.token_bytes(32)).decode(),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0",
                "CSRF_COOKIE_SECURE": "0",
                "DATABASE_URL": pg.url,
                "DATABASE_POOL_MIN": "1",
                "CELERY_BROKER_URL": redis.url,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(mail.port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_TIMEOUT": "5",
                "REMINDER_FIRST_RETRY_SECONDS": "1",
                "REMINDER_DISPATCH_LEASE_SECONDS": "3",
                "REMINDER_INTERRUPTED_SECONDS": "5",
                "VAR_DIR": str(base / "var"),
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
            }
            os.environ.update(env)
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            call_command("collectstatic", "--noinput", verbosity=0)
            log = base / "worker.log"
            chosen = set(sys.argv[1:]) or {"database", "broker", "smtp", "worker"}
            if "database" in chosen:
                database_restart(pg, env, base / "web.log")
            if "broker" in chosen:
                broker_down(redis, mail, env, log)
            if "smtp" in chosen:
                smtp_down(mail, env, log)
            if "worker" in chosen:
                worker_killed(mail, env, log)
    finally:
        if failures:
            print(f"faults: logs kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(f"faults: {len(failures)} checks failed" if failures else "faults: all checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
