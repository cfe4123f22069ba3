"""A real Celery worker on the configured broker (Redis in CI, files otherwise)."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from ipnb_site.celery import app
from tests.waiting import wait_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_session_cleanup_task_from_the_broker():
    expired = SessionStore()
    expired["x"] = 1
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    current = SessionStore()
    current["y"] = 2
    current.create()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        clear_expired_sessions.delay()
        assert wait_for(lambda: not Session.objects.filter(pk=expired.session_key).exists())

    assert Session.objects.filter(pk=current.session_key).exists()


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
