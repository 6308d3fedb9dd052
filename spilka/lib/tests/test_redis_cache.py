"""The Redis cache client: counters in one round trip. Needs Redis at 127.0.0.1:6379."""

from __future__ import annotations

import pytest

from spilka.lib.cache import RedisCache
from spilka.lib.testing import NEEDS_REDIS, own_redis_url, redis_up

pytestmark = pytest.mark.skipif(not redis_up(), reason=NEEDS_REDIS)


@pytest.fixture
def redis_cache():
    cache = RedisCache(own_redis_url(), {"KEY_PREFIX": "test"})
    cache.clear()
    yield cache
    cache.clear()


def test_a_hit_counter_starts_with_its_expiry_and_counts_up(redis_cache):
    assert [redis_cache.hit("rl:sign:abc", 60) for _ in range(3)] == [1, 2, 3]
    raw = redis_cache._cache.get_client(write=True)
    ttl = raw.ttl(redis_cache.make_and_validate_key("rl:sign:abc"))
    assert 0 < ttl <= 60


def test_the_rate_limit_counts_through_redis_in_one_call(redis_cache, monkeypatch):
    from spilka.lib import ratelimit

    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    calls = []
    original = redis_cache._cache.get_client

    def counting_client(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(redis_cache._cache, "get_client", counting_client)
    assert ratelimit.hit("sign", "abc", 600) == 1
    assert ratelimit.hit("sign", "abc", 600) == 2
    assert len(calls) == 2  # one round trip per hit
    assert ratelimit.count("sign", "abc", 600) == 2
