"""Activity is kept a year, device rows until their session ends, and all of it goes
with the account."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

import activity
from activity.models import ActivityEvent, ActivityKind, DeviceSession
from activity.tasks import forget_old_activity
from tests.activity.devices import CHROME_ON_ANDROID, signed_in_from
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_events_older_than_a_year_are_forgotten_and_newer_ones_kept(owner, stranger):
    with time_machine.travel(NOW - timedelta(days=366)):
        old = activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="json")
        activity.record(None, stranger, ActivityKind.DATA_DOWNLOADED, format="csv")
    with time_machine.travel(NOW - timedelta(days=364)):
        kept = activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="csv")
    with time_machine.travel(NOW):
        deleted = forget_old_activity()
    assert deleted["events"] == 2
    assert not ActivityEvent.objects.filter(pk=old.pk).exists()
    assert ActivityEvent.objects.filter(pk=kept.pk).exists()


def test_device_rows_go_once_their_session_has_expired(owner):
    with time_machine.travel(NOW - timedelta(days=15)):
        signed_in_from(CHROME_ON_ANDROID, owner.email)
    with time_machine.travel(NOW - timedelta(days=1)):
        recent = signed_in_from(CHROME_ON_ANDROID, owner.email)
    with time_machine.travel(NOW):
        assert forget_old_activity()["device_sessions"] == 1
    left = DeviceSession.objects.filter(user=owner).values_list("public_id", flat=True)
    assert [str(public_id) for public_id in left] == [recent.session["activity_device"]]


def test_forgetting_is_on_beat():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "activity.tasks.forget_old_activity" in entries


def test_deleting_the_account_deletes_its_activity_and_devices(owner, stranger):
    laptop = signed_in_from(CHROME_ON_ANDROID, owner.email)
    signed_in_from(CHROME_ON_ANDROID, owner.email)
    signed_in_from(CHROME_ON_ANDROID, stranger.email)
    activity.record(None, owner, ActivityKind.DATA_DOWNLOADED, format="json")

    assert laptop.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302

    assert not ActivityEvent.objects.filter(user_id=owner.pk).exists()
    assert not DeviceSession.objects.filter(user_id=owner.pk).exists()
    assert ActivityEvent.objects.filter(user=stranger).exists()
    assert DeviceSession.objects.filter(user=stranger).exists()
