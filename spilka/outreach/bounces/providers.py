"""The formats the webhook speaks, each with what turns it on (its secret in settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from spilka.outreach.bounces import generic, mailgun, postmark
from spilka.outreach.bounces.events import MailEvent


@dataclass(frozen=True)
class Provider:
    name: str
    configured: Callable[[], bool]
    receive: Callable[[HttpRequest, bytes], list[MailEvent]]
    # The WWW-Authenticate header a 401 carries (basic auth only).
    challenge: str = ""


PROVIDERS = {
    "generic": Provider(
        name="generic",
        configured=lambda: bool(settings.SPILKA_BOUNCE_WEBHOOK_SECRET),
        receive=lambda request, body: generic.receive(
            request, body, settings.SPILKA_BOUNCE_WEBHOOK_SECRET
        ),
    ),
    "mailgun": Provider(
        name="mailgun",
        configured=lambda: bool(settings.SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY),
        receive=lambda request, body: mailgun.receive(
            request, body, settings.SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY
        ),
    ),
    "postmark": Provider(
        name="postmark",
        configured=lambda: bool(
            settings.SPILKA_POSTMARK_WEBHOOK_USERNAME and settings.SPILKA_POSTMARK_WEBHOOK_PASSWORD
        ),
        receive=lambda request, body: postmark.receive(
            request,
            body,
            settings.SPILKA_POSTMARK_WEBHOOK_USERNAME,
            settings.SPILKA_POSTMARK_WEBHOOK_PASSWORD,
        ),
        challenge=postmark.CHALLENGE,
    ),
}


def provider_configured(name: str) -> Provider | None:
    provider = PROVIDERS.get(name)
    return provider if provider is not None and provider.configured() else None
