import pytest

from accounts.models import User

PASSWORD = "a-calm-river-42"


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email, PASSWORD, **fields)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (the dashboard caches per person)."""
    from django.core.cache import cache

    cache.clear()
    yield


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
