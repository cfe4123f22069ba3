"""Where you're signed in: the list, signing one device or all others out, for real."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.models import DEVICE_SESSION_KEY, LAST_SEEN_EVERY, ActivityEvent, DeviceSession
from tests.activity.devices import (
    CHROME_ON_ANDROID,
    FIREFOX_ON_LINUX,
    SAFARI_ON_IPHONE,
    is_signed_in,
    row_of,
    signed_in_from,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/accounts/sessions/"


def sign_out_url(device: DeviceSession) -> str:
    return f"/accounts/sessions/{device.public_id}/sign-out/"


def test_it_lists_every_signed_in_device_and_marks_this_one(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    signed_in_from(CHROME_ON_ANDROID, owner.email)
    response = laptop.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    this_device = page.split('id="this-device-heading"')[1].split("</section>")[0]
    others = page.split('id="others-heading"')[1].split("</section>")[0]
    assert "Firefox on a Linux computer" in this_device
    assert "Chrome Mobile on an Android phone" in others
    assert "Firefox" not in others
    # No address is shown or kept.
    assert "127.0.0.1" not in page


def test_the_page_is_never_stored(owner_client):
    response = owner_client.get(PAGE)
    assert "no-store" in response["Cache-Control"]


def test_signing_out_another_device_ends_its_session_for_real(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    phone_session_key = phone.session.session_key
    assert Session.objects.filter(session_key=phone_session_key).exists()

    response = laptop.post(sign_out_url(row_of(phone)))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert "Chrome Mobile on an Android phone is signed out." in laptop.get(PAGE).content.decode()
    # The phone's very next request finds itself signed out, and its session is gone
    # from Django's store.
    assert phone.get("/accounts/me/").status_code == 302
    assert not Session.objects.filter(session_key=phone_session_key).exists()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert ActivityEvent.objects.filter(user=owner, kind="device_signed_out").get().detail == {
        "of": "Chrome Mobile on an Android phone"
    }


def test_htmx_gets_the_list_back_in_place(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    response = laptop.post(sign_out_url(row_of(phone)), headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="devices"')
    assert "<html" not in fragment
    assert "is signed out." in fragment
    assert "You're signed in on this device only." in fragment
    assert response["Vary"] and "HX-Request" in response["Vary"]
    assert not is_signed_in(phone)


def test_sign_out_all_others_keeps_this_device(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    iphone = signed_in_from(SAFARI_ON_IPHONE, owner.email)

    response = laptop.post("/accounts/sessions/sign-out-others/")

    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert not is_signed_in(iphone)
    assert is_signed_in(laptop)
    assert list(DeviceSession.objects.filter(user=owner)) == [row_of(laptop)]
    event = ActivityEvent.objects.get(user=owner, kind="other_devices_signed_out")
    assert event.detail == {"count": 2}


def test_it_checks_ownership(owner, stranger):
    owner_phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    device = row_of(owner_phone)
    intruder = signed_in_from(FIREFOX_ON_LINUX, stranger.email)

    response = intruder.post(sign_out_url(device))

    assert response.status_code == 404
    assert DeviceSession.objects.filter(pk=device.pk).exists()
    assert is_signed_in(owner_phone)
    # Signing out "all others" reaches only the stranger's own devices.
    intruder.post("/accounts/sessions/sign-out-others/")
    assert is_signed_in(owner_phone)
    assert not ActivityEvent.objects.filter(user=owner).exclude(kind="signed_in").exists()
    assert "Chrome Mobile" not in intruder.get(PAGE).content.decode()


def test_this_device_is_not_signed_out_by_its_id(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    assert laptop.post(sign_out_url(row_of(laptop))).status_code == 404
    assert is_signed_in(laptop)


def test_signing_out_is_only_by_post(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    assert laptop.get(sign_out_url(row_of(phone))).status_code == 405
    assert laptop.get("/accounts/sessions/sign-out-others/").status_code == 405
    assert is_signed_in(phone)


def test_signing_out_needs_the_csrf_token(owner):
    laptop = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=FIREFOX_ON_LINUX)
    laptop.force_login(owner)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    assert laptop.post(sign_out_url(row_of(phone))).status_code == 403
    assert is_signed_in(phone)


def test_logging_out_removes_the_device(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    row = row_of(phone)
    phone.post("/accounts/logout/")
    assert not DeviceSession.objects.filter(pk=row.pk).exists()


def test_signing_in_again_in_the_same_browser_keeps_one_row(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    phone.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert DeviceSession.objects.filter(user=owner).count() == 1


def test_a_page_view_costs_one_read_and_last_seen_is_written_every_few_minutes(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    row = row_of(phone)
    phone.get("/accounts/me/")  # warm: anything cached per process

    with CaptureQueriesContext(connection) as queries:
        assert phone.get("/accounts/me/").status_code == 200
    ours = [q["sql"] for q in queries if "activity_devicesession" in q["sql"]]
    assert len(ours) == 1 and ours[0].lstrip().upper().startswith("SELECT")
    # The whole page: the session, the person, their device row.
    assert len(queries) == 3, [q["sql"] for q in queries]

    later = timezone.now() + LAST_SEEN_EVERY + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        with CaptureQueriesContext(connection) as queries:
            phone.get("/accounts/me/")
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
        assert len(writes) == 1 and "activity_devicesession" in writes[0]
        assert len(queries) == 5  # and the session store's expiry, read once
        with CaptureQueriesContext(connection) as queries:
            phone.get("/accounts/me/")
        assert len(queries) == 3
    row.refresh_from_db()
    assert row.last_seen_at == later
    stored = Session.objects.get(session_key=phone.session.session_key).expire_date
    assert row.expires_at == stored


def test_the_sessions_page_reads_a_fixed_number_of_queries(owner, django_assert_num_queries):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    for agent in (CHROME_ON_ANDROID, SAFARI_ON_IPHONE):
        signed_in_from(agent, owner.email)
    # The session, the person, this device's row, the list.
    with django_assert_num_queries(4):
        laptop.get(PAGE)
    for _ in range(5):
        signed_in_from(CHROME_ON_ANDROID, owner.email)
    with django_assert_num_queries(4):
        laptop.get(PAGE)


def test_a_session_from_before_the_list_existed_is_listed_from_its_next_request(owner):
    browser = Client(HTTP_USER_AGENT=SAFARI_ON_IPHONE)
    browser.force_login(owner)
    DeviceSession.objects.filter(user=owner).delete()
    session = browser.session
    del session[DEVICE_SESSION_KEY]
    session.save()

    assert is_signed_in(browser)
    assert DeviceSession.objects.get(user=owner).browser == "Mobile Safari"
    assert is_signed_in(browser)
    assert DeviceSession.objects.filter(user=owner).count() == 1


def test_a_session_past_its_expiry_is_not_listed(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    DeviceSession.objects.filter(pk=row_of(phone).pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert "Chrome Mobile" not in laptop.get(PAGE).content.decode()


def test_changing_the_password_keeps_this_device_and_signs_out_the_others(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    new_password = "a-new-river-at-dawn-7"
    response = laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert list(DeviceSession.objects.filter(user=owner)) == [row_of(laptop)]
    assert ActivityEvent.objects.filter(user=owner, kind="password_changed").count() == 1
    assert "Firefox on a Linux computer" in laptop.get(PAGE).content.decode()


def test_a_password_reset_signs_out_every_other_device(owner):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    owner.refresh_from_db()  # the token covers the last login
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    token = default_token_generator.make_token(owner)
    laptop = Client(HTTP_USER_AGENT=FIREFOX_ON_LINUX)
    form_url = laptop.get(f"/accounts/password/reset/{uid}/{token}/")["Location"]
    new_password = "a-new-river-at-dawn-7"
    response = laptop.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert list(DeviceSession.objects.filter(user=owner)) == [row_of(laptop)]
    assert ActivityEvent.objects.filter(user=owner, kind="password_reset").count() == 1
