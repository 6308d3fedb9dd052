"""Signed links: the signature is the permission, and nothing is stored.

Every link has one purpose, and the purpose is the salt: a cancel link never opens a
confirmation page. A lifetime, where the purpose has one, is checked on reading (the
signature carries the time it was made). Anything forged, mangled, too long or of the
wrong shape reads as nothing; ``expired`` is said only of a link whose signature checked
out, so an expiry message never tells a forger anything.

The formats are Django's (``signing.dumps`` and ``Signer``): links mailed before these
helpers existed still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

# A signed id is about 60 characters, a signed small dict about 100: anything much longer
# was not made here, and is refused before any work is spent on it.
MAX_LENGTH = 300


@dataclass(frozen=True)
class Opened:
    """What a token said: ``value`` is None for a forged, mangled or expired one."""

    value: Any = None
    expired: bool = False


def token_make(value: Any, *, purpose: str, compress: bool = False) -> str:
    """A URL-safe token carrying ``value`` (JSON) and the time it was made."""
    return signing.dumps(value, salt=purpose, compress=compress)


def token_open(token: str, *, purpose: str, max_age: int | None = None) -> Opened:
    """The value a token made by :func:`token_make` for ``purpose`` carries."""
    if not token or len(token) > MAX_LENGTH:
        return Opened()
    try:
        return Opened(value=signing.loads(token, salt=purpose, max_age=max_age))
    except signing.SignatureExpired:  # raised only once the signature checked out
        return Opened(expired=True)
    except (signing.BadSignature, ValueError, TypeError):
        return Opened()


def is_id(value: Any) -> bool:
    """A database id: an int, and not a bool (JSON ``true`` is not row 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def id_token(pk: int, *, purpose: str) -> str:
    """A token naming one row, for one purpose."""
    return token_make(pk, purpose=purpose)


def id_read(token: str, *, purpose: str, max_age: int | None = None) -> int | None:
    """The id an :func:`id_token` names, or None for a forged, mangled or expired token."""
    value = token_open(token, purpose=purpose, max_age=max_age).value
    return value if is_id(value) else None


def ids_sign(ids: tuple[int, ...], *, purpose: str) -> str:
    """A short, timeless signature over several ids (``1-2-3.signature``): changing any id
    breaks it, so a link cannot be bent to act on another row."""
    return signing.Signer(salt=purpose, sep=".").sign("-".join(str(pk) for pk in ids))


def ids_read(token: str, *, purpose: str, count: int) -> tuple[int, ...] | None:
    """The ``count`` ids an :func:`ids_sign` token names, or None for anything else."""
    if not token or len(token) > MAX_LENGTH:
        return None
    try:
        value = signing.Signer(salt=purpose, sep=".").unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split("-")
    if len(parts) != count or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)
