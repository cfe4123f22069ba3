"""Passkeys, server side, answered by a software authenticator: adding one, signing
in with it alone, using it as the second step, and what is refused."""

import json

import pytest
from django.test import Client

from mfa.models import Passkey, TwoStep
from tests.mfa.conftest import SECOND_STEP, enter_password
from tests.mfa.factories import give_authenticator
from tests.mfa.soft_authenticator import SoftAuthenticator, b64url

pytestmark = pytest.mark.django_db

OPTIONS = "/accounts/two-step/passkeys/options/{}/"
ADD = "/accounts/two-step/passkeys/add/"
SIGN_IN = "/accounts/two-step/passkeys/sign-in/"


def options(client, purpose) -> dict:
    response = client.post(OPTIONS.format(purpose))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def add_passkey(client, authenticator, name="My phone"):
    answer = authenticator.create(options(client, "add"))
    return client.post(ADD, {"name": name, "credential": answer})


def test_adding_the_first_passkey_turns_two_step_on_and_shows_recovery_codes(owner_client, owner):
    made = options(owner_client, "add")
    assert made["authenticatorSelection"]["residentKey"] == "required"
    assert made["authenticatorSelection"]["userVerification"] == "required"
    assert made["rp"]["id"] == "testserver"
    response = owner_client.post(
        ADD, {"name": "My phone", "credential": SoftAuthenticator().create(made)}
    )
    assert response.status_code == 200
    assert "Your recovery codes" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert [p.name for p in Passkey.objects.for_user(owner)] == ["My phone"]
    assert TwoStep(owner).is_on
    assert TwoStep(owner).recovery_codes_left() == 10


def test_a_passkey_needs_a_name(owner_client, owner):
    response = add_passkey(owner_client, SoftAuthenticator(), name="")
    assert response.status_code == 400
    assert not Passkey.objects.exists()


def test_an_answer_to_someone_elses_challenge_is_refused(owner_client, owner):
    authenticator = SoftAuthenticator()
    stale = options(owner_client, "add")
    options(owner_client, "add")  # a newer challenge replaces it
    response = owner_client.post(ADD, {"name": "Mine", "credential": authenticator.create(stale)})
    assert response.status_code == 400
    assert not Passkey.objects.exists()


def test_signing_in_with_a_passkey_alone(owner_client, owner):
    client = Client()
    authenticator = SoftAuthenticator()
    add_passkey(owner_client, authenticator)
    asked = options(client, "sign-in")
    assert asked["allowCredentials"] == []
    assert asked["userVerification"] == "required"

    response = client.post(SIGN_IN, {"credential": authenticator.get(asked), "next": "/journal/"})

    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert Passkey.objects.get().last_used_at is not None


def test_an_answer_is_used_once(owner_client, owner):
    client = Client()
    authenticator = SoftAuthenticator()
    add_passkey(owner_client, authenticator)
    answer = authenticator.get(options(client, "sign-in"))
    assert client.post(SIGN_IN, {"credential": answer}).status_code == 302
    client.post("/accounts/logout/")
    replayed = client.post(SIGN_IN, {"credential": answer})
    assert replayed.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_passkey_without_user_verification_is_refused(owner_client, owner):
    client = Client()
    authenticator = SoftAuthenticator()
    add_passkey(owner_client, authenticator)
    answer = authenticator.get(options(client, "sign-in"), verified=False)
    assert client.post(SIGN_IN, {"credential": answer}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_unknown_passkey_signs_in_nobody(client):
    answer = SoftAuthenticator().get(options(client, "sign-in"))
    response = client.post(SIGN_IN, {"credential": answer})
    assert response.status_code == 400
    assert "don't know that passkey" in response.content.decode().replace("&#x27;", "'")
    assert "_auth_user_id" not in client.session


def test_a_passkey_is_a_second_step_after_the_password(owner_client, owner):
    client = Client()
    authenticator = SoftAuthenticator()
    add_passkey(owner_client, authenticator)
    enter_password(client, owner)
    asked = options(client, "second-step")
    assert [c["id"] for c in asked["allowCredentials"]] == [b64url(authenticator.credential_id)]
    response = client.post(SECOND_STEP, {"credential": authenticator.get(asked)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_someone_elses_passkey_is_no_second_step_for_the_owner(owner_client, owner, stranger):
    client = Client()
    give_authenticator(owner)
    strangers = SoftAuthenticator()
    stranger_client = Client()
    stranger_client.force_login(stranger)
    add_passkey(stranger_client, strangers)

    enter_password(client, owner)
    answer = strangers.get(options(client, "second-step"))
    response = client.post(SECOND_STEP, {"credential": answer})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_second_step_options_need_the_password_first(client):
    response = client.post(OPTIONS.format("second-step"))
    assert response.status_code == 403
    assert json.loads(response.content) == {"redirect": "/accounts/login/"}


def test_adding_a_passkey_when_stale_is_sent_to_confirm(owner_client, owner):
    from tests.mfa.conftest import make_stale

    make_stale(owner_client)
    response = owner_client.post(OPTIONS.format("add"))
    assert response.status_code == 403
    assert json.loads(response.content)["redirect"].startswith("/accounts/two-step/confirm/")


def test_an_unknown_purpose_is_404(client):
    assert client.post(OPTIONS.format("anything")).status_code == 404


def test_the_same_passkey_twice_is_refused_with_a_message(owner_client, owner):
    authenticator = SoftAuthenticator()
    add_passkey(owner_client, authenticator)
    again = add_passkey(owner_client, authenticator, name="Again")
    assert again.status_code == 400
    assert "This passkey is already added here." in again.content.decode()
    assert Passkey.objects.count() == 1
