"""Signed tokens for links in outreach mail. Nothing stored; a forged token is refused.

An unsubscribe token names the organisation *and* the supporter (and the mailing, for its
report), so changing any part invalidates the signature: it cannot be bent to unsubscribe
someone else, or to act in another organisation's list.
"""

from __future__ import annotations

from django.core import signing

UNSUBSCRIBE_SALT = "spilka.outreach.unsubscribe"
SIGNUP_SALT = "spilka.outreach.signup"
DATA_REQUEST_SALT = "spilka.outreach.data-request"

_unsubscribe_signer = signing.Signer(salt=UNSUBSCRIBE_SALT, sep=".")


def unsubscribe_token(organisation_id: int, supporter_id: int, mailing_id: int = 0) -> str:
    return _unsubscribe_signer.sign(f"{organisation_id}-{supporter_id}-{mailing_id}")


def unsubscribe_read(token: str) -> tuple[int, int, int] | None:
    """(organisation_id, supporter_id, mailing_id) or None for anything not signed by us."""
    if not token or len(token) > 200:
        return None
    try:
        value = _unsubscribe_signer.unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdecimal() for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def make_token(value: int, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=False)


def read_token(token: str, salt: str, max_age: int | None = None) -> int | None:
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
