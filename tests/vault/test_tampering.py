"""A sealed value moved to another row or another person fails loudly, and the
person sees a kind page, never the text or a trace."""

import logging

import pytest
from django.core.exceptions import FieldError
from django.db import connection, transaction

from journal.models import JournalEntry
from journal.search import JournalFilters, search_journal
from tests.journal.factories import make_entry
from vault import keyring
from vault.crypto import UnreadableText
from vault.models import DataKey, SearchToken

pytestmark = pytest.mark.django_db


def copy_body(source: JournalEntry, target: JournalEntry) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_journalentry SET body = "
            "(SELECT body FROM journal_journalentry WHERE id = %s) WHERE id = %s",
            [source.pk, target.pk],
        )


def test_a_sealed_body_moved_to_another_of_ones_own_entries_does_not_open(owner):
    secret = make_entry(owner, "What I told no one")
    other = make_entry(owner, "An ordinary day")
    copy_body(secret, other)
    with pytest.raises(UnreadableText) as raised:
        _ = JournalEntry.objects.get(pk=other.pk).body
    assert "journal_journalentry.body" in str(raised.value)
    assert "told" not in str(raised.value)
    assert JournalEntry.objects.get(pk=secret.pk).body == "What I told no one"


def test_a_sealed_body_moved_to_another_persons_entry_does_not_open(owner, stranger):
    secret = make_entry(owner, "What I told no one")
    theirs = make_entry(stranger, "Sam's day")
    copy_body(secret, theirs)
    with pytest.raises(UnreadableText):
        _ = JournalEntry.objects.get(pk=theirs.pk).body


def test_a_wrapped_data_key_moved_to_another_person_does_not_unwrap(owner, stranger):
    make_entry(owner, "Mine")
    make_entry(stranger, "Theirs")
    DataKey.objects.filter(user=stranger).update(wrapped=DataKey.objects.get(user=owner).wrapped)
    keyring.forget_all()
    with pytest.raises(UnreadableText):
        _ = JournalEntry.objects.get(user=stranger).body


def test_a_changed_byte_does_not_open(owner):
    entry = make_entry(owner, "Steady")
    sealed = JournalEntry.objects.filter(pk=entry.pk).values_list("body", flat=True).get()
    # A character in the middle (the last ones may only carry base64 padding bits).
    middle = len(sealed) // 2
    flipped = sealed[:middle] + ("A" if sealed[middle] != "A" else "B") + sealed[middle + 1 :]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_journalentry SET body = %s WHERE id = %s", [flipped, entry.pk]
        )
    with pytest.raises(UnreadableText):
        _ = JournalEntry.objects.get(pk=entry.pk).body


def test_the_page_says_so_kindly_and_the_log_names_the_place_not_the_text(client, owner, caplog):
    secret = make_entry(owner, "What I confided to no one")
    other = make_entry(owner, "An ordinary day")
    copy_body(secret, other)
    client.force_login(owner)
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/journal/{other.public_id}/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "We couldn't open something you wrote" in html
    assert "enc1:" not in html and "Traceback" not in html and "confided" not in html
    logged = "\n".join(record.getMessage() + str(record.exc_info) for record in caplog.records)
    assert "UnreadableText" in logged and "journal_journalentry.body" in logged
    assert "confided" not in logged


def test_plain_text_cannot_be_written_or_matched_past_the_model(owner):
    entry = make_entry(owner, "Steady")
    with pytest.raises(ValueError, match="sealed"), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(body="Written around the model")
    entry.body = "Changed"
    with pytest.raises(ValueError, match="sealed"), transaction.atomic():
        JournalEntry.objects.bulk_update([entry], ["body"])
    # Matching words in the database would find nothing, silently: refused instead.
    with pytest.raises(FieldError):
        JournalEntry.objects.filter(body__contains="Steady").exists()
    # Whether a body is empty can still be asked.
    assert JournalEntry.objects.filter(body="").count() == 0


def test_a_search_count_moved_to_another_row_does_not_open_and_that_row_is_counted_from_its_text(
    owner,
):
    often = make_entry(owner, "River, river, river, river.")
    once = make_entry(owner, "The river.")
    [token] = SearchToken.objects.filter(row_id=often.public_id).values_list("token", flat=True)
    moved = SearchToken.objects.get(row_id=often.public_id, token=token).sealed_count
    SearchToken.objects.filter(row_id=once.public_id, token=token).update(sealed_count=moved)
    rows = search_journal(owner, JournalFilters(q="river"))
    assert [(row.result_id, row.result_rank) for row in rows] == [
        (often.public_id, 4.0),
        (once.public_id, 1.0),
    ]
