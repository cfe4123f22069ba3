"""A word a person writes is nowhere in the database, yet they can find it,
download it, and bring it back."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from journal.search import JournalFilters, search_journal
from portability.models import PendingImport
from tests.conftest import PASSWORD
from tests.journal.factories import make_entry
from tests.vault.places import PLACES, stem, unique_word
from vault.models import DataKey, SearchToken

pytestmark = pytest.mark.django_db


def table_text(model) -> str:
    """Every column of every row of the table, as the database gives it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
        return repr(cursor.fetchall())


def assert_not_in(word: str, text: str) -> None:
    assert stem(word) in word  # the stem is the part of the word that could leak
    assert stem(word).lower() not in text.lower()


@pytest.mark.parametrize("place", PLACES, ids=str)
def test_a_word_written_there_is_not_in_the_table_yet_reads_and_is_found(owner, place):
    word = unique_word()
    row = place.write(owner, word)

    assert_not_in(word, table_text(place.model))
    assert_not_in(word, table_text(SearchToken))
    assert word in place.read(row)
    if place.search_kind:
        found = search_journal(owner, JournalFilters(q=word))
        assert [(r.result_kind, r.result_id) for r in found] == [(place.search_kind, row.public_id)]
        # Another form of the word finds it too: the index holds stems.
        assert len(search_journal(owner, JournalFilters(q=word.removesuffix("ing") + "ed"))) == 1


@pytest.mark.parametrize("place", [p for p in PLACES if p.exported], ids=str)
def test_the_export_holds_plain_text_and_importing_it_seals_it_again(
    client, owner, stranger, place
):
    word = unique_word()
    place.write(owner, word)
    client.force_login(owner)
    exported = client.post("/progress/data/riverwise.json").content
    assert word in exported.decode()
    # The owner leaves; the file is all that is left of their words.
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not DataKey.objects.filter(user_id=owner.pk).exists()

    client.force_login(stranger)
    upload = SimpleUploadedFile("riverwise.json", exported, "application/json")
    preview = client.post("/progress/data/import/", {"file": upload})["Location"]
    # The whole journal waits for a yes: sealed while it waits.
    assert PendingImport.objects.filter(user=stranger).exists()
    assert_not_in(word, table_text(PendingImport))
    restore = {"restore_settings": "on"} if place.setting else {}
    assert client.post(preview, restore).status_code == 302

    rows = [
        r for r in place.model.objects.filter(user=stranger) if word in str(getattr(r, place.field))
    ]
    assert len(rows) == 1
    assert_not_in(word, table_text(place.model))
    if place.search_kind:
        assert [r.result_id for r in search_journal(stranger, JournalFilters(q=word))] == [
            rows[0].public_id
        ]


def test_sealed_tags_relationships_and_signs_still_show_filter_and_export(client, owner):
    from journal.models import Rupture, Tag, WindowMap
    from tests.journal.factories import make_entry, make_rupture

    tag, relationship, sign = unique_word(0), unique_word(1), unique_word(2)
    tagged = make_entry(owner, "A long walk", tags=["rest", tag])  # "rest" made first
    untagged = make_entry(owner, "A short walk", tags=["rest"])
    rupture = make_rupture(owner, relationship=relationship)
    WindowMap.objects.create(user=owner, above_signs=["tense"], below_signs=[sign])
    for model in (Tag, Rupture, WindowMap):
        for word in (tag, relationship, sign):
            assert_not_in(word, table_text(model))

    client.force_login(owner)
    # Tags read in order of their names, though the database can't sort them.
    assert f">{tag}</a>, <a" in client.get(f"/journal/{tagged.public_id}/").content.decode()
    found = client.get("/journal/search/", {"tag": tag}).content.decode()
    assert f"/journal/{tagged.public_id}/" in found
    assert f"/journal/{untagged.public_id}/" not in found
    both = client.get("/journal/search/", {"tag": "rest"}).content.decode()
    assert f"/journal/{tagged.public_id}/" in both and f"/journal/{untagged.public_id}/" in both
    assert f'<option value="{tag}"' in found  # the filter offers the tag by its name
    assert relationship in client.get("/journal/repair/").content.decode()
    assert relationship in client.get(f"/journal/repair/{rupture.public_id}/").content.decode()
    assert sign in client.get("/journal/window/").content.decode()
    assert sign in client.get("/").content.decode()

    exported = client.post("/progress/data/riverwise.json").json()
    assert exported["journal_tags"] == sorted([tag, "rest"])
    (entry,) = [e for e in exported["journal_entries"] if e["id"] == str(tagged.public_id)]
    assert entry["tags"] == sorted([tag, "rest"])
    assert exported["ruptures"][0]["relationship"] == relationship
    assert exported["window_map"] == {"above_signs": ["tense"], "below_signs": [sign]}


def whole_database_bytes() -> bytes:
    """pg_dump of the whole test database; on SQLite, its files."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--no-owner", "-h", settings["HOST"] or "localhost"]
        if settings["PORT"]:
            command += ["-p", str(settings["PORT"])]
        command += ["-U", settings["USER"], settings["NAME"]]
        env = os.environ | {"PGPASSWORD": settings["PASSWORD"] or ""}
        return subprocess.run(command, env=env, capture_output=True, check=True).stdout
    name = Path(settings["NAME"])
    return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dump_of_the_whole_database_holds_none_of_the_words(owner):
    words = [unique_word(n) for n in range(len(PLACES))]
    rows = [place.write(owner, word) for place, word in zip(PLACES, words, strict=True)]

    dump = whole_database_bytes().decode("utf-8", errors="replace").lower()

    assert "create table" in dump or connection.vendor != "postgresql"
    assert "journal_journalentry" in dump
    for word in words:
        assert stem(word) not in dump, word
    assert re.search(r"enc1:", dump)
    # The words still read, and are found.
    for place, row, word in zip(PLACES, rows, words, strict=True):
        assert word in place.read(row)
    assert search_journal(owner, JournalFilters(q=words[0]))


def test_purging_a_deleted_entry_takes_its_search_tokens_too(owner, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from journal.models import JournalEntry
    from tests.journal.factories import make_entry

    kept, gone = make_entry(owner, "river kept"), make_entry(owner, "river gone")
    gone.soft_delete()
    time_machine.move_to(timezone.now() + timedelta(hours=1))
    assert JournalEntry.objects.purge_deleted() == 1
    assert set(SearchToken.objects.values_list("row_id", flat=True)) == {kept.public_id}


def test_the_index_keeps_how_often_a_word_occurs_only_sealed_and_all_counts_alike_in_length(
    owner,
):
    once = make_entry(owner, "Heron.")
    often = make_entry(owner, "Heron, heron, heron, heron, heron.")
    again = make_entry(owner, "Heron.")
    sealed = {
        row.public_id: bytes(
            SearchToken.objects.filter(row_id=row.public_id)
            .values_list("sealed_count", flat=True)
            .get()
        )
        for row in (once, often, again)
    }
    assert len({len(value) for value in sealed.values()}) == 1  # 5 looks like 1
    assert sealed[once.public_id] != sealed[again.public_id]  # 1 does not look like 1
    assert [row.result_rank for row in search_journal(owner, JournalFilters(q="heron"))] == [
        5.0,
        1.0,
        1.0,
    ]
