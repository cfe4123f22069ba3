import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from practices.models import ABANDON_AFTER, PracticeSession
from tests.practices.conftest import practice, reread, start, started

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# The day a session belongs to ------------------------------------------------------


def test_a_session_at_half_past_eleven_at_night_counts_for_that_local_day(owner):
    # 22:30 UTC is 23:30 in Berlin in winter; the session runs on past midnight.
    session = started(owner, "meditation-timer", at=utc(2026, 3, 1, 22, 30), minutes=45)
    session.finish(utc(2026, 3, 1, 23, 15))
    session = reread(session)
    assert session.local_date == date(2026, 3, 1)
    assert (session.completed, session.seconds_practised) == (True, 45 * 60)
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 1)) is True
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 2)) is False


def test_has_completed_on_uses_the_persons_local_day_not_utc(owner, stranger):
    # 23:30 UTC on 1 March is already 2 March in Berlin (owner) but still
    # 1 March in New York (stranger).
    for person in (owner, stranger):
        session = started(person, "meditation-timer", at=utc(2026, 3, 1, 23, 30), minutes=5)
        session.finish(utc(2026, 3, 1, 23, 35))
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 2)) is True
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 1)) is False
    assert PracticeSession.objects.has_completed_on(stranger, date(2026, 3, 1)) is True
    assert PracticeSession.objects.has_completed_on(stranger, date(2026, 3, 2)) is False


def test_a_session_across_the_spring_clock_change_counts_real_minutes(owner):
    # Berlin's clocks jump from 02:00 to 03:00 on 29 March 2026. A 20-minute
    # sit from 01:50 local ends at 03:10 local: 20 minutes, not 80.
    began = datetime(2026, 3, 29, 1, 50, tzinfo=owner.zone)
    session = started(owner, "meditation-timer", at=began, minutes=20)
    ended = datetime(2026, 3, 29, 3, 10, tzinfo=owner.zone)
    session.finish(ended)
    session = reread(session)
    assert session.seconds_practised == 20 * 60
    assert session.completed is True
    assert session.local_date == date(2026, 3, 29)
    assert session.started_at == utc(2026, 3, 29, 0, 50)
    assert session.ended_at == utc(2026, 3, 29, 1, 10)


def test_local_date_is_filled_in_when_code_creates_a_session_directly(owner):
    # Other apps (and their tests) may create sessions without the start form.
    session = PracticeSession.objects.create(
        user=owner, practice=practice("breathwork"), started_at=utc(2026, 6, 30, 22, 15)
    )
    assert session.local_date == date(2026, 7, 1)  # 00:15 in Berlin (summer time)


def test_a_session_recorded_directly_is_a_finished_record_not_an_open_one(owner):
    # Imports and other apps write sessions without going through the stages.
    session = PracticeSession.objects.create(
        user=owner,
        practice=practice("breathwork"),
        started_at=utc(2026, 3, 1, 8, 0),
        ended_at=utc(2026, 3, 1, 8, 5),
        last_seen_at=utc(2026, 3, 1, 8, 5),
        seconds_practised=300,
        completed=True,
    )
    assert PracticeSession.objects.close_abandoned(utc(2026, 6, 1)) == 0
    session = reread(session)
    assert (session.stage, session.status, session.ended_at) == (
        "done",
        "Finished",
        utc(2026, 3, 1, 8, 5),
    )


# Starting ---------------------------------------------------------------------------


