import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import models

from journal.models import FacesRating, JournalEntry, NamedEmotion
from portability import export
from portability.reading import SCHEMA_VERSION
from portability.registry import kinds, left_out_models
from practices.models import PracticeSession
from tests.journal.factories import make_entry
from tests.portability.factories import make_rich_history
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
JSON_URL = "/progress/data/riverwise.json"
CSV_URL = "/progress/data/riverwise-csv.zip"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def download_json(client) -> dict:
    response = client.post(JSON_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_json_export_is_a_versioned_attachment(owner_client, owner):
    response = owner_client.post(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="riverwise-2026-11-24.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "riverwise-export"
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["account"]["email"] == owner.email


def test_everything_a_person_keeps_is_in_the_export_under_its_public_id(owner_client, owner):
    make_rich_history(owner, TODAY)
    data = download_json(owner_client)
    sessions = {row["id"]: row for row in data["practice_sessions"]}
    assert set(sessions) == {str(s.public_id) for s in PracticeSession.objects.for_user(owner)}
    grounding = next(row for row in sessions.values() if row["practice"] == "grounding")
    assert grounding["grounding_answers"] == {"see": ["a lamp", "the window"]}
    assert grounding["completed"] is False
    (entry, draft) = data["journal_entries"]
    # Text is sealed in the database, so the entry is found by its words in Python.
    walked = [e for e in JournalEntry.objects.all() if e.body.startswith("Walked")]
    assert entry["id"] == str(walked[0].public_id)
    assert entry["body"] == "Walked by the river. Ça va."
    assert entry["tags"] == ["evening", "walks"]
    assert {
        (f["word"], f["intensity"], f["intensity_after"], f["body_location"])
        for f in entry["feelings"]
    } == {
        ("calm", 3, 2, "chest"),
        ("anxious", 4, None, ""),
    }
    assert draft["is_draft"] is True
    assert data["journal_tags"] == ["evening", "walks"]
    assert data["faces_ratings"][0]["note"] == "Steady"
    assert data["integration_check_ins"][0]["integration_signs"] == ["pausing"]
    repaired = data["ruptures"][0]
    assert (repaired["felt"], repaired["repair_status"], repaired["my_part"]) == (
        ["frustrated"],
        "repaired",
        "I interrupted.",
    )
    assert {r["kind"] for r in data["reminders"]} == {"practice", "weekly_summary"}
    assert data["reminder_deliveries"][0]["status"] == "sent"
    assert data["reminder_preferences"]["paused_until"] == "2026-11-27"
    assert data["account"]["hide_streaks"] is True
    # Times keep their full precision.
    created = walked[0].created_at
    assert entry["created_at"] == created.isoformat()


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.key)
def test_every_field_is_exported_or_deliberately_left_out(kind):
    # A field added to a model later must be exported or named as left out here.
    fields = {f.name for f in kind.model._meta.get_fields() if f.concrete or f.many_to_many}
    fields -= {f.name for f in kind.model._meta.get_fields() if f.auto_created and not f.concrete}
    assert fields == kind.fields_covered


def _holds_personal_rows(model) -> bool:
    """Does this model have a path of foreign keys to a user?"""
    user_model = apps.get_model("accounts", "User")
    seen, frontier = set(), [model]
    while frontier:
        current = frontier.pop()
        for f in current._meta.get_fields():
            if isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete:
                if f.related_model is user_model:
                    return True
                if f.related_model not in seen:
                    seen.add(f.related_model)
                    frontier.append(f.related_model)
    return False


# Models that point at a person but aren't their content: admin history,
# portability's own hour-long holding area for an uploaded file, and the times
# of recent downloads (kept an hour to pace them).
NOT_EXPORTED = {
    "admin.LogEntry",
    "portability.PendingImport",
    "portability.DataExport",
    "portability.ImportUpload",
    # Signed-in browsers and the Activity page's record: the account's own history,
    # shown on its pages; an import must never be able to write it.
    "activity.DeviceSession",
    "activity.ActivityEvent",
    # Keyed hashes of other apps' rows, keyed to this account: meaningless elsewhere.
    "portability.ImportedRow",
    # The person's wrapped data key and search tokens: made anew where they import.
    "vault.DataKey",
    "vault.SearchToken",
    # Ways to sign in, not things a person wrote: a copy in a downloaded file would
    # be a copy of a key (two-step sign-in's passkeys, app and recovery codes).
    "mfa.Passkey",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "otp_static.StaticToken",
    # A device's push address and keys work only with this site's VAPID key: no use
    # elsewhere, and a capability better kept out of a downloaded file.
    "push.PushSubscription",
    # Only whether the look back is on (left out with its reason in journal/portability.py).
    "journal.LookBackPlan",
}


def test_every_model_that_holds_a_persons_rows_is_exported():
    exported = {kind.model._meta.label for kind in kinds()}
    personal = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.label != "accounts.User" and _holds_personal_rows(model)
    }
    # Or an app leaves it out, with its reason, in its own portability.py.
    left_out = NOT_EXPORTED | set(left_out_models())
    assert personal - left_out <= exported, personal - left_out - exported


