"""The data migration seals rows written before encryption, in batches, builds
their blind index, and reverses."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from journal.models import JournalEntry
from journal.search import JournalFilters, search_journal
from tests.conftest import make_user
from vault import migrating
from vault.models import SearchToken

BEFORE = [("journal", "0006_window_of_tolerance_and_look_back")]
SEALING = [("journal", "0007_seal_written_text")]


def raw_bodies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM journal_journalentry ORDER BY id")
        return [body for (body,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_plain_rows_are_sealed_in_batches_indexed_and_opened_again_on_reverse(
    monkeypatch,
):
    monkeypatch.setattr(migrating, "BATCH_SIZE", 2)
    owner, stranger = make_user("owner@example.com"), make_user("stranger@example.com")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        OldEntry = old_apps.get_model("journal", "JournalEntry")
        words = ["heron at dawn", "heron again", "the orchard", "", "stranger's heron"]
        for n, body in enumerate(words):
            OldEntry.objects.create(
                user_id=(stranger if n == 4 else owner).pk,
                local_date=date(2026, 3, 1 + n),
                body=body,
            )
        assert raw_bodies() == words

        executor = MigrationExecutor(connection)
        executor.migrate(SEALING)

        sealed = raw_bodies()
        assert all(body.startswith("enc1:") for body in sealed if body) and "" in sealed
        assert not any("heron" in body for body in sealed)
        assert sorted(e.body for e in JournalEntry.objects.all()) == sorted(words)
        found = search_journal(owner, JournalFilters(q="herons"))
        assert sorted(JournalEntry.objects.get(public_id=r.result_id).body for r in found) == [
            "heron again",
            "heron at dawn",
        ]
        # Running the sealing again changes nothing (an interrupted run resumes).
        migrating._convert(
            executor.loader.project_state(SEALING).apps,
            connection.schema_editor(),
            "journal.JournalEntry",
            ("body",),
            (),
            seal=True,
        )
        assert raw_bodies() == sealed

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        assert raw_bodies() == words
        assert not SearchToken.objects.filter(kind="entry").exists()
    finally:
        MigrationExecutor(connection).migrate(latest)
