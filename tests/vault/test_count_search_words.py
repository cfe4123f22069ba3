"""`count_search_words`: tokens made before the index kept counts get them."""

from io import StringIO

import pytest
from django.core.management import call_command

from journal.search import JournalFilters, search_journal
from tests.journal.factories import make_entry
from vault.models import SearchToken

pytestmark = pytest.mark.django_db


def ranked(user, q: str) -> list:
    return [(row.result_id, row.result_rank) for row in search_journal(user, JournalFilters(q=q))]


def test_old_tokens_get_their_counts_once_and_the_ranking_stays(owner, stranger):
    often = make_entry(owner, "River, river, river.")
    once = make_entry(owner, "The river.")
    make_entry(stranger, "A river too.")
    SearchToken.objects.update(sealed_count=b"")
    assert ranked(owner, "river") == [(often.public_id, 3.0), (once.public_id, 1.0)]
    out = StringIO()
    call_command("count_search_words", "--batch-size", "2", stdout=out)
    assert "Counted the words of 3 rows" in out.getvalue()
    assert not SearchToken.objects.filter(sealed_count=b"").exists()
    assert SearchToken.objects.filter(row_id=often.public_id).count() == 1
    assert ranked(owner, "river") == [(often.public_id, 3.0), (once.public_id, 1.0)]
    again = StringIO()
    call_command("count_search_words", stdout=again)
    assert "Counted the words of 0 rows" in again.getvalue()


def test_beat_catches_up_a_few_rows_a_run_and_then_finds_none(owner, settings):
    from vault import tasks
    from vault.blind_index import count_uncounted_rows

    entries = [make_entry(owner, f"River walk number {n}.") for n in range(3)]
    SearchToken.objects.update(sealed_count=b"")
    assert count_uncounted_rows(batch_size=1, most=2) == 2
    assert SearchToken.objects.filter(sealed_count=b"").values("row_id").distinct().count() == 1
    assert tasks.count_search_words() == 1
    assert tasks.count_search_words() == 0
    assert not SearchToken.objects.filter(sealed_count=b"").exists()
    assert ranked(owner, "river") and len(ranked(owner, "river")) == len(entries)
    entry = settings.CELERY_BEAT_SCHEDULE["count-search-words"]
    assert entry["task"] == "vault.tasks.count_search_words"
