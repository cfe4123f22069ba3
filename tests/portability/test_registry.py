"""Each app declares what it keeps; nothing a person keeps is silently left out."""

import copy
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.models import Rupture
from portability.importing import ImportProblem, plan_import
from portability.models import PendingImport
from portability.registry import Shape, kinds, left_out_models

APPS_WITH_PEOPLES_ROWS = ("accounts", "journal", "practices", "reminders")


def test_every_model_with_a_user_in_the_apps_is_exported_or_left_out_with_a_reason():
    declared = {kind.model._meta.label for kind in kinds()}
    reasons = left_out_models()
    for app in APPS_WITH_PEOPLES_ROWS:
        for model in apps.get_app_config(app).get_models():
            fields = {field.name: field for field in model._meta.get_fields()}
            user = fields.get("user")
            if user is None or user.related_model is not apps.get_model(settings.AUTH_USER_MODEL):
                continue
            label = model._meta.label
            assert label in declared or reasons.get(label, "").strip(), (
                f"{label} keeps a person's rows: declare a Kind for it in {app}/portability.py, "
                "or portability.registry.leave_out() it with the reason."
            )


def test_the_kinds_come_after_their_parents_and_are_found_in_their_apps():
    keys = [kind.key for kind in kinds()]
    for kind in kinds():
        if kind.parent:
            assert keys.index(kind.parent.key) < keys.index(kind.key)
    assert {kind.model._meta.app_label for kind in kinds()} == set(APPS_WITH_PEOPLES_ROWS)
    assert [kind.key for kind in kinds() if kind.shape is Shape.SETTINGS] == [
        "account",
        "reminder_preferences",
        "window_map",
    ]


def test_progress_and_the_apps_do_not_import_the_portability_engine():
    # Apps declare kinds through the registry only; the engine imports them, not back.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in (*APPS_WITH_PEOPLES_ROWS, "progress"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            for line in text.splitlines():
                if line.startswith(("from portability", "import portability")):
                    assert line.startswith("from portability.registry import"), (path, line)
            if app == "progress":
                assert "from reminders" not in text and "import reminders" not in text, path


@pytest.mark.django_db
def test_a_rupture_repaired_before_it_happened_is_refused_by_the_models_own_rule(
    owner_client, owner, exported, time_machine
):
    # The rule has one home, on journal.Rupture; the import reaches it through full_clean.
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    data = copy.deepcopy(exported)
    repaired = next(row for row in data["ruptures"] if row["repaired_on"])
    repaired["repaired_on"] = "2000-01-01"
    position = data["ruptures"].index(repaired) + 1
    file = SimpleUploadedFile("riverwise.json", json.dumps(data).encode(), "application/json")

    response = owner_client.post("/progress/data/import/", {"file": file})

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert f"Repair reflections, item {position}:" in html
    (rule,) = [c for c in Rupture._meta.constraints if c.name.endswith("repair_after_rupture")]
    assert str(rule.get_violation_error_message()) in html
    assert not PendingImport.objects.exists()
    assert not Rupture.objects.filter(user=owner).exists()


def _with_ruptures(exported: dict, count: int) -> dict:
    """The file with `count` repaired ruptures, each on days of its own."""
    data = copy.deepcopy(exported)
    template = next(row for row in data["ruptures"] if row["repaired_on"])
    data["ruptures"] = []
    for n in range(count):
        row = dict(template, id=str(uuid.uuid4()))
        row["ruptured_on"] = (date(2020, 1, 1) + timedelta(days=n)).isoformat()
        row["repaired_on"] = (date(2020, 1, 1) + timedelta(days=n + 1)).isoformat()
        data["ruptures"].append(row)
    return data


def test_the_models_check_constraints_cost_a_few_queries_however_many_rows(
    owner, exported, django_assert_max_num_queries, time_machine
):
    # Django asks the database once per row and constraint; a 10 MB file holds
    # a hundred thousand rows, so the import asks a few hundred at a time.
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    with CaptureQueriesContext(connection) as few:
        plan_import(owner, _with_ruptures(exported, 3))
    # SQLite joins at most 500 SELECTs in one query, so there 900 rows take a
    # second batch for each of the two rules (a savepoint, the query, its release).
    more = 6 if connection.vendor == "sqlite" else 4
    with django_assert_max_num_queries(len(few) + more):
        plan = plan_import(owner, _with_ruptures(exported, 900))
    assert len(plan.kinds["ruptures"].new) == 900


def test_one_bad_row_among_many_is_named_with_the_models_own_message(owner, exported, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)
    data = _with_ruptures(exported, 450)
    data["ruptures"][300]["repaired_on"] = "2000-01-01"

    with pytest.raises(ImportProblem) as refused:
        plan_import(owner, data)

    (rule,) = [c for c in Rupture._meta.constraints if c.name.endswith("repair_after_rupture")]
    message = str(rule.get_violation_error_message())
    problems = [line for line in refused.value.details if message in line]
    assert problems == [f"Repair reflections, item 301: {message}"]
