"""practices 0006 and portability 0003 sealed JSON on PostgreSQL as a string
holding its JSON text (the old `_convert`, issue #15); practices 0007 and
portability 0004 mend those values with `repairing_json`, in batches, and leave
everything else as it is."""

import json
from datetime import date

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portability.models import PendingImport
from practices.models import Practice, PracticeSession
from tests.conftest import make_user
from tests.vault import sealing_before_915beb7
from vault import migrating
from vault.crypto import UnreadableText, seal_text
from vault.keyring import keys_for

BEFORE = [("practices", "0005_rest_day"), ("portability", "0002_other_apps_history")]
SEALED = [("practices", "0006_seal_session_text"), ("portability", "0003_seal_pending_imports")]
POSTGRES = connection.vendor == "postgresql"


def raw_column(table: str, column: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [value for (value,) in cursor.fetchall()]


def raw_answers() -> list:
    return raw_column("practices_practicesession", "grounding_answers")


def raw_payloads() -> list:
    return raw_column("progress_pendingimport", "payload")


def opened_answers() -> list:
    return [s.grounding_answers for s in PracticeSession.objects.order_by("id")]


def opened_payloads() -> list:
    return [p.payload for p in PendingImport.objects.order_by("id")]


def repair_again(state_apps) -> None:
    """What a second run of both repairs (or a resumed one) does."""
    editor = connection.schema_editor()
    migrating._repair_json(state_apps, editor, "practices.PracticeSession", ("grounding_answers",))
    migrating._repair_json(state_apps, editor, "portability.PendingImport", ("payload",))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_the_old_sealing_left_as_strings_open_as_they_were_after_the_repair(monkeypatch):
    monkeypatch.setattr(migrating, "BATCH_SIZE", 2)
    owner, stranger = make_user("owner@example.com"), make_user("stranger@example.com")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        OldSession = old_apps.get_model("practices", "PracticeSession")
        OldImport = old_apps.get_model("portability", "PendingImport")
        grounding = old_apps.get_model("practices", "Practice").objects.get(slug="grounding")
        answers = [
            {"see": ["a lamp", "the window"], "hear": ["rain"]},
            {},
            {"touch": ['the "soft" chair']},
            {"see": ["the sea"]},
        ]
        people = [owner, stranger, owner, owner]

        def write_session(n: int) -> None:
            OldSession.objects.create(
                user_id=people[n].pk,
                practice_id=grounding.pk,
                local_date=date(2026, 3, 1 + n),
                grounding_answers=answers[n],
            )

        for n in range(3):
            write_session(n)
        payloads = [{"journal": [{"body": "heron at dawn"}]}, {"journal": []}]
        for person, payload in zip((owner, stranger), payloads, strict=True):
            OldImport.objects.create(user_id=person.pk, file_name="mine.json", payload=payload)

        # The old sealing, as it ran: a first attempt stopped after sealing the
        # sessions there were then, so the run that finished went over them again.
        with monkeypatch.context() as old_code:
            old_code.setattr(migrating, "_convert", sealing_before_915beb7._convert)
            sealing_before_915beb7._convert(
                old_apps,
                connection.schema_editor(),
                "practices.PracticeSession",
                ("notes", "before_emotion"),
                ("grounding_answers",),
                seal=True,
            )
            write_session(3)
            executor = MigrationExecutor(connection)
            executor.migrate(SEALED)

        assert all("enc1:" in str(value) for value in [*raw_answers(), *raw_payloads()])
        if POSTGRES:
            # The damage: each opens as a str, the JSON of what it was (once or twice over).
            assert all(isinstance(value, str) for value in opened_answers())
            assert all(isinstance(value, str) for value in opened_payloads())
            assert json.loads(opened_answers()[3]) == answers[3]
            assert json.loads(opened_payloads()[0]) == payloads[0]
        else:
            # SQLite's column was read right: nothing to mend.
            assert opened_answers() == answers
            assert opened_payloads() == payloads
        # Written after the sealing, through the model: right from the start.
        later = PracticeSession.objects.create(
            user=owner,
            practice=Practice.objects.get(slug="grounding"),
            local_date=date(2026, 3, 9),
            grounding_answers={"hear": ["a kettle"]},
        )
        later_raw = raw_answers()[-1]
        before_repair = [*raw_answers(), *raw_payloads()]

        executor = MigrationExecutor(connection)
        executor.migrate(latest)

        assert opened_answers() == [*answers, {"hear": ["a kettle"]}]
        assert opened_payloads() == payloads
        assert raw_answers()[-1] == later_raw
        assert PracticeSession.objects.get(pk=later.pk).grounding_answers == {"hear": ["a kettle"]}
        after_repair = [*raw_answers(), *raw_payloads()]
        if POSTGRES:
            # Every row the old sealing wrote was mended; only the later one kept its value.
            changed = [a != b for a, b in zip(before_repair, after_repair, strict=True)]
            assert changed == [True, True, True, True, False, True, True]
        else:
            assert after_repair == before_repair

        repair_again(executor.loader.project_state(latest).apps)
        assert [*raw_answers(), *raw_payloads()] == after_repair
    finally:
        MigrationExecutor(connection).migrate(latest)


def seal_as_the_old_code_did(row, field_name: str, value, *, times: int = 1) -> None:
    """Store `value` in `row` as the old sealing left it on PostgreSQL: its JSON
    text sealed as a JSON string, `times` runs over."""
    field = type(row)._meta.get_field(field_name)
    key = keys_for(row.user_id).data_key
    text = json.dumps(value)
    for _ in range(times):
        text = json.dumps(seal_text(key, json.dumps(text), field.place(row)))
    cast = "::jsonb" if POSTGRES else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {type(row)._meta.db_table} SET {field.column} = %s{cast} WHERE id = %s",
            [text, row.pk],
        )


