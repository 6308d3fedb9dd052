"""Requests as the providers send them, shaped after their documented examples
(Mailgun's "Webhook Payloads", Postmark's Bounce and Spam Complaint webhook pages), signed the
way each provider signs. Used by test_bounce_webhooks*.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

GENERIC_SECRET = "generic-secret-for-tests-0123456789abcdef"
MAILGUN_KEY = "key-mailgun-signing-for-tests-0123456789"
POSTMARK_USER = "postmark-hooks"
POSTMARK_PASSWORD = "postmark-password-for-tests-0123456789"

GENERIC_URL = "/hooks/mail/generic/"
MAILGUN_URL = "/hooks/mail/mailgun/"
POSTMARK_URL = "/hooks/mail/postmark/"


def configure(settings) -> None:
    settings.SPILKA_BOUNCE_WEBHOOK_SECRET = GENERIC_SECRET
    settings.SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY = MAILGUN_KEY
    settings.SPILKA_POSTMARK_WEBHOOK_USERNAME = POSTMARK_USER
    settings.SPILKA_POSTMARK_WEBHOOK_PASSWORD = POSTMARK_PASSWORD


# --- Generic ---------------------------------------------------------------------------


def generic_headers(body: bytes, *, secret: str = GENERIC_SECRET, timestamp: int | None = None):
    """What a sender computes: HMAC-SHA256 over "<timestamp>.<body>", written as v1=<hex>."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "HTTP_SPILKA_WEBHOOK_TIMESTAMP": stamp,
        "HTTP_SPILKA_WEBHOOK_SIGNATURE": f"v1={digest}",
    }


def generic_body(*events: dict) -> bytes:
    return json.dumps({"events": list(events)}).encode()


def generic_bounce(email: str, *, permanent: bool = True, event_id: str | None = None) -> dict:
    event = {
        "type": "bounce",
        "email": email,
        "permanent": permanent,
        "reason": f"550 5.1.1 <{email}>: Recipient address rejected: User unknown"
        if permanent
        else "452 4.2.2 Mailbox full",
        "occurred_at": "2026-12-07T08:15:00Z",
    }
    if event_id is not None:
        event["id"] = event_id
    return event


# --- Mailgun ---------------------------------------------------------------------------


def mailgun_signature(*, key: str = MAILGUN_KEY, timestamp: int | None = None, token=None):
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    token = token or secrets.token_hex(25)  # Mailgun's tokens: 50 characters
    digest = hmac.new(key.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    return {"timestamp": stamp, "token": token, "signature": digest}


def mailgun_failed(email: str, *, severity: str = "permanent", reason: str = "bounce", **extra):
    domain = email.rpartition("@")[2]
    event = {
        "account": {"id": "5f3c9e2a1b4d6e7f8a9b0c1d"},
        "domain": {"name": "mg.solidarity.example"},
        "event": "failed",
        "id": extra.pop("event_id", "G9Bn5sl1TC6nu79C8C0bwg"),
        "timestamp": extra.pop("at", 1765095300.375624),
        "log-level": "error" if severity == "permanent" else "warn",
        "severity": severity,
        "reason": reason,
        "recipient": email,
        "recipient-domain": domain,
        "envelope": {
            "sender": "bounces@mg.solidarity.example",
            "targets": email,
            "transport": "smtp",
        },
        "delivery-status": {
            "attempt-no": 1,
            "code": 550 if severity == "permanent" else 452,
            "description": "",
            "message": "5.1.1 The email account that you tried to reach does not exist."
            if severity == "permanent"
            else "4.2.2 The recipient's inbox is out of storage space.",
            "mx-host": f"mx.{domain}",
            "session-seconds": 0.41,
            "tls": True,
        },
        "flags": {"is-authenticated": True, "is-test-mode": False},
        "message": {
            "headers": {
                "from": "Ukraine Solidarity Campaign <news@mg.solidarity.example>",
                "message-id": "20261207081500.1a2b3c4d5e6f@mg.solidarity.example",
                "subject": "Convoy update",
                "to": email,
            },
            "size": 5230,
        },
        "tags": [],
        "user-variables": {},
    }
    event.update(extra)
    return event


def mailgun_complained(email: str, *, event_id: str = "-Agny091SquKnsrW2NEKUA") -> dict:
    return {
        "event": "complained",
        "id": event_id,
        "timestamp": 1765095400.122,
        "log-level": "warn",
        "recipient": email,
        "envelope": {"sending-ip": "192.0.2.10"},
        "flags": {"is-test-mode": False},
        "message": {"headers": {"message-id": "20261207081500.99@mg.solidarity.example"}},
        "tags": [],
        "campaigns": [],
        "user-variables": {},
    }


def mailgun_body(event_data: dict, signature: dict | None = None) -> bytes:
    return json.dumps(
        {"signature": signature or mailgun_signature(), "event-data": event_data}
    ).encode()


# --- Postmark --------------------------------------------------------------------------


def postmark_auth(user: str = POSTMARK_USER, password: str = POSTMARK_PASSWORD) -> dict:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {pair}"}


def postmark_bounce(email: str, *, bounce_type: str = "HardBounce", bounce_id: int = 4323372036):
    codes = {"HardBounce": 1, "Transient": 2, "SoftBounce": 4096, "AutoResponder": 64}
    return json.dumps(
        {
            "RecordType": "Bounce",
            "MessageStream": "outbound",
            "ID": bounce_id,
            "Type": bounce_type,
            "TypeCode": codes.get(bounce_type, 2048),
            "Name": "Hard bounce" if bounce_type == "HardBounce" else bounce_type,
            "Tag": "convoy-update",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Metadata": {"mailing": "41"},
            "ServerID": 23,
            "Description": "The server was unable to deliver your message (ex: unknown user, "
            "mailbox not found).",
            "Details": f"smtp;550 5.1.1 The email account <{email}> does not exist.",
            "Email": email,
            "From": "news@solidarity.example",
            "BouncedAt": "2026-12-07T08:15:23.4516429Z",
            "DumpAvailable": True,
            "Inactive": bounce_type == "HardBounce",
            "CanActivate": True,
            "Subject": "Convoy update",
            "Content": "<Full dump of bounce>",
        }
    ).encode()


def postmark_spam_complaint(email: str, *, complaint_id: int = 42) -> bytes:
    return json.dumps(
        {
            "RecordType": "SpamComplaint",
            "MessageStream": "outbound",
            "ID": complaint_id,
            "Type": "SpamComplaint",
            "TypeCode": 512,
            "Name": "Spam complaint",
            "Tag": "convoy-update",
            "MessageID": "00000000-0000-0000-0000-000000000000",
            "Metadata": {},
            "ServerID": 23,
            "Description": "",
            "Details": "Spam complaint from the recipient's provider",
            "Email": email,
            "From": "news@solidarity.example",
            "BouncedAt": "2026-12-07T09:01:54.9070259Z",
            "DumpAvailable": True,
            "Inactive": True,
            "CanActivate": False,
            "Subject": "Convoy update",
            "Content": "<Abuse report dump>",
        }
    ).encode()
