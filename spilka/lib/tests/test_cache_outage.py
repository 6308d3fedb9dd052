"""Redis down: every page that reads the cache still answers, counting in the process's
memory; a hung Redis costs one short timeout, not one per call."""

from __future__ import annotations

import socket
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from spilka.lib import cache as lib_cache
from spilka.lib import ratelimit
from spilka.network import services as network_services

CLOSED = "redis://127.0.0.1:6390/0"  # nothing listens there


def _redis_cache(location: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "spilka.lib.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "spilka",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, **options},
        }
    }


@pytest.fixture(autouse=True)
def _fresh_outages():
    lib_cache._outages.clear()
    yield
    lib_cache._outages.clear()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = _redis_cache(CLOSED)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    lib_cache._outages.clear()


@pytest.fixture
def organiser(demo):
    user = get_user_model().objects.create_user(
        "organiser@outage.test", "pass phrase 123", display_name="organiser"
    )
    network_services.role_grant(
        by="test setup",
        user=user,
        organisation=demo["ukraine-solidarity-campaign"],
        role="organiser",
    )
    return user


@pytest.mark.django_db
def test_sign_in_works_while_redis_is_down(redis_down, anon, organiser, caplog):
    assert anon.get("/en/accounts/login/").status_code == 200
    response = anon.post(
        "/en/accounts/login/", {"email": "organiser@outage.test", "password": "pass phrase 123"}
    )
    assert response.status_code == 302
    assert anon.get(response["Location"]).status_code == 200
    # One line in the log for the outage, not one per call.
    assert sum("cannot be reached" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/network/", "/en/aid/"])
def test_public_pages_answer_while_redis_is_down(redis_down, anon, demo, path):
    assert anon.get(path).status_code == 200
    assert anon.get(path).status_code == 200  # and again, from the process's memory


def test_rate_limits_count_in_memory_while_redis_is_down(settings):
    """The choice: per-process limits. Nobody is locked out by the outage, and nobody gets
    unlimited tries: the limit still stops the sixth try in this process."""
    settings.CACHES = _redis_cache(CLOSED)
    counts = [ratelimit.hit("login", "abc", 60) for _ in range(6)]
    assert counts == [1, 2, 3, 4, 5, 6]
    assert ratelimit.is_limited("login", "abc", 5, 60)
    assert not ratelimit.is_limited("login", "someone-else", 5, 60)


def test_a_get_or_set_computes_the_value_while_redis_is_down(settings):
    settings.CACHES = _redis_cache(CLOSED)
    assert cache.get_or_set("k", lambda: 42, 60) == 42
    assert cache.get("missing", "default") == "default"
    cache.delete("k")
    assert cache.get("k") is None
    assert cache.degraded()
    assert not cache.ping()


def test_a_hung_redis_costs_one_short_timeout_then_is_skipped(settings):
    # A server that accepts connections and never answers.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    port = server.getsockname()[1]
    try:
        settings.CACHES = _redis_cache(
            f"redis://127.0.0.1:{port}/0", socket_connect_timeout=0.2, socket_timeout=0.3
        )
        started = time.monotonic()
        assert cache.get("a") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):
            cache.get("a")
        rest = time.monotonic() - started
    finally:
        server.close()
    assert first < 1.5  # the read timeout, not the OS's minutes
    assert rest < 0.2  # the process does not ask a hung server again for a while


def test_the_cache_goes_back_to_redis_once_it_answers(settings):
    from spilka.lib.testing import own_redis_url, redis_up

    if not redis_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    location = own_redis_url()
    settings.CACHES = _redis_cache(location)
    settings.SPILKA_CACHE_RETRY_SECONDS = 0
    cache.clear()
    outage = lib_cache._outage_for(location)
    outage.down_until = time.monotonic() + 60  # as if a call had just failed
    cache.set("during", 1)  # kept in memory only
    assert outage.fallback.get("during") == 1
    outage.down_until = time.monotonic() - 1  # the retry time has come
    cache.set("after", 2)
    assert cache.get("after") == 2
    assert not cache.degraded()
    assert cache.get("during") is None  # the fallback's values were this process's alone
    cache.clear()
