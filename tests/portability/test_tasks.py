"""Housekeeping on beat: unconfirmed imports (whole journals) don't wait for the next upload."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from portability.models import IMPORT_PREVIEW_LIFETIME, PendingImport
from portability.tasks import purge_stale_imports

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_the_purge_deletes_only_pending_imports_older_than_their_lifetime(
    owner, stranger, time_machine
):
    time_machine.move_to(NOW, tick=False)
    ages = {
        "fresh": timedelta(minutes=1),
        "almost": IMPORT_PREVIEW_LIFETIME - timedelta(seconds=1),
        "just-stale": IMPORT_PREVIEW_LIFETIME,
        "old": timedelta(days=3),
    }
    for user in (owner, stranger):
        for name, age in ages.items():
            PendingImport.objects.create(
                user=user, file_name=name, payload={}, summary={}, created_at=NOW - age
            )

    assert purge_stale_imports() == 4

    left = sorted(PendingImport.objects.values_list("user__email", "file_name"))
    assert left == sorted(
        (user.email, name) for user in (owner, stranger) for name in ("fresh", "almost")
    )


def test_the_purge_runs_on_beat_more_often_than_a_preview_lives():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "portability.tasks.purge_stale_imports"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= IMPORT_PREVIEW_LIFETIME.total_seconds() / 4
