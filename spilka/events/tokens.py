"""Signed, single-purpose tokens for links sent to registrants (nothing stored)."""

from __future__ import annotations

from django.core import signing

REGISTRATION_SALT = "spilka.events.registration"  # the confirmation page with the join link
CANCEL_SALT = "spilka.events.cancel"
OFFER_SALT = "spilka.events.offer"
CHECKIN_SALT = "spilka.events.checkin"


def make_token(registration_id: int, salt: str) -> str:
    return signing.dumps(registration_id, salt=salt, compress=False)


def read_token(token: str, salt: str) -> int | None:
    """The registration id, or None for a forged or mangled token."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
