from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db

URL = "/progress/report/"
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def report(client, query="") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return unescape(response.content.decode())


@pytest.fixture
def october(owner):
    make_session(owner, date(2026, 10, 5), minutes=20, before=3, after=6, notes="Felt my feet.")
    make_session(owner, date(2026, 10, 6), minutes=10, slug="body-scan")
    make_session(owner, date(2026, 9, 30), minutes=45)  # outside the range
    make_faces(owner, local_date=date(2026, 10, 5), score=4)
    make_check_in(owner, chaos=7, rigidity=1, local_date=date(2026, 10, 6))
    make_entry(
        owner, "Dear diary, a hard talk.", local_date=date(2026, 10, 7), feelings=[("anxious", 4)]
    )
    make_rupture(
        owner, relationship="my sister", ruptured_on=date(2026, 10, 8), what_happened="Sharp words."
    )


def test_the_report_covers_only_the_chosen_dates(owner_client, october):
    html = report(owner_client, "?start=2026-10-01&end=2026-10-31")
    assert "Your report: 1 October 2026 to 31 October 2026" in html
    assert "covering 31 days" in html and "Dates are days in Europe/Berlin." in html
    assert "2 sessions on 2 days with a finished practice, 30 minutes in all." in html
    assert "3.0 before, 6.0 after (1 rated)" in html
    assert "45 minutes" not in html
    assert "1 day rated. Averages: flexible 4.0" in html
    assert "<td>7</td><td>1</td><td>Near the chaos bank</td>" in html
    assert "1 feeling named: 1 high energy, unpleasant;" in html
    assert "<td>my sister</td><td>Not yet</td>" in html


def test_journal_words_appear_only_when_asked_for(owner_client, october):
    numbers = report(owner_client, "?start=2026-10-01&end=2026-10-31")
    assert "Dear diary" not in numbers and "Sharp words" not in numbers
    assert "Felt my feet" not in numbers
    words = report(owner_client, "?start=2026-10-01&end=2026-10-31&journal=on")
    assert "Dear diary, a hard talk." in words and "Sharp words." in words
    assert "Felt my feet." in words
    assert "anxious (4 of 5)" in words


def test_it_starts_with_the_last_thirty_days(owner_client, owner):
    make_session(owner, TODAY - timedelta(days=29), minutes=11)
    make_session(owner, TODAY - timedelta(days=30), minutes=13)
    html = report(owner_client)
    assert "Your report: 26 October 2026 to 24 November 2026" in html
    assert "11 minutes" in html and "24 minutes" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2026-10-31&end=2026-10-01", "The end date is before the start date."),
        ("?start=2024-01-01&end=2026-10-01", "A report can cover up to 366 days."),
        ("?start=soon&end=2026-10-01", "Enter a valid date."),
    ],
)
def test_a_bad_range_gets_a_clear_message(owner_client, query, message):
    response = owner_client.get(URL + query)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_it_is_printable_without_inline_styles_and_kept_out_of_caches(owner_client, october):
    response = owner_client.get(URL + "?start=2026-10-01&end=2026-10-31&journal=on")
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert 'href="/static/css/progress.css"' in html
    assert 'src="/static/js/progress-report.js"' in html and "data-print hidden" in html
    assert 'hx-history="false"' in html
    assert "style=" not in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/progress.css").read_text()
    assert "@media print" in css and ".site-header" in css.split("@media print", 1)[1]


def test_a_stranger_only_ever_sees_their_own_report(stranger_client, owner, stranger, october):
    make_history(owner, date(2026, 10, 1), date(2026, 10, 31))
    html = report(stranger_client, "?start=2026-10-01&end=2026-10-31&journal=on")
    assert "For Sam" in html and "Olive" not in html
    assert "No practice recorded in these dates." in html
    assert "Dear diary" not in html and "my sister" not in html


def test_it_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
