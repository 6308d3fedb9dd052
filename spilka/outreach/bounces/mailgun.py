"""Mailgun's webhooks (the current, JSON ones): "Permanent Failure", "Temporary Failure" and
"Spam Complaints" pointed at /hooks/mail/mailgun/.

Mailgun posts ``{"signature": {"timestamp", "token", "signature"}, "event-data": {...}}``;
the signature is the hex HMAC-SHA256 of timestamp and token (no separator) under the
account's webhook signing key (``SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY``).

That signature does not cover the event data, so a token is accepted for one event only:
once seen, the same token with another event is refused as forged (the same token with the
same event is a retry, and changes nothing). Tokens are remembered in the shared cache for as
long as their timestamp is accepted: Mailgun retries a failed delivery for about eight hours,
so the timestamp may be up to nine hours old.

Which events mark an address: ``failed`` with ``severity: permanent`` (a bounce), and
``complained`` (a complaint). ``failed`` with ``severity: temporary`` is a soft bounce,
counted only. A permanent failure that says nothing about the address is a soft bounce too:
``espblock`` (Mailgun's own block); ``suppress-unsubscribe`` is ignored (the person
unsubscribed at Mailgun; Spilka's own unsubscribe is the way to stop mail). Every other
event (delivered, opened, clicked…) is accepted and ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from spilka.lib.ratelimit import cache_errors
from spilka.outreach.bounces.events import (
    MailEvent,
    Malformed,
    TryLater,
    Unauthenticated,
    clean_email,
    clean_event_id,
    clean_reason,
    clean_time,
    load_json,
)
from spilka.outreach.models import BounceKind

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 9 * 3600
FUTURE_SECONDS = 300
_SECONDS = re.compile(r"[0-9]{1,12}")


def signature(key: str, timestamp: str, token: str) -> str:
    return hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def authenticate(data: object, key: str, *, now: float | None = None) -> str:
    """The request's token, once its signature holds; Unauthenticated otherwise."""
    signed = data.get("signature") if isinstance(data, dict) else None
    signed = signed if isinstance(signed, dict) else {}
    timestamp = _text(signed.get("timestamp")).strip()
    token = _text(signed.get("token"))
    offered = _text(signed.get("signature"))
    expected = signature(key, timestamp, token).encode()
    matched = hmac.compare_digest(offered.encode("utf-8", "replace"), expected)
    now = now if now is not None else time.time()
    fresh = bool(_SECONDS.fullmatch(timestamp)) and (
        -FUTURE_SECONDS <= now - int(timestamp) <= MAX_AGE_SECONDS
    )
    if not (matched and fresh and 0 < len(token) <= 200):
        raise Unauthenticated
    return token


def _classify(event_data: dict) -> str | None:
    event = event_data.get("event")
    reason = event_data.get("reason")
    if event == "complained":
        return BounceKind.COMPLAINT
    if event != "failed":
        return None
    severity = event_data.get("severity")
    if severity == "temporary":
        return BounceKind.SOFT_BOUNCE
    if severity != "permanent":
        raise Malformed(_('event-data: a failure needs "severity": permanent or temporary.'))
    if reason == "suppress-unsubscribe":
        return None
    if reason == "suppress-complaint":
        return BounceKind.COMPLAINT
    if reason == "espblock":
        return BounceKind.SOFT_BOUNCE
    return BounceKind.BOUNCE


def parse(data: dict) -> tuple[str, MailEvent | None]:
    """What the event is (``None`` for events that do not concern bounces), and the reference
    a token is bound to."""
    event_data = data.get("event-data")
    if not isinstance(event_data, dict):
        raise Malformed(_('The body must have an "event-data" object.'))
    kind = _classify(event_data)
    raw_id = event_data.get("id")
    # Mailgun's event ids are unique within a day only: with the event's own time they are
    # unique for good.
    reference = f"{_text(raw_id) or '-'}/{event_data.get('timestamp')!s:.40}"
    if kind is None:
        return reference, None
    clean_event_id(raw_id, "event-data.id")
    status = event_data.get("delivery-status")
    status = status if isinstance(status, dict) else {}
    reason = clean_reason(
        _text(status.get("description"))
        or _text(status.get("message"))
        or _text(event_data.get("reason"))
    )
    event = MailEvent(
        event_id=reference,
        kind=kind,
        email=clean_email(event_data.get("recipient"), "event-data.recipient"),
        reason=reason,
        occurred_at=clean_time(event_data.get("timestamp"), "event-data.timestamp"),
    )
    return reference, event


def _bind_token(token: str, reference: str) -> None:
    """A token authenticates one event: refuse it with any other."""
    name = "bounce:mailgun-token:" + hashlib.sha256(token.encode()).hexdigest()[:40]
    try:
        if cache.add(name, reference, timeout=MAX_AGE_SECONDS + FUTURE_SECONDS):
            return
        seen = cache.get(name)
    except cache_errors() as error:
        # Unchecked, a token signed for one event would carry any other: refuse for now,
        # and Mailgun sends the report again (it retries for about eight hours).
        log.warning("mailgun webhook refused, the token cannot be checked: %s", error)
        raise TryLater from error
    if seen is not None and seen != reference:
        raise Unauthenticated


def receive(request: HttpRequest, body: bytes, key: str) -> list[MailEvent]:
    try:
        data = load_json(body)
    except Malformed:
        raise Unauthenticated from None  # the signature is in the body: no body, no proof
    token = authenticate(data, key)
    reference, event = parse(data)  # type: ignore[arg-type]
    _bind_token(token, reference)
    return [event] if event is not None else []
