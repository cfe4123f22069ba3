"""Re-authentication before sensitive actions: stale sessions are sent to "Confirm it's
you" and come back; confirming lasts REAUTH_SECONDS."""

import pytest

from accounts.models import User
from mfa import signals
from mfa.models import Passkey, TwoStep
from tests.conftest import PASSWORD
from tests.mfa.conftest import make_stale
from tests.mfa.factories import give_authenticator, give_two_step_sign_in, totp_code

pytestmark = pytest.mark.django_db

CONFIRM = "/accounts/two-step/confirm/"


def confirm_with_password(client, next_url):
    return client.post(CONFIRM, {"password": PASSWORD, "next": next_url})


# (method, address, data, where the person comes back to)
SENSITIVE = [
    ("post", "/progress/data/riverwise.json", {}, "/progress/data/"),
    ("post", "/progress/data/riverwise-csv.zip", {}, "/progress/data/"),
    ("get", "/accounts/delete/", {}, "/accounts/delete/"),
    ("post", "/accounts/delete/", {"password": PASSWORD}, "/accounts/delete/"),
    ("get", "/accounts/two-step/authenticator/", {}, "/accounts/two-step/authenticator/"),
    ("post", "/accounts/two-step/recovery-codes/", {}, "/accounts/two-step/"),
    ("post", "/accounts/two-step/off/", {}, "/accounts/two-step/"),
    ("post", "/accounts/two-step/authenticator/remove/", {}, "/accounts/two-step/"),
    ("post", "/accounts/two-step/passkeys/add/", {"name": "x"}, "/accounts/two-step/"),
]


@pytest.mark.parametrize(
    ("method", "url", "data", "back"), SENSITIVE, ids=[s[1] for s in SENSITIVE]
)
def test_each_sensitive_action_waits_for_confirmation_then_works(
    owner_client, owner, method, url, data, back
):
    factors = give_two_step_sign_in(owner)
    make_stale(owner_client)

    refused = getattr(owner_client, method)(url, data)

    assert refused.status_code == 302
    assert refused["Location"] == f"{CONFIRM}?next={back.replace('/', '%2F')}"
    assert User.objects.filter(pk=owner.pk).exists()
    assert TwoStep(owner).authenticator is not None
    assert TwoStep(owner).recovery_codes_left() == 10
    assert Passkey.objects.filter(pk=factors["passkey"].pk).exists()
    page = owner_client.get(refused["Location"])
    assert page.status_code == 200
    assert "Confirm it" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    confirmed = confirm_with_password(owner_client, back)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == back

    answer = getattr(owner_client, method)(url, data)
    assert answer.status_code != 302 or not answer["Location"].startswith(CONFIRM)
    assert answer.status_code in (200, 302, 400)


def test_removing_a_passkey_waits_for_confirmation(owner_client, owner):
    passkey = give_two_step_sign_in(owner)["passkey"]
    make_stale(owner_client)
    url = f"/accounts/two-step/passkeys/{passkey.public_id}/remove/"
    assert owner_client.post(url)["Location"].startswith(CONFIRM)
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    confirm_with_password(owner_client, "/accounts/two-step/")
    assert owner_client.post(url).status_code == 302
    assert not Passkey.objects.filter(pk=passkey.pk).exists()


def test_confirming_lasts_ten_minutes(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-01 12:00:00+00:00", tick=False)
    owner_client.force_login(owner)  # signing in counts as confirming
    assert owner_client.get("/accounts/delete/").status_code == 200
    time_machine.move_to("2026-03-01 12:09:59+00:00", tick=False)
    assert owner_client.get("/accounts/delete/").status_code == 200
    time_machine.move_to("2026-03-01 12:10:01+00:00", tick=False)
    assert owner_client.get("/accounts/delete/")["Location"].startswith(CONFIRM)


def test_a_code_from_the_app_confirms_too(owner_client, owner):
    key = give_authenticator(owner)
    make_stale(owner_client)
    response = owner_client.post(CONFIRM, {"code": totp_code(key), "next": "/accounts/delete/"})
    assert response.status_code == 302
    assert owner_client.get("/accounts/delete/").status_code == 200


def test_a_wrong_password_confirms_nothing_and_counts_as_a_failed_login(owner_client, owner):
    make_stale(owner_client)
    for _ in range(4):
        response = owner_client.post(CONFIRM, {"password": "nope", "next": "/accounts/delete/"})
        assert response.status_code == 400
        assert "That password is not right" in response.content.decode()
    paused = owner_client.post(CONFIRM, {"password": "nope"})
    assert paused.status_code == 429
    assert owner_client.get("/accounts/delete/")["Location"].startswith(CONFIRM)
    assert confirm_with_password(owner_client, "/").status_code == 429


def test_a_next_address_elsewhere_is_not_followed(owner_client, owner):
    make_stale(owner_client)
    response = confirm_with_password(owner_client, "https://evil.example/steal")
    assert response["Location"] == "/accounts/two-step/"
    response = confirm_with_password(owner_client, "//evil.example/")
    assert response["Location"] == "/accounts/two-step/"


def test_confirming_sends_the_reauthenticated_signal(owner_client, owner):
    heard = []

    def record(sender, request, user, method, **kwargs):
        heard.append((user, method, request.path))

    signals.reauthenticated.connect(record)
    try:
        make_stale(owner_client)
        confirm_with_password(owner_client, "/")
    finally:
        signals.reauthenticated.disconnect(record)
    assert heard == [(owner, "password", CONFIRM)]


def test_the_confirm_page_needs_a_signed_in_person(client):
    response = client.get(CONFIRM)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
