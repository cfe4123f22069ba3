import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from practices.models import ABANDON_AFTER, PracticeSession
from practices.views import HISTORY_PAGE_SIZE
from tests.practices.conftest import htmx, reread, started

pytestmark = pytest.mark.django_db

URL = "/practices/history/"
UTC = ZoneInfo("UTC")


def done(user, slug, at, minutes=5, **parameters):
    session = started(user, slug, at=at, minutes=minutes, **parameters)
    session.finish(at + timedelta(minutes=minutes))
    session.check_in_after(at + timedelta(minutes=minutes))
    return session


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="history-title"><a href="[^"]+">([^<]+)</a></h2>', html)


def test_history_lists_my_sessions_newest_first(owner_client, owner, stranger):
    done(owner, "breathwork", datetime(2026, 3, 1, 9, tzinfo=UTC))
    done(owner, "meditation-timer", datetime(2026, 3, 3, 9, tzinfo=UTC))
    done(owner, "body-scan", datetime(2026, 3, 2, 9, tzinfo=UTC))
    done(stranger, "wheel-of-awareness", datetime(2026, 3, 4, 9, tzinfo=UTC))
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert titles(html) == ["Meditation timer", "Body scan", "Breathwork"]
    assert "3 sessions." in html
    assert 'hx-history="false"' in html
    assert "no-store" in response["Cache-Control"]


def test_history_shows_times_and_durations_in_my_own_time_zone(owner_client, owner):
    # 23:30 UTC on 31 March is 01:30 on 1 April in Berlin (summer time).
    done(owner, "meditation-timer", datetime(2026, 3, 31, 23, 30, tzinfo=UTC), minutes=20)
    html = owner_client.get(URL).content.decode()
    assert "Wednesday 1 April 2026, 01:30" in html
    assert '<span class="history-duration">20 minutes</span>' in html
    assert "Finished" in html


def test_history_shows_check_ins_and_what_became_of_each_session(owner_client, owner):
    finished = done(owner, "breathwork", datetime(2026, 3, 1, 9, tzinfo=UTC))
    PracticeSession.objects.filter(pk=finished.pk).update(before_rating=2, after_rating=6)
    early = started(owner, "meditation-timer", at=datetime(2026, 3, 2, 9, tzinfo=UTC), minutes=20)
    early.finish(datetime(2026, 3, 2, 9, 4, tzinfo=UTC))
    html = owner_client.get(URL).content.decode()
    assert "How settled, out of 10: 2 before, 6 after" in html
    assert "4 minutes</span>\n              · Ended early" in html


def test_history_shows_sessions_left_open_as_unfinished_and_keeps_their_time(
    owner_client, owner, time_machine
):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer", minutes=30)
    time_machine.move_to("2026-03-10 09:12:00+00:00", tick=False)
    session.keep_alive(datetime(2026, 3, 10, 9, 12, tzinfo=UTC))
    html = owner_client.get(URL).content.decode()
    # Still within reach: it shows the time so far and can be continued.
    assert "12 minutes</span>\n              · In progress (<a href" in html
    time_machine.move_to(datetime(2026, 3, 10, 9, 12, tzinfo=UTC) + ABANDON_AFTER + timedelta(1))
    html = owner_client.get(URL).content.decode()
    assert "12 minutes</span>\n              · Left unfinished" in html
    # Showing it wrote nothing; the scheduled task closes it, keeping the same time.
    assert reread(session).stage == "guide"
    assert PracticeSession.objects.close_abandoned() == 1
    assert (reread(session).stage, reread(session).seconds_practised) == ("abandoned", 12 * 60)
    html = owner_client.get(URL).content.decode()
    assert "12 minutes</span>\n              · Left unfinished" in html


def test_history_is_paginated(owner_client, owner):
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for day in range(HISTORY_PAGE_SIZE + 5):
        done(owner, "grounding", start + timedelta(days=day))
    first = owner_client.get(URL).content.decode()
    assert len(titles(first)) == HISTORY_PAGE_SIZE
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    second = owner_client.get(URL + "?page=2").content.decode()
    assert len(titles(second)) == 5
    assert "Thursday 1 January 2026" in second  # the oldest is last
    assert 'href="?page=1"' in second


def test_history_can_be_filtered_by_practice_with_an_htmx_fragment(owner_client, owner):
    done(owner, "breathwork", datetime(2026, 3, 1, 9, tzinfo=UTC))
    done(owner, "grounding", datetime(2026, 3, 2, 9, tzinfo=UTC))
    response = owner_client.get(URL + "?practice=breathwork", headers=htmx())
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="history-results"')
    assert titles(html) == ["Breathwork"]
    assert "1 session of Breathwork." in html
    full = owner_client.get(URL + "?practice=breathwork").content.decode()
    assert '<option value="breathwork" selected>' in full


def test_an_unknown_practice_filter_is_a_clear_error(owner_client, owner):
    done(owner, "breathwork", datetime(2026, 3, 1, 9, tzinfo=UTC))
    response = owner_client.get(URL + "?practice=nonsense")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_history_queries_do_not_grow_with_the_number_of_sessions(
    owner_client, owner, django_assert_max_num_queries
):
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    slugs = ["grounding", "breathwork", "body-scan", "wheel-of-awareness", "meditation-timer"]
    for day in range(HISTORY_PAGE_SIZE):
        done(owner, slugs[day % 5], start + timedelta(days=day))
    # Session and user, the signed-in device's check, the filter's practices, the
    # count, and one page of sessions with their practices.
    with django_assert_max_num_queries(6):
        response = owner_client.get(URL)
    assert len(titles(response.content.decode())) == HISTORY_PAGE_SIZE


def test_history_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
