"""The meditation timer's start delay, endless mode and silent mode: the rules on
the model, by every door (the start form, one tap on Begin), and the clock."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practices.models import (
    ABANDON_AFTER,
    MAX_MINUTES,
    SELF_PACED_MAX_SECONDS,
    Practice,
    PracticeSession,
)
from tests.practices.conftest import practice, reread, start
from tests.site.test_valid_html import report, validate

pytestmark = pytest.mark.django_db

TIMER_URL = "/practices/meditation-timer/"


def session_with(owner, slug: str, parameters) -> PracticeSession:
    return PracticeSession(
        user=owner,
        practice=Practice.objects.get(slug=slug),
        local_date=datetime(2026, 11, 24, tzinfo=UTC).date(),
        parameters=parameters,
    )


def timer(owner, **parameters) -> PracticeSession:
    """A timer session as the start form makes it (no minutes when endless)."""
    if not parameters.get("endless"):
        parameters.setdefault("minutes", 10)
    session, _ = PracticeSession.objects.start(
        owner, practice("meditation-timer"), request_id=uuid.uuid4(), parameters=parameters
    )
    return session


# The rules, on the model -------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"minutes": 10, "start_delay": 7}, "start delay from the list"),
        ({"minutes": 10, "start_delay": True}, "start delay from the list"),
        ({"minutes": 10, "start_delay": "5"}, "start delay from the list"),
        ({"endless": "yes"}, "true or false"),
        ({"endless": True, "minutes": 10}, "no set end has no minutes"),
        ({"minutes": 10, "silent": 1}, "true or false"),
        ({"minutes": 10, "silent": True, "sound": True}, "rings no bells"),
    ],
)
def test_the_model_refuses_timer_modes_the_form_would_never_send(owner, parameters, message):
    with pytest.raises(ValidationError) as refused:
        session_with(owner, "meditation-timer", parameters).clean()
    assert message in " ".join(refused.value.message_dict["parameters"])


@pytest.mark.parametrize(
    "parameters",
    [
        {"endless": True, "sound": True, "interval_minutes": 5},
        {
            "endless": True,
            "sound": False,
            "silent": True,
            "interval_minutes": 10,
            "start_delay": 30,
        },
        {"minutes": 20, "sound": True, "interval_minutes": 0, "start_delay": 5},
        {"minutes": 5, "sound": False, "interval_minutes": 2, "silent": True},
        {"endless": False, "minutes": 5, "silent": False, "start_delay": 0},
    ],
)
def test_the_model_accepts_the_timer_modes_the_app_saves(owner, parameters):
    session_with(owner, "meditation-timer", parameters).clean()


@pytest.mark.parametrize("name", ["start_delay", "endless", "silent"])
def test_the_timer_modes_belong_to_the_timer_alone(owner, name):
    value = 5 if name == "start_delay" else True
    with pytest.raises(ValidationError) as refused:
        session_with(owner, "body-scan", {"minutes": 10, name: value}).clean()
    assert f"we don't know the setting “{name}”" in " ".join(
        refused.value.message_dict["parameters"]
    )


# The start form ----------------------------------------------------------------------


def test_the_set_up_page_offers_a_start_delay_no_set_end_and_silence(owner_client):
    html = owner_client.get(TIMER_URL).content.decode()
    assert "No set end: count up until you finish" in html
    assert "Settle first" in html
    for seconds in (0, 5, 10, 30):
        assert f'<option value="{seconds}"' in html
    assert "Silent: no bells at all" in html


def test_an_endless_silent_sit_with_a_delay_is_kept_as_chosen(owner_client, owner):
    response = owner_client.post(
        TIMER_URL,
        {
            "minutes": "0",
            "interval_minutes": "5",
            "start_delay": "5",
            "sound": "on",
            "silent": "on",
        },
    )
    session = PracticeSession.objects.for_user(owner).get()
    assert response["Location"] == session.get_absolute_url()
    # Silent wins over the sound box: no bells at all.
    assert session.parameters == {
        "endless": True,
        "sound": False,
        "interval_minutes": 5,
        "start_delay": 5,
        "silent": True,
    }
    assert session.planned_seconds is None


def test_a_timed_sit_without_the_new_settings_is_kept_as_before(owner_client, owner):
    owner_client.post(TIMER_URL, {"minutes": "20", "interval_minutes": "5", "sound": "on"})
    session = PracticeSession.objects.for_user(owner).get()
    assert session.parameters == {"minutes": 20, "sound": True, "interval_minutes": 5}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": "10", "interval_minutes": "0", "start_delay": "7"}, "Select a valid choice"),
        ({"minutes": "3", "interval_minutes": "0"}, "Select a valid choice"),
        ({"minutes": "10", "interval_minutes": "0", "start_delay": "-5"}, "Select a valid choice"),
    ],
)
def test_the_form_refuses_a_delay_or_length_it_does_not_offer(owner_client, owner, data, message):
    response = owner_client.post(TIMER_URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PracticeSession.objects.for_user(owner).exists()


def test_an_interval_bell_rings_in_an_endless_sit_of_any_length(owner_client, owner):
    owner_client.post(TIMER_URL, {"minutes": "0", "interval_minutes": "10"})
    session = PracticeSession.objects.for_user(owner).get()
    assert session.parameters["interval_minutes"] == 10
    assert session.interval_seconds == 600


# Remembered settings and one tap on Begin ------------------------------------------


def test_the_set_up_page_remembers_endless_silent_and_the_delay(owner_client, owner):
    timer(owner, endless=True, sound=False, silent=True, start_delay=10, interval_minutes=5)
    html = owner_client.get(TIMER_URL).content.decode()
    assert (
        '<input type="radio" name="minutes" value="0" required id="id_minutes_7" checked>' in html
    )
    assert '<option value="10" selected>After 10 seconds</option>' in html
    assert 'name="silent" aria-describedby="id_silent_helptext" id="id_silent" checked' in html


def test_one_tap_begin_starts_an_endless_sit_with_my_last_settings(owner_client, owner):
    last = timer(owner, endless=True, sound=False, silent=True, start_delay=10, interval_minutes=5)
    last.close(timezone.now())
    owner_client.post("/practices/meditation-timer/begin/")
    session = PracticeSession.objects.for_user(owner).open().get()
    assert session.parameters == last.parameters
    assert session.planned_seconds is None


def test_the_catalog_says_begin_has_no_set_end(owner_client, owner):
    timer(owner, endless=True, sound=True, interval_minutes=0).close(timezone.now())
    html = owner_client.get("/practices/").content.decode()
    assert "no set end" in html


def test_remembered_timer_modes_the_rules_now_refuse_fall_back_to_the_defaults(owner_client, owner):
    last = timer(owner)
    last.close(timezone.now())
    # Written straight to the database: a delay the timer doesn't offer.
    PracticeSession.objects.filter(pk=last.pk).update(
        parameters={"minutes": 10, "sound": True, "interval_minutes": 0, "start_delay": 7}
    )
    owner_client.post("/practices/meditation-timer/begin/")
    session = PracticeSession.objects.for_user(owner).open().get()
    assert session.parameters == {"minutes": 10, "sound": True, "interval_minutes": 0}


# The clock -----------------------------------------------------------------------------


def test_the_start_delay_is_not_counted_as_practice(owner, frozen):
    session = timer(owner, minutes=10, start_delay=30)
    began = timezone.now()
    session.begin(began)
    frozen.move_to(began + timedelta(seconds=20))
    clock = reread(session).clock(timezone.now())
    assert (clock.elapsed, clock.remaining, clock.settling) == (0, 600, 10)
    # The end is ten minutes after the delay, not after the tap.
    assert clock.ends_at == began + timedelta(seconds=630)

    frozen.move_to(began + timedelta(seconds=90))
    session = reread(session)
    assert session.clock(timezone.now()).elapsed == 60
    session.finish(timezone.now())
    session = reread(session)
    assert (session.seconds_practised, session.completed) == (60, False)


def test_finishing_during_the_delay_counts_nothing(owner, frozen):
    session = timer(owner, endless=True, start_delay=10)
    session.begin(timezone.now())
    frozen.shift(timedelta(seconds=6))
    session.finish(timezone.now())
    session = reread(session)
    assert (session.seconds_practised, session.completed, session.stage) == (0, False, "after")


def test_a_pause_during_the_delay_starts_the_clock_at_once_on_resume(owner, frozen):
    session = timer(owner, minutes=10, start_delay=30)
    session.begin(timezone.now())
    frozen.shift(timedelta(seconds=10))
    session.pause(timezone.now())
    frozen.shift(timedelta(minutes=5))
    session.resume(timezone.now())
    frozen.shift(timedelta(seconds=45))
    session = reread(session)
    assert session.clock(timezone.now()).settling == 0
    assert session.elapsed_seconds(timezone.now()) == 45


def test_an_endless_sit_counts_past_the_self_paced_cap_and_finishes_as_completed(owner, frozen):
    session = timer(owner, endless=True, interval_minutes=5)
    session.begin(timezone.now())
    frozen.shift(timedelta(minutes=47, seconds=12))
    session.keep_alive(timezone.now())
    session = reread(session)
    clock = session.clock(timezone.now())
    assert (clock.elapsed, clock.remaining, clock.ends_at) == (2832, None, None)
    assert SELF_PACED_MAX_SECONDS < 2832
    session.finish(timezone.now())
    session = reread(session)
    assert (session.seconds_practised, session.completed, session.stage) == (2832, True, "after")
    assert PracticeSession.objects.for_user(owner).filter(completed=True).count() == 1


def test_an_endless_sit_counts_at_most_the_longest_sit(owner, frozen):
    session = timer(owner, endless=True)
    session.begin(timezone.now())
    for _ in range(10):  # the page's keep-alive, every so often, for five hours
        frozen.shift(timedelta(minutes=30))
        session.keep_alive(timezone.now())
    session.finish(timezone.now())
    assert reread(session).seconds_practised == MAX_MINUTES * 60


def test_an_endless_sit_left_open_is_closed_by_the_abandon_rule_keeping_its_time(owner, frozen):
    session = timer(owner, endless=True)
    session.begin(timezone.now())
    frozen.shift(timedelta(minutes=40))
    session.keep_alive(timezone.now())
    frozen.shift(ABANDON_AFTER + timedelta(minutes=1))
    assert PracticeSession.objects.close_abandoned() == 1
    session = reread(session)
    assert (session.stage, session.seconds_practised) == ("abandoned", 40 * 60)


# The session page --------------------------------------------------------------------


def test_the_page_shows_the_quiet_countdown_and_a_clock_counting_up(owner_client, owner, frozen):
    session = timer(owner, endless=True, start_delay=30, sound=True, interval_minutes=0)
    session.begin(timezone.now())
    frozen.shift(timedelta(seconds=12))
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "The clock starts in <span data-settling-left>18</span> seconds." in html
    assert 'data-settling="18.00"' in html and 'data-endless="1"' in html
    assert "<span data-clock-up>0:00</span> so far, with no set end" in html
    assert "data-clock-progress" not in html  # no end to measure against
    assert ">Finish</button>" in html and "End early" not in html

    frozen.shift(timedelta(minutes=5))
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "data-settling-left" not in html
    assert "<span data-clock-up>4:42</span> so far" in html


def test_a_silent_sit_has_no_sound_toggle_and_says_how_it_marks_time(owner_client, owner):
    session = timer(owner, minutes=10, sound=False, silent=True, interval_minutes=2)
    session.begin(timezone.now())
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "data-sound-toggle" not in html
    assert 'data-silent="1"' in html
    assert "Silent: no bells. A soft glow marks each interval and the end" in html


def test_an_endless_sit_finished_says_how_long_it_was(owner_client, owner, frozen):
    session = timer(owner, endless=True)
    session.begin(timezone.now())
    frozen.shift(timedelta(minutes=12))
    response = owner_client.post(f"/practices/sessions/{session.public_id}/finish/")
    assert response.status_code == 302
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "You practised for 12 minutes" in html
    assert "Take a breath before you move on." in html


def test_guided_steps_offer_reading_aloud_hidden_until_the_script_finds_speech(owner_client, owner):
    for slug in ("body-scan", "grounding", "wheel-of-awareness", "breathwork"):
        session = start(owner, slug)
        session.begin(timezone.now())
        html = owner_client.get(session.get_absolute_url()).content.decode()
        assert '<div class="practice-read-aloud" data-read-aloud hidden>' in html, slug
        assert "js/practices-speech" in html
        session.close(timezone.now())
    session = timer(owner)
    session.begin(timezone.now())
    assert "data-read-aloud" not in owner_client.get(session.get_absolute_url()).content.decode()


def test_timer_sessions_belong_to_their_owner(client, stranger, owner):
    session = timer(owner, endless=True, start_delay=5)
    session.begin(timezone.now())
    client.force_login(stranger)
    for action in ("", "pause/", "finish/"):
        method = client.get if not action else client.post
        assert method(f"/practices/sessions/{session.public_id}/{action}").status_code == 404
    assert reread(session).stage == "guide"
    assert practice("meditation-timer").guide == "timer"


# Sent from the on-this-device page -------------------------------------------------


def device_session(**changes) -> dict:
    began = timezone.now() - timedelta(hours=1)
    data = {
        "request_id": str(uuid.uuid4()),
        "parameters": '{"endless": true, "sound": false, "silent": true, "interval_minutes": 5}',
        "started_at": began.isoformat(),
        "ended_at": (began + timedelta(minutes=50)).isoformat(),
        "time_zone": "Europe/Berlin",
        "seconds_practised": str(45 * 60),
        "reached_the_end": "",
    }
    return {**data, **changes}


def test_an_endless_sit_sent_from_the_device_counts_past_the_self_paced_cap(owner_client, owner):
    response = owner_client.post(TIMER_URL + "on-this-device/", device_session())
    assert response.status_code == 201
    session = PracticeSession.objects.for_user(owner).get()
    assert (session.seconds_practised, session.completed, session.planned_seconds) == (
        2700,
        True,
        None,
    )


def test_a_device_session_with_timer_modes_the_rules_refuse_is_refused(owner_client, owner):
    response = owner_client.post(
        TIMER_URL + "on-this-device/",
        device_session(parameters='{"endless": true, "minutes": 10}'),
    )
    assert response.status_code == 400
    assert not PracticeSession.objects.for_user(owner).exists()


def test_a_silent_endless_sit_without_intervals_says_nothing_marks_the_time(owner_client, owner):
    session = timer(owner, endless=True, sound=False, silent=True, interval_minutes=0)
    session.begin(timezone.now())
    html = owner_client.get(session.get_absolute_url()).content.decode()
    assert "Silent: no bells. Nothing marks the time until you finish." in html


def test_the_guides_with_the_new_controls_are_valid_html(owner_client, owner, tmp_path):
    pages = {}
    for name, session in {
        "timer, endless, silent, settling": timer(
            owner, endless=True, sound=False, silent=True, start_delay=30, interval_minutes=5
        ),
        "body scan, read aloud": start(owner, "body-scan"),
        "breathwork, read aloud": start(owner, "breathwork"),
    }.items():
        session.begin(timezone.now())
        pages[name] = owner_client.get(session.get_absolute_url()).content.decode()
        session.close(timezone.now())
    errors = validate(pages, tmp_path)
    assert not errors, "Nu HTML Checker errors:\n" + report(errors)
