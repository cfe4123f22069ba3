"""Downloads are paced: each reads a person's whole history."""

from datetime import UTC, datetime, timedelta

import pytest

from portability.models import EXPORTS_PER_HOUR, DataExport

pytestmark = pytest.mark.django_db

JSON_URL = "/progress/data/riverwise.json"
CSV_URL = "/progress/data/riverwise-csv.zip"
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_a_person_may_download_a_few_copies_an_hour_then_hears_when_to_come_back(
    owner_client, owner, time_machine
):
    time_machine.move_to(START, tick=False)
    # A download needs a sign-in (or "Confirm it's you") in the last ten minutes
    # (mfa/reauth.py): signing in at each new moment keeps this test about pacing.
    owner_client.force_login(owner)
    for turn in range(EXPORTS_PER_HOUR):
        time_machine.move_to(START + timedelta(minutes=turn), tick=False)
        url = JSON_URL if turn % 2 else CSV_URL
        assert owner_client.post(url).status_code == 200

    refused = owner_client.post(JSON_URL)

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in refused
    # The first download was at 15:00 UTC, so the next is allowed from 16:00 UTC,
    # which the person reads in their own time (Berlin, 17:00).
    assert "You can download again from 17:00" in refused.content.decode()
    assert int(refused["Retry-After"]) == 55 * 60 + 1
    assert DataExport.objects.filter(user=owner).count() == EXPORTS_PER_HOUR

    time_machine.move_to(START + timedelta(hours=1, seconds=1), tick=False)
    owner_client.force_login(owner)
    assert owner_client.post(JSON_URL).status_code == 200
    # Downloads older than the hour are forgotten as new ones come in.
    assert (
        DataExport.objects.filter(user=owner, created_at__lt=START + timedelta(minutes=1)).count()
        == 0
    )


def test_one_persons_downloads_do_not_use_up_anothers(owner_client, owner, stranger, time_machine):
    time_machine.move_to(START, tick=False)
    for _ in range(EXPORTS_PER_HOUR):
        DataExport.objects.record(stranger, file_format="json")
    owner_client.force_login(owner)  # signed in just now, at START

    assert owner_client.post(JSON_URL).status_code == 200
    assert DataExport.objects.filter(user=owner).count() == 1
    assert DataExport.objects.filter(user=stranger).count() == EXPORTS_PER_HOUR


def test_deleting_the_account_removes_the_download_times(owner_client, owner):
    owner_client.post(JSON_URL)
    owner.delete()
    assert not DataExport.objects.exists()


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_link_or_a_probe_builds_nothing_and_uses_up_no_downloads(owner_client, owner, method):
    # Only the page's buttons (POST) make a copy: a GET writes nothing, so a link
    # on another site, a prefetch or a download manager's probe takes no turn.
    for url in (JSON_URL, CSV_URL):
        for _ in range(EXPORTS_PER_HOUR + 2):
            response = getattr(owner_client, method)(url)
            assert response.status_code == 405
            assert "Content-Disposition" not in response

    assert not DataExport.objects.filter(user=owner).exists()
    assert owner_client.post(JSON_URL).status_code == 200
