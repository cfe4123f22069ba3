"""Login records (addresses, browsers, emails typed) are kept only as long as they serve."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from accounts.tasks import expire_login_records
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = "2026-03-01 12:00:00+00:00"


def aged(model, age: timedelta, **fields):
    row = model.objects.create(
        user_agent="Firefox", ip_address="10.0.0.1", http_accept="*/*", path_info="/", **fields
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return row.pk


def attempt(age: timedelta, username: str) -> int:
    return aged(
        AccessAttempt, age, username=username, get_data="", post_data="", failures_since_start=5
    )


def test_attempts_go_once_their_pause_is_over_and_logs_after_thirty_days(time_machine):
    time_machine.move_to(NOW, tick=False)
    pausing = attempt(timedelta(minutes=14), "pausing@example.com")
    over = attempt(timedelta(minutes=16), "over@example.com")
    recent_log = aged(AccessLog, timedelta(days=29), username="a@example.com")
    old_log = aged(AccessLog, timedelta(days=31), username="b@example.com")
    recent_failure = aged(AccessFailureLog, timedelta(days=29), username="c@example.com")
    old_failure = aged(AccessFailureLog, timedelta(days=31), username="d@example.com")

    assert expire_login_records() == {"attempts": 1, "logs": 1, "failure_logs": 1}

    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [pausing]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent_log]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [recent_failure]
    assert old_log != recent_log and old_failure != recent_failure and over != pausing


def test_a_lock_still_holds_after_the_purge_until_its_pause_is_over(client, owner, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _ in range(5):
        client.post("/accounts/login/", {"username": owner.email, "password": "guess"})
    expire_login_records()
    time_machine.move_to("2026-03-01 12:14:00+00:00", tick=False)
    expire_login_records()
    login = {"username": owner.email, "password": PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 429


def test_beat_runs_the_purge_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-login-records"]
    assert entry["task"] == "accounts.tasks.expire_login_records"
    assert entry["schedule"] <= 60 * 60
