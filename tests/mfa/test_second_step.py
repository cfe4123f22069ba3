"""Signing in with two-step sign-in on: the password is only the first step."""

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core import mail

from mfa.models import TwoStep
from tests.conftest import PASSWORD, make_user
from tests.mfa.conftest import ADDRESS, SECOND_STEP, enter_code, enter_password
from tests.mfa.factories import give_authenticator, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_signals():
    received = []

    def record(sender, request, user, **kwargs):
        received.append(user)

    user_logged_in.connect(record)
    yield received
    user_logged_in.disconnect(record)


def test_the_right_password_alone_opens_nothing(client, owner, owner_key):
    response = enter_password(client, owner)
    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    assert "_auth_user_id" not in client.session
    # Home is the visitor's page, with its "Log in" link.
    assert 'href="/accounts/login/"' in client.get("/").content.decode()
    for page in ("/journal/", "/accounts/me/", "/progress/data/", "/accounts/two-step/"):
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"].startswith("/accounts/login/"), page
    downloaded = client.post("/progress/data/riverwise.json")
    assert downloaded.status_code == 302
    assert downloaded["Location"].startswith("/accounts/login/")


def test_the_apps_code_signs_in_through_django_login(client, owner, owner_key, signed_in_signals):
    enter_password(client, owner, next_url="/journal/")
    page = client.get(SECOND_STEP)
    assert page.status_code == 200
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert not signed_in_signals

    response = enter_code(client, totp_code(owner_key))

    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert signed_in_signals == [owner]
    assert client.get("/journal/").status_code == 200


def test_a_code_used_once_is_refused_the_second_time(client, owner, owner_key):
    code = totp_code(owner_key)
    enter_password(client, owner)
    assert enter_code(client, code).status_code == 302
    client.post("/accounts/logout/")

    enter_password(client, owner)
    replayed = enter_code(client, code)

    assert replayed.status_code == 400
    assert "didn" in replayed.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_warmly(client, owner, owner_key):
    enter_password(client, owner)
    wrong = str((int(totp_code(owner_key)) + 1) % 1_000_000).zfill(6)
    response = enter_code(client, wrong)
    assert response.status_code == 400
    assert "That code didn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, owner):
    give_authenticator(owner)
    codes = TwoStep(owner).issue_recovery_codes()
    enter_password(client, owner)
    # Typed loosely: lower case, without its dashes.
    response = enter_code(client, codes[3].replace("-", " ").lower())
    assert response.status_code == 302
    assert TwoStep(owner).recovery_codes_left() == 9
    client.post("/accounts/logout/")

    enter_password(client, owner)
    again = enter_code(client, codes[3])
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session
    assert TwoStep(owner).recovery_codes_left() == 9


def test_recovery_codes_are_kept_only_as_hashes(owner):
    from django_otp.plugins.otp_static.models import StaticToken

    codes = TwoStep(owner).issue_recovery_codes()
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(codes) == len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & stored
    assert not set(codes) & stored


def test_five_wrong_codes_pause_the_account_with_a_clear_429(client, owner, owner_key):
    enter_password(client, owner)
    for _ in range(4):
        assert enter_code(client, "000000").status_code == 400
    paused = enter_code(client, "000000")
    assert paused.status_code == 429
    assert "paused" in paused.content.decode()
    # Even the right code waits now, and so does the password, from anywhere.
    assert enter_code(client, totp_code(owner_key)).status_code == 429
    assert "_auth_user_id" not in client.session
    assert enter_password(client, owner, address="10.9.9.9").status_code == 429


def test_wrong_codes_count_per_address_across_accounts(client, owner, owner_key, stranger):
    other_key = give_authenticator(stranger)
    enter_password(client, owner)
    for _ in range(3):
        enter_code(client, "000000")
    enter_password(client, stranger)
    enter_code(client, "000000")
    assert enter_code(client, "000000").status_code == 429
    # The address is paused for a third account too, though it did nothing wrong.
    third = make_user("third@example.com")
    assert enter_password(client, third).status_code == 429
    assert other_key


def test_the_half_signed_in_state_lasts_five_minutes(client, owner, owner_key, time_machine):
    time_machine.move_to("2026-03-01 12:00:00+00:00", tick=False)
    enter_password(client, owner)
    time_machine.move_to("2026-03-01 12:05:30+00:00", tick=False)
    response = enter_code(client, totp_code(owner_key))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_second_step_without_a_password_first_goes_to_log_in(client, owner, owner_key):
    response = enter_code(client, totp_code(owner_key))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_next_address_on_another_site_is_ignored(client, owner, owner_key):
    enter_password(client, owner, next_url="https://evil.example/")
    response = enter_code(client, totp_code(owner_key))
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_never_reaches_the_second_step(client, owner, owner_key):
    response = client.post(
        "/accounts/login/", {"username": owner.email, "password": "no"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 400
    assert client.get(SECOND_STEP)["Location"] == "/accounts/login/"


def test_a_password_reset_link_does_not_skip_the_second_step(client, owner, owner_key):
    client.post("/accounts/password/reset/", {"email": owner.email})
    link = next(
        line.strip() for line in mail.outbox[-1].body.splitlines() if "/password/reset/" in line
    )
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    new_password = {"new_password1": "a-new-river-77", "new_password2": "a-new-river-77"}
    done = client.post(form_page.redirect_chain[-1][0], new_password, follow=True)
    assert done.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "log in" in done.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("a-new-river-77")


def test_someone_without_two_step_sign_in_logs_in_with_the_password(client, owner):
    response = client.post(
        "/accounts/login/", {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_login_page_names_the_site_not_the_host(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<span>Riverwise</span>" in html
    assert "testserver" not in html
    assert 'data-options-url="/accounts/two-step/passkeys/options/sign-in/"' in html
