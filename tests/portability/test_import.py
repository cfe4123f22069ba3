import copy
import json
from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from journal.models import FacesRating, JournalEntry, NamedEmotion, Rupture, Tag
from portability import importing, reading
from portability.export import export_data, export_json
from portability.models import PendingImport
from portability.tasks import purge_stale_imports
from practices.models import PracticeSession
from reminders.models import Delivery, Reminder
from tests.journal.factories import make_faces
from tests.portability.factories import make_reminder
from tests.progress.factories import make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
UPLOAD_URL = "/progress/data/import/"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def counts(user) -> dict:
    return {
        "sessions": PracticeSession.objects.for_user(user).count(),
        "entries": JournalEntry.objects.for_user(user).count(),
        "feelings": NamedEmotion.objects.for_user(user).count(),
        "faces": FacesRating.objects.for_user(user).count(),
        "ruptures": Rupture.objects.for_user(user).count(),
        "reminders": Reminder.objects.for_user(user).count(),
        "deliveries": Delivery.objects.for_user(user).count(),
        "tags": Tag.objects.for_user(user).count(),
    }


def upload(client, content, name="riverwise-2026-11-24.json"):
    if isinstance(content, dict):
        content = json.dumps(content).encode()
    file = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(UPLOAD_URL, {"file": file})


def text(response) -> str:
    return unescape(response.content.decode())


def test_a_file_is_checked_and_previewed_before_anything_is_added(owner_client, owner, exported):
    before = counts(owner)
    response = upload(owner_client, exported)
    pending = PendingImport.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == f"/progress/data/import/{pending.public_id}/"
    assert counts(owner) == before
    preview = owner_client.get(response["Location"])
    html = text(preview)
    assert preview.status_code == 200
    assert "exported on 24 November 2026 from the account old-me@example.com" in html
    assert '<tr><th scope="row">Practice sessions</th><td>2</td><td>0</td></tr>' in html
    assert '<tr><th scope="row">Journal entries</th><td>2</td><td>0</td></tr>' in html
    assert "Time zone: Asia/Tokyo" in html and "Display name: Liv" in html
    assert "Import 14 items" in html
    assert counts(owner) == before


def test_confirming_imports_everything_and_the_same_file_again_adds_nothing(
    owner_client, owner, exported
):
    pending_url = upload(owner_client, exported)["Location"]
    response = owner_client.post(pending_url, {"restore_settings": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert counts(owner) == {
        "sessions": 2,
        "entries": 2,
        "feelings": 2,
        "faces": 1,
        "ruptures": 2,
        "reminders": 2,
        "deliveries": 1,
        "tags": 2,
    }
    assert "Imported 14 items. Welcome back to your history." in text(owner_client.get("/"))
    owner.refresh_from_db()
    assert (owner.timezone, owner.display_name, owner.hide_streaks) == ("Asia/Tokyo", "Liv", True)
    assert not PendingImport.objects.exists()

    again = upload(owner_client, exported)["Location"]
    assert "Everything in this file is already in your account." in text(owner_client.get(again))
    owner_client.post(again, {})
    assert counts(owner)["sessions"] == 2 and counts(owner)["feelings"] == 2
    assert "Imported 0 items; 14 were already here." in text(owner_client.get("/"))


def test_settings_are_left_alone_unless_asked(owner_client, owner, exported):
    owner_client.post(upload(owner_client, exported)["Location"], {})
    owner.refresh_from_db()
    assert (owner.timezone, owner.display_name, owner.hide_streaks) == (
        "Europe/Berlin",
        "Olive",
        False,
    )
    assert counts(owner)["sessions"] == 2


def test_imported_reminders_are_scheduled_in_the_accounts_zone(owner_client, owner, exported):
    owner_client.post(upload(owner_client, exported)["Location"], {})
    reminder = Reminder.objects.for_user(owner).get(kind="practice")
    assert reminder.next_fire_at == reminder.next_fire_after(datetime.now(UTC))
    local = reminder.next_fire_at.astimezone(owner.zone)
    assert (local.hour, local.minute) == (7, 30)


def problem_page(response) -> str:
    assert response.status_code == 400
    return text(response)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not json", "This doesn't look like a file exported from Riverwise"),
        (b"PK\x03\x04zipped", "This is a zip file, like the spreadsheet (CSV) download"),
        (b'{"entries": []}', "This doesn't look like a file exported from Riverwise"),
        (b"[1, 2, 3]", "This doesn't look like a file exported from Riverwise"),
        (b"\xff\xfe\x00bad", "This doesn't look like a file exported from Riverwise"),
        (
            b'{"format": "riverwise-export", "schema_version": 99}',
            "comes from a newer version of Riverwise",
        ),
        (b'{"format": "riverwise-export"}', "This file's version is missing or damaged"),
        (
            b'{"format": "riverwise-export", "schema_version": 1, "x": ["a\\u0000b"]}',
            "contains characters that can't be stored",
        ),
        (
            b'{"format": "riverwise-export", "schema_version": 1, "x": {"\\ud800": 1}}',
            "contains characters that can't be stored",
        ),
        (
            b'{"format": "riverwise-export", "schema_version": 1, "journal_entries": {}}',
            "The “journal_entries” part of this file is damaged",
        ),
    ],
)
def test_a_bad_or_foreign_file_gets_a_clear_message(owner_client, owner, content, message):
    html = problem_page(upload(owner_client, content))
    assert message in html and "Nothing was imported." in html
    assert not PendingImport.objects.exists()


