"""Django's Redis cache, reusing one client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache call, and
building one costs more than the network round trip (a fifth of a millisecond here). The
rate limits and proof-of-work replay marks on the sign path make several calls per
request, so the client is kept. ``redis.Redis`` is safe to share between threads.

The cache also outlives Redis: an unreachable server degrades every call to this process's
memory (see "Outages" below) instead of an error page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

log = logging.getLogger(__name__)


class RedisCacheClient(DjangoRedisCacheClient):
    # What Django's client sets and calls, left out of django-stubs (private names).
    _client: type[redis.Redis]
    _get_connection_pool_index: Callable[[bool], int]
    _get_connection_pool: Callable[[bool], redis.ConnectionPool]

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
    """Django's Redis cache that degrades to a miss-and-remember-locally when Redis is down."""

    _servers: list[str]  # set by Django's RedisCache, left out of django-stubs (private)

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._outage = _outage_for(self._servers[0] if self._servers else "")

    @property
    def single_server(self) -> str | None:
        """The server's URL when there is only one (scripts may then use the cache's keys)."""
        return self._servers[0] if len(self._servers) == 1 else None

    def write_client(self) -> Any:
        """The ``redis.Redis`` client writes go through (kept for the process)."""
        return self._cache.get_client(write=True)

    def full_key(self, key: Any, version: int | None = None) -> str:
        """The key as stored in Redis (with the cache's prefix and version). Not checked
        for memcached: these keys only ever go to Redis, in scripts."""
        return self.make_key(key, version=version)

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz: never the fallback, never raises)."""
        try:
            ok = bool(self.write_client().ping())
        except unreachable_errors() as error:
            self._outage.went_down(error, self._servers[0])
            return False
        self._outage.came_back(self._servers[0])
        return ok

    def degraded(self) -> bool:
        """Whether this process is serving from its own memory because Redis was down."""
        return self._outage.is_down()

    def _either(self, redis_call: Callable[[], Any], fallback_call: Callable[[], Any]) -> Any:
        outage = self._outage
        if outage.is_down():
            return fallback_call()
        try:
            result = redis_call()
        except unreachable_errors() as error:
            outage.went_down(error, self._servers[0])
            return fallback_call()
        if outage.down_until:
            outage.came_back(self._servers[0])
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).add(key, value, timeout, version),
            lambda: fb.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).get(key, default, version),
            lambda: fb.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        fb = self._outage.fallback
        self._either(
            lambda: super(RedisCache, self).set(key, value, timeout, version),
            lambda: fb.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).touch(key, timeout, version),
            lambda: fb.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).delete(key, version),
            lambda: fb.delete(key, version),
        )

    def get_many(self, keys: Any, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).get_many(keys, version),
            lambda: fb.get_many(keys, version),
        )

    def has_key(self, key: Any, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).has_key(key, version),
            lambda: fb.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).incr(key, delta, version),
            lambda: fb.incr(key, delta, version),
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        fb = self._outage.fallback
        return self._either(
            lambda: super(RedisCache, self).set_many(data, timeout, version),
            lambda: fb.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        fb = self._outage.fallback
        self._either(
            lambda: super(RedisCache, self).delete_many(keys, version),
            lambda: fb.delete_many(keys, version),
        )

    def clear(self) -> Any:
        self._outage.fallback.clear()
        return self._either(lambda: super(RedisCache, self).clear(), lambda: None)

    def hit(self, key: Any, timeout: int, version: int | None = None) -> int:
        """Count one event under ``key`` (created with ``timeout`` seconds to live)."""
        fb = self._outage.fallback

        def in_memory() -> int:
            fb.add(key, 0, timeout, version)
            try:
                return int(fb.incr(key, 1, version))
            except ValueError:  # expired between add and incr
                fb.set(key, 1, timeout, version)
                return 1

        full = self.make_and_validate_key(key, version=version)
        return int(
            self._either(lambda: cast(RedisCacheClient, self._cache).hit(full, timeout), in_memory)
        )


# --- Outages ---------------------------------------------------------------------------
# When Redis cannot be reached every page must still answer (slower), so the cache degrades
# instead of raising: while Redis is down each process counts and caches in its own memory
# (``_Outage.fallback``) and retries Redis after ``SPILKA_CACHE_RETRY_SECONDS``. Rate limits then count
# per process: a visitor gets at most the limit times the number of processes, never an
# unlimited number of tries, and nobody is locked out by an error.


class _Outage:
    """One Redis location's state in this process (shared by every thread's cache object)."""

    def __init__(self, location: str) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.fallback = LocMemCache(f"spilka-redis-fallback:{location}", {"OPTIONS": {}})

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def went_down(self, error: Exception, location: str) -> None:
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = time.monotonic() + getattr(settings, "SPILKA_CACHE_RETRY_SECONDS", 5)
        if first:  # once per outage, not once per request
            log.error(
                "the cache at %s cannot be reached (%s): using each process's memory until "
                "it answers again",
                _redacted(location),
                error,
            )

    def came_back(self, location: str) -> None:
        with self.lock:
            if self.down_until == 0.0:
                return
            self.down_until = 0.0
        self.fallback.clear()  # what was counted meanwhile was this process's alone
        log.warning("the cache at %s answers again", _redacted(location))


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        outage = _outages.get(location)
        if outage is None:
            outage = _outages[location] = _Outage(location)
        return outage


def _redacted(location: str) -> str:
    """The URL without a password, for the log."""
    parts = urlsplit(location)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def unreachable_errors() -> tuple[type[Exception], ...]:
    """What a Redis client raises when the server is down, refuses, or hangs."""
    return (redis.ConnectionError, redis.TimeoutError)
