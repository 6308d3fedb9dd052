"""Signed, single-purpose tokens for links in petition emails (see spilka.lib.signing)."""

from __future__ import annotations

from spilka.lib.signing import id_read, id_token

CONFIRM_SALT = "spilka.petition.confirm"
WITHDRAW_SALT = "spilka.petition.withdraw"


def make_token(signature_id: int, salt: str) -> str:
    return id_token(signature_id, purpose=salt)


def read_token(token: str, salt: str, max_age: int | None = None) -> int | None:
    """The signature id, or None for a forged, mangled or (with ``max_age``) expired token."""
    return id_read(token, purpose=salt, max_age=max_age)
