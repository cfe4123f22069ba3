"""An upload is read and checked once; the preview shows what was kept; pending
imports are capped and uploads paced per person."""

from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portability.models import IMPORTS_PER_HOUR, PENDING_IMPORTS_PER_PERSON, PendingImport

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
UPLOAD_URL = "/progress/data/import/"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(START, tick=False)


def upload(client, content: bytes, name="riverwise.json"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content, "application/json")})


def test_the_preview_shows_what_was_checked_at_upload_without_reading_the_file_again(
    owner_client, owner, exported_bytes, django_assert_max_num_queries
):
    location = upload(owner_client, exported_bytes)["Location"]
    # The kept file is unreadable now: a preview that parsed it again would fail.
    PendingImport.objects.filter(user=owner).update(payload={"format": "nothing of ours"})
    with django_assert_max_num_queries(4):
        preview = owner_client.get(location)
    html = unescape(preview.content.decode())
    assert preview.status_code == 200
    assert '<tr><th scope="row">Practice sessions</th><td>2</td><td>0</td></tr>' in html
    assert "Time zone: Asia/Tokyo" in html
    assert "Import 14 items" in html


def test_confirming_checks_the_file_again_against_the_account_as_it_is_now(
    owner_client, owner, exported_bytes
):
    first, second = (upload(owner_client, exported_bytes)["Location"] for _ in range(2))
    owner_client.post(first, {})
    # The second preview was checked before the first went in; confirming sees that.
    response = owner_client.post(second, {})
    assert response.status_code == 302
    assert "Imported 0 items; 14 were already here." in unescape(
        owner_client.get("/").content.decode()
    )


def test_a_person_keeps_at_most_a_few_pending_imports_the_newest_replacing_the_oldest(
    owner_client, owner, stranger, exported_bytes, time_machine
):
    upload_for_stranger = PendingImport.objects.create(user=stranger, payload={}, summary={})
    kept = []
    for turn in range(PENDING_IMPORTS_PER_PERSON + 2):
        time_machine.move_to(START + timedelta(minutes=turn), tick=False)
        kept.append(upload(owner_client, exported_bytes, name=f"file-{turn}.json")["Location"])
    names = list(PendingImport.objects.for_user(owner).values_list("file_name", flat=True))
    assert names == ["file-4.json", "file-3.json", "file-2.json"]
    assert owner_client.get(kept[0]).status_code == 404
    assert owner_client.get(kept[-1]).status_code == 200
    assert PendingImport.objects.filter(pk=upload_for_stranger.pk).exists()


def test_uploads_are_paced_per_person_and_the_refusal_says_when_to_come_back(
    owner_client, owner, stranger, time_machine
):
    for turn in range(IMPORTS_PER_HOUR):
        time_machine.move_to(START + timedelta(minutes=turn), tick=False)
        assert upload(owner_client, b"not json").status_code == 400

    refused = upload(owner_client, b"not json")

    assert refused.status_code == 429
    html = unescape(refused.content.decode())
    # The first upload was at 15:00 UTC: the next is allowed from 16:00 UTC, 17:00 in Berlin.
    assert "You can upload again from 17:00" in html
    assert int(refused["Retry-After"]) == (60 - IMPORTS_PER_HOUR + 1) * 60 + 1

    owner_client.force_login(stranger)
    assert upload(owner_client, b"not json").status_code == 400
    owner_client.force_login(owner)
    time_machine.move_to(START + timedelta(hours=1, seconds=1), tick=False)
    assert upload(owner_client, b"not json").status_code == 400
