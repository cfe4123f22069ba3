"""Push reminders on a phone (412×915): choosing email, push or both, and the
list of devices with their remove buttons."""

import re

import pytest
from playwright.sync_api import expect

from push.models import PushSubscription
from reminders.models import Reminder
from tests.browser.measure import phone, widest_overflow
from tests.conftest import PASSWORD, make_user
from tests.push_service import Device

ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0.0.0 Mobile Safari/537.36"


@pytest.fixture
def signed_in_with_a_device(page, a11y, push_service):
    user = make_user("wren@example.com", display_name="Wren", timezone="Europe/Berlin")
    device = Device(push_service)
    PushSubscription.objects.save_for(
        user, device.endpoint, device.p256dh, device.auth, ANDROID_CHROME
    )
    page.goto("/accounts/login/")
    a11y()
    page.get_by_label("Email").fill("wren@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y()
    return user


@phone
def test_a_reminder_by_email_and_push_and_a_device_removed(page, a11y, signed_in_with_a_device):
    # The site's service worker (static/js/pwa.js) is installed from the first page.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto("/reminders/")
    a11y()
    devices = page.get_by_role("heading", name="Devices that get them")
    expect(devices).to_be_visible()
    expect(page.locator(".device-list")).to_contain_text("Chrome on Android")
    # With a service worker this browser could take pushes; headless Chromium has no
    # permission to show notifications, so asking says so in words.
    turn_on = page.get_by_role("button", name="Turn on notifications on this device")
    expect(turn_on).to_be_visible()
    turn_on.click()
    expect(page.locator("#push-subscribe-status")).to_contain_text("Notifications are blocked")
    assert PushSubscription.objects.count() == 1

    choice = page.get_by_role("radio", name="Email and push notification")
    choice.check()
    radio_label = page.locator("label").filter(has=choice)
    assert radio_label.bounding_box()["height"] >= 24
    page.get_by_role("button", name="Add reminder").click()
    expect(page.get_by_role("status").filter(has_text="Added.")).to_be_visible()
    reminder = Reminder.objects.get()
    assert reminder.deliver_by == "both"
    expect(page.locator(f"#reminder-{reminder.public_id}")).to_contain_text(
        "By email and push notification"
    )
    assert widest_overflow(page) == []
    a11y()

    remove = page.get_by_role("button", name=re.compile("^Remove Chrome on Android"))
    assert remove.bounding_box()["height"] >= 24
    remove.click()
    expect(page.get_by_text("No device has notifications turned on yet.")).to_be_visible()
    assert not PushSubscription.objects.exists()
    a11y()
