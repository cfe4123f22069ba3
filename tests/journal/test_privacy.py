"""What people write stays out of logs, error reports and browser caches."""

import logging
import re

import pytest
from django.test import Client
from django.views.debug import ExceptionReporter

from journal.models import JournalEntry
from tests.journal.factories import make_check_in, make_entry, make_rupture

SECRET = "the secret I wrote at midnight"


@pytest.fixture
def pages(owner):
    entry = make_entry(owner, body="words", feelings=[("calm", 2)])
    rupture = make_rupture(owner)
    make_check_in(owner)
    return [
        "/journal/",
        "/journal/new/",
        f"/journal/{entry.public_id}/",
        f"/journal/{entry.public_id}/edit/",
        "/journal/faces/",
        "/journal/check-in/",
        "/journal/repair/",
        "/journal/repair/new/",
        f"/journal/repair/{rupture.public_id}/",
        "/journal/search/?q=words",
    ]


def test_journal_pages_opt_out_of_the_htmx_history_cache_and_of_caching(owner_client, pages):
    for url in pages:
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert re.search(r"<body [^>]*hx-history=\"false\"", response.content.decode()), url
        assert "no-store" in response["Cache-Control"], url


def test_journal_pages_have_no_inline_script_or_style(owner_client, pages):
    for url in pages:
        html = owner_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and " style=" not in html, url


def error_reports(records) -> list[str]:
    """Build the reports Django would email to admins for the logged errors."""
    reports: list[str] = []
    for record in records:
        if record.exc_info and getattr(record, "request", None) is not None:
            reporter = ExceptionReporter(record.request, *record.exc_info)
            reports += [reporter.get_traceback_text(), reporter.get_traceback_html()]
    return reports


@pytest.mark.parametrize(
    ("url", "fails"),
    [
        ("/journal/new/", "save_with"),
        ("/journal/new/autosave/", "save_draft"),
    ],
)
def test_text_never_reaches_the_logs_or_error_reports(owner, caplog, monkeypatch, url, fails):
    def broken(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(JournalEntry, fails, broken)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    html = client.get("/journal/new/").content.decode()
    key = re.search(r'name="draft_key" value="([^"]+)"', html).group(1)
    data = {"draft_key": key, "local_date": owner.local_today().isoformat(), "body": SECRET}
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 500
    reports = error_reports(caplog.records)
    assert reports, "the error was logged with its request"
    for report in reports:
        assert "the database went away" in report  # the report is useful...
        assert SECRET not in report  # ...and holds none of the words
    assert SECRET not in caplog.text


def test_refused_input_is_not_logged_either(owner_client, caplog):
    with caplog.at_level(logging.DEBUG):
        response = owner_client.post(
            "/journal/new/", {"draft_key": "bad", "local_date": "nonsense", "body": SECRET}
        )
    assert response.status_code == 400
    assert "Bad Request" in caplog.text
    assert SECRET not in caplog.text
