"""The on-this-device page, and the sessions it sends back (perhaps days later, offline first)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from practices.models import Practice, PracticeSession
from tests.conftest import make_user
from tests.practices.conftest import start

URL = "/practices/meditation-timer/on-this-device/"


def sent(**changes) -> dict:
    """What the page posts for a finished 10-minute timer session that began an hour ago."""
    began = timezone.now() - timedelta(hours=1)
    data = {
        "request_id": str(uuid.uuid4()),
        "parameters": '{"minutes": 10, "sound": true, "interval_minutes": 0}',
        "started_at": began.isoformat(),
        "ended_at": (began + timedelta(minutes=10)).isoformat(),
        "time_zone": "Europe/Berlin",
        "seconds_practised": "600",
        "reached_the_end": "1",
        "before_rating": "4",
        "before_emotion": "tense",
        "after_rating": "7",
    }
    return {**data, **changes}


def test_the_page_runs_every_step_of_the_practice(owner_client):
    response = owner_client.get("/practices/body-scan/on-this-device/")
    assert response.status_code == 200
    page = response.content.decode()
    steps = Practice.objects.get(slug="body-scan").steps.count()
    assert page.count("<template data-device-step>") == steps
    assert "This page works without a connection too." in page
    assert "as you chose last time" not in page  # nothing chosen yet: the defaults
    assert "no-store" in response["Cache-Control"]


def test_it_begins_as_the_last_session_of_the_practice_did(owner_client, owner):
    start(owner, "meditation-timer", minutes=20, interval_minutes=5, sound=True)
    page = owner_client.get(URL).content.decode()
    assert "20 minutes, as you chose last time." in page
    assert 'data-parameters="{&quot;minutes&quot;: 20' in page


def test_every_practice_has_one(owner_client):
    for slug in Practice.objects.values_list("slug", flat=True):
        assert owner_client.get(f"/practices/{slug}/on-this-device/").status_code == 200


def test_it_needs_a_signed_in_person(client, db):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert client.post(URL, sent())["Location"].startswith("/accounts/login/")
    assert not PracticeSession.objects.exists()


def test_a_finished_session_is_kept_with_its_check_ins(owner_client, owner):
    response = owner_client.post(URL, sent(request_id="0b6c5a57-8d0e-4a43-9d3e-5b7a1c1a0c11"))
    assert response.status_code == 201
    session = PracticeSession.objects.for_user(owner).get()
    assert response.json()["url"] == session.get_absolute_url()
    assert str(session.request_id) == "0b6c5a57-8d0e-4a43-9d3e-5b7a1c1a0c11"
    assert session.stage == PracticeSession.Stage.DONE
    assert session.completed
    assert session.seconds_practised == 600
    assert (session.before_rating, session.before_emotion, session.after_rating) == (4, "tense", 7)
    assert session.parameters == {"minutes": 10, "sound": True, "interval_minutes": 0}
    assert "no-store" in response["Cache-Control"]


def test_sending_it_again_keeps_one_session(owner_client, owner):
    data = sent()
    first = owner_client.post(URL, data)
    again = owner_client.post(URL, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["url"] == first.json()["url"]
    assert PracticeSession.objects.for_user(owner).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_the_same_moment_keep_one_session():
    owner = make_user("both@example.com", timezone="Europe/Berlin")
    data = sent()
    barrier = threading.Barrier(4)
    statuses = []

    def send():
        client = Client()
        client.force_login(owner)
        barrier.wait()
        try:
            statuses.append(client.post(URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 201}
    assert statuses.count(201) == 1
    assert PracticeSession.objects.filter(user=owner).count() == 1


def test_another_persons_request_id_finds_nothing_of_theirs(owner_client, owner, stranger):
    data = sent()
    owner_client.post(URL, data)
    kept = PracticeSession.objects.for_user(owner).get()
    outsider = Client()
    outsider.force_login(stranger)
    response = outsider.post(URL, {**data, "after_rating": "0"})
    assert response.status_code == 201
    assert response.json()["url"] != kept.get_absolute_url()
    kept.refresh_from_db()
    assert kept.after_rating == 7
    assert PracticeSession.objects.for_user(stranger).get().after_rating == 0


def test_it_is_dated_by_the_day_where_it_began(owner_client, owner):
    # 23:30 in London three days ago is already the next morning in Tokyo.
    began = datetime.combine(
        timezone.now().date() - timedelta(days=3), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=23, minutes=30)
    owner_client.post(
        URL,
        sent(
            started_at=began.isoformat(),
            ended_at=(began + timedelta(minutes=10)).isoformat(),
            time_zone="Asia/Tokyo",
        ),
    )
    session = PracticeSession.objects.for_user(owner).get()
    assert session.local_date == began.astimezone(ZoneInfo("Asia/Tokyo")).date()
    assert session.started_at == began


def test_a_timer_stopped_early_is_not_counted_as_finished(owner_client, owner):
    owner_client.post(URL, sent(seconds_practised="200", reached_the_end="1"))
    assert not PracticeSession.objects.for_user(owner).get().completed


def test_a_stepped_practice_is_finished_when_it_reached_its_last_step(owner_client, owner):
    data = sent(parameters='{"minutes": 10, "sound": false}', seconds_practised="590")
    owner_client.post("/practices/body-scan/on-this-device/", {**data, "reached_the_end": ""})
    assert not PracticeSession.objects.for_user(owner).get().completed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_at": "2020-01-01T10:00:00Z", "ended_at": "2020-01-01T10:10:00Z"}, "started_at"),
        (
            {
                "started_at": (timezone.now() + timedelta(hours=2)).isoformat(),
                "ended_at": (timezone.now() + timedelta(hours=3)).isoformat(),
            },
            "started_at",
        ),
        ({"seconds_practised": "5000"}, "seconds_practised"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"parameters": '{"minutes": 999}'}, "parameters"),
        ({"parameters": '{"spin": "fast"}'}, "parameters"),
        ({"parameters": "[1, 2]"}, "parameters"),
        ({"before_rating": "11"}, "before_rating"),
        ({"before_emotion": "x" * 41}, "before_emotion"),
        ({"request_id": ""}, "request_id"),
    ],
)
def test_what_breaks_a_rule_is_refused_and_nothing_kept(owner_client, changes, field):
    response = owner_client.post(URL, sent(**changes))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not PracticeSession.objects.exists()


def test_the_rules_live_on_the_model(owner):
    timer = Practice.objects.get(slug="meditation-timer")
    now = timezone.now()
    with pytest.raises(Exception, match="too long ago"):
        PracticeSession.objects.record_from_device(
            owner,
            timer,
            request_id=uuid.uuid4(),
            parameters={"minutes": 10},
            started_at=now - timedelta(days=15),
            ended_at=now - timedelta(days=15) + timedelta(minutes=10),
            zone=ZoneInfo("UTC"),
            seconds_practised=600,
            reached_the_end=True,
        )
    assert not PracticeSession.objects.exists()


def test_a_send_and_a_replay_stay_within_a_small_query_budget(
    owner_client, django_assert_max_num_queries
):
    data = sent()
    # Sign-in and the signed-in device's check, the practice and its steps, the
    # replay check, full_clean (unique public id, the rating constraints), the
    # person's first data key (looked for, made, read back: once per person, as the
    # session's words are sealed), the insert and the data version.
    with django_assert_max_num_queries(20):
        assert owner_client.post(URL, data).status_code == 201
    with django_assert_max_num_queries(6):
        assert owner_client.post(URL, data).status_code == 200
