"""An import passes the same checks as the forms that make each row, or the
file is refused naming the row and the reason; and what the import says never
tells whether an id exists in someone else's account."""

import copy
import json
import re
import time
import uuid
from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portability.export import export_json
from portability.models import PendingImport
from practices.models import PracticeSession
from tests.progress.factories import make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
UPLOAD_URL = "/progress/data/import/"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def upload(client, data: dict):
    file = SimpleUploadedFile("riverwise.json", json.dumps(data).encode(), "application/json")
    return client.post(UPLOAD_URL, {"file": file})


def with_session(exported: dict, practice: str, parameters) -> dict:
    data = copy.deepcopy(exported)
    row = copy.deepcopy(data["practice_sessions"][0])
    row.update(id=str(uuid.uuid4()), practice=practice, parameters=parameters)
    data["practice_sessions"].append(row)
    return data


@pytest.mark.parametrize(
    ("practice", "parameters", "reason"),
    [
        ("grounding", {"sense_order": ["see"] * 400_000}, "Choose one of the orders"),
        ("breathwork", {"pattern": "resonance", "breaths_per_minute": 0}, "at least 4.5"),
        ("breathwork", {"pattern": "resonance", "breaths_per_minute": "abc"}, "such as 5.5"),
        ("breathwork", {"pattern": "custom", "exhale": 6}, "Enter a number of seconds"),
    ],
)
def test_an_import_with_session_settings_the_form_would_refuse_is_refused_naming_the_row(
    owner_client, owner, exported, practice, parameters, reason
):
    data = with_session(exported, practice, parameters)
    row_number = len(data["practice_sessions"])
    started = time.monotonic()
    response = upload(owner_client, data)
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert f"Practice sessions, item {row_number}: parameters:" in html
    assert reason in html
    assert time.monotonic() - started < 10
    assert not PendingImport.objects.exists()
    assert not PracticeSession.objects.for_user(owner).exists()


def test_a_row_with_another_persons_id_and_a_row_with_an_unknown_id_get_the_same_answer(
    client, owner, stranger
):
    theirs = make_session(stranger, TODAY, notes="Sam's note")
    template = json.loads(export_json(stranger))
    with_theirs = copy.deepcopy(template)
    with_nobodys = copy.deepcopy(template)
    with_nobodys["practice_sessions"][0]["id"] = str(uuid.uuid4())
    client.force_login(owner)

    answers = []
    for data in (with_theirs, with_nobodys):
        response = upload(client, data)
        assert response.status_code == 302
        preview = client.get(response["Location"]).content.decode()
        answer = preview.split("<h1>", 1)[1].split("</form>", 1)[0]
        # Only the upload's own address and the CSRF token may differ.
        answers.append(re.sub(r'(action|value)="[^"]*"', "", answer))
    assert answers[0] == answers[1]
    assert "another" not in answers[0].lower()

    # Importing the one with their id adds a copy to this account; theirs is untouched.
    pending = PendingImport.objects.for_user(owner).order_by("created_at").first()
    assert client.post(pending.get_absolute_url(), {}).status_code == 302
    mine = PracticeSession.objects.for_user(owner).get()
    assert mine.public_id != theirs.public_id and mine.notes == "Sam's note"
    theirs.refresh_from_db()
    assert theirs.user == stranger and theirs.notes == "Sam's note"


def test_importing_a_copy_of_someone_elses_ids_twice_adds_it_once(owner_client, owner, stranger):
    make_session(stranger, TODAY)
    data = json.loads(export_json(stranger))
    for _ in range(2):
        owner_client.post(upload(owner_client, data)["Location"], {})
    assert PracticeSession.objects.for_user(owner).count() == 1
    assert PracticeSession.objects.for_user(stranger).count() == 1
