"""htmx keeps no copy of a signed-in person's pages, and the back button still works."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_account_journey import sign_up
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    ensure_catalog_and_vocabulary()


def test_back_after_a_dashboard_range_shows_the_whole_page_and_nothing_is_kept_by_htmx(page, a11y):
    sign_up(page, a11y, email="eddy@example.com")
    person = User.objects.get(email="eddy@example.com")
    today = person.local_today()
    make_history(person, today - timedelta(days=120), today - timedelta(days=1))
    page.goto("/progress/patterns/")
    expect(page.get_by_role("heading", name="Your patterns: 90 days")).to_be_visible()
    a11y()

    page.get_by_role("navigation", name="Time range").get_by_role("link", name="1 year").click()
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/progress/patterns/\?range=1y$"))

    page.go_back()
    expect(page.get_by_role("heading", name="Your patterns: 90 days")).to_be_visible()
    # The whole page came back from the server, not just the charts' fragment.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your patterns")
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
