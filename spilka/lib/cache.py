"""Django's Redis cache, reusing one client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache call, and
building one costs more than the network round trip (a fifth of a millisecond here). The
rate limits and proof-of-work replay marks on the sign path make several calls per
request, so the client is kept. ``redis.Redis`` is safe to share between threads.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client

    _INCR_EXISTING = (
        "if redis.call('exists', KEYS[1]) == 1 then "
        "return redis.call('incrby', KEYS[1], ARGV[1]) else return false end"
    )

    def incr(self, key: Any, delta: int) -> int:
        # One round trip instead of Django's EXISTS then INCRBY (rate limits use it per request).
        client = self.get_client(key, write=True)
        value = client.eval(self._INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    _HIT = (
        "local v = redis.call('incr', KEYS[1]) "
        "if v == 1 then redis.call('expire', KEYS[1], ARGV[1]) end return v"
    )

    def hit(self, key: Any, timeout: int) -> int:
        # A counter that starts itself with an expiry: one round trip per rate-limited request.
        client = self.get_client(key, write=True)
        return int(client.eval(self._HIT, 1, key, timeout))


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    @property
    def single_server(self) -> str | None:
        """The server's URL when there is only one (scripts may then use the cache's keys)."""
        return self._servers[0] if len(self._servers) == 1 else None

    def write_client(self) -> Any:
        """The ``redis.Redis`` client writes go through (kept for the process)."""
        return self._cache.get_client(write=True)

    def full_key(self, key: Any, version: int | None = None) -> str:
        """The key as stored in Redis (with the cache's prefix and version)."""
        return self.make_and_validate_key(key, version=version)

    def hit(self, key: Any, timeout: int, version: int | None = None) -> int:
        """Count one event under ``key`` (created with ``timeout`` seconds to live)."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.hit(key, timeout)
