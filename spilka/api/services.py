"""Creating and revoking API keys, each with its audit row under the organisation."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from spilka.api.models import ApiKey
from spilka.api.scopes import clean_scopes
from spilka.lib.audit import audit_record
from spilka.network.models import Organisation

KEY_START = "spk_"


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def key_prefix_of(secret: str) -> str | None:
    """The prefix part of ``spk_<prefix>_<random>``, or None if it is not shaped like a key."""
    if not secret.startswith(KEY_START):
        return None
    prefix, sep, rest = secret.removeprefix(KEY_START).partition("_")
    if not sep or not rest or not (8 <= len(prefix) <= 16) or not prefix.isalnum():
        return None
    return prefix


def key_matches(key: ApiKey, secret: str) -> bool:
    """Constant-time comparison of the secret's hash with the stored one."""
    return hmac.compare_digest(key.key_hash, key_hash(secret))


@transaction.atomic
def apikey_create(
    *,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    by: Any,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its secret. The secret is returned once and never stored."""
    scopes = clean_scopes(scopes)
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    organisation=organisation,
                    name=name.strip()[:100],
                    prefix=prefix,
                    key_hash=key_hash(secret),
                    scopes=scopes,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    expires_at=expires_at,
                )
            break
        except IntegrityError:  # the same prefix twice: draw again
            continue
    else:  # pragma: no cover - 2**32 prefixes
        raise RuntimeError("could not draw a free key prefix")
    audit_record(
        actor=by,
        action="api.key.created",
        obj=key,
        organisation=organisation,
        after={
            "name": key.name,
            "prefix": key.prefix,
            "scopes": scopes,
            "expires_at": expires_at,
        },
    )
    return key, secret


@transaction.atomic
def apikey_revoke(*, key: ApiKey, by: Any) -> ApiKey:
    """Revoke the key (idempotent): every request with it is refused from now on."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action="api.key.revoked",
        obj=key,
        organisation=key.organisation,
        after={"prefix": key.prefix, "revoked_at": key.revoked_at},
    )
    return key


def apikey_touch(*, key: ApiKey, ip: str | None) -> None:
    """Record when and from where the key was last used, at most once a minute."""
    now = timezone.now()
    if key.last_used_at and now - key.last_used_at < datetime.timedelta(minutes=1):
        return  # no write per request
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
    key.last_used_at, key.last_used_ip = now, ip
