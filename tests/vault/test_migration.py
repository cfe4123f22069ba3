"""The data migration seals rows written before encryption, in batches, builds
their blind index, and reverses."""

import json
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
LABELS = [("journal", "0008_seal_tags_relationships_and_signs")]


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


def raw_column(table: str, column: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [value for (value,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tag_names_relationships_and_window_signs_are_sealed_keyed_and_opened_on_reverse(
    monkeypatch,
):
    from journal.models import Rupture, Tag, WindowMap

    monkeypatch.setattr(migrating, "BATCH_SIZE", 2)
    owner, stranger = make_user("owner@example.com"), make_user("stranger@example.com")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(SEALING)
        old_apps = executor.loader.project_state(SEALING).apps
        names = [(owner, "heron walks"), (owner, "work"), (stranger, "work"), (owner, "zen")]
        for person, name in names:
            old_apps.get_model("journal", "Tag").objects.create(user_id=person.pk, name=name)
        old_apps.get_model("journal", "Rupture").objects.create(
            user_id=owner.pk,
            relationship="my heron sister",
            what_happened="",
            ruptured_on=date(2026, 3, 1),
        )
        for person, above in ((owner, ["heron-tense"]), (stranger, [])):
            old_apps.get_model("journal", "WindowMap").objects.create(
                user_id=person.pk, above_signs=above, below_signs=["numb"]
            )

        executor = MigrationExecutor(connection)
        executor.migrate(LABELS)

        sealed = [
            *raw_column("journal_tag", "name"),
            *raw_column("journal_rupture", "relationship"),
            *map(str, raw_column("journal_windowmap", "above_signs")),
            *map(str, raw_column("journal_windowmap", "below_signs")),
        ]
        assert all("enc1:" in value for value in sealed)  # an empty list is sealed too
        assert not any("heron" in value or "numb" in value for value in sealed)
        tags = Tag.objects.order_by("id")
        assert [(tag.user_id, tag.name) for tag in tags] == [(p.pk, n) for p, n in names]
        assert len({tag.public_id for tag in tags}) == len(names)  # one id each
        assert set(Tag.objects.named(owner, ["work", "zen", "rest"])) == {"work", "zen"}
        assert Rupture.objects.get().relationship == "my heron sister"
        assert WindowMap.objects.get(user=owner).above_signs == ["heron-tense"]
        assert WindowMap.objects.get(user=stranger).above_signs == []
        assert len({m.public_id for m in WindowMap.objects.all()}) == 2

        executor = MigrationExecutor(connection)
        executor.migrate(SEALING)
        assert raw_column("journal_tag", "name") == [name for _, name in names]
        assert raw_column("journal_rupture", "relationship") == ["my heron sister"]
        # JSON again, not a string holding JSON.
        above = raw_column("journal_windowmap", "above_signs")
        assert [json.loads(v) if isinstance(v, str) else v for v in above] == [["heron-tense"], []]
    finally:
        MigrationExecutor(connection).migrate(latest)
