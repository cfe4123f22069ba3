"""A day is the person's own local date, across time zones and DST changes."""

import re
import uuid
from datetime import UTC, date, datetime, time
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from practices.models import PracticeSession
from progress.dashboard import Dashboard
from tests.progress.factories import make_session, practice

pytestmark = pytest.mark.django_db


def time_machine_at(moment):
    return time_machine.travel(moment, tick=False)


def html_of(client, query=""):
    return unescape(client.get(f"/{query}").content.decode())


def daily_minutes(html: str) -> dict[str, str]:
    """Minutes per day, from the titles of the practice calendar's squares."""
    return dict(re.findall(r"<title>(\w+ \d+ \w+) \d{4}: (\d+) minutes?</title>", html))


def test_today_is_the_persons_own_date(client, owner, time_machine):
    # 23:30 UTC on Sunday 1 March is already Monday 2 March in Tokyo.
    time_machine.move_to(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), tick=False)
    owner.timezone = "Asia/Tokyo"
    owner.save(update_fields=["timezone"])
    make_session(owner, date(2026, 3, 2), minutes=8)
    client.force_login(owner)
    assert "You've practised today: 8 minutes." in html_of(client)

    owner.timezone = "America/Los_Angeles"  # still Sunday afternoon there
    owner.save(update_fields=["timezone"])
    html = html_of(client)
    assert "Nothing recorded yet today" in html
    # Nothing practised up to their own today, so no calendar is drawn at all.
    assert daily_minutes(html) == {}
    assert "No practice in the last 12 months yet" in html


def test_a_practice_just_after_midnight_counts_for_the_new_day(client, owner, time_machine):
    # Olive (Berlin) practised on Monday evening, then again at 00:30 on Tuesday.
    make_session(owner, date(2026, 11, 23), minutes=10)
    time_machine.move_to(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), tick=False)  # 00:30 Berlin
    session, _ = PracticeSession.objects.start(
        owner, practice("breathwork"), request_id=uuid.uuid4(), parameters={}
    )
    assert session.local_date == date(2026, 11, 24)
    PracticeSession.objects.filter(pk=session.pk).update(
        completed=True, seconds_practised=300, stage=PracticeSession.Stage.DONE
    )
    client.force_login(owner)
    html = html_of(client)
    assert "You've practised 2 days in a row." in html
    assert "You've practised today: 5 minutes." in html


def test_the_week_with_the_spring_dst_change_has_seven_whole_days(client, owner, time_machine):
    # Berlin moved its clocks forward on Sunday 29 March 2026: a 23-hour day.
    time_machine.move_to(datetime(2026, 3, 31, 10, 0, tzinfo=UTC), tick=False)
    for day in range(25, 32):
        make_session(owner, date(2026, 3, day), minutes=day - 20, at=time(7, 0))
    client.force_login(owner)
    html = html_of(client)
    minutes = daily_minutes(html)
    assert list(minutes)[-7:] == [
        f"{name} {day} March"
        for name, day in zip(
            ["Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday"],
            range(25, 32),
            strict=True,
        )
    ]
    assert minutes["Sunday 29 March"] == "9"
    assert "You've practised 7 days in a row." in html


def test_the_autumn_dst_day_is_one_day_with_its_extra_hour(client, stranger, time_machine):
    # New York repeated 01:00-02:00 on Sunday 1 November 2026.
    time_machine.move_to(datetime(2026, 11, 2, 15, 0, tzinfo=UTC), tick=False)
    zone = stranger.zone
    for hour, fold in ((0, 0), (1, 0), (1, 1), (23, 0)):
        started = datetime(2026, 11, 1, hour, 30, tzinfo=zone, fold=fold)
        session, _ = PracticeSession.objects.start(
            stranger,
            practice("meditation-timer"),
            request_id=uuid.uuid4(),
            parameters={},
            now=started.astimezone(UTC),
        )
        assert session.local_date == date(2026, 11, 1)
        PracticeSession.objects.filter(pk=session.pk).update(
            completed=True, seconds_practised=600, stage=PracticeSession.Stage.DONE
        )
    client.force_login(stranger)
    minutes = daily_minutes(html_of(client))
    assert minutes["Sunday 1 November"] == "40"
    assert minutes["Monday 2 November"] == "0"
    assert minutes["Saturday 31 October"] == "0"
    assert len(minutes) == 365


def test_weeks_and_months_follow_local_dates_too(owner, time_machine):
    time_machine.move_to(datetime(2026, 3, 31, 22, 30, tzinfo=UTC), tick=False)  # 1 April in Berlin
    make_session(owner, date(2026, 4, 1), minutes=30)
    make_session(owner, date(2026, 3, 29), minutes=20)
    dashboard = Dashboard(owner)
    assert dashboard.today == date(2026, 4, 1) == timezone.localdate(timezone=owner.zone)
    months = _rows(dashboard.heatmap["table"])
    assert months["April 2026"] == ["1", "30"] and months["March 2026"] == ["1", "20"]
    weeks = _rows(dashboard.category_chart["table"])
    assert weeks["Week of 30 March 2026"][-1] == "30"
    assert weeks["Week of 23 March 2026"][-1] == "20"
    assert len(weeks) == 26


def test_a_session_at_half_past_eleven_at_night_counts_for_that_local_day(client, stranger):
    # 23:30 on Monday 23 November in New York is already Tuesday in UTC.
    late = datetime(2026, 11, 23, 23, 30, tzinfo=stranger.zone)
    with time_machine_at(late.astimezone(UTC)):
        session, _ = PracticeSession.objects.start(
            stranger, practice("breathwork"), request_id=uuid.uuid4(), parameters={}
        )
    PracticeSession.objects.filter(pk=session.pk).update(
        completed=True, seconds_practised=420, stage=PracticeSession.Stage.DONE
    )
    with time_machine_at(datetime(2026, 11, 24, 12, 0, tzinfo=UTC)):  # 07:00 Tuesday there
        client.force_login(stranger)
        html = html_of(client)
    minutes = daily_minutes(html)
    assert minutes["Monday 23 November"] == "7" and minutes["Tuesday 24 November"] == "0"
    assert "Nothing recorded yet today" in html
    assert "A new run of days has begun" in html


def _rows(table: str) -> dict[str, list[str]]:
    return {
        heading: re.findall(r"<td>([^<]*)</td>", cells)
        for heading, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table)
    }
