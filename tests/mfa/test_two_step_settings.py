"""Settings → Two-step sign-in: turning factors on and off, recovery codes, and
another person's passkeys out of reach."""

import re

import pytest
from django.core import signing
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mfa import signals
from mfa.models import Passkey, TwoStep
from tests.mfa.factories import give_authenticator, give_two_step_sign_in, make_passkey, totp_code

pytestmark = pytest.mark.django_db

OVERVIEW = "/accounts/two-step/"
SETUP = "/accounts/two-step/authenticator/"


@pytest.fixture
def heard():
    """Every signal mfa sends, as (name, user, factor)."""
    got = []
    names = ["factor_added", "factor_removed", "recovery_codes_regenerated", "recovery_code_used"]
    receivers = {}
    for name in names:

        def receiver(sender, request, user, name=name, **kwargs):
            assert request is not None
            got.append((name, user, kwargs.get("factor")))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield got
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def setup_key_of(page) -> tuple[str, str]:
    """The signed setup field and the secret key the page shows."""
    html = page.content.decode()
    signed = re.search(r'name="setup_key" value="([^"]+)"', html).group(1)
    return signed, signing.loads(signed, salt="mfa.authenticator-setup")["key"]


def test_the_page_says_two_step_is_off_and_is_never_stored(owner_client, owner):
    response = owner_client.get(OVERVIEW)
    assert response.status_code == 200
    assert "Off." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert 'href="/accounts/two-step/"' in owner_client.get("/accounts/settings/").content.decode()


def test_the_page_lists_passkeys_with_when_they_were_last_used(owner_client, owner):
    from django.utils import timezone

    used = make_passkey(owner, "Laptop")
    used.last_used_at = timezone.now()
    used.save()
    make_passkey(owner, "Old key")
    html = owner_client.get(OVERVIEW).content.decode()
    assert "Laptop" in html and "last used" in html
    assert "Old key" in html and "not used yet" in html


def test_setting_up_the_app_shows_a_qr_code_and_the_key(owner_client, owner):
    page = owner_client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert not TOTPDevice.objects.exists()  # showing the page wrote nothing
    _, key = setup_key_of(page)
    import base64

    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    shown = re.sub(r"\s", "", re.search(r'class="secret-key">([^<]+)<', page.content.decode())[1])
    assert shown == secret


def test_the_right_code_turns_the_app_on_and_shows_ten_recovery_codes(owner_client, owner, heard):
    signed, key = setup_key_of(owner_client.get(SETUP))
    response = owner_client.post(SETUP, {"setup_key": signed, "code": totp_code(key)})
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", html)
    assert len(codes) == 10
    assert "no-store" in response["Cache-Control"]
    assert 'download="riverwise-recovery-codes.txt"' in html
    assert TwoStep(owner).authenticator.key == key
    assert TwoStep(owner).recovery_codes_left() == 10
    assert [(n, f) for n, _, f in heard] == [
        ("factor_added", "authenticator app"),
        ("factor_added", "recovery codes"),
    ]
    # The code just used to confirm won't sign in again.
    assert TwoStep(owner).verify_code(totp_code(key)) is None


def test_a_wrong_code_turns_nothing_on(owner_client, owner):
    signed, key = setup_key_of(owner_client.get(SETUP))
    response = owner_client.post(SETUP, {"setup_key": signed, "code": "123"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()


def test_a_key_signed_for_someone_else_is_refused(owner_client, owner, stranger):
    from django.test import Client

    other = Client()
    other.force_login(stranger)
    signed, key = setup_key_of(other.get(SETUP))
    response = owner_client.post(SETUP, {"setup_key": signed, "code": totp_code(key)})
    assert response.status_code == 400
    assert not TOTPDevice.objects.exists()


def test_new_recovery_codes_replace_the_old(owner_client, owner, heard):
    old = give_two_step_sign_in(owner)["codes"]
    response = owner_client.post("/accounts/two-step/recovery-codes/")
    new = re.findall(r"<code>([A-Z2-9-]{14})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert TwoStep(owner).verify_code(new[0]) == "recovery code"
    assert TwoStep(owner).verify_code(old[0]) is None
    assert ("recovery_codes_regenerated", owner, None) in heard


def test_no_recovery_codes_without_two_step_on(owner_client, owner):
    response = owner_client.post("/accounts/two-step/recovery-codes/")
    assert response.status_code == 302
    assert not StaticDevice.objects.exists()


def test_turning_two_step_off_removes_every_factor(owner_client, owner, stranger, heard):
    give_two_step_sign_in(owner)
    theirs = give_two_step_sign_in(stranger)
    response = owner_client.post("/accounts/two-step/off/")
    assert response.status_code == 302
    assert not TwoStep(owner).is_on
    assert TwoStep(owner).recovery_codes_left() == 0
    assert sorted(f for n, _, f in heard if n == "factor_removed") == [
        "authenticator app",
        "passkey",
        "recovery codes",
    ]
    # The stranger's factors are untouched.
    assert TwoStep(stranger).is_on and TwoStep(stranger).recovery_codes_left() == 10
    assert Passkey.objects.filter(pk=theirs["passkey"].pk).exists()


def test_removing_the_last_factor_takes_the_recovery_codes_with_it(owner_client, owner, heard):
    give_authenticator(owner)
    TwoStep(owner).issue_recovery_codes()
    passkey = make_passkey(owner)
    owner_client.post(f"/accounts/two-step/passkeys/{passkey.public_id}/remove/")
    assert TwoStep(owner).recovery_codes_left() == 10  # the app is still on
    owner_client.post("/accounts/two-step/authenticator/remove/")
    assert not TwoStep(owner).is_on
    assert not StaticDevice.objects.filter(user=owner).exists()
    assert ("factor_removed", owner, "recovery codes") in heard


def test_it_checks_ownership_of_passkeys(stranger_client, owner):
    passkey = make_passkey(owner, "Owner's phone")
    response = stranger_client.post(f"/accounts/two-step/passkeys/{passkey.public_id}/remove/")
    assert response.status_code == 404
    passkey.refresh_from_db()
    assert passkey.name == "Owner's phone"
    assert "Owner&#x27;s phone" not in stranger_client.get(OVERVIEW).content.decode()


def test_another_persons_two_step_is_untouched_by_mine(stranger_client, owner, stranger):
    factors = give_two_step_sign_in(owner)
    stranger_client.post("/accounts/two-step/off/")
    stranger_client.post("/accounts/two-step/authenticator/remove/")
    stranger_client.post("/accounts/two-step/recovery-codes/")
    assert TwoStep(owner).authenticator.key == factors["key"]
    assert TwoStep(owner).verify_code(factors["codes"][0]) == "recovery code"
    assert Passkey.objects.filter(pk=factors["passkey"].pk).exists()


def test_the_pages_need_a_signed_in_person(client):
    for url in (OVERVIEW, SETUP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/two-step/off/")["Location"].startswith("/accounts/login/")


def test_the_page_reads_a_fixed_number_of_queries_however_many_passkeys(
    owner_client, owner, django_assert_max_num_queries
):
    give_two_step_sign_in(owner)
    for n in range(8):
        make_passkey(owner, f"Key {n}")
    # One more than before the signed-in device's check (activity/middleware.py).
    with django_assert_max_num_queries(8):
        assert owner_client.get(OVERVIEW).status_code == 200
