"""Postmark's Bounce and Spam Complaint webhooks, pointed at
``https://<user>:<password>@<host>/hooks/mail/postmark/``.

Postmark does not sign its webhooks: it sends the basic-auth credentials written into the
webhook URL (``SPILKA_POSTMARK_WEBHOOK_USERNAME`` / ``_PASSWORD``), over HTTPS. Each request
carries one record: ``RecordType`` ``Bounce`` (with ``Type`` saying which kind) or
``SpamComplaint``, the recipient in ``Email`` and Postmark's ``ID``.

Which bounce types mark an address: ``HardBounce`` and ``BadEmailAddress`` (the mailbox or
address does not exist), and ``SpamComplaint``. Types that are not about delivery at all
(auto-replies, subscribe and unsubscribe requests, address changes, Postmark's own
deactivation or template errors…) are ignored; every other type (``SoftBounce``,
``Transient``, ``DnsError``, ``Blocked``…) is a soft bounce, counted only. Other record types
(Delivery, Open, Click, SubscriptionChange) are accepted and ignored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

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

CHALLENGE = 'Basic realm="spilka-mail-hooks", charset="UTF-8"'
HARD = frozenset({"HardBounce", "BadEmailAddress"})
NOT_BOUNCES = frozenset(
    {
        "AutoResponder",
        "Subscribe",
        "Unsubscribe",
        "AddressChange",
        "OpenRelayTest",
        "ChallengeVerification",
        "InboundError",
        "ManuallyDeactivated",
        "Unconfirmed",
        "TemplateRenderingFailed",
    }
)


def authenticate(request: HttpRequest, username: str, password: str) -> None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    try:
        offered = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        offered = b""
    # Digests of equal length: the comparison takes as long whatever was offered.
    expected = hashlib.sha256(f"{username}:{password}".encode()).digest()
    matched = hmac.compare_digest(hashlib.sha256(offered).digest(), expected)
    if not (matched and scheme.lower() == "basic"):
        raise Unauthenticated


def parse(body: bytes) -> list[MailEvent]:
    data = load_json(body)
    if not isinstance(data, dict) or not isinstance(data.get("RecordType"), str):
        raise Malformed(_('The body must be a JSON object with a "RecordType".'))
    record = data["RecordType"]
    if record == "SpamComplaint":
        kind = BounceKind.COMPLAINT
    elif record == "Bounce":
        bounce_type = data.get("Type")
        if not isinstance(bounce_type, str) or not bounce_type:
            raise Malformed(_('A bounce needs its "Type".'))
        if bounce_type in NOT_BOUNCES:
            return []
        if bounce_type == "SpamComplaint":
            kind = BounceKind.COMPLAINT
        elif bounce_type in HARD:
            kind = BounceKind.BOUNCE
        else:
            kind = BounceKind.SOFT_BOUNCE
    else:
        return []
    reason = clean_reason(data.get("Details")) or clean_reason(data.get("Description"))
    return [
        MailEvent(
            event_id=f"{record}:{clean_event_id(data.get('ID'), 'ID')}",
            kind=kind,
            email=clean_email(data.get("Email"), "Email"),
            reason=reason,
            occurred_at=clean_time(data.get("BouncedAt"), "BouncedAt"),
        )
    ]


def receive(request: HttpRequest, body: bytes, username: str, password: str) -> list[MailEvent]:
    authenticate(request, username, password)
    return parse(body)
