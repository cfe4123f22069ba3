"""The Redis cache (production's, CACHE_URL=redis://...) keeps one redis-py client
per connection pool, and still reads and writes as Django's own does."""

import os
import uuid

from django.core.cache.backends.redis import RedisCache as DjangosRedisCache

from ipnb_site.cache import RedisCache
from tests.site.test_configuration import start_django


def redis_location() -> str:
    """The real Redis the tests run beside (the broker's server), another database."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    server = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    return f"{server}/4"


def test_every_call_uses_the_same_client():
    cache = RedisCache(redis_location(), {"KEY_PREFIX": uuid.uuid4().hex})
    client = cache._cache.get_client()
    cache.set("streak", 3)
    cache.get("streak")
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any-key") is client


def test_it_reads_and_writes_what_djangos_own_client_does():
    prefix = uuid.uuid4().hex
    ours = RedisCache(redis_location(), {"KEY_PREFIX": prefix})
    djangos = DjangosRedisCache(redis_location(), {"KEY_PREFIX": prefix})

    ours.set("session", {"user": 7, "zone": "Europe/Berlin"}, 30)
    assert djangos.get("session") == {"user": 7, "zone": "Europe/Berlin"}
    assert ours.add("session", "other", 30) is False
    assert ours.get_many(["session", "missing"]) == {
        "session": {"user": 7, "zone": "Europe/Berlin"}
    }
    assert ours.add("count", 1, 30) is True
    assert ours.incr("count") == 2
    assert djangos.get("count") == 2
    assert ours.delete("session") is True
    assert djangos.get("session") is None
    ours.delete("count")


def test_a_redis_cache_url_makes_it_the_cache_and_the_session_store(tmp_path):
    code = (
        "from django.conf import settings; from django.core.cache import caches; "
        "cache = caches['default']; "
        "print(type(cache).__module__, type(cache).__name__, settings.SESSION_ENGINE)"
    )
    result = start_django(tmp_path, code, DEBUG="1", CACHE_URL=redis_location())
    assert result.returncode == 0, result.stderr
    assert "ipnb_site.cache RedisCache django.contrib.sessions.backends.cached_db" in result.stdout