def seal_right(row, field_name: str, value) -> None:
    """Store `value` sealed as the model seals it, but as the person's own str."""
    setattr(row, field_name, value)
    row.save(update_fields=[field_name])


@pytest.mark.django_db
def test_the_repair_mends_only_strings_holding_a_list_or_dict_on_either_backend(
    monkeypatch, owner, stranger
):
    monkeypatch.setattr(migrating, "BATCH_SIZE", 2)
    grounding = Practice.objects.get(slug="grounding")
    sessions = [
        PracticeSession.objects.create(
            user=person, practice=grounding, local_date=date(2026, 3, 1 + n)
        )
        for n, person in enumerate([owner, stranger, owner, owner, owner, owner])
    ]
    seal_as_the_old_code_did(sessions[0], "grounding_answers", {"see": ["a lamp"]})
    seal_as_the_old_code_did(sessions[1], "grounding_answers", ["rain", "wind"], times=2)
    seal_right(sessions[2], "grounding_answers", {"hear": ["a kettle"]})
    # A str of the person's own stays a str, even one that reads as JSON of a number,
    # or one that looks sealed.
    seal_right(sessions[3], "grounding_answers", "just words")
    seal_right(sessions[4], "grounding_answers", "42")
    seal_right(sessions[5], "grounding_answers", "enc1:not really")
    imports = [
        PendingImport.objects.hold(person, "mine.json", {"journal": []})
        for person in (owner, stranger)
    ]
    seal_as_the_old_code_did(imports[0], "payload", {"journal": [{"body": "heron"}]})

    assert PracticeSession.objects.get(pk=sessions[0].pk).grounding_answers == '{"see": ["a lamp"]}'
    untouched = [raw_answers()[n] for n in (2, 3, 4, 5)] + [raw_payloads()[1]]

    repair_again(current_apps)

    assert opened_answers() == [
        {"see": ["a lamp"]},
        ["rain", "wind"],
        {"hear": ["a kettle"]},
        "just words",
        "42",
        "enc1:not really",
    ]
    assert opened_payloads() == [{"journal": [{"body": "heron"}]}, {"journal": []}]
    assert [raw_answers()[n] for n in (2, 3, 4, 5)] + [raw_payloads()[1]] == untouched
    mended = [*raw_answers(), *raw_payloads()]
    repair_again(current_apps)
    assert [*raw_answers(), *raw_payloads()] == mended


@pytest.mark.django_db
def test_a_value_that_does_not_open_stops_the_repair(owner, stranger):
    grounding = Practice.objects.get(slug="grounding")
    mine = PracticeSession.objects.create(
        user=owner, practice=grounding, local_date=date(2026, 3, 1), grounding_answers={"a": []}
    )
    theirs = PracticeSession.objects.create(
        user=stranger, practice=grounding, local_date=date(2026, 3, 2)
    )
    with connection.cursor() as cursor:  # a sealed value copied to another person's row
        cursor.execute(
            "UPDATE practices_practicesession SET grounding_answers = "
            "(SELECT grounding_answers FROM practices_practicesession WHERE id = %s) WHERE id = %s",
            [mine.pk, theirs.pk],
        )

    with pytest.raises(UnreadableText):
        repair_again(current_apps)