def test_an_empty_upload_is_refused(owner_client):
    response = owner_client.post(UPLOAD_URL, {})
    assert "This field is required." in problem_page(response)


def test_a_file_over_the_size_limit_is_refused_with_its_size(owner_client, owner):
    big = (
        b'{"format": "riverwise-export", "schema_version": 1, "pad": "'
        + b"x" * (reading.IMPORT_MAX_BYTES)
        + b'"}'
    )
    html = problem_page(upload(owner_client, big))
    assert "This file is 10.0 MB, and the most we can import at once is 10.0 MB." in html
    assert not PendingImport.objects.exists()


def test_every_bad_row_is_listed_and_nothing_is_added(owner_client, owner, exported):
    broken = copy.deepcopy(exported)
    broken["practice_sessions"][1]["after_rating"] = 11
    broken["practice_sessions"][0]["practice"] = "juggling"
    broken["journal_entries"][0]["feelings"][0]["word"] = "zorbish"
    broken["faces_ratings"][0]["local_date"] = "the 5th of never"
    broken["ruptures"][0]["repaired_on"] = "2000-01-01"
    html = problem_page(upload(owner_client, broken))
    assert "Some items in this file can't be read, so nothing was imported." in html
    assert "Practice sessions, item 1: we don't know the practice “juggling”." in html
    assert (
        "Practice sessions, item 2: after rating: Ensure this value is less than or equal to 10."
        in html
    )
    assert "Journal entries, item 1: we don't know the feeling “zorbish”." in html
    assert "FACES ratings, item 1: local date:" in html
    # The rule's one home is the model; the import says what the model says.
    assert f"Repair reflections, item 1: {repair_rule_message()}" in html.replace(
        "repaired on: ", ""
    )
    assert counts(owner)["sessions"] == 0 and not PendingImport.objects.exists()


def repair_rule_message() -> str:
    (rule,) = [c for c in Rupture._meta.constraints if c.name.endswith("repair_after_rupture")]
    return str(rule.get_violation_error_message())


def test_a_file_with_another_accounts_ids_never_touches_their_rows(owner_client, owner, stranger):
    make_session(stranger, TODAY, notes="Sam's note")
    data = json.loads(export_json(stranger))
    owner_client.post(upload(owner_client, data)["Location"], {})
    assert counts(owner)["sessions"] == 1
    theirs = PracticeSession.objects.for_user(stranger).get()
    assert theirs.notes == "Sam's note"
    assert PracticeSession.objects.for_user(owner).get().public_id != theirs.public_id


