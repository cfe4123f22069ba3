"""What happened to your data: each door writes one line, shown in the person's zone."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import activity
from activity.models import ActivityEvent, ActivityKind
from activity.views import EVENTS_PER_PAGE
from portability.export import export_json
from portability.models import EXPORTS_PER_HOUR
from tests.activity.devices import CHROME_ON_ANDROID, FIREFOX_ON_LINUX, signed_in_from
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PAGE = "/accounts/activity/"


def kinds_of(user) -> list[str]:
    return list(ActivityEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_signing_in_is_recorded_with_the_device(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    event = ActivityEvent.objects.get(user=owner)
    assert (event.kind, event.device) == ("signed_in", "Firefox on a Linux computer")
    page = laptop.get(PAGE).content.decode()
    assert "Signed in" in page and "Firefox on a Linux computer" in page


def test_wrong_passwords_against_an_account_make_one_line_an_hour(owner, client):
    for _ in range(3):
        client.post("/accounts/login/", {"username": " OWNER@example.com", "password": "guess"})
    client.post("/accounts/login/", {"username": "nobody@example.com", "password": "guess"})
    event = ActivityEvent.objects.get(user=owner)
    assert (event.kind, event.detail) == ("sign_in_failed", {"count": 3})
    assert ActivityEvent.objects.count() == 1
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2)):
        client.post("/accounts/login/", {"username": owner.email, "password": "guess"})
    assert ActivityEvent.objects.filter(user=owner, kind="sign_in_failed").count() == 2


def test_downloads_are_recorded_by_format(owner_client, owner):
    owner_client.post("/progress/data/riverwise.json")
    owner_client.post("/progress/data/riverwise-csv.zip")
    downloads = ActivityEvent.objects.filter(user=owner, kind="data_downloaded")
    assert sorted(event.detail["format"] for event in downloads) == ["csv", "json"]
    page = owner_client.get(PAGE).content.decode()
    assert "Downloaded your data (JSON)" in page and "Downloaded your data (CSV)" in page


def test_a_refused_download_is_not_recorded(owner_client, owner):
    for _ in range(EXPORTS_PER_HOUR):
        owner_client.post("/progress/data/riverwise.json")
    before = ActivityEvent.objects.filter(user=owner, kind="data_downloaded").count()
    response = owner_client.post("/progress/data/riverwise.json")
    assert response.status_code == 429
    assert ActivityEvent.objects.filter(user=owner, kind="data_downloaded").count() == before


def test_an_import_is_recorded_when_confirmed(owner_client, owner):
    from tests.journal.factories import make_entry

    source = make_user("source@example.com")
    make_entry(source, body="Words from another account's export.")
    upload = SimpleUploadedFile("riverwise.json", export_json(source), "application/json")
    preview = owner_client.post("/progress/data/import/", {"file": upload})["Location"]
    assert "data_imported" not in kinds_of(owner)
    owner_client.post(preview, {"restore_settings": ""})
    event = ActivityEvent.objects.get(user=owner, kind="data_imported")
    assert event.detail["added"] >= 1


def test_a_report_is_recorded_once_for_the_same_dates(owner_client, owner):
    today = owner.local_today()
    asked = {"start": (today - timedelta(days=6)).isoformat(), "end": today.isoformat()}
    owner_client.get("/progress/report/", asked)
    owner_client.get("/progress/report/", asked)
    owner_client.get("/progress/report/", {**asked, "journal": "on"})
    owner_client.get("/progress/report/", {"start": "nonsense", "end": "2020-01-01"})
    reports = ActivityEvent.objects.filter(user=owner, kind="report_made").order_by("id")
    assert [event.detail["journal"] for event in reports] == [False, True]
    assert reports[0].detail["start"] == asked["start"]


def test_times_are_shown_in_the_persons_zone(client):
    person = make_user("zoned@example.com", timezone="Asia/Tokyo")
    client.force_login(person)
    ActivityEvent.objects.all().delete()
    with time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), tick=False):
        activity.record(None, person, ActivityKind.PASSWORD_CHANGED)
    page = client.get(PAGE).content.decode()
    assert "2 Mar 2026, 08:30" in page


def test_the_page_is_paginated_newest_first(owner_client, owner):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ActivityEvent.objects.all().delete()
    ActivityEvent.objects.bulk_create(
        ActivityEvent(
            user=owner,
            kind="data_downloaded",
            occurred_at=start + timedelta(hours=n),
            detail={"format": "json"},
        )
        for n in range(EVENTS_PER_PAGE + 5)
    )
    first = owner_client.get(PAGE).content.decode()
    assert first.count('class="activity-item"') == EVENTS_PER_PAGE
    assert "Page 1 of 2" in first
    second = owner_client.get(PAGE, {"page": 2}).content.decode()
    assert second.count('class="activity-item"') == 5
    assert "1 Jan 2026, 01:00" in second  # the oldest, in Berlin time


def test_the_page_reads_a_fixed_number_of_queries(owner_client, owner, django_assert_num_queries):
    for _ in range(3):
        activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="json")
    # The session, the person, their device row, the count and the page.
    with django_assert_num_queries(5):
        owner_client.get(PAGE)
    for _ in range(20):
        activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="json")
    with django_assert_num_queries(5):
        owner_client.get(PAGE)


def test_nobody_sees_anyone_elses_activity(owner, stranger):
    activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="json")
    intruder = signed_in_from(CHROME_ON_ANDROID, stranger.email)
    page = intruder.get(PAGE).content.decode()
    assert "Downloaded your data" not in page


def test_the_page_is_never_stored_and_needs_signing_in(owner_client, client):
    assert "no-store" in owner_client.get(PAGE)["Cache-Control"]
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_kind_has_words_on_the_page(owner_client, owner):
    for kind in ActivityKind:
        activity.record(None, owner, kind)
    page = owner_client.get(PAGE).content.decode()
    for kind in ActivityKind:
        assert kind.label in page


def test_the_two_factor_kinds_take_the_factor_as_detail(owner):
    event = activity.record(None, owner, ActivityKind.FACTOR_ADDED, factor="passkey")
    assert event.detail == {"factor": "passkey"}
    assert {"factor_added", "factor_removed", "recovery_codes_regenerated"} <= set(ActivityKind)


@pytest.mark.parametrize(
    "detail",
    [
        {"note": "x" * 121},
        {"nested": {"a": 1}},
        {"k" * 31: 1},
        {f"k{n}": n for n in range(7)},
    ],
)
def test_details_are_a_few_short_facts(owner, detail):
    with pytest.raises(ValidationError):
        activity.record(None, owner, ActivityKind.DATA_IMPORTED, **detail)
    assert not ActivityEvent.objects.filter(user=owner, kind="data_imported").exists()


def test_an_unknown_kind_is_refused(owner):
    with pytest.raises(ValidationError):
        activity.record(None, owner, "stole_everything")


def test_details_survive_as_json(owner):
    event = activity.record(None, owner, ActivityKind.DATA_IMPORTED, added=12)
    assert json.loads(json.dumps(event.detail)) == {"added": 12}


def test_two_step_sign_in_changes_are_recorded_from_its_signals(owner, rf):
    from mfa import signals as two_step

    request = rf.post("/", HTTP_USER_AGENT=FIREFOX_ON_LINUX)
    two_step.factor_added.send(sender=None, request=request, user=owner, factor="passkey")
    two_step.factor_removed.send(
        sender=None, request=request, user=owner, factor="authenticator app"
    )
    two_step.recovery_codes_regenerated.send(sender=None, request=request, user=owner)
    two_step.recovery_code_used.send(sender=None, request=request, user=owner)
    events = ActivityEvent.objects.filter(user=owner).order_by("id")
    assert [(e.kind, e.detail) for e in events] == [
        ("factor_added", {"factor": "passkey"}),
        ("factor_removed", {"factor": "authenticator app"}),
        ("recovery_codes_regenerated", {}),
        ("recovery_code_used", {}),
    ]
    assert events[0].device == "Firefox on a Linux computer"
