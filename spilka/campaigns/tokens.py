"""Signed, single-purpose tokens for links in petition emails (nothing stored)."""

from __future__ import annotations

from django.core import signing

CONFIRM_SALT = "spilka.petition.confirm"
WITHDRAW_SALT = "spilka.petition.withdraw"


def make_token(signature_id: int, salt: str) -> str:
    return signing.dumps(signature_id, salt=salt, compress=False)


def read_token(token: str, salt: str, max_age: int | None = None) -> int | None:
    """The signature id, or None for a forged, mangled or (with ``max_age``) expired token."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
