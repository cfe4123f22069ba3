"""Planned rest days: a page to plan them, and a streak, strength, calendar and
nudges that step over them."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.utils import timezone

from practices.models import RestDay
from reminders.models import Delivery
from tests.progress.factories import make_session
from tests.reminders.conftest import make_reminder

URL = "/progress/rest-days/"
HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday; 10:00 in Berlin
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def tuesday(time_machine):
    time_machine.move_to(NOW, tick=False)


def plan(client, day: date, rest: bool = True, **headers):
    return client.post(URL, {"day": day.isoformat(), "rest": "on" if rest else ""}, headers=headers)


def rest_days_of(user) -> list[date]:
    return list(RestDay.objects.filter(user=user).values_list("local_date", flat=True))


def test_the_page_offers_today_and_the_next_two_weeks_privately(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    days = re.findall(r'name="day" value="([\d-]+)"', response.content.decode())
    assert days[0] == "2026-11-24" and days[-1] == "2026-12-07" and len(days) == 14


def test_one_tap_plans_a_rest_day_and_another_takes_it_back(owner_client, owner):
    friday = TODAY + timedelta(days=3)
    response = plan(owner_client, friday, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the list only, swapped in place
    assert re.search(r'value="2026-11-27">\s*<input type="hidden" name="rest" value="">', html)
    assert 'aria-pressed="true"' in html
    assert rest_days_of(owner) == [friday]

    assert (
        plan(owner_client, friday, rest=False).status_code == 302
    )  # without htmx: back to the page
    assert rest_days_of(owner) == []


def test_a_week_holds_two_rest_days_and_a_third_is_refused_in_words(owner_client, owner):
    assert plan(owner_client, date(2026, 11, 25)).status_code == 302
    assert plan(owner_client, date(2026, 11, 26)).status_code == 302
    refused = plan(owner_client, date(2026, 11, 27), **HTMX)
    assert refused.status_code == 400
    assert "That week already has its 2 rest days." in refused.content.decode()
    # The next week starts on Monday the 30th.
    assert plan(owner_client, date(2026, 11, 30)).status_code == 302
    assert rest_days_of(owner) == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 30)]


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-11-23", "Choose today"),
        ("2026-12-08", "Choose today"),
        ("soon", "isn't a date we can read"),
    ],
)
def test_days_outside_the_two_weeks_are_refused(owner_client, owner, day, why):
    response = owner_client.post(URL, {"day": day, "rest": "on"})
    assert response.status_code == 400
    assert why in response.content.decode().replace("&#x27;", "'")
    assert rest_days_of(owner) == []


def test_the_model_refuses_a_third_in_a_week_by_any_door(owner):
    RestDay.objects.plan(owner, date(2026, 11, 23))
    RestDay.objects.plan(owner, date(2026, 11, 29))
    third = RestDay(user=owner, local_date=date(2026, 11, 24))
    with pytest.raises(Exception) as refused:
        third.full_clean()
    assert "rest days" in str(refused.value)
    # Planning the same day twice is one rest day.
    assert RestDay.objects.plan(owner, date(2026, 11, 23)).local_date == date(2026, 11, 23)
    assert RestDay.objects.filter(user=owner).count() == 2


def test_someone_else_cannot_change_your_rest_days(owner, stranger, client):
    RestDay.objects.plan(owner, TODAY)
    client.force_login(stranger)
    assert plan(client, TODAY, rest=False).status_code == 302
    assert plan(client, TODAY + timedelta(days=1)).status_code == 302
    assert rest_days_of(owner) == [TODAY]
    assert rest_days_of(stranger) == [TODAY + timedelta(days=1)]
    assert (
        "2026-11-24" not in client.get(URL).content.decode().split('aria-pressed="true"')[0][-400:]
    )


def test_today_keeps_the_run_going_on_a_rest_day(owner_client, owner):
    for days_ago in (1, 2, 4):
        make_session(owner, TODAY - timedelta(days=days_ago))
    RestDay.objects.plan(owner, TODAY - timedelta(days=3))
    RestDay.objects.plan(owner, TODAY)
    html = owner_client.get("/").content.decode()
    assert "Today is a rest day." in html
    assert "You've practised 3 days in a row" in html
    assert re.search(
        r'class="heat heat-0 heat-rest"[^>]*><title>Saturday 21 November 2026: a rest day<', html
    )
    assert "and took 2 planned rest days" in html


def test_a_practice_nudge_is_skipped_on_a_rest_day_but_a_check_in_still_comes(owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    RestDay.objects.plan(owner, TODAY)
    ids = [
        Delivery.objects.create(
            reminder=make_reminder(owner, kind=kind),
            local_date=TODAY,
            scheduled_for=timezone.now(),
            next_attempt_at=timezone.now(),
        ).id
        for kind in ("practice", "check_in")
    ]
    assert Delivery.objects.send_many(ids, get_connection()) == 1
    statuses = dict(Delivery.objects.values_list("reminder__kind", "status"))
    assert statuses == {"practice": "skipped_rest", "check_in": "sent"}
    assert len(mail.outbox) == 1
