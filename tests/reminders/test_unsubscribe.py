from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reminders.emails import UNSUBSCRIBE_TOKEN_LIFETIME, unsubscribe_token
from reminders.models import Reminder
from tests.reminders.conftest import make_reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminders(owner):
    return {
        "practice": make_reminder(owner, kind="practice"),
        "check_in": make_reminder(owner, kind="check_in"),
    }


def url(user, kind):
    return f"/reminders/unsubscribe/{unsubscribe_token(user, kind)}/"


def test_get_only_asks_and_changes_nothing(client, owner, reminders):
    response = client.get(url(owner, "practice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop practice nudge emails" in html
    assert Reminder.objects.filter(user=owner, enabled=True).count() == 2


def test_the_all_link_asks_before_stopping_everything(client, owner, reminders):
    response = client.get(url(owner, "all"))
    assert response.status_code == 200
    assert "Stop all reminder emails" in response.content.decode()
    assert Reminder.objects.filter(user=owner, enabled=True).count() == 2


def test_one_click_post_without_session_or_csrf_stops_that_kind(owner, reminders):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(url(owner, "practice"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    reminders["practice"].refresh_from_db()
    reminders["check_in"].refresh_from_db()
    assert reminders["practice"].enabled is False
    assert reminders["practice"].next_fire_at is None
    assert reminders["check_in"].enabled is True


def test_a_link_for_one_kind_offers_no_way_to_stop_them_all(client, owner, reminders):
    html = client.get(url(owner, "practice")).content.decode()
    assert 'value="all"' not in html
    assert "Stop all reminder emails" not in html


def test_a_link_for_one_kind_stops_only_that_kind_even_when_asked_for_all(client, owner, reminders):
    response = client.post(url(owner, "practice"), {"scope": "all"})
    assert response.status_code == 200
    assert "no more practice nudge emails" in response.content.decode()
    reminders["practice"].refresh_from_db()
    reminders["check_in"].refresh_from_db()
    assert reminders["practice"].enabled is False
    assert reminders["check_in"].enabled is True


def test_the_all_link_stops_everything(client, owner, reminders, stranger):
    theirs = make_reminder(stranger)
    response = client.post(url(owner, "all"))
    assert "no more reminder emails" in response.content.decode()
    assert not Reminder.objects.filter(user=owner, enabled=True).exists()
    theirs.refresh_from_db()
    assert theirs.enabled is True


@pytest.mark.parametrize("kind", ["practice", "all"])
def test_no_unsubscribe_page_shows_the_email_address(client, owner, reminders, kind, time_machine):
    """A forwarded reminder must not tell whoever opens its links whose it was."""
    link = url(owner, kind)
    asked = client.get(link)
    done = client.post(link)
    time_machine.move_to(timezone.now() + timedelta(days=365))
    expired = client.post(link)
    for response in (asked, done, expired):
        html = response.content.decode()
        assert owner.email not in html
        assert "owner@" not in html


def test_a_link_from_three_years_ago_no_longer_stops_anything(
    client, owner, reminders, time_machine
):
    time_machine.move_to(timezone.now() - timedelta(days=3 * 365))
    old_link = url(owner, "all")
    time_machine.move_to(timezone.now() + timedelta(days=3 * 365))
    for response in (client.get(old_link), Client().post(old_link)):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This link has expired" in html and "work for 90 days" in html
        assert '/accounts/login/?next=/reminders/"' in html
    assert Reminder.objects.filter(user=owner, enabled=True).count() == 2


def test_a_link_still_works_for_one_click_weeks_after_the_email(
    client, owner, reminders, time_machine
):
    link = url(owner, "practice")
    time_machine.move_to(timezone.now() + UNSUBSCRIBE_TOKEN_LIFETIME - timedelta(hours=1))
    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    reminders["practice"].refresh_from_db()
    assert reminders["practice"].enabled is False


def test_a_link_stops_working_once_its_lifetime_is_over(client, owner, reminders, time_machine):
    link = url(owner, "practice")
    time_machine.move_to(timezone.now() + UNSUBSCRIBE_TOKEN_LIFETIME + timedelta(minutes=1))
    assert client.post(link).status_code == 400
    reminders["practice"].refresh_from_db()
    assert reminders["practice"].enabled is True


def test_a_tampered_token_is_refused_and_changes_nothing(client, owner, reminders):
    token = unsubscribe_token(owner, "practice")
    response = client.post(f"/reminders/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "We couldn" in response.content.decode()
    assert Reminder.objects.filter(user=owner, enabled=True).count() == 2


def test_a_token_for_a_deleted_account_is_404(client, owner, reminders):
    link = url(owner, "practice")
    owner.delete()
    assert client.post(link).status_code == 404
