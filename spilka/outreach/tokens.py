"""Signed tokens for links in outreach mail. Nothing stored; a forged token is refused.

An unsubscribe token names the organisation *and* the supporter (and the mailing, for its
report), so changing any part invalidates the signature: it cannot be bent to unsubscribe
someone else, or to act in another organisation's list.
"""

from __future__ import annotations

from spilka.lib.signing import id_read, id_token, ids_read, ids_sign

UNSUBSCRIBE_SALT = "spilka.outreach.unsubscribe"
SIGNUP_SALT = "spilka.outreach.signup"
DATA_REQUEST_SALT = "spilka.outreach.data-request"


def unsubscribe_token(organisation_id: int, supporter_id: int, mailing_id: int = 0) -> str:
    return ids_sign((organisation_id, supporter_id, mailing_id), purpose=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, int, int] | None:
    """(organisation_id, supporter_id, mailing_id) or None for anything not signed by us."""
    ids = ids_read(token, purpose=UNSUBSCRIBE_SALT, count=3)
    return None if ids is None else (ids[0], ids[1], ids[2])


def make_token(value: int, salt: str) -> str:
    return id_token(value, purpose=salt)


def read_token(token: str, salt: str, max_age: int | None = None) -> int | None:
    return id_read(token, purpose=salt, max_age=max_age)
