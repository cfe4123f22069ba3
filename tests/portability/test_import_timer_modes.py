"""An import brings the meditation timer's start delay, endless and silent modes
under the same rules as the start form."""

import copy
import json
import uuid
from datetime import UTC, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portability.models import PendingImport
from practices.models import PracticeSession

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/progress/data/import/"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def with_timer_session(exported: dict, parameters) -> dict:
    data = copy.deepcopy(exported)
    row = copy.deepcopy(data["practice_sessions"][0])
    row.update(
        id=str(uuid.uuid4()),
        practice="meditation-timer",
        parameters=parameters,
        planned_seconds=None,
        grounding_answers={},
    )
    data["practice_sessions"].append(row)
    return data


def upload(client, data: dict):
    file = SimpleUploadedFile("riverwise.json", json.dumps(data).encode(), "application/json")
    return client.post(UPLOAD_URL, {"file": file})


@pytest.mark.parametrize(
    ("parameters", "reason"),
    [
        ({"minutes": 10, "start_delay": 7}, "Choose a start delay from the list."),
        ({"endless": True, "minutes": 10}, "A sit with no set end has no minutes"),
        ({"endless": "true"}, "This should be true or false."),
        ({"minutes": 10, "silent": True, "sound": True}, "A silent sit rings no bells"),
    ],
)
def test_an_import_with_timer_modes_the_form_would_refuse_is_refused_naming_the_row(
    owner_client, owner, exported, parameters, reason
):
    data = with_timer_session(exported, parameters)
    row_number = len(data["practice_sessions"])
    response = upload(owner_client, data)
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert f"Practice sessions, item {row_number}: parameters:" in html
    assert reason in html
    assert not PendingImport.objects.exists()
    assert not PracticeSession.objects.for_user(owner).exists()


def test_an_import_keeps_an_endless_silent_sit_with_a_delay(owner_client, owner, exported):
    parameters = {
        "endless": True,
        "sound": False,
        "silent": True,
        "start_delay": 30,
        "interval_minutes": 5,
    }
    data = with_timer_session(exported, parameters)
    response = upload(owner_client, data)
    assert response.status_code == 302
    assert owner_client.post(response["Location"], {}).status_code == 302
    imported = PracticeSession.objects.for_user(owner).get(practice__slug="meditation-timer")
    assert imported.parameters == parameters
    assert imported.is_endless and imported.is_silent
