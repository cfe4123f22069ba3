import pytest
from django.test import Client

from reminders.emails import unsubscribe_token
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
    assert "Stop practice nudge emails" in html and "Stop all reminder emails" in html
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


def test_choosing_all_stops_every_reminder(client, owner, reminders, stranger):
    theirs = make_reminder(stranger)
    response = client.post(url(owner, "practice"), {"scope": "all"})
    assert "no more reminder emails" in response.content.decode()
    assert not Reminder.objects.filter(user=owner, enabled=True).exists()
    theirs.refresh_from_db()
    assert theirs.enabled is True


def test_the_all_link_stops_everything(client, owner, reminders):
    client.post(url(owner, "all"))
    assert not Reminder.objects.filter(user=owner, enabled=True).exists()


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
