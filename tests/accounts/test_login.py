import pytest
from axes.models import AccessAttempt

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


def test_it_logs_in_with_any_case_of_email(client, owner):
    response = client.post(URL, {"username": "OWNER@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_it_rotates_the_session_on_login(client, owner):
    client.get(URL)
    session = client.session
    session["before-login"] = True
    session.save()
    key_before = session.session_key
    client.post(URL, {"username": owner.email, "password": PASSWORD})
    assert client.session.session_key != key_before


def test_it_refuses_a_wrong_password_with_a_clear_message(client, owner):
    response = client.post(URL, {"username": owner.email, "password": "nope"})
    assert response.status_code == 400
    assert "don&#x27;t match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_follows_next_to_a_local_page_only(client, owner):
    data = {"username": owner.email, "password": PASSWORD}
    response = client.post(URL + "?next=/accounts/settings/", data)
    assert response["Location"] == "/accounts/settings/"
    client.logout()
    response = client.post(URL + "?next=https://evil.example/", data)
    assert response["Location"] == "/"


def test_five_failures_for_an_account_lock_it_even_with_the_right_password(client, owner):
    for _ in range(5):
        client.post(URL, {"username": owner.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    # A different address: the account itself is locked.
    response = client.post(
        URL, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429
    assert "paused logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address(client, owner):
    for n in range(5):
        client.post(
            URL, {"username": f"nobody{n}@example.com", "password": "x"}, REMOTE_ADDR="10.0.0.9"
        )
    response = client.post(
        URL, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_fifteen_minutes(client, owner, time_machine):
    time_machine.move_to("2026-03-01 12:00:00+00:00", tick=False)
    for _ in range(5):
        client.post(URL, {"username": owner.email, "password": "wrong"})
    assert client.post(URL, {"username": owner.email, "password": PASSWORD}).status_code == 429
    time_machine.move_to("2026-03-01 12:16:00+00:00", tick=False)
    response = client.post(URL, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_four_failures_then_success_resets_the_count(client, owner):
    for _ in range(4):
        client.post(URL, {"username": owner.email, "password": "wrong"})
    assert client.post(URL, {"username": owner.email, "password": PASSWORD}).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(
        username=owner.email, failures_since_start__gt=0
    ).exists()


def test_logout_needs_post_and_ends_the_session(owner_client):
    assert owner_client.get("/accounts/logout/").status_code == 405
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in owner_client.session


def test_an_inactive_account_cannot_log_in(client):
    user = make_user("gone@example.com", is_active=False)
    response = client.post(URL, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_overlong_email_gets_a_field_error_not_a_server_error(client, owner):
    response = client.post(URL, {"username": "𝕏" * 300, "password": PASSWORD})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
