"""Bringing Daylio history, on a phone: upload, check the moods, import, read the journal."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from journal.models import EmotionWord, JournalEntry
from journal.vocabulary import sync_vocabulary
from portability.models import ImportedRow
from tests.browser.measure import phone, widest_overflow
from tests.journal.factories import entry_whose_words

DAYLIO_FILE = Path(__file__).parents[1] / "portability" / "files" / "daylio.csv"


@pytest.fixture(autouse=True)
def vocabulary(a11y):
    sync_vocabulary(EmotionWord)


@pytest.fixture
def signed_in(page, live_server):
    user = User.objects.create_user(
        email="ash@example.com",
        password="a long river",
        display_name="Ash",
        timezone="Europe/Berlin",
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return user


@phone
def test_upload_a_daylio_file_check_the_moods_import_and_read_the_entries(page, a11y, signed_in):
    page.goto("/progress/data/")
    a11y()
    upload = page.get_by_label("A CSV file from Daylio, Bearable or a spreadsheet")
    upload.set_input_files(str(DAYLIO_FILE))
    page.get_by_role("region", name="Bring your history from another app").get_by_role(
        "button", name="Check this CSV file"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    expect(page.get_by_text("5 journal entries", exact=False)).to_be_visible()
    a11y()
    assert widest_overflow(page) == []
    rad = page.get_by_label("“rad” becomes")
    expect(rad).to_have_value("joyful")
    expect(page.get_by_text("Now: joyful, high energy, pleasant.")).to_be_visible()
    # The person feels "rad" was closer to grateful, and checks the examples again.
    rad.select_option("grateful")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_text("Now: grateful, low energy, pleasant.")).to_be_visible()
    a11y()

    page.get_by_role("button", name="Import 5 entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal")
    expect(page.get_by_text("Imported 5 journal entries from your file.")).to_be_visible()
    expect(page.get_by_text("Dinner, finally").first).to_be_visible()
    a11y()
    assert JournalEntry.objects.for_user(signed_in).count() == 5
    assert ImportedRow.objects.filter(user=signed_in).count() == 5
    dinner = entry_whose_words(signed_in, str.startswith, "Dinner")
    assert [named.emotion.word for named in dinner.named_emotions.all()] == ["grateful"]


@phone
def test_a_spreadsheet_asks_for_its_columns_and_a_bad_row_is_named(page, a11y, signed_in):
    files = DAYLIO_FILE.parent
    page.goto("/progress/data/")
    a11y()
    upload = page.get_by_label("A CSV file from Daylio, Bearable or a spreadsheet")
    upload.set_input_files(str(files / "daylio_bad_rows.csv"))
    history = page.get_by_role("region", name="Bring your history from another app")
    history.get_by_role("button", name="Check this CSV file").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 4: “25:99” isn't a time we can read.")
    a11y()

    upload = page.get_by_label("A CSV file from Daylio, Bearable or a spreadsheet")
    upload.set_input_files(str(files / "spreadsheet.csv"))
    history.get_by_role("button", name="Check this CSV file").click()
    expect(page.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    a11y()
    page.get_by_label("Dates are written as").select_option("dmy")
    page.get_by_role("button", name="Show what would be added").click()
    expect(page.get_by_text("2 journal entries", exact=False)).to_be_visible()
    expect(page.get_by_text("Now: calm, low energy, pleasant.")).to_be_visible()
    a11y()
    assert widest_overflow(page) == []
    page.get_by_role("button", name="Import 2 entries").click()
    expect(page.get_by_text("Imported 2 journal entries from your file.")).to_be_visible()
    a11y()
    assert JournalEntry.objects.for_user(signed_in).count() == 2
