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
