"""One tap on Begin: remembered settings, an open session continued or closed, and closing."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from practices.models import PracticeSession
from tests.practices.conftest import practice, reread, start, started

pytestmark = pytest.mark.django_db


# Remembered settings -----------------------------------------------------------------


def test_the_last_settings_of_each_practice_come_from_its_latest_session(owner):
    first = start(owner, "breathwork", pattern="box", minutes=3)
    first.close(timezone.now())
    latest = start(owner, "breathwork", pattern="4-7-8", minutes=10)
    latest.close(timezone.now())
    PracticeSession.objects.log_manually(
        owner,
        request_id=uuid.uuid4(),
        practice=practice("breathwork"),
        local_date=owner.local_today(),
        minutes=45,
    )
    mine = PracticeSession.objects.for_user(owner)
    assert mine.last_settings(practice("breathwork")) == latest.parameters
    assert mine.last_settings(practice("grounding")) is None


def test_begin_starts_with_my_last_settings(owner_client, owner):
    start(owner, "breathwork", pattern="resonance", breaths_per_minute=6.5, minutes=10).close(
        timezone.now()
    )
    response = owner_client.post("/practices/breathwork/begin/")
    session = PracticeSession.objects.for_user(owner).open().get()
    assert response["Location"] == session.get_absolute_url()
    assert session.parameters == {
        "minutes": 10,
        "sound": False,
        "pattern": "resonance",
        "breaths_per_minute": 6.5,
    }
    assert session.planned_seconds == 600


def test_begin_without_a_past_session_uses_the_practice_defaults(owner_client, owner):
    owner_client.post("/practices/meditation-timer/begin/")
    session = PracticeSession.objects.get()
    assert session.parameters == {"minutes": 10, "sound": True, "interval_minutes": 0}


def test_a_duration_the_practice_no_longer_offers_falls_back_to_its_default(owner_client, owner):
    session = start(owner, "body-scan")
    # Written straight to the database: a duration the practice doesn't offer.
    PracticeSession.objects.filter(pk=session.pk).update(
        parameters={"minutes": 7, "sound": True}, stage="done"
    )
    owner_client.post("/practices/body-scan/begin/")
    began = PracticeSession.objects.for_user(owner).open().get()
    assert began.parameters == {"minutes": 10, "sound": True}  # the rest is still remembered


def test_the_set_up_page_shows_my_last_settings_as_the_choices(owner_client, owner):
    start(owner, "grounding", sense_order=["touch", "see", "hear", "smell", "taste"]).close(
        timezone.now()
    )
    html = owner_client.get("/practices/grounding/").content.decode()
    assert re.search(r'<input[^>]*value="touch-see-hear-smell-taste"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="see-touch-hear-smell-taste"[^>]*checked', html)


def test_another_persons_settings_are_never_mine(owner_client, owner, stranger):
    start(stranger, "breathwork", pattern="box", minutes=20).close(timezone.now())
    owner_client.post("/practices/breathwork/begin/")
    mine = PracticeSession.objects.for_user(owner).get()
    assert mine.parameters["pattern"] == "cyclic-sighing"
    assert mine.parameters["minutes"] == 5


def test_begin_needs_a_post(owner_client):
    assert owner_client.get("/practices/breathwork/begin/").status_code == 405
    assert PracticeSession.objects.count() == 0


def test_begin_needs_a_login(client, owner):
    response = client.post("/practices/breathwork/begin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert PracticeSession.objects.count() == 0


def test_begin_on_an_unknown_practice_is_a_404(owner_client):
    assert owner_client.post("/practices/no-such-thing/begin/").status_code == 404


# An open session --------------------------------------------------------------------------


def test_a_second_tap_on_begin_finds_the_same_check_in(owner_client, owner):
    first = owner_client.post("/practices/body-scan/begin/")
    second = owner_client.post("/practices/body-scan/begin/")
    assert first["Location"] == second["Location"]
    assert PracticeSession.objects.count() == 1


def test_beginning_while_one_is_open_asks_to_continue_or_close_it(owner_client, owner):
    open_one = started(owner, "breathwork")
    response = owner_client.post("/practices/body-scan/begin/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Breathwork is still open" in html
    assert f'href="{open_one.get_absolute_url()}"' in html
    assert 'name="close_open" value="1"' in html
    assert "Close it and begin Body scan" in html
    assert PracticeSession.objects.count() == 1
    assert reread(open_one).stage == "guide"


def test_closing_the_open_one_and_beginning_keeps_its_time(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    open_one = started(owner, "breathwork")
    time_machine.move_to("2026-03-10 09:02:00+00:00", tick=False)
    html = owner_client.post("/practices/body-scan/begin/").content.decode()
    request_id = html.split('name="request_id" value="')[1].split('"')[0]
    data = {"request_id": request_id, "minutes": "10", "sound": "False", "close_open": "1"}
    first = owner_client.post("/practices/body-scan/", data)
    again = owner_client.post("/practices/body-scan/", data)  # a double tap
    new = PracticeSession.objects.for_user(owner).open().get()
    assert first["Location"] == again["Location"] == new.get_absolute_url()
    assert new.practice.slug == "body-scan"
    closed = reread(open_one)
    assert (closed.stage, closed.seconds_practised) == ("abandoned", 120)
    assert PracticeSession.objects.count() == 2


def test_the_catalog_lists_each_open_session_once_with_continue_and_close(owner_client, owner):
    session = started(owner, "breathwork")
    html = owner_client.get("/practices/").content.decode()
    assert html.count(f'href="{session.get_absolute_url()}"') == 1
    assert html.count(f'action="/practices/sessions/{session.public_id}/close/"') == 1


# Closing a session -------------------------------------------------------------------------


def test_closing_a_session_keeps_the_time_practised(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer")
    time_machine.move_to("2026-03-10 09:03:00+00:00", tick=False)
    response = owner_client.post(f"/practices/sessions/{session.public_id}/close/", follow=True)
    assert "Meditation timer is closed. Your time practised, 3 minutes, is kept." in (
        response.content.decode()
    )
    session = reread(session)
    assert (session.stage, session.seconds_practised, session.completed) == (
        "abandoned",
        180,
        False,
    )
    assert session.ended_at == timezone.now()


def test_closing_twice_changes_nothing_the_second_time(owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer")
    assert session.close(timezone.now() + timedelta(minutes=2)) is True
    assert session.close(timezone.now() + timedelta(minutes=9)) is False
    assert reread(session).seconds_practised == 120


def test_closing_checks_ownership(client, stranger, owner):
    session = started(owner, "breathwork")
    client.force_login(stranger)
    response = client.post(f"/practices/sessions/{session.public_id}/close/")
    assert response.status_code == 404
    assert reread(session).stage == "guide"


def test_another_persons_open_session_never_asks_me_to_close_it(owner_client, owner, stranger):
    theirs = started(stranger, "breathwork")
    response = owner_client.post("/practices/body-scan/begin/")
    assert response.status_code == 302
    assert reread(theirs).stage == "guide"


# Pages ------------------------------------------------------------------------------------


def test_the_catalog_costs_the_same_queries_with_any_history(
    owner_client, owner, django_assert_max_num_queries
):
    for slug in ["breathwork", "body-scan", "meditation-timer"]:
        start(owner, slug).close(timezone.now())
    with django_assert_max_num_queries(5):  # session, user, open sessions, practices + settings
        response = owner_client.get("/practices/")
    html = response.content.decode()
    assert html.count('action="/practices/') >= 5
    assert "Begin: Cyclic sighing, 5 min" in html


def test_today_offers_my_most_practised_first_with_one_tap_begin(owner_client, owner):
    for _ in range(2):
        start(owner, "meditation-timer", minutes=20, interval_minutes=5).close(timezone.now())
    html = owner_client.get("/").content.decode()
    quick = html[html.index('id="quick-start-heading"') :]
    assert quick.index("Meditation timer") < quick.index("Body scan")
    assert 'action="/practices/meditation-timer/begin/"' in quick
    assert "20 min" in quick
