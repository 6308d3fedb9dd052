"""Proof-of-work against bots, with the ALTCHA protocol (self-hosted, no third party).

The form carries a signed challenge; the visitor's browser searches for the number whose
SHA-256 with the salt matches (spilka/static/spilka/pow.js); the server checks the
signature, the expiry and the hash, and refuses a solution it has seen before. The
"seen" marks live in the shared cache, so with Redis every app server refuses a replay.
"""

from __future__ import annotations

import base64
import datetime
import json
import time
from typing import TYPE_CHECKING, cast

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

if TYPE_CHECKING:
    from altcha.v1 import PayloadType

CHALLENGE_LIFETIME = datetime.timedelta(minutes=20)
# A spent solution is remembered until its challenge has expired (and a minute more).
POW_MARK_SECONDS = int(CHALLENGE_LIFETIME.total_seconds()) + 60


def _key() -> str:
    return settings.SPILKA_POW_HMAC_KEY


def pow_challenge(max_number: int | None = None) -> str:
    """A fresh challenge as JSON, for the form's ``data-challenge`` attribute.

    ``max_number`` (default ``SPILKA_POW_MAX_NUMBER``) sets the work: the browser tries
    half of it on average.
    """
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=_key(),
            max_number=max_number or settings.SPILKA_POW_MAX_NUMBER,
            expires=timezone.now() + CHALLENGE_LIFETIME,
        )
    )
    return json.dumps(
        {
            "algorithm": challenge.algorithm,
            "challenge": challenge.challenge,
            "maxnumber": challenge.max_number,
            "salt": challenge.salt,
            "signature": challenge.signature,
        }
    )


def pow_solution_marker(payload: str) -> str | None:
    """For a valid solution (signature, expiry, hash), the cache key that marks it spent;
    None for anything else. Checks nothing shared: ``pow_mark`` refuses the replay.

    The key is the challenge's signature, not the payload: the same solution re-encoded
    (key order, spaces, an extra field, the number as a string) is still the same solution.
    The library checks the signature verbatim against the one it computes, so it is always
    the one we issued, and the challenge it signs fixes the salt and the number.
    """
    if not payload or len(payload) > 2000:
        return None
    try:
        # Decoded once, here, as the library would decode it, and handed over as a dict.
        solution = json.loads(base64.b64decode(payload).decode())
        if not isinstance(solution, dict):
            return None
        ok, _error = altcha.verify_solution_v1(
            cast("PayloadType", solution), _key(), check_expires=True
        )
        signature = solution["signature"] if ok else None
    except Exception:  # malformed base64/JSON from a bot: just a failed check
        return None
    if not isinstance(signature, str):
        return None
    return "pow:" + signature


def pow_mark(marker: str, seconds: int = POW_MARK_SECONDS) -> bool:
    """Mark a solution spent; False if it already was (a replay)."""
    # add() is atomic in Redis and in the local-memory cache: only the first caller wins.
    return bool(cache.add(marker, 1, timeout=seconds))


def pow_mark_accepted(marker: str, value: int, seconds: int = POW_MARK_SECONDS) -> None:
    """Record what the spent solution was accepted for (after ``pow_mark``)."""
    cache.set(marker, value, timeout=seconds)


def pow_spent_on(marker: str, value: int) -> bool:
    """Whether the spent solution was accepted for ``value`` (``pow_mark_accepted``).

    A mark still holding the plain 1 may belong to a submission being accepted at this
    moment (the twin of a double click, between ``pow_mark`` and ``pow_mark_accepted``,
    a fraction of a millisecond): it is read again a few times, for at most 0.15 seconds.
    """
    for attempt in range(4):
        held = cache.get(marker)
        if held != 1:
            return held == value
        if attempt < 3:
            time.sleep(0.05)
    return False
