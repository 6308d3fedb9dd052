"""Spilka's own JSON format, for any mail server or relay that can post JSON.

    POST /hooks/mail/generic/
    Spilka-Webhook-Timestamp: 1767225600
    Spilka-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">

    {"events": [{"id": "optional, unique", "type": "bounce" | "complaint",
                 "email": "...", "permanent": true, "reason": "...",
                 "occurred_at": "2026-01-01T00:00:00Z"}]}

The key is ``SPILKA_BOUNCE_WEBHOOK_SECRET``; the recipe is the one Spilka's outbound
webhooks use, so one piece of code can sign both ways. A timestamp more than five minutes
away from ours is refused, so a captured request cannot be sent again later; within those
five minutes a repeat changes nothing (the event id, given or derived, is recorded).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time

from django.http import HttpRequest
from django.utils.translation import gettext as _

from spilka.outreach.bounces.events import (
    MailEvent,
    Malformed,
    Unauthenticated,
    clean_email,
    clean_event_id,
    clean_reason,
    clean_time,
    load_json,
)
from spilka.outreach.models import BounceKind

TIMESTAMP_HEADER = "Spilka-Webhook-Timestamp"
SIGNATURE_HEADER = "Spilka-Webhook-Signature"
TOLERANCE_SECONDS = 300
MAX_EVENTS = 1000
_SECONDS = re.compile(r"[0-9]{1,12}")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>`` under ``secret``."""
    message = timestamp.encode("ascii", "replace") + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: str, body: bytes) -> str:
    return f"v1={signature(secret, timestamp, body)}"


def authenticate(request: HttpRequest, body: bytes, secret: str, *, now: float | None = None):
    timestamp = request.headers.get(TIMESTAMP_HEADER, "").strip()
    offered = request.headers.get(SIGNATURE_HEADER, "")
    expected = signature(secret, timestamp, body).encode()
    matched = False
    # Several "v1=" values (comma or space separated) let a sender roll its key over.
    for part in offered.replace(",", " ").split()[:5]:
        scheme, _sep, value = part.partition("=")
        if scheme == "v1" and hmac.compare_digest(value.encode("utf-8", "replace"), expected):
            matched = True
    fresh = bool(_SECONDS.fullmatch(timestamp)) and (
        abs((now if now is not None else time.time()) - int(timestamp)) <= TOLERANCE_SECONDS
    )
    if not (matched and fresh):
        raise Unauthenticated


def parse(body: bytes) -> list[MailEvent]:
    data = load_json(body)
    items = data.get("events") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise Malformed(_('The body must be a JSON object with a list "events".'))
    if len(items) > MAX_EVENTS:
        raise Malformed(_("At most %(most)d events per request.") % {"most": MAX_EVENTS})
    return [_event(item, f"events[{index}]") for index, item in enumerate(items)]


def _event(item: object, where: str) -> MailEvent:
    if not isinstance(item, dict):
        raise Malformed(_("%(where)s: each event must be a JSON object.") % {"where": where})
    kind_name = item.get("type")
    permanent = item.get("permanent")
    if kind_name == "complaint":
        kind = BounceKind.COMPLAINT
    elif kind_name == "bounce":
        if not isinstance(permanent, bool):
            raise Malformed(
                _('%(where)s: a bounce needs "permanent": true or false.') % {"where": where}
            )
        kind = BounceKind.BOUNCE if permanent else BounceKind.SOFT_BOUNCE
    else:
        raise Malformed(_('%(where)s: "type" must be "bounce" or "complaint".') % {"where": where})
    email = clean_email(item.get("email"), where)
    occurred_at = clean_time(item.get("occurred_at"), where)
    reason = clean_reason(item.get("reason"))
    if item.get("id") is not None:
        event_id = clean_event_id(item["id"], where)
    else:
        # No id: the event is its own id, so a resent event is still recognised. Two real
        # soft bounces with the same time and text count once: senders should give an id.
        content = json.dumps(
            [kind, email, occurred_at.isoformat() if occurred_at else "", reason]
        ).encode()
        event_id = "sha256:" + hashlib.sha256(content).hexdigest()
    return MailEvent(
        event_id=event_id, kind=kind, email=email, reason=reason, occurred_at=occurred_at
    )


def receive(request: HttpRequest, body: bytes, secret: str) -> list[MailEvent]:
    authenticate(request, body, secret)
    return parse(body)