def test_starting_twice_with_the_same_request_id_gives_one_session(owner):
    request_id = uuid.uuid4()
    first, created = PracticeSession.objects.start(
        owner, practice("body-scan"), request_id=request_id, parameters={"minutes": 5}
    )
    again, created_again = PracticeSession.objects.start(
        owner, practice("body-scan"), request_id=request_id, parameters={"minutes": 20}
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert PracticeSession.objects.count() == 1
    assert again.parameters == {"minutes": 5}


def test_the_database_refuses_a_second_session_for_one_request(owner):
    request_id = uuid.uuid4()
    PracticeSession.objects.create(
        user=owner, practice=practice("grounding"), request_id=request_id
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeSession.objects.create(
            user=owner, practice=practice("grounding"), request_id=request_id
        )


def test_two_people_may_send_the_same_request_id(owner, stranger):
    request_id = uuid.uuid4()
    for person in (owner, stranger):
        PracticeSession.objects.start(
            person, practice("grounding"), request_id=request_id, parameters={}
        )
    assert PracticeSession.objects.count() == 2


def test_ratings_above_ten_are_refused_by_the_database(owner):
    session = start(owner, "grounding")
    session.after_rating = 11
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_planned_time_follows_the_chosen_minutes_and_the_test_scale(owner, settings):
    assert start(owner, "body-scan", minutes=10).planned_seconds == 600
    settings.PRACTICE_SECONDS_SCALE = 0.01
    assert start(owner, "body-scan", minutes=10).planned_seconds == 6
    assert start(owner, "grounding").planned_seconds is None


# The practice clock ---------------------------------------------------------------


def test_the_clock_does_not_run_before_the_check_in_is_done(owner):
    session = start(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=10)
    assert session.elapsed_seconds(utc(2026, 3, 10, 9, 5)) == 0
    session.begin(utc(2026, 3, 10, 9, 2), rating=4, emotion="tense")
    assert session.elapsed_seconds(utc(2026, 3, 10, 9, 5)) == 180
    session = reread(session)
    assert (session.before_rating, session.before_emotion) == (4, "tense")


def test_pausing_stops_the_clock_and_resuming_starts_it_again(owner):
    session = started(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=10)
    assert session.pause(utc(2026, 3, 10, 9, 3)) is True
    assert session.pause(utc(2026, 3, 10, 9, 4)) is False  # already paused
    assert session.elapsed_seconds(utc(2026, 3, 10, 9, 30)) == 180
    assert session.resume(utc(2026, 3, 10, 9, 30)) is True
    session.finish(utc(2026, 3, 10, 9, 37))
    session = reread(session)
    assert session.seconds_practised == 10 * 60
    assert session.completed is True


def test_a_timed_session_ended_before_its_time_is_kept_but_not_complete(owner):
    session = started(owner, "breathwork", at=utc(2026, 3, 10, 9, 0), minutes=5)
    session.finish(utc(2026, 3, 10, 9, 2, 30))
    session = reread(session)
    assert (session.completed, session.seconds_practised) == (False, 150)
    assert session.stage == PracticeSession.Stage.AFTER
    assert session.status == "Ended early"


def test_practice_time_never_exceeds_the_planned_time(owner):
    # Finishing a 5-minute session an hour later records 5 minutes, not 60.
    session = started(owner, "breathwork", at=utc(2026, 3, 10, 9, 0), minutes=5)
    session.finish(utc(2026, 3, 10, 10, 0))
    assert reread(session).seconds_practised == 300


def test_stepped_practices_move_one_step_at_a_time_and_finish_at_the_last(owner):
    session = started(owner, "wheel-of-awareness", at=utc(2026, 3, 10, 9, 0), minutes=10)
    steps = session.guide_steps
    assert [step.key for step in steps] == [
        "hub",
        "senses",
        "inner-body",
        "mental-activities",
        "relational",
        "rest",
    ]
    # The rim segments get twice the time of the hub steps.
    assert [step.seconds for step in steps] == [60, 120, 120, 120, 120, 60]
    assert sum(step.seconds for step in steps) == 600
    assert session.advance(utc(2026, 3, 10, 9, 1), from_step=0) is True
    assert session.advance(utc(2026, 3, 10, 9, 1), from_step=0) is False  # a replay
    assert session.step == 1
    assert session.step_began_second == 60
    assert session.clock(utc(2026, 3, 10, 9, 2)).step_elapsed == 60
    for n in range(1, 5):
        session.advance(utc(2026, 3, 10, 9, 1 + 2 * n), from_step=n)
    assert session.is_last_step
    assert session.advance(utc(2026, 3, 10, 9, 10), from_step=5) is False
    session.finish(utc(2026, 3, 10, 9, 10))
    session = reread(session)
    assert (session.completed, session.seconds_practised) == (True, 600)


def test_ending_a_stepped_practice_before_the_last_step_is_not_complete(owner):
    session = started(owner, "body-scan", at=utc(2026, 3, 10, 9, 0), minutes=3)
    session.advance(utc(2026, 3, 10, 9, 0, 15), from_step=0)
    session.finish(utc(2026, 3, 10, 9, 0, 40))
    session = reread(session)
    assert (session.completed, session.seconds_practised, session.step) == (False, 40, 1)


def test_grounding_keeps_what_was_noticed_for_each_sense_in_the_chosen_order(owner):
    order = ["see", "hear", "touch", "smell", "taste"]
    session = started(owner, "grounding", at=utc(2026, 3, 10, 9, 0), sense_order=order)
    assert [(step.key, step.count) for step in session.guide_steps] == [
        ("see", 5),
        ("hear", 4),
        ("touch", 3),
        ("smell", 2),
        ("taste", 1),
    ]
    assert session.current_step.heading == "5 things you can see"
    assert session.guide_steps[-1].heading == "1 thing you can taste"
    session.advance(utc(2026, 3, 10, 9, 1), from_step=0, answers=["lamp", "window"])
    session.advance(utc(2026, 3, 10, 9, 2), from_step=1, answers=["a bus"])
    session.advance(utc(2026, 3, 10, 9, 3), from_step=2, answers=[])
    session.advance(utc(2026, 3, 10, 9, 4), from_step=3, answers=["coffee"])
    session.finish(utc(2026, 3, 10, 9, 5), from_step=4, answers=["mint"])
    session = reread(session)
    assert session.grounding_answers == {
        "see": ["lamp", "window"],
        "hear": ["a bus"],
        "touch": [],
        "smell": ["coffee"],
        "taste": ["mint"],
    }
    assert session.completed is True
    assert session.seconds_practised == 300
    assert session.planned_seconds is None


def test_finishing_twice_changes_nothing_the_second_time(owner):
    session = started(owner, "breathwork", at=utc(2026, 3, 10, 9, 0), minutes=5)
    assert session.finish(utc(2026, 3, 10, 9, 5)) is True
    assert session.finish(utc(2026, 3, 10, 9, 7)) is False
    session = reread(session)
    assert (session.seconds_practised, session.ended_at) == (300, utc(2026, 3, 10, 9, 5))


def test_the_after_check_in_saves_the_rating_and_note_once(owner):
    session = started(owner, "breathwork", at=utc(2026, 3, 10, 9, 0), minutes=5)
    session.finish(utc(2026, 3, 10, 9, 5))
    assert session.check_in_after(utc(2026, 3, 10, 9, 6), rating=8, notes="Lighter.") is True
    assert session.check_in_after(utc(2026, 3, 10, 9, 7), rating=2, notes="Again?") is False
    session = reread(session)
    assert (session.after_rating, session.notes, session.stage) == (8, "Lighter.", "done")


# Abandoned sessions ------------------------------------------------------------------


def test_an_abandoned_session_is_kept_as_unfinished_with_the_time_practised(owner):
    session = started(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=20)
    session.keep_alive(utc(2026, 3, 10, 9, 7))  # the page was last open at 09:07
    closed = PracticeSession.objects.for_user(owner).close_abandoned(
        utc(2026, 3, 10, 9, 7) + ABANDON_AFTER + timedelta(seconds=1)
    )
    assert closed == 1
    session = reread(session)
    assert session.stage == PracticeSession.Stage.ABANDONED
    assert (session.completed, session.seconds_practised) == (False, 7 * 60)
    assert session.ended_at == utc(2026, 3, 10, 9, 7)
    assert session.status == "Left unfinished"
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 10)) is False


