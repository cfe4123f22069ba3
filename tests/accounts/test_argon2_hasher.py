"""Passwords are Django's Argon2 hashes, computed on a low-priority thread of their own."""

import os
import sys
import threading

import pytest
from django.contrib.auth import hashers as django_hashers
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from accounts import hashers

PRODUCTION_HASHERS = ["accounts.hashers.Argon2PasswordHasher"]


def test_its_hashes_are_djangos_argon2_both_ways():
    ours, djangos = hashers.Argon2PasswordHasher(), django_hashers.Argon2PasswordHasher()

    ours_made = ours.encode("a-calm-river-42", ours.salt())
    djangos_made = djangos.encode("a-calm-river-42", djangos.salt())

    assert ours_made.startswith("argon2$argon2id$")
    assert djangos.verify("a-calm-river-42", ours_made)
    assert ours.verify("a-calm-river-42", djangos_made)
    assert not ours.verify("a-calm-river-43", djangos_made)
    assert not ours.must_update(djangos_made)


def test_the_same_salt_gives_the_same_hash_as_djangos():
    salt = "sameforbothofthem"
    ours = hashers.Argon2PasswordHasher().encode("a-calm-river-42", salt)

    assert ours == django_hashers.Argon2PasswordHasher().encode("a-calm-river-42", salt)


def test_hashing_runs_on_the_hashing_thread_not_the_request_thread():
    where: list[str] = []

    # Django's encode is what our hasher hands to its thread: note where it ran.
    djangos_encode = django_hashers.Argon2PasswordHasher.encode

    def noting_encode(self, password, salt):
        where.append(threading.current_thread().name)
        return djangos_encode(self, password, salt)

    django_hashers.Argon2PasswordHasher.encode = noting_encode
    try:
        hashers.Argon2PasswordHasher().encode("a-calm-river-42", "sameforbothofthem")
    finally:
        django_hashers.Argon2PasswordHasher.encode = djangos_encode

    assert len(where) == 1
    assert where[0].startswith(hashers.THREAD_NAME)
    assert not threading.current_thread().name.startswith(hashers.THREAD_NAME)


def test_the_hashing_thread_yields_the_cpu_to_page_views_on_linux():
    def own_niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    hashing = hashers.hashing_pool().submit(own_niceness).result()

    if sys.platform == "linux":
        assert hashing >= hashers.HASHING_NICENESS > own_niceness()
    else:  # elsewhere a thread can't have a priority of its own
        assert hashing == own_niceness()


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_person_logs_in_with_a_password_hashed_as_in_production(client):
    from accounts.models import User

    User.objects.create_user("robin@example.com", "a-calm-river-42")
    stored = User.objects.get(email="robin@example.com").password

    assert stored.startswith("argon2$")
    assert check_password("a-calm-river-42", stored)
    assert stored != make_password("a-calm-river-42")
    response = client.post(
        "/accounts/login/", {"username": "robin@example.com", "password": "a-calm-river-42"}
    )
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_login_waiting_for_its_hash_gives_its_pooled_connection_back():
    from django.db import connection, transaction

    from accounts.models import User

    User.objects.create_user("robin@example.com", "a-calm-river-42")
    hasher = hashers.Argon2PasswordHasher()
    stored = hasher.encode("a-calm-river-42", hasher.salt())
    pooled = bool(getattr(connection, "pool", None))

    User.objects.exists()  # the request has its connection
    assert hasher.verify("a-calm-river-42", stored)
    assert (connection.connection is None) == pooled

    with transaction.atomic():  # inside a transaction it must keep it
        User.objects.exists()
        assert hasher.verify("a-calm-river-42", stored)
        assert connection.connection is not None
    assert User.objects.filter(email="robin@example.com").exists()
