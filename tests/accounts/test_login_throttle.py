"""Attacks on the login throttle: nobody's success wipes failures against someone else,
and an account's failures count however its email is typed."""

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"
ATTACKER_ADDRESS = "10.0.0.66"


def fail(client, email, address=ATTACKER_ADDRESS):
    response = client.post(URL, {"username": email, "password": "guess"}, REMOTE_ADDR=address)
    assert response.status_code in (400, 429)
    return response


def log_in(client, email, address):
    return client.post(URL, {"username": email, "password": PASSWORD}, REMOTE_ADDR=address)


def sign_up(client, email, address):
    """Ask for a sign-up link, open it from the email and choose a password."""
    data = {"email": email, "timezone": "UTC"}
    assert client.post("/accounts/signup/", data, REMOTE_ADDR=address).status_code == 200
    link = re.search(r"/accounts/signup/finish/\S+/", mail.outbox[-1].body).group(0)
    passwords = {"password1": PASSWORD, "password2": PASSWORD}
    assert client.post(link, passwords, REMOTE_ADDR=address).status_code == 302


@pytest.fixture
def attacker(db):
    return make_user("attacker@example.com")


def test_the_attackers_own_login_does_not_clear_their_failures_against_the_owner(
    client, owner, attacker
):
    for _ in range(4):
        fail(client, owner.email)
    assert log_in(client, attacker.email, ATTACKER_ADDRESS).status_code == 302
    client.post("/accounts/logout/")
    fail(client, owner.email)
    # Five failures against the owner: the account is paused, from any address.
    response = log_in(client, owner.email, "10.0.0.2")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_attackers_own_login_does_not_clear_the_failures_from_their_address(
    client, owner, attacker
):
    for n in range(4):
        fail(client, f"someone{n}@example.com")
    assert log_in(client, attacker.email, ATTACKER_ADDRESS).status_code == 302
    client.post("/accounts/logout/")
    fail(client, "someone4@example.com")
    # Five failures from the address: the address is paused, even for a right password.
    assert log_in(client, owner.email, ATTACKER_ADDRESS).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_accounts_failures_count_however_its_email_is_cased_or_padded(client, owner):
    spellings = [
        "Owner@example.com",
        " oWner@example.com ",
        "OWNER@EXAMPLE.COM",
        "owner@Example.Com",
        "owNER@example.com",
    ]
    for n, spelling in enumerate(spellings):
        fail(client, spelling, address=f"10.0.1.{n}")
    response = log_in(client, owner.email, "10.0.2.1")
    assert response.status_code == 429
    assert "paused logins" in response.content.decode()


def test_login_accepts_the_email_in_any_case_and_with_spaces_around_it(client, owner):
    response = log_in(client, "  Owner@EXAMPLE.com ", "10.0.0.3")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_persons_own_login_clears_their_own_typos(client, owner):
    for _ in range(4):
        fail(client, owner.email, address="10.0.0.4")
    assert log_in(client, owner.email, "10.0.0.4").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        fail(client, owner.email, address="10.0.0.4")
    assert log_in(client, owner.email, "10.0.0.4").status_code == 302


def test_a_sign_up_does_not_clear_failures_against_the_owner(client, owner):
    for _ in range(4):
        fail(client, owner.email)
    sign_up(client, "newcomer@example.com", ATTACKER_ADDRESS)
    client.post("/accounts/logout/")
    fail(client, owner.email)
    assert log_in(client, owner.email, "10.0.0.2").status_code == 429
