"""Sharing a report with a therapist, on a phone: make a link, open it elsewhere, stop it."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from sharing.models import ShareLink
from tests.browser.conftest import AccessibilityCheck
from tests.browser.measure import PHONE_VIEWPORT, phone, widest_overflow
from tests.conftest import PASSWORD
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    ensure_catalog_and_vocabulary()


@pytest.fixture
def signed_in(page, live_server):
    user = User.objects.create_user(
        email="ash@example.com", password=PASSWORD, display_name="Ash", timezone="Europe/Berlin"
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return user


@phone
def test_a_link_is_made_opened_in_a_fresh_browser_and_stopped(
    page, a11y, signed_in, browser, live_server
):
    today = signed_in.local_today()
    make_history(signed_in, today - timedelta(days=20), today)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/progress/share/")
    a11y()
    assert widest_overflow(page) == []
    # The button the person came for is on the first screen, above the tab bar.
    make = page.get_by_role("button", name="Make the link").bounding_box()
    tab_bar = page.get_by_role("navigation", name="Main").bounding_box()
    assert make["y"] + make["height"] <= tab_bar["y"], (make, tab_bar)
    expect(page.get_by_label("Include my journal entries and notes")).not_to_be_checked()
    page.get_by_label("FACES", exact=True).uncheck()
    page.get_by_label("14 days").check()
    page.get_by_role("button", name="Make the link").click()

    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    a11y()
    address = page.get_by_label("Link to your report").input_value()
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address

    # The therapist: another browser, no session, a phone's screen.
    therapist = browser.new_context(
        viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True, base_url=live_server.url
    )
    try:
        shared = therapist.new_page()
        shared_a11y = AccessibilityCheck(shared)
        response = shared.goto(urlsplit(address).path)
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow, noarchive"
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(shared.get_by_role("heading", level=1)).to_contain_text("Ash's report")
        expect(shared.get_by_role("heading", name="Practice", exact=True)).to_be_visible()
        expect(shared.get_by_role("heading", name="FACES (1 to 5)")).to_have_count(0)
        expect(shared.get_by_role("img", name="Minutes practised each day")).to_be_visible()
        shared_a11y()
        assert widest_overflow(shared) == []
        cookies = {cookie["name"] for cookie in therapist.cookies()}
        assert settings.SESSION_COOKIE_NAME not in cookies

        # The person sees the opening beside the link, and stops it in one tap.
        page.goto("/progress/share/")
        expect(page.get_by_text("Opened 1 time")).to_be_visible()
        a11y()
        page.get_by_role("button", name="Stop this link now").click()
        expect(page.get_by_text("It no longer opens.")).to_be_visible()
        expect(page.get_by_role("button", name="Stop this link now")).to_have_count(0)
        a11y()
        assert ShareLink.objects.get().revoked_at is not None

        response = shared.reload()
        assert response.status == 404
        expect(shared.get_by_role("heading", level=1)).to_have_text(
            "This link no longer opens a report"
        )
        shared_a11y()
        shared_a11y.assert_everything_checked()
    finally:
        therapist.close()
