"""Fixed-window rate limits in the shared cache, keyed by salted hashes.

When Redis is unreachable the cache counts in each process's memory (spilka/lib/cache.py):
limits then hold per process, so nobody is locked out by the outage and no one gets more
than the limit times the number of web processes.

Visitors' IP addresses are never stored: only an HMAC of them with a server-side salt,
which cannot be reversed without the salt. An IPv4 address is counted whole, an IPv6
address by its /64 network (``client_bucket``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy the real address is the last hop the proxy appended.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_bucket(ip: str) -> str:
    """What a rate limit counts for an address: an IPv4 address whole; an IPv6 address by
    its /64 network, since one subscriber usually holds a whole /64 and may take a new
    address in it for every request; an IPv4-mapped IPv6 address as the IPv4 address.
    Anything that is not an address (a proxy's oddity) is counted as given."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Address(int(address) >> 64 << 64)  # drops a zone id too
        return f"{network}/64"
    return str(address)


def hashed(value: str) -> str:
    salt = (settings.SPILKA_IP_SALT or settings.SECRET_KEY).encode()
    return hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()[:32]


def ip_hash(request: HttpRequest) -> str:
    """The identity every per-address limit counts: the salted hash of the client's bucket."""
    return hashed(client_bucket(client_ip(request)))


def key(scope: str, ident: str, window: int) -> str:
    """The cache key counting ``ident``'s events in the current window."""
    bucket = int(time.time() // window)
    return f"rl:{scope}:{ident}:{bucket}"


def count(scope: str, ident: str, window: int) -> int:
    return int(cache.get(key(scope, ident, window), 0))


def hit(scope: str, ident: str, window: int) -> int:
    """Count one event; return the count in the current window."""
    return hit_key(key(scope, ident, window), window + 1)


def hit_key(name: str, seconds: int) -> int:
    """Count one event under the cache key ``name`` (kept ``seconds``); return the count."""
    if hasattr(cache, "hit"):  # Redis: one round trip (spilka.lib.cache)
        return int(cache.hit(name, seconds))
    cache.add(name, 0, timeout=seconds)
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds)
        return 1


def is_limited(scope: str, ident: str, limit: int, window: int) -> bool:
    return count(scope, ident, window) >= limit


def reset(scope: str, ident: str, window: int) -> None:
    cache.delete(key(scope, ident, window))


def give_back(scope: str, ident: str, window: int) -> None:
    """Undo one counted event in the current window (never below zero)."""
    name = key(scope, ident, window)
    try:
        if int(cache.decr(name)) < 0:
            cache.set(name, 0, timeout=window + 1)
    except ValueError:  # nothing counted (or the window just turned)
        pass


ADDRESS_MAIL_SCOPE = "address-mail"
ADDRESS_MAIL_WINDOW = 3600


def cache_errors() -> tuple[type[Exception], ...]:
    """What the shared cache raises when it cannot be reached (Redis, or the cache table)."""
    return (OSError, redis.RedisError, DatabaseError)


def address_mail_allowed(email: str) -> bool:
    """Count one mail to an address a visitor typed into a public form; False once the address
    has had its share this hour (``SPILKA_MAILS_PER_ADDRESS_PER_HOUR``, all forms together).

    The caller then simply does not send, and answers the visitor exactly as if it had: the
    page must not tell anyone whether an address is being flooded. Keyed on a salted hash of
    the normalised address (never the address). While Redis is down each process counts in
    its own memory (spilka/lib/cache.py), so an address gets at most this share per process.
    When the shared cache still cannot be counted on (the cache table's database) the mail is
    not sent: a lost confirmation can be asked for again, a flood cannot be recalled.
    """
    ident = hashed("mail:" + (email or "").strip().lower())
    try:
        sent = hit(ADDRESS_MAIL_SCOPE, ident, ADDRESS_MAIL_WINDOW)
    except cache_errors() as error:
        log.error("mail to a typed address not sent, the shared cache is unreachable: %s", error)
        return False
    return sent <= settings.SPILKA_MAILS_PER_ADDRESS_PER_HOUR
