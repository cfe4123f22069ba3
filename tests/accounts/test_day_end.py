"""When a person's day ends: night owls' small hours belong to the day before,
for their practice, streak, calendar and reminders (Medito #855)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accounts.days import day_of
from reminders.models import Delivery
from reminders.tasks import run_tick
from tests.conftest import make_user
from tests.reminders.conftest import make_reminder

BERLIN = ZoneInfo("Europe/Berlin")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def berlin_day(moment: datetime, ends: time) -> date:
    return day_of(moment.astimezone(BERLIN), ends)


def test_by_default_the_day_is_the_calendar_date():
    assert berlin_day(utc(2026, 11, 23, 23, 30), time(0)) == date(2026, 11, 24)  # 00:30 local


def test_the_small_hours_before_the_days_end_belong_to_the_day_before():
    # 01:30 and 03:59 in Berlin (CET) on the 24th, with days ending at 04:00.
    assert berlin_day(utc(2026, 11, 24, 0, 30), time(4)) == date(2026, 11, 23)
    assert berlin_day(utc(2026, 11, 24, 2, 59), time(4)) == date(2026, 11, 23)
    assert berlin_day(utc(2026, 11, 24, 3, 0), time(4)) == date(2026, 11, 24)


def test_a_day_ending_in_the_spring_gap_gives_way_at_the_jump():
    # 29 March 2026: Berlin's clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
    ends = time(2, 30)
    assert berlin_day(utc(2026, 3, 29, 0, 59), ends) == date(2026, 3, 28)  # 01:59 CET
    assert berlin_day(utc(2026, 3, 29, 1, 0), ends) == date(2026, 3, 29)  # 03:00 CEST
    assert berlin_day(utc(2026, 3, 29, 1, 10), ends) == date(2026, 3, 29)


def test_in_the_autumn_hour_that_repeats_days_never_go_backwards():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-03:00 comes twice.
    ends = time(2, 30)
    moments = [utc(2026, 10, 25, 0, 10) + timedelta(minutes=10 * n) for n in range(12)]
    days = [berlin_day(moment, ends) for moment in moments]
    assert days == sorted(days)
    assert berlin_day(utc(2026, 10, 25, 0, 29), ends) == date(2026, 10, 24)  # 02:29 CEST
    assert berlin_day(utc(2026, 10, 25, 0, 30), ends) == date(2026, 10, 25)  # 02:30 CEST
    assert berlin_day(utc(2026, 10, 25, 1, 10), ends) == date(2026, 10, 25)  # 02:10 CET, again


@pytest.mark.django_db
def test_today_follows_the_chosen_end(time_machine):
    time_machine.move_to(utc(2026, 11, 24, 1, 0), tick=False)  # 02:00 in Berlin
    owl = make_user("owl@example.com", timezone="Europe/Berlin", day_ends_at=time(3))
    lark = make_user("lark@example.com", timezone="Europe/Berlin")
    assert owl.local_today() == date(2026, 11, 23)
    assert lark.local_today() == date(2026, 11, 24)


@pytest.mark.django_db
def test_only_midnight_or_a_half_hour_up_to_six_is_a_days_end():
    owl = make_user("owl@example.com", timezone="Europe/Berlin")
    for bad in (time(6, 30), time(4, 15), time(12)):
        owl.day_ends_at = bad
        with pytest.raises(ValidationError) as refused:
            owl.full_clean()
        assert "day_ends_at" in refused.value.message_dict


@pytest.mark.django_db
def test_settings_save_the_days_end_and_refuse_others_with_a_message(owner_client, owner):
    url = "/accounts/settings/"
    fields = {"display_name": "Olive", "timezone": "Europe/Berlin"}
    refused = owner_client.post(url, fields | {"day_ends_at": "07:00:00"})
    assert refused.status_code == 400
    assert "Choose midnight, or a half hour up to 06:00." in refused.content.decode()
    owner.refresh_from_db()
    assert owner.day_ends_at == time(0)

    assert owner_client.post(url, fields | {"day_ends_at": "04:00:00"}).status_code == 302
    owner.refresh_from_db()
    assert owner.day_ends_at == time(4)
    # A page opened before the choice existed sends none: the saved end stays.
    assert owner_client.post(url, fields).status_code == 302
    owner.refresh_from_db()
    assert owner.day_ends_at == time(4)


@pytest.mark.django_db
def test_a_practice_in_the_small_hours_is_dated_the_day_before(owner_client, owner, time_machine):
    from practices.models import PracticeSession

    owner.day_ends_at = time(4)
    owner.save(update_fields=["day_ends_at"])
    time_machine.move_to(utc(2026, 11, 24, 0, 30), tick=False)  # 01:30 in Berlin
    assert owner_client.post("/practices/meditation-timer/begin/").status_code == 302
    session = PracticeSession.objects.get(user=owner)
    assert session.local_date == date(2026, 11, 23)


@pytest.mark.django_db
def test_a_nudge_in_the_small_hours_belongs_to_the_day_before(time_machine, monkeypatch):
    monkeypatch.setattr("reminders.tasks.send_deliveries.delay", lambda ids: None)
    time_machine.move_to(utc(2026, 11, 23, 12), tick=False)
    owl = make_user("owl@example.com", timezone="Europe/Berlin", day_ends_at=time(4))
    lark = make_user("lark@example.com", timezone="Europe/Berlin")
    for person in (owl, lark):
        make_reminder(person, local_time=time(1, 0))
    time_machine.move_to(utc(2026, 11, 24, 0, 0, 20), tick=False)  # 01:00 on the 24th in Berlin
    assert run_tick()["claimed"] == 2
    days = dict(Delivery.objects.values_list("reminder__user__email", "local_date"))
    assert days == {"owl@example.com": date(2026, 11, 23), "lark@example.com": date(2026, 11, 24)}
