"""Fixed-window rate limits, keyed by salted hashes of visitors' addresses."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from spilka.lib import ratelimit

WINDOW = 60


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for the rate limiter; move it with ``clock.now = ...``."""
    frozen = SimpleNamespace(now=1_700_000_010.0)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: frozen.now))
    return frozen


def test_hit_counts_events_in_the_window(clock):
    assert ratelimit.count("login-ip", "abc", WINDOW) == 0
    assert ratelimit.hit("login-ip", "abc", WINDOW) == 1
    assert ratelimit.hit("login-ip", "abc", WINDOW) == 2
    assert ratelimit.hit("login-ip", "abc", WINDOW) == 3
    assert ratelimit.count("login-ip", "abc", WINDOW) == 3


def test_is_limited_once_the_limit_is_reached(clock):
    ratelimit.hit("login-ip", "abc", WINDOW)
    ratelimit.hit("login-ip", "abc", WINDOW)
    assert not ratelimit.is_limited("login-ip", "abc", 3, WINDOW)
    ratelimit.hit("login-ip", "abc", WINDOW)
    assert ratelimit.is_limited("login-ip", "abc", 3, WINDOW)


def test_limits_are_kept_apart_by_scope_and_ident(clock):
    for _ in range(3):
        ratelimit.hit("login-ip", "abc", WINDOW)
    assert ratelimit.is_limited("login-ip", "abc", 3, WINDOW)
    assert not ratelimit.is_limited("login-ip", "other", 3, WINDOW)
    assert not ratelimit.is_limited("login-account", "abc", 3, WINDOW)


def test_reset_clears_the_count(clock):
    for _ in range(3):
        ratelimit.hit("login-ip", "abc", WINDOW)
    ratelimit.reset("login-ip", "abc", WINDOW)
    assert ratelimit.count("login-ip", "abc", WINDOW) == 0
    assert not ratelimit.is_limited("login-ip", "abc", 3, WINDOW)


def test_a_new_window_starts_from_zero(clock):
    for _ in range(3):
        ratelimit.hit("login-ip", "abc", WINDOW)
    clock.now += WINDOW
    assert ratelimit.count("login-ip", "abc", WINDOW) == 0
    assert not ratelimit.is_limited("login-ip", "abc", 3, WINDOW)
    assert ratelimit.hit("login-ip", "abc", WINDOW) == 1


def _request(addr: str = "203.0.113.7", **meta: str):
    return RequestFactory().get("/", REMOTE_ADDR=addr, **meta)


def test_ip_hash_never_contains_the_raw_address(settings):
    settings.SPILKA_IP_SALT = "salt one"
    digest = ratelimit.ip_hash(_request("203.0.113.7"))
    assert "203.0.113.7" not in digest
    assert re.fullmatch(r"[0-9a-f]{32}", digest)
    assert digest == ratelimit.ip_hash(_request("203.0.113.7"))
    assert digest != ratelimit.ip_hash(_request("203.0.113.8"))


def test_ip_hash_changes_with_the_salt(settings):
    settings.SPILKA_IP_SALT = "salt one"
    first = ratelimit.ip_hash(_request())
    settings.SPILKA_IP_SALT = "salt two"
    second = ratelimit.ip_hash(_request())
    assert first != second


def test_forwarded_for_is_ignored_unless_behind_a_proxy(settings):
    settings.SPILKA_IP_SALT = "salt one"
    direct = _request("198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert ratelimit.client_ip(direct) == "198.51.100.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ratelimit.client_ip(direct) == "203.0.113.7"
