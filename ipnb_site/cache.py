"""Django's Redis cache, with one redis-py client per connection pool.

Django's client makes a new `redis.Redis` for every cache call, and redis-py
fills a table of reply handlers in each one's constructor: on the two-core
bench machine a miss took about 200 µs that way and 120 µs with the client
kept, and a signed-in page makes two to four such calls (its session, its
device's standing, the dashboard). A client holds no connection of its own
(the pool does), so one per pool serves every call, as redis-py intends.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django's private helpers, as its own get_client uses them (no stubs for them).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
