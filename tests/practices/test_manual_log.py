import uuid
from datetime import date
from html import unescape

import pytest

from practices.models import PracticeSession

pytestmark = pytest.mark.django_db

URL = "/practices/log/"


@pytest.fixture(autouse=True)
def today_in_berlin(time_machine):
    # 23:30 UTC on 9 March is already 10 March for the owner in Berlin.
    time_machine.move_to("2026-03-09 23:30:00+00:00", tick=False)


def valid(**changes) -> dict:
    data = {
        "request_id": str(uuid.uuid4()),
        "practice": "body-scan",
        "date": "2026-03-08",
        "minutes": "25",
        "notes": "At the yoga studio.",
    }
    return {**data, **changes}


def test_the_form_starts_on_my_today_and_offers_every_practice(owner_client):
    html = owner_client.get(URL + "?practice=grounding").content.decode()
    assert 'value="2026-03-10"' in html
    assert 'max="2026-03-10"' in html
    assert '<option value="grounding" selected>' in html
    assert '<option value="wheel-of-awareness">' in html


def test_logging_saves_a_finished_session_for_that_day(owner_client, owner):
    response = owner_client.post(URL, valid())
    assert response.status_code == 302
    assert response["Location"] == "/practices/history/"
    session = PracticeSession.objects.get()
    assert (session.user, session.practice.slug, session.local_date) == (
        owner,
        "body-scan",
        date(2026, 3, 8),
    )
    assert (session.seconds_practised, session.completed, session.notes) == (
        1500,
        True,
        "At the yoga studio.",
    )
    history = owner_client.get(response["Location"]).content.decode()
    assert "Logged Body scan on Sunday 8 March." in history
    assert "Sunday 8 March 2026" in history
    assert "25 minutes</span>\n              · Logged by you" in history


def test_my_today_is_accepted_even_when_it_is_still_yesterday_in_utc(owner_client, owner):
    assert owner_client.post(URL, valid(date="2026-03-10")).status_code == 302
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 10))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-03-11"}, "That day hasn't come yet where you are."),
        ({"date": "next tuesday"}, "Enter a date, such as 2026-03-01."),
        ({"date": ""}, "Enter the day you practised."),
        ({"minutes": "0"}, "Enter at least 1 minute."),
        ({"minutes": "241"}, "Enter at most 240 minutes (4 hours)."),
        ({"minutes": "ten"}, "Enter a whole number of minutes, such as 15."),
        ({"minutes": "2.5"}, "Enter a whole number of minutes, such as 15."),
        ({"minutes": ""}, "Enter how many minutes you practised."),
        ({"practice": ""}, "Choose which practice you did."),
        ({"practice": "juggling"}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(owner_client, changes, message):
    response = owner_client.post(URL, valid(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in unescape(html)
    assert 'aria-invalid="true"' in html
    assert PracticeSession.objects.count() == 0


def test_a_double_submit_logs_once(owner_client):
    data = valid()
    owner_client.post(URL, data)
    owner_client.post(URL, data)
    assert PracticeSession.objects.count() == 1


def test_logging_needs_a_login(client, owner):
    response = client.post(URL, valid())
    assert response.status_code == 302
    assert PracticeSession.objects.count() == 0


def test_the_note_is_kept_out_of_error_reports(owner_client):
    response = owner_client.post(URL, valid())
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
