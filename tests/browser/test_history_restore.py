"""Back after an htmx swap brings the whole page back, whichever way it is restored.

There are two ways back. After a full navigation away, the browser loads the
address again itself. After swaps within the page, htmx asks the server for
the address with HX-History-Restore-Request (our pages keep no copy in htmx's
history cache) and swaps the answer in as the whole page. htmx 2 sends
HX-Request with that request too unless historyRestoreAsHxRequest is off;
base.html turns it off, and these tests turn it back on (htmx's default), so
what they exercise is the server's own guard (ipnb_site/htmx.py).
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_practices_journeys import log_in
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history, make_session


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    ensure_catalog_and_vocabulary()


class RestoreRequests:
    """The history-restore requests the page sends, with whether they claim to be htmx's."""

    def __init__(self, page):
        self.seen: list[tuple[str, bool]] = []
        page.on("request", self._watch)

    def _watch(self, request):
        if request.headers.get("hx-history-restore-request") == "true":
            self.seen.append((request.url, request.headers.get("hx-request") == "true"))


def send_restores_as_htmx_requests(page):
    page.evaluate("htmx.config.historyRestoreAsHxRequest = true")


def expect_whole_page(page):
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Need help now? Crisis resources")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_back_to_a_swapped_dashboard_range_shows_the_whole_page(page, a11y):
    person = log_in(page, a11y, timezone="Europe/Berlin")
    today = person.local_today()
    make_history(person, today - timedelta(days=120), today - timedelta(days=1))
    page.goto("/progress/patterns/")
    expect(page.get_by_role("heading", name="Your patterns: 90 days")).to_be_visible()
    a11y()
    restores = RestoreRequests(page)
    send_restores_as_htmx_requests(page)
    ranges = page.get_by_role("navigation", name="Time range")

    # Swap twice, then Back: htmx fetches the first swap's address again.
    ranges.get_by_role("link", name="1 year").click()
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    ranges.get_by_role("link", name="All time").click()
    expect(page.get_by_role("heading", name="Your patterns: All time")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/progress/patterns/\?range=1y$"))
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    expect_whole_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your patterns")
    assert restores.seen == [(page.url, True)]
    a11y()

    # Navigate away, then Back: the browser loads the swapped address itself.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal")
    a11y()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/progress/patterns/\?range=1y$"))
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    expect_whole_page(page)
    a11y()


def test_back_to_a_filtered_practice_history_shows_the_whole_page(page, a11y):
    person = log_in(page, a11y, timezone="Europe/Berlin")
    today = person.local_today()
    make_session(person, today - timedelta(days=2), slug="breathwork")
    make_session(person, today - timedelta(days=1), slug="grounding")
    page.goto("/practices/history/")
    expect(page.get_by_text("2 sessions.")).to_be_visible()
    a11y()
    restores = RestoreRequests(page)
    send_restores_as_htmx_requests(page)
    choose = page.get_by_label("Practice")

    choose.select_option(label="Breathwork")
    expect(page.get_by_text("1 session of Breathwork.")).to_be_visible()
    choose.select_option(label="Grounding 5-4-3-2-1")
    expect(page.get_by_text("1 session of Grounding 5-4-3-2-1.")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/practices/history/\?practice=breathwork$"))
    expect(page.get_by_text("1 session of Breathwork.")).to_be_visible()
    expect_whole_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practice history")
    assert restores.seen == [(page.url, True)]
    a11y()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices")
    a11y()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/practices/history/\?practice=breathwork$"))
    expect(page.get_by_text("1 session of Breathwork.")).to_be_visible()
    expect_whole_page(page)
    a11y()
