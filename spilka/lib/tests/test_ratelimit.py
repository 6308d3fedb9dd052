"""Fixed-window rate limits, keyed by salted hashes of visitors' addresses."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

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


def _request(addr: str = "203.0.113.7", **meta: Any):
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


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:0DB8:0001:0002:0000:0000:0000:0001", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("::1", "::/64"),
        ("unknown", "unknown"),
    ],
)
def test_an_address_is_counted_by_its_bucket(address, bucket):
    assert ratelimit.client_bucket(address) == bucket


def test_every_address_of_one_ipv6_64_shares_one_limit(settings):
    settings.SPILKA_IP_SALT = "salt one"
    first = ratelimit.ip_hash(_request("2001:db8:1:2::1"))
    assert ratelimit.ip_hash(_request("2001:db8:1:2:ffff:ffff:ffff:ffff")) == first
    assert ratelimit.ip_hash(_request("2001:db8:1:3::1")) != first


def test_an_ipv4_mapped_address_counts_as_its_ipv4_address(settings):
    settings.SPILKA_IP_SALT = "salt one"
    assert ratelimit.ip_hash(_request("::ffff:203.0.113.7")) == ratelimit.ip_hash(
        _request("203.0.113.7")
    )
    assert ratelimit.ip_hash(_request("203.0.113.8")) != ratelimit.ip_hash(_request("203.0.113.7"))


def test_a_proxys_forwarded_ipv6_address_is_bucketed_too(settings):
    settings.SPILKA_IP_SALT = "salt one"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    one = _request("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 2001:db8:9:9::1")
    two = _request("10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:9:9:1:2:3:4")
    assert ratelimit.ip_hash(one) == ratelimit.ip_hash(two)