def test_a_session_still_in_use_is_not_closed(owner):
    session = started(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=20)
    session.keep_alive(utc(2026, 3, 10, 11, 0))
    assert PracticeSession.objects.close_abandoned(utc(2026, 3, 10, 12, 0)) == 0
    assert reread(session).is_open


def test_closing_abandoned_sessions_for_one_person_leaves_others_alone(owner, stranger):
    mine = started(owner, "grounding", at=utc(2026, 3, 10, 9, 0))
    theirs = started(stranger, "grounding", at=utc(2026, 3, 10, 9, 0))
    PracticeSession.objects.for_user(owner).close_abandoned(utc(2026, 3, 11, 9, 0))
    assert reread(mine).stage == PracticeSession.Stage.ABANDONED
    assert reread(theirs).stage == PracticeSession.Stage.GUIDE


def test_a_session_left_behind_reads_as_unfinished_before_it_is_closed(owner):
    session = started(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=20)
    session.keep_alive(utc(2026, 3, 10, 9, 7))
    later = utc(2026, 3, 10, 9, 7) + ABANDON_AFTER + timedelta(seconds=1)
    shown = reread(session).as_of(later)
    assert (shown.status, shown.seconds_so_far, shown.is_open) == ("Left unfinished", 420, False)
    assert reread(session).stage == PracticeSession.Stage.GUIDE  # nothing was saved
    assert reread(session).as_of(later - timedelta(seconds=2)).status == "In progress"


