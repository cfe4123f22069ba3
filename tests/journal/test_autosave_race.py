"""An autosave still in flight when Save lands must not turn the saved entry back
into a draft (seen once in CI's journal journey). Row locks make this a
PostgreSQL test: the autosave is caught waiting for the saving transaction."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from journal.models import JournalEntry
from tests.journal.test_autosave import autosave, page_draft_key

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks: CI runs this on PostgreSQL"
    ),
]


def wait_until_a_request_waits_for_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the autosave never waited for the saving transaction")


def test_an_autosave_waiting_on_save_leaves_the_saved_entry_alone(owner):
    client = Client()
    client.force_login(owner)
    key = page_draft_key(client)
    assert autosave(client, key, "First words").status_code == 200
    entry = JournalEntry.objects.get()

    saving = threading.Event()
    may_commit = threading.Event()

    def save_the_entry():
        # What Save does to the draft, held open until the autosave is waiting on it.
        try:
            with transaction.atomic():
                row = JournalEntry.objects.select_for_update().get(pk=entry.pk)
                row.body, row.is_draft = "Final words", False
                row.save()
                saving.set()
                assert may_commit.wait(timeout=20)
        finally:
            connections.close_all()

    answers = []

    def autosave_late():
        try:
            answers.append(autosave(client, key, "First words, and a few"))
        finally:
            connections.close_all()

    saver = threading.Thread(target=save_the_entry)
    saver.start()
    assert saving.wait(timeout=20)
    late = threading.Thread(target=autosave_late)
    late.start()
    wait_until_a_request_waits_for_a_lock()
    may_commit.set()
    saver.join(timeout=30)
    late.join(timeout=30)

    assert [answer.status_code for answer in answers] == [200]
    entry.refresh_from_db()
    assert (entry.body, entry.is_draft) == ("Final words", False)
