import pytest
from django.contrib.sessions.models import Session

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/delete/"


def test_it_asks_for_the_password_first(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "can't be undone" in response.content.decode()


def test_a_wrong_password_deletes_nothing(owner_client, owner):
    response = owner_client.post(URL, {"password": "not-it"})
    assert response.status_code == 400
    assert "Nothing has been deleted" in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_a_missing_password_deletes_nothing(owner_client, owner):
    response = owner_client.post(URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_right_password_deletes_the_account_and_logs_out(owner_client, owner, stranger):
    response = owner_client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()
    assert User.objects.filter(pk=stranger.pk).exists()
    assert "_auth_user_id" not in owner_client.session
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(owner.pk) for s in Session.objects.all()
    )
    assert "everything in it are deleted" in owner_client.get("/").content.decode()


def test_it_checks_ownership(stranger_client, owner, stranger):
    # Knowing the owner's password does not let a stranger delete the owner.
    response = stranger_client.post(URL, {"password": "not-the-strangers"})
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()
    assert User.objects.filter(pk=stranger.pk).exists()


def test_it_needs_a_login(client, owner):
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.filter(pk=owner.pk).exists()


def test_deleting_the_account_forgets_its_login_records_and_keeps_others(owner_client, owner):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for email in (owner.email, "stranger@example.com"):
        AccessLog.objects.create(username=email, ip_address="203.0.113.9", user_agent="Phone")
        AccessFailureLog.objects.create(
            username=email, ip_address="203.0.113.9", user_agent="Phone", locked_out=False
        )
        AccessAttempt.objects.create(
            username=email, ip_address="203.0.113.9", user_agent="Phone", failures_since_start=1
        )

    response = owner_client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["stranger@example.com"]