def test_the_sessions_of_a_page_read_as_they_stand_now(owner, time_machine):
    left = started(owner, "meditation-timer", at=utc(2026, 3, 10, 9, 0), minutes=20)
    fresh = started(owner, "grounding", at=utc(2026, 3, 10, 9, 0))
    fresh.keep_alive(utc(2026, 3, 10, 9, 0) + ABANDON_AFTER)
    time_machine.move_to(utc(2026, 3, 10, 9, 0) + ABANDON_AFTER + timedelta(minutes=1), tick=False)
    shown = {s.pk: s.status for s in PracticeSession.objects.for_user(owner).as_of_now()[:5]}
    assert shown == {left.pk: "Left unfinished", fresh.pk: "In progress"}
    assert PracticeSession.objects.for_user(owner).as_of_now().count() == 2


def test_starting_a_session_closes_the_ones_the_person_left_behind(owner, stranger):
    mine = started(owner, "grounding", at=utc(2026, 3, 10, 9, 0))
    theirs = started(stranger, "grounding", at=utc(2026, 3, 10, 9, 0))
    new = start(owner, "breathwork", at=utc(2026, 3, 11, 9, 0))
    assert reread(mine).stage == PracticeSession.Stage.ABANDONED
    assert reread(theirs).stage == PracticeSession.Stage.GUIDE
    assert reread(new).stage == PracticeSession.Stage.BEFORE


# Practice done elsewhere ----------------------------------------------------------------


def test_a_manual_log_counts_for_the_chosen_day_at_midday_there(owner, time_machine):
    time_machine.move_to("2026-03-30 08:00:00+00:00", tick=False)
    session, created = PracticeSession.objects.log_manually(
        owner,
        request_id=uuid.uuid4(),
        practice=practice("body-scan"),
        local_date=date(2026, 3, 29),
        minutes=25,
        notes="Yoga class",
    )
    assert created
    session = reread(session)
    assert session.local_date == date(2026, 3, 29)
    # Midday in Berlin on the day the clocks changed is 10:00 UTC (summer time).
    assert session.started_at == utc(2026, 3, 29, 10, 0)
    assert (session.seconds_practised, session.completed, session.logged_manually) == (
        1500,
        True,
        True,
    )
    assert PracticeSession.objects.has_completed_on(owner, date(2026, 3, 29))


def test_a_manual_log_for_this_morning_is_not_dated_in_the_future(owner, time_machine):
    time_machine.move_to("2026-03-10 07:30:00+00:00", tick=False)  # 08:30 in Berlin
    session, _ = PracticeSession.objects.log_manually(
        owner,
        request_id=uuid.uuid4(),
        practice=practice("grounding"),
        local_date=date(2026, 3, 10),
        minutes=5,
    )
    assert reread(session).started_at == utc(2026, 3, 10, 7, 30)
    assert session.local_date == date(2026, 3, 10)


def test_deleting_a_person_deletes_their_sessions(owner, stranger):
    started(owner, "grounding")
    started(stranger, "grounding")
    owner.delete()
    assert list(PracticeSession.objects.values_list("user__email", flat=True)) == [
        "stranger@example.com"
    ]


def test_the_scheduled_task_closes_abandoned_sessions(owner):
    from datetime import timedelta

    from django.utils import timezone

    from practices.models import Practice, PracticeSession
    from practices.tasks import close_abandoned_sessions

    session = PracticeSession.objects.create(
        user=owner,
        practice=Practice.objects.get(slug="meditation-timer"),
        stage=PracticeSession.Stage.GUIDE,
        last_seen_at=timezone.now() - timedelta(hours=4),
        local_date=owner.local_today(),
    )
    assert close_abandoned_sessions() == 1
    session.refresh_from_db()
    assert session.completed is False
    assert session.ended_at is not None