def test_the_export_holds_only_the_owners_rows_and_nothing_deleted(owner_client, owner, stranger):
    make_history(stranger, TODAY - timedelta(days=30), TODAY)
    make_entry(stranger, "Sam's private words")
    make_session(owner, TODAY)
    kept = make_entry(owner, "Kept")
    gone = make_entry(owner, "Deleted a moment ago")
    gone.soft_delete()
    data = download_json(owner_client)
    text = json.dumps(data)
    assert "Sam's private words" not in text and stranger.email not in text
    assert [row["id"] for row in data["journal_entries"]] == [str(kept.public_id)]
    assert len(data["practice_sessions"]) == 1
    assert data["faces_ratings"] == []
    stranger_ids = {
        str(i) for i in FacesRating.objects.for_user(stranger).values_list("public_id", flat=True)
    }
    assert stranger_ids and not stranger_ids & {r["id"] for r in data["faces_ratings"]}


def test_a_stranger_downloading_gets_only_their_own_data(stranger_client, owner, stranger):
    make_rich_history(owner, TODAY)
    data = download_json(stranger_client)
    assert data["account"]["email"] == stranger.email
    assert all(not data[kind] for kind in ("practice_sessions", "journal_entries", "reminders"))
    with zipfile.ZipFile(io.BytesIO(stranger_client.post(CSV_URL).content)) as archive:
        everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert "Walked by the river" not in everything and owner.email not in everything


def read_csv(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(f"riverwise/{name}").decode("utf-8-sig"))))


def test_the_csv_download_is_one_file_per_kind_in_a_zip(owner_client, owner):
    make_rich_history(owner, TODAY)
    response = owner_client.post(CSV_URL)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="riverwise-2026-11-24.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"riverwise/{name}.csv"
            for name in (
                "account",
                "practice_sessions",
                "rest_days",
                "journal_entries",
                "feelings",
                "journal_tags",
                "faces_ratings",
                "integration_check_ins",
                "ruptures",
                "window_check_ins",
                "reminders",
                "reminder_deliveries",
            )
        )
        sessions = read_csv(archive, "practice_sessions.csv")
        entries = read_csv(archive, "journal_entries.csv")
        feelings = read_csv(archive, "feelings.csv")
    assert len(sessions) == 2
    # A note that looks like a spreadsheet formula is written so it can't run.
    assert {row["notes"] for row in sessions} == {"'=SUM(A1) felt warm", ""}
    walked = next(row for row in entries if row["body"].startswith("Walked"))
    assert walked["tags"] == "evening; walks"
    assert walked["is_draft"] == "no"
    assert {row["word"] for row in feelings if row["entry"] == walked["id"]} == {"calm", "anxious"}
    assert NamedEmotion.objects.for_user(owner).count() == len(feelings)


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL, "/progress/data/"])
def test_it_needs_a_login(client, owner, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_export_costs_the_same_queries_for_a_week_and_for_years(
    owner, stranger, django_assert_num_queries
):
    make_history(owner, TODAY - timedelta(days=6), TODAY)
    make_history(stranger, TODAY - timedelta(days=3 * 365), TODAY)
    with django_assert_num_queries(15):
        small = export.export_data(owner)
    with django_assert_num_queries(15):
        large = export.export_data(stranger)
    assert len(large["practice_sessions"]) > 50 * len(small["practice_sessions"])


def test_the_data_page_offers_both_downloads_the_import_and_the_report(stranger_client, owner):
    make_rich_history(owner, TODAY)
    html = stranger_client.get("/progress/data/").content.decode()
    assert f'<form method="post" action="{JSON_URL}">' in html
    assert f'<form method="post" action="{CSV_URL}">' in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert 'href="/progress/report/"' in html and 'href="/accounts/delete/"' in html
    assert owner.email not in html and "Olive" not in html


HOSTILE_STARTS = [
    '=HYPERLINK("https://evil.example")',
    '\uff1dHYPERLINK("https://evil.example")',  # full-width equals
    "\uff0bSUM(1,2)",  # full-width plus
    "\uff0dSUM(1,2)",  # full-width minus
    "\uff20SUM(A1)",  # full-width at
    " =SUM(A1)",
    "\t=SUM(A1)",
    "\r=SUM(A1)",
    "\n=SUM(A1)",
    "  \n +SUM(A1)",
    " -2+3",
    "\n@SUM(A1)",
    "\u3000\uff1dSUM(A1)",  # an ideographic space before a full-width equals
]


@pytest.mark.parametrize("text", HOSTILE_STARTS)
def test_a_journal_entry_a_spreadsheet_would_read_as_a_formula_is_written_as_text(owner, text):
    entry = make_entry(owner, text)
    with zipfile.ZipFile(io.BytesIO(export.export_csv_zip(owner))) as archive:
        (row,) = read_csv(archive, "journal_entries.csv")
    # A leading apostrophe makes every spreadsheet show the cell as text; the rest is kept.
    assert row["body"] == "'" + entry.body


def test_ordinary_text_is_written_exactly_as_it_was_typed(owner):
    make_entry(owner, "  a slow morning, 5-4-3-2-1 grounding = calm")
    with zipfile.ZipFile(io.BytesIO(export.export_csv_zip(owner))) as archive:
        (row,) = read_csv(archive, "journal_entries.csv")
    assert row["body"] == "  a slow morning, 5-4-3-2-1 grounding = calm"