def test_an_import_that_fails_half_way_adds_nothing(owner_client, owner, exported, monkeypatch):
    pending_url = upload(owner_client, exported)["Location"]

    def fail(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(type(FacesRating.objects), "bulk_create", fail, raising=False)
    response = owner_client.post(pending_url, {"restore_settings": "on"})
    monkeypatch.undo()
    assert "Something in your account changed while importing" in problem_page(response)
    assert counts(owner) == dict.fromkeys(counts(owner), 0)
    owner.refresh_from_db()
    assert owner.timezone == "Europe/Berlin"
    assert PendingImport.objects.filter(user=owner).exists()  # they can try again


def test_a_day_already_rated_keeps_the_accounts_own_faces_rating(owner_client, owner, exported):
    day = date.fromisoformat(exported["faces_ratings"][0]["local_date"])
    mine = make_faces(owner, local_date=day, score=2)
    preview = text(owner_client.get(upload(owner_client, exported)["Location"]))
    assert "1 day in the file already has a FACES rating here; yours is kept." in preview
    owner_client.post(upload(owner_client, exported)["Location"], {})
    assert list(FacesRating.objects.for_user(owner)) == [mine]
    assert FacesRating.objects.get().flexible == 2


def test_reminders_beyond_the_limit_are_refused(owner_client, owner, exported):
    for hour in range(9):
        make_reminder(owner, local_time=datetime(2026, 1, 1, hour).time())
    html = problem_page(upload(owner_client, exported))
    assert "this would give you 11 reminders, and the most is 10" in html
    assert Reminder.objects.for_user(owner).count() == 9


def test_a_stranger_cannot_see_confirm_or_cancel_someone_elses_import(
    client, owner, stranger, exported
):
    client.force_login(owner)
    pending_url = upload(client, exported)["Location"]
    client.force_login(stranger)
    assert client.get(pending_url).status_code == 404
    assert client.post(pending_url, {"restore_settings": "on"}).status_code == 404
    assert client.post(pending_url + "cancel/").status_code == 404
    assert PendingImport.objects.filter(user=owner).count() == 1
    assert counts(owner)["sessions"] == 0 and counts(stranger)["sessions"] == 0
    stranger.refresh_from_db()
    assert stranger.timezone == "America/New_York"


def test_cancelling_forgets_the_file(owner_client, owner, exported):
    pending_url = upload(owner_client, exported)["Location"]
    response = owner_client.post(pending_url + "cancel/")
    assert response["Location"] == "/progress/data/"
    assert not PendingImport.objects.exists()
    assert owner_client.get(pending_url).status_code == 404


def test_a_preview_left_for_over_an_hour_is_gone(owner_client, owner, exported, time_machine):
    pending_url = upload(owner_client, exported)["Location"]
    time_machine.move_to(datetime(2026, 11, 24, 16, 1, tzinfo=UTC), tick=False)
    assert owner_client.get(pending_url).status_code == 404
    purge_stale_imports()  # on beat
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_importing_needs_a_login(client, owner, exported, method):
    response = getattr(client, method)(UPLOAD_URL)
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    assert not PendingImport.objects.exists()


def test_the_exported_data_of_an_import_matches_the_file(owner_client, owner, exported):
    owner_client.post(upload(owner_client, exported)["Location"], {"restore_settings": "on"})
    again = json.loads(json.dumps(export_data(owner), default=str))
    for key in ("practice_sessions", "journal_entries", "faces_ratings", "ruptures"):
        assert [row["id"] for row in again[key]] == [row["id"] for row in exported[key]], key


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damaged_value_is_refused_with_a_message_never_an_error(owner, exported, data):
    damaged = copy.deepcopy(exported)
    kind = data.draw(
        st.sampled_from(
            [
                "practice_sessions",
                "journal_entries",
                "faces_ratings",
                "integration_check_ins",
                "ruptures",
                "reminders",
                "reminder_deliveries",
            ]
        )
    )
    row = data.draw(st.sampled_from(damaged[kind]))
    column = data.draw(st.sampled_from(sorted(row)))
    row[column] = data.draw(json_values)
    try:
        plan = importing.plan_import(owner, damaged)
    except importing.ImportProblem as problem:
        assert problem.message
        return
    # What the checks let through, the database must accept (then roll back).
    with pytest.raises(RolledBack), transaction.atomic():
        importing.apply_plan(plan)
        raise RolledBack


class RolledBack(Exception):
    pass
