import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_account_journey import sign_up
from tests.progress.factories import ensure_catalog_and_vocabulary, make_history


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    # Earlier live-server tests may have flushed what the data migrations filled.
    ensure_catalog_and_vocabulary()


def test_dashboard_ranges_swap_in_place_and_the_data_pages_work(page, a11y):
    sign_up(page, a11y, email="brook@example.com")
    expect(page.get_by_role("region", name="Start here")).to_be_visible()

    person = User.objects.get(email="brook@example.com")
    today = person.local_today()
    make_history(person, today - timedelta(days=120), today - timedelta(days=1))
    page.reload()
    expect(
        page.get_by_role("img", name=re.compile(r"^Minutes practised each day, last 12 months"))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Minutes per week by kind"))).to_be_visible()
    expect(page.get_by_text("Suggested for today:")).to_be_visible()
    a11y()

    page.get_by_role("link", name="Your patterns").click()
    expect(page.get_by_role("heading", name="Your patterns: 90 days")).to_be_visible()
    a11y()

    # Switching the range swaps only the charts (no page load), keeps the
    # address shareable, and leaves keyboard focus on the chosen range.
    loads = len(a11y.loaded)
    ranges = page.get_by_role("navigation", name="Time range")
    ranges.get_by_role("link", name="1 year").click()
    expect(page.get_by_role("heading", name="Your patterns: 1 year")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Flexible FACES, 1 to 5"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"You rated FACES on \d+ days in the last year"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/progress/patterns/\?range=1y$"))
    assert len(a11y.loaded) == loads
    chosen = ranges.get_by_role("link", name="1 year")
    expect(chosen).to_have_attribute("aria-current", "true")
    expect(chosen).to_be_focused()
    panel = page.locator("#progress-panel")
    panel.get_by_text("Show the numbers").first.click()
    expect(panel.get_by_role("row", name=re.compile(r"^\d+ \w+ \d{4} "))).not_to_have_count(0)
    a11y()

    # Download everything, then offer the same file back: nothing new to add.
    page.get_by_role("link", name="download or import it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    a11y()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything (JSON)").click()
    saved = Path(download.value.path())
    data = json.loads(saved.read_text())
    assert data["schema_version"] == 1 and len(data["practice_sessions"]) > 50
    page.get_by_label("Your export file (.json)").set_input_files(
        files=[
            {"name": "riverwise.json", "mimeType": "application/json", "buffer": saved.read_bytes()}
        ]
    )
    page.get_by_role("button", name="Check this file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    expect(page.get_by_text("Everything in this file is already in your account.")).to_be_visible()
    a11y()
    page.get_by_role("button", name="Cancel, and forget this file").click()
    expect(page.get_by_text("Import cancelled. Nothing was added.")).to_be_visible()
    a11y()

    # The printable report: a print button (script), and no site chrome on paper.
    page.get_by_role("link", name="Make a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Your report: "))
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Download as PDF")).to_be_visible()
    a11y()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Show report")).to_be_hidden()
    expect(page.get_by_role("button", name="Download as PDF")).to_be_hidden()
    expect(page.get_by_role("img", name="Minutes practised each day")).to_be_visible()
    expect(page.get_by_role("heading", name="Practice", exact=True)).to_be_visible()
    page.emulate_media(media="screen")
