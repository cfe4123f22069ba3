from datetime import UTC, datetime, time

import pytest

from reminders.models import MAX_REMINDERS_PER_PERSON, Delivery, Reminder, ReminderPreferences
from reminders.schedule import WEEKDAYS
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def reminder_data(**overrides):
    data = {
        "kind": "practice",
        "local_time": "07:30",
        "days": ["0", "1", "2", "3", "4"],
        "practice_slug": "",
        "enabled": "on",
    }
    data.update(overrides)
    return data


def test_the_page_lists_reminders_and_recent_emails(owner_client, owner, reminder):
    Delivery.objects.create(
        reminder=reminder,
        local_date=datetime(2026, 11, 24).date(),
        status="skipped_done",
        scheduled_for=datetime(2026, 11, 24, 6, 30, tzinfo=UTC),
        next_attempt_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC),
    )
    response = owner_client.get("/reminders/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Practice nudge" in html and "07:30" in html and "every day" in html
    assert "Skipped: you&#x27;d already done it" in html
    assert 'aria-current="page"' in html


def test_adding_a_weekday_reminder_schedules_it_in_the_persons_zone(
    owner_client, owner, time_machine
):
    time_machine.move_to(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False)  # Friday
    response = owner_client.post("/reminders/new/", reminder_data())
    assert response.status_code == 302
    reminder = Reminder.objects.get(user=owner)
    assert reminder.days == WEEKDAYS
    assert reminder.local_time == time(7, 30)
    # Next is Monday 07:30 in Berlin, which is 06:30 UTC.
    assert reminder.next_fire_at == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)


def test_adding_with_htmx_returns_the_panel_fragment(owner_client, owner):
    response = owner_client.post("/reminders/new/", reminder_data(), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="reminders-panel"')
    assert "<header" not in html
    assert Reminder.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days": []}, "Choose at least one day."),
        ({"local_time": "25:99"}, "Enter a time such as 07:30."),
        ({"local_time": ""}, "This field is required."),
        ({"kind": "spam"}, "Select a valid choice."),
        ({"days": ["9"]}, "Select a valid choice."),
        ({"practice_slug": "no-such-practice"}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(owner_client, owner, overrides, message):
    response = owner_client.post("/reminders/new/", reminder_data(**overrides), headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reminder.objects.exists()


def test_there_is_a_limit_of_ten_reminders(owner_client, owner):
    for _ in range(MAX_REMINDERS_PER_PERSON):
        make_reminder(owner)
    response = owner_client.post("/reminders/new/", reminder_data())
    assert response.status_code == 400
    assert "You can have up to 10 reminders" in response.content.decode()
    assert Reminder.objects.filter(user=owner).count() == MAX_REMINDERS_PER_PERSON


def test_editing_in_place_returns_the_updated_row(owner_client, reminder):
    url = f"/reminders/{reminder.public_id}/edit/"
    form = owner_client.get(url, headers=HTMX)
    assert form.status_code == 200
    assert f'id="reminder-{reminder.public_id}"' in form.content.decode()
    assert 'value="07:30"' in form.content.decode()
    response = owner_client.post(
        url, reminder_data(local_time="21:15", days=["5", "6"]), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "21:15" in html and "weekends" in html and "Saved." in html
    reminder.refresh_from_db()
    assert reminder.local_time == time(21, 15)
    assert reminder.next_fire_at.astimezone(reminder.user.zone).time() == time(21, 15)


def test_editing_without_javascript_uses_a_full_page(owner_client, reminder):
    url = f"/reminders/{reminder.public_id}/edit/"
    assert "<header" in owner_client.get(url).content.decode()
    response = owner_client.post(url, reminder_data(enabled=""))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.enabled is False and reminder.next_fire_at is None


def test_cancelling_an_edit_gets_the_row_and_a_visit_by_address_the_page(owner_client, reminder):
    url = f"/reminders/{reminder.public_id}/"
    row = owner_client.get(url, headers=HTMX)
    assert row.status_code == 200 and "<header" not in row.content.decode()
    assert f'id="reminder-{reminder.public_id}"' in row.content.decode()
    visit = owner_client.get(url)
    assert visit.status_code == 302 and visit["Location"] == "/reminders/"
    assert "HX-Request" in row["Vary"]


def test_removing_a_reminder(owner_client, reminder):
    response = owner_client.post(f"/reminders/{reminder.public_id}/delete/", headers=HTMX)
    assert response.status_code == 200
    assert not Reminder.objects.filter(pk=reminder.pk).exists()
    assert "No reminders yet" in response.content.decode()


def test_pausing_and_skip_preference(owner_client, owner, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 12, tzinfo=UTC), tick=False)
    response = owner_client.post(
        "/reminders/preferences/", {"paused_until": "2026-12-01"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    preferences = ReminderPreferences.objects.get(user=owner)
    assert str(preferences.paused_until) == "2026-12-01"
    assert preferences.skip_when_done is False  # unticked box
    assert preferences.is_paused_on(datetime(2026, 12, 1).date())
    assert not preferences.is_paused_on(datetime(2026, 12, 2).date())


def test_a_pause_in_the_past_is_refused(owner_client, owner, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 12, tzinfo=UTC), tick=False)
    response = owner_client.post(
        "/reminders/preferences/", {"paused_until": "2026-11-01", "skip_when_done": "on"}
    )
    assert response.status_code == 400
    assert "Choose today or a later day" in response.content.decode()
    assert not ReminderPreferences.objects.filter(user=owner, paused_until__isnull=False).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/"), ("get", "/edit/"), ("post", "/edit/"), ("post", "/delete/")],
)
def test_it_checks_ownership(stranger_client, reminder, method, path):
    url = f"/reminders/{reminder.public_id}{path}"
    response = getattr(stranger_client, method)(url, reminder_data(local_time="03:00"))
    assert response.status_code == 404
    saved = Reminder.objects.get(pk=reminder.pk)
    assert (saved.local_time, saved.enabled) == (time(7, 30), True)


def test_the_page_needs_a_login(client):
    assert client.get("/reminders/").status_code == 302
    response = client.post("/reminders/new/", reminder_data(), headers=HTMX)
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert not Reminder.objects.exists()


def test_the_page_makes_a_fixed_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
):
    for _ in range(MAX_REMINDERS_PER_PERSON):
        make_reminder(owner)
    with django_assert_max_num_queries(7):
        assert owner_client.get("/reminders/").status_code == 200
