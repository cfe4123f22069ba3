"""The new-device email, end to end: the login page, a Celery worker on the configured
broker (Redis in CI) and an SMTP server on loopback."""

import re
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client

from accounts.models import User
from activity.models import DeviceSession
from activity.tasks import send_new_device_email
from ipnb_site.celery import app
from tests.activity.devices import (
    CHROME_ON_ANDROID,
    FIREFOX_ON_LINUX,
    SAFARI_ON_IPHONE,
    signed_in_from,
)
from tests.conftest import PASSWORD
from tests.waiting import settled, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(smtp_sink):
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield smtp_sink


def sign_up_from(user_agent: str, email: str) -> Client:
    """Finish a sign-up from its emailed link: the person's very first sign-in."""
    token = User.objects.signup_token(email=email, display_name="Ada", timezone="Europe/Berlin")
    browser = Client(HTTP_USER_AGENT=user_agent)
    passwords = {"password1": PASSWORD, "password2": PASSWORD}
    response = browser.post(f"/accounts/signup/finish/{token}/", passwords)
    assert response.status_code == 302
    return browser


def test_a_new_browser_gets_an_email_and_a_known_one_does_not(worker):
    sink = worker
    sign_up_from(FIREFOX_ON_LINUX, "ada@example.com")
    # The first sign-in, right after sign-up: nothing to compare with, no email.
    assert settled(lambda: sink.count() == 0, seconds=1.5)

    signed_in_from(FIREFOX_ON_LINUX.replace("133.0", "134.0"), "ada@example.com")
    assert settled(lambda: sink.count() == 0, seconds=1.5), "an updated browser is not a new device"

    signed_in_from(CHROME_ON_ANDROID, "ada@example.com")
    assert wait_for(lambda: sink.count() == 1)
    message = sink.messages[0]
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "A new sign-in to Riverwise: Chrome Mobile on an Android phone"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Ada," in text
    assert "Chrome Mobile on an Android phone" in text
    signed_in_at = DeviceSession.objects.get(browser="Chrome Mobile").signed_in_at
    berlin = signed_in_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{berlin:%H:%M} (Europe/Berlin)" in text
    assert re.search(r"http://\S+/accounts/sessions/", text)
    assert "/accounts/password/reset/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'href="http://localhost:8000/accounts/sessions/"' in html

    # The same phone again: known now.
    signed_in_from(CHROME_ON_ANDROID, "ada@example.com")
    assert settled(lambda: sink.count() == 1, seconds=1.5)


def test_a_device_signed_out_before_the_worker_runs_gets_no_email(smtp_sink):
    sign_up_from(FIREFOX_ON_LINUX, "bo@example.com")
    app.control.purge()
    phone = signed_in_from(SAFARI_ON_IPHONE, "bo@example.com")
    row = DeviceSession.objects.get(public_id=phone.session["activity_device"])
    row.delete()
    assert send_new_device_email.run(row.pk) is False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert settled(lambda: smtp_sink.count() == 0, seconds=1.5)
