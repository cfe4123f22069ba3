"""The mixed logged-in workload for bench/load.py (run by it, not by hand).

Each simulated person logs in once, then loops over: the dashboard, a short
practice from start to finish (its moves sent as the page's htmx sends them),
writing and searching a journal entry, and the reminder settings. Every write
the server acknowledges is recorded to a file so bench/load.py can check
afterwards that it is in the database.

Capacity runs (LOAD_NO_THINK=1) send back to back and measure the steady
state: everyone logs in first, then the counts start afresh and run for
CAPACITY_SECONDS. At the end each request name's response times are written
to LOAD_TIMES_FILE, so bench/load.py can leave the logins out of a percentile.
"""

import json
import os
import re
import uuid

import gevent
from forms import find_form  # type: ignore[import-not-found]  # bench/forms.py, run as a script
from gevent.event import Event
from locust import HttpUser, between, constant, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
USERS = int(os.environ.get("LOAD_USERS", "50"))
# Whose accounts to log in as: bench/load.py seeds "load" (text sealed) and "plain".
EMAIL_PREFIX = os.environ.get("LOAD_EMAIL_PREFIX", "load")
ACKED = os.environ.get("LOAD_ACKED_FILE", "var/load-acked.jsonl")
TIMES = os.environ.get("LOAD_TIMES_FILE", "")
NO_THINK = os.environ.get("LOAD_NO_THINK") == "1"
CAPACITY_SECONDS = int(os.environ.get("CAPACITY_SECONDS", "20"))
_next_user = iter(range(10**9))
# People pause between things; the capacity runs send back to back.
THINK = constant(0) if NO_THINK else between(0.5, 1.5)

_arrived = 0
everyone_in = Event()


def arrived(environment) -> None:
    """In a capacity run, wait until every user is in; the last one starts the clock."""
    global _arrived
    if not NO_THINK:
        return
    _arrived += 1
    if _arrived == USERS:
        environment.runner.stats.reset_all()
        everyone_in.set()
        gevent.spawn_later(CAPACITY_SECONDS, environment.runner.quit)
    everyone_in.wait()


@events.quitting.add_listener
def write_response_times(environment, **kwargs) -> None:
    if not TIMES:
        return
    times = {
        entry.name: {str(ms): count for ms, count in entry.response_times.items()}
        for entry in environment.runner.stats.entries.values()
    }
    with open(TIMES, "w") as out:
        json.dump(times, out)


def record(kind: str, value: str) -> None:
    with open(ACKED, "a") as log:
        log.write(json.dumps({"kind": kind, "value": value}) + "\n")


class SignedIn(HttpUser):
    """Someone who logs in once, as a browser does: the login page, then its form."""

    abstract = True
    wait_time = THINK

    def on_start(self):
        self.email = f"{EMAIL_PREFIX}{next(_next_user) % USERS}@example.com"
        page = self.client.get("/accounts/login/", name="login page").text
        form = find_form(page, "/accounts/login/")
        data = {**form["fields"], "username": self.email, "password": PASSWORD}
        self.client.post("/accounts/login/", data, name="log in")
        arrived(self.environment)


class Person(SignedIn):
    """The mixed workload."""

    def post_form(self, page_url: str, action: str, overrides: dict, name: str):
        page = self.client.get(page_url, name=f"{name}: page")
        form = find_form(page.text, action)
        data = {**form["fields"], **overrides}
        return self.client.post(
            form["action"] or page_url, data, name=name, headers={"Referer": page.url}
        )

    @task(4)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    def move(self, session: str, form: dict, overrides: dict, name: str):
        """A move on the session page as its script sends it: htmx, the CSRF token in
        a header, and the answer only the next stage, which holds the next form."""
        return self.client.post(
            form["action"],
            {**form["fields"], **overrides},
            name=name,
            headers={
                "HX-Request": "true",
                "HX-Current-URL": f"{self.host}{session}",
                "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}{session}",
            },
        )

    @task(2)
    def practice_start_to_finish(self):
        # Begin is a plain form (the session page follows); the moves after it
        # are htmx, each answered with the next stage, as on a phone.
        response = self.post_form(
            "/practices/meditation-timer/", "/practices/meditation-timer/", {}, "practice: start"
        )
        match = re.search(r"/practices/sessions/([0-9a-f-]{36})/", response.url)
        if not match:
            return
        session = f"/practices/sessions/{match.group(1)}/"
        stage = self.move(
            session,
            find_form(response.text, session + "before/"),
            {"skip": "1"},
            "practice: skip before",
        )
        finish = self.move(
            session, find_form(stage.text, session + "finish/"), {}, "practice: finish"
        )
        after = self.move(
            session, find_form(finish.text, session + "after/"), {"skip": "1"}, "practice: after"
        )
        if after.ok and 'data-stage="done"' in after.text:
            record("practice_session", match.group(1))

    @task(2)
    def journal_write_and_search(self):
        token = f"loadtoken{uuid.uuid4().hex[:12]}"
        response = self.post_form(
            "/journal/new/",
            "/journal/new/",
            {"body": f"A calm walk by the river. {token}"},
            "journal: create",
        )
        if response.ok and "/journal/new/" not in response.url:
            record("journal_entry", token)
        self.client.get(f"/journal/search/?q={token}", name="journal: search")

    @task(1)
    def reminder_settings(self):
        self.client.get("/reminders/", name="reminders")


class TrivialPerson(SignedIn):
    """The logged-in baseline: a page that reads only the session and the user
    and renders the layout with one small form ("Your data")."""

    @task
    def trivial(self):
        self.client.get("/progress/data/", name="trivial page")


class BareUser(HttpUser):
    """The bare baseline: a Django view with no database and no template."""

    wait_time = THINK

    def on_start(self):
        arrived(self.environment)

    @task
    def bare(self):
        self.client.get("/healthz", name="bare view")
