"""The signature of a delivery, as documented in docs/api.md ("Webhooks").

``Spilka-Webhook-Signature: v1=<hex>`` where ``<hex>`` is HMAC-SHA256 keyed with the
endpoint's secret over ``"<Spilka-Webhook-Timestamp>.<raw body>"``. For a day after a
secret is rotated the header carries two values, ``v1=<new>,v1=<old>``: a receiver that
accepts any matching value keeps working while its configuration is updated.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(*, secrets: Iterable[str], timestamp: str, body: bytes) -> str:
    return ",".join(f"v1={sign(secret=s, timestamp=timestamp, body=body)}" for s in secrets if s)


def verify(*, secret: str, header: str, timestamp: str, body: bytes) -> bool:
    """Whether one of the header's ``v1`` values was made with ``secret`` (receiver side)."""
    expected = sign(secret=secret, timestamp=timestamp, body=body)
    for part in header.split(","):
        scheme, _, value = part.strip().partition("=")
        if scheme == "v1" and hmac.compare_digest(value, expected):
            return True
    return False
