"""Sealed text that does not open shows a kind, accessible page, and nothing of it."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_account_journey import sign_up
from tests.journal.factories import make_entry
from tests.progress.factories import ensure_catalog_and_vocabulary


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(transactional_db):
    ensure_catalog_and_vocabulary()


def test_an_entry_whose_text_was_moved_says_so_kindly(page, a11y):
    sign_up(page, a11y, email="wren@example.com")
    person = User.objects.get(email="wren@example.com")
    secret = make_entry(person, "Something I confided")
    other = make_entry(person, "An ordinary day")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_journalentry SET body = "
            "(SELECT body FROM journal_journalentry WHERE id = %s) WHERE id = %s",
            [secret.pk, other.pk],
        )

    response = page.goto(f"/journal/{other.public_id}/")

    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "We couldn't open something you wrote"
    )
    expect(page.get_by_role("link", name="Back to the start")).to_be_visible()
    assert "confided" not in page.content() and "enc1:" not in page.content()
    a11y()
