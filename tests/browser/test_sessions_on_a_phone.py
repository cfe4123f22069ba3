"""Where you're signed in, on a phone: sign out the laptop in one tap, and it is out."""

import pytest
from playwright.sync_api import expect

from activity.models import DeviceSession
from tests.activity.devices import CHROME_ON_ANDROID, FIREFOX_ON_LINUX
from tests.browser.measure import DESKTOP_VIEWPORT, PHONE_VIEWPORT
from tests.conftest import PASSWORD, make_user

EMAIL = "wren@example.com"

phone = pytest.mark.browser_context_args(
    viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True, user_agent=CHROME_ON_ANDROID
)


def log_in(page, check=lambda: None) -> None:
    page.goto("/accounts/login/")
    check()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Wren")


@phone
def test_signing_out_the_laptop_from_the_phone_signs_it_out_for_real(
    page, a11y, browser, live_server
):
    person = make_user(EMAIL, display_name="Wren", timezone="Europe/Berlin")
    log_in(page, a11y)
    a11y()
    laptop_context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP_VIEWPORT, user_agent=FIREFOX_ON_LINUX
    )
    laptop = laptop_context.new_page()
    try:
        log_in(laptop)

        page.goto("/accounts/settings/")
        a11y()
        page.get_by_role("link", name="Where you're signed in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Where you're signed in")
        this_device = page.get_by_role("region", name="This device")
        expect(this_device).to_contain_text("Chrome Mobile on an Android phone")
        others = page.get_by_role("region", name="Other devices")
        expect(others).to_contain_text("Firefox on a Linux computer")
        a11y()
        # The action a person came for is on the first screen of a phone.
        sign_out = others.get_by_role("button", name="Sign out Firefox on a Linux computer")
        top = sign_out.bounding_box()
        assert top is not None and top["y"] + top["height"] <= PHONE_VIEWPORT["height"], top

        url_before = page.url
        sign_out.tap()
        expect(page.get_by_role("status")).to_have_text(
            "Firefox on a Linux computer is signed out."
        )
        expect(others).to_contain_text("You're signed in on this device only.")
        assert page.url == url_before  # swapped in place by htmx
        a11y()

        # The laptop's next request finds it signed out.
        laptop.goto("/journal/")
        expect(laptop.get_by_role("heading", level=1)).to_have_text("Welcome back")
        assert "/accounts/login/" in laptop.url
        assert list(
            DeviceSession.objects.filter(user=person).values_list("browser", flat=True)
        ) == ["Chrome Mobile"]

        page.goto("/accounts/activity/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Activity")
        happened = page.get_by_role("list", name="What happened, newest first")
        expect(happened.get_by_role("listitem").first).to_contain_text(
            "Signed out another device: Firefox on a Linux computer"
        )
        a11y()
    finally:
        laptop_context.close()
