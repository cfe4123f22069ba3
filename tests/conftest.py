"""Shared fixtures.

Every test that needs real transactions (transaction=True) also asks for
serialized_rollback=True: a plain one ends by flushing and re-creating content
types under new ids, and the next serialized test then cannot restore its own.
"""

import pytest

from accounts.models import User
from ipnb_site import reference

PASSWORD = "a-calm-river-42"


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email, PASSWORD, **fields)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (the dashboard caches per person)."""
    from django.core.cache import cache

    from vault import keyring

    cache.clear()
    # Unwrapped data keys too: a rolled-back test's key must not outlive its row.
    keyring.forget_all()
    yield


def ensure_reference_data() -> None:
    """Put back the practice catalog and the feeling words if a flush removed them.

    Both come from data migrations. Transactional tests flush every table, and
    serialized rollback cannot restore them after a Playwright test (its greenlets
    get a fresh database connection object without the saved snapshot).
    """
    from importlib import import_module

    from django.apps import apps

    from journal.models import EmotionWord
    from journal.vocabulary import sync_vocabulary
    from practices.models import Practice

    if not EmotionWord.objects.exists():
        sync_vocabulary(EmotionWord)
    if not Practice.objects.exists():
        import_module("practices.migrations.0002_seed_catalog").seed_catalog(apps, None)


@pytest.fixture(autouse=True)
def fresh_reference_copies():
    """Each test reads the steps and the vocabulary from its own database, not a
    copy an earlier test's (rolled back) database left in this process."""
    reference.forget_all()
    yield
    reference.forget_all()


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests (live server, real workers) get the seeded data too."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        ensure_reference_data()


@pytest.fixture
def owner(db) -> User:
    return make_user("owner@example.com", display_name="Olive", timezone="Europe/Berlin")


@pytest.fixture
def stranger(db) -> User:
    """Another person, who must never see or change the owner's data."""
    return make_user("stranger@example.com", display_name="Sam", timezone="America/New_York")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def smtp_sink(settings):
    """Django sends real SMTP to an aiosmtpd server on loopback."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def vapid_keys(settings):
    """Push turned on: a fresh VAPID key pair, as `generate_vapid_keys` prints it."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("generate_vapid_keys", "--subject=mailto:care@riverwise.example", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PRIVATE_KEY = keys["VAPID_PRIVATE_KEY"]
    settings.VAPID_PUBLIC_KEY = keys["VAPID_PUBLIC_KEY"]
    settings.VAPID_SUBJECT = keys["VAPID_SUBJECT"]
    return keys


@pytest.fixture
def push_service(settings, vapid_keys):
    """A Web Push service on loopback (tests/push_service.py), allowed like FCM is."""
    from tests.push_service import PushService

    service = PushService(vapid_keys["VAPID_PUBLIC_KEY"])
    settings.PUSH_SERVICE_HOSTS = [*settings.PUSH_SERVICE_HOSTS, service.allowed_host]
    settings.PUSH_CA_BUNDLE = service.cert_path
    yield service
    service.stop()
