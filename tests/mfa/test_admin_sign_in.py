"""Django's admin: signing in to it goes through the site's own sign-in, second step
and throttle included, and it opens only for staff whose session passed the second step."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from mfa.models import TwoStep
from tests.conftest import PASSWORD
from tests.mfa.conftest import ADDRESS, enter_code, enter_password, make_stale
from tests.mfa.factories import give_authenticator, sign_in_to_admin, totp_code

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ADMIN_LOGIN = "/admin/login/"
CONFIRM = "/accounts/two-step/confirm/"
SECOND_STEP = "/accounts/two-step/second-step/"


@pytest.fixture
def staff() -> User:
    return User.objects.create_superuser("staff@example.com", PASSWORD)


@pytest.fixture
def staff_key(staff) -> str:
    return give_authenticator(staff)


def admin_opens(client) -> bool:
    response = client.get(ADMIN)
    return response.status_code == 200 and "Site administration" in response.content.decode()


def test_a_staff_password_alone_does_not_open_the_admin(client, staff, staff_key):
    response = client.post(
        f"{ADMIN_LOGIN}?next={ADMIN}",
        {"username": staff.email, "password": PASSWORD, "next": ADMIN},
        REMOTE_ADDR=ADDRESS,
    )

    assert "_auth_user_id" not in client.session
    # Nor does it count as confirming it's them.
    assert "mfa_confirmed_at" not in client.session
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={ADMIN}"
    index = client.get(ADMIN)
    assert index.status_code == 302
    assert index["Location"].startswith(ADMIN_LOGIN)


def test_staff_sign_in_on_the_site_with_the_second_step_and_land_in_the_admin(
    client, staff, staff_key
):
    assert client.get(ADMIN)["Location"] == f"{ADMIN_LOGIN}?next={ADMIN}"
    assert client.get(f"{ADMIN_LOGIN}?next={ADMIN}")["Location"] == f"/accounts/login/?next={ADMIN}"

    assert enter_password(client, staff, next_url=ADMIN)["Location"] == SECOND_STEP
    assert not admin_opens(client)
    response = enter_code(client, totp_code(staff_key))

    assert response["Location"] == ADMIN
    assert admin_opens(client)


def test_the_admin_login_follows_only_addresses_on_this_site(client, staff, staff_key):
    response = client.get(f"{ADMIN_LOGIN}?next=https://elsewhere.example/")

    assert response["Location"] == f"/accounts/login/?next={ADMIN}"


def test_a_session_signed_in_with_a_password_only_is_asked_for_the_second_step(
    client, staff, staff_key
):
    # As a session from before the admin asked for more, or one made by the old admin form.
    client.force_login(staff)
    assert not admin_opens(client)

    assert client.get(f"{ADMIN_LOGIN}?next={ADMIN}")["Location"] == SECOND_STEP
    assert not admin_opens(client)
    assert enter_code(client, totp_code(staff_key))["Location"] == ADMIN
    assert admin_opens(client)


def test_confirming_with_a_password_does_not_count_as_the_second_step(client, staff, staff_key):
    client.force_login(staff)
    client.post(CONFIRM, {"password": PASSWORD, "next": "/"})
    assert not admin_opens(client)

    client.post(CONFIRM, {"code": totp_code(staff_key), "next": "/"})
    assert admin_opens(client)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff):
    client.force_login(staff)

    response = client.get(f"{ADMIN_LOGIN}?next={ADMIN}", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/two-step/"
    assert "The admin needs two-step sign-in" in response.content.decode()
    assert not admin_opens(client)


def test_turning_on_a_first_factor_opens_the_admin_for_that_session(client, staff):
    client.force_login(staff)
    form = client.get("/accounts/two-step/authenticator/").context["form"]
    data = {"setup_key": form.initial["setup_key"], "code": totp_code(form.key)}
    client.post("/accounts/two-step/authenticator/", data)

    assert TwoStep(staff).is_on
    assert admin_opens(client)


def test_turning_two_step_off_closes_the_admin(client, staff):
    sign_in_to_admin(client, staff)
    assert admin_opens(client)

    TwoStep(staff).turn_off()

    assert not admin_opens(client)


def test_someone_who_is_not_staff_gets_404_from_the_admin_login(client, owner, owner_key):
    enter_password(client, owner)
    enter_code(client, totp_code(owner_key))

    assert client.get(ADMIN_LOGIN).status_code == 404
    assert client.get(ADMIN).status_code == 302


def test_the_admin_signs_out_through_the_site(client, staff):
    sign_in_to_admin(client, staff)
    assert client.get("/admin/logout/").status_code == 405

    response = client.post("/admin/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert "mfa_second_step_passed" not in client.session
    assert not admin_opens(client)


def test_the_admin_changes_passwords_on_the_site_s_own_page(client, staff):
    sign_in_to_admin(client, staff)

    assert client.get("/admin/password_change/")["Location"] == "/accounts/password/"


def test_the_admin_does_not_stand_in_for_confirming_it_s_you(client, staff):
    sign_in_to_admin(client, staff)
    make_stale(client)
    assert admin_opens(client)

    response = client.get("/accounts/delete/")

    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)


def test_the_admin_never_shows_an_authenticator_app_s_key(client, staff, owner, owner_key):
    sign_in_to_admin(client, staff)
    device = TOTPDevice.objects.get(user=owner)

    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    listing = client.get("/admin/otp_totp/totpdevice/")

    assert page.status_code == 200
    assert owner_key not in page.content.decode()
    assert owner_key not in listing.content.decode()
    config = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert config.status_code == 403
    assert owner_key not in config.content.decode()
