"""With a cache every web process shares (Redis in production), a signed-in page
view reads its session and its device's standing from the cache, and a sign-out
from anywhere still ends that device at its very next request."""

import os
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.models import LAST_SEEN_EVERY, standing_key
from tests.activity.devices import (
    CHROME_ON_ANDROID,
    FIREFOX_ON_LINUX,
    is_signed_in,
    row_of,
    signed_in_from,
)

pytestmark = pytest.mark.django_db


def shared_cache_location() -> dict:
    """The real Redis CI runs (the broker's server, another database), else this
    process's memory, which every client in a test shares just the same."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis://"):
        server = broker.rsplit("/", 1)[0]
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{server}/3",
            # Its own keys, so parallel test processes never see each other's.
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture(autouse=True)
def shared_cache():
    with override_settings(
        CACHES={"default": shared_cache_location()},
        SHARED_CACHE=True,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        yield


def test_a_page_view_reads_only_the_person_from_the_database(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    phone.get("/accounts/me/")  # the first view puts the device's standing in the cache

    with CaptureQueriesContext(connection) as queries:
        assert phone.get("/accounts/me/").status_code == 200

    tables = [q["sql"] for q in queries if "django_session" in q["sql"] or "activity_" in q["sql"]]
    assert tables == []
    assert len(queries) == 1  # the person


def test_signing_out_another_device_ends_it_at_its_next_request(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    assert is_signed_in(phone)  # its standing is cached now
    phone_session_key = phone.session.session_key

    response = laptop.post(f"/accounts/sessions/{row_of(phone).public_id}/sign-out/")

    assert response.status_code == 302
    assert not is_signed_in(phone)
    # Logged out for real: the session is gone from the database and the cache.
    assert not Session.objects.filter(session_key=phone_session_key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{phone_session_key}") is None
    assert is_signed_in(laptop)


def test_signing_out_every_other_device_ends_each_one(owner):
    laptop = signed_in_from(FIREFOX_ON_LINUX, owner.email)
    phones = [signed_in_from(CHROME_ON_ANDROID, owner.email) for _ in range(2)]
    assert all(is_signed_in(phone) for phone in phones)

    laptop.post("/accounts/sessions/sign-out-others/")

    assert not any(is_signed_in(phone) for phone in phones)
    assert is_signed_in(laptop)


def test_a_read_from_just_before_a_sign_out_cannot_cache_the_device_as_signed_in(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    row = row_of(phone)
    # Another request read the row, then the sign-out committed, then that request
    # caches what it read: it must not win over the sign-out.
    row.delete()
    due = timezone.now() + LAST_SEEN_EVERY
    cache.add(standing_key(row.public_id), (owner.pk, row.expires_at, due), 300)

    assert not is_signed_in(phone)


def test_a_standing_past_its_expiry_or_of_someone_else_signs_out(owner, stranger):
    due = timezone.now() + timedelta(minutes=5)
    for standing in [
        (owner.pk, timezone.now() - timedelta(seconds=1), due),
        (stranger.pk, timezone.now() + timedelta(days=1), due),
    ]:
        phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
        cache.set(standing_key(row_of(phone).public_id), standing, 300)
        assert not is_signed_in(phone)


def test_last_seen_is_still_written_every_few_minutes(owner):
    phone = signed_in_from(CHROME_ON_ANDROID, owner.email)
    phone.get("/accounts/me/")
    row = row_of(phone)

    later = timezone.now() + LAST_SEEN_EVERY + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert phone.get("/accounts/me/").status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
        assert len(writes) == 1 and "activity_devicesession" in writes[0]
        with CaptureQueriesContext(connection) as queries:
            phone.get("/accounts/me/")
        assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    row.refresh_from_db()
    assert row.last_seen_at == later
