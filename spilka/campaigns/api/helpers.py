"""What the OSDI record helpers (signature, attendance, donation) share: the ``person`` they
are posted with, and the one consent rule.

The consent rule, for every helper: a record made through the API never subscribes anyone.
When the request says the person asked for updates (``email_addresses[0].status`` is
``"subscribed"``), the key's organisation's sign-up double opt-in starts
(``outreach.services.public.updates_request``): the address is mailed the wording and a
button, and nobody is subscribed until its owner presses it. That is what the public sign-up
form does with an address anyone typed in, so a key can do no more than a stranger could.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

from spilka.api.permissions import key_has_scope, request_key
from spilka.lib.languages import CONTENT_LANGUAGES

EMAIL_STATUSES = ("subscribed", "unsubscribed", "bouncing", "spam reports")


class EmailAddressInput(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False, default=True)
    status = serializers.ChoiceField(choices=EMAIL_STATUSES, required=False, allow_blank=True)


class PostalAddressInput(serializers.Serializer):
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    locality = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate_country(self, value: str) -> str:
        value = (value or "").upper()
        if value and value not in dict(countries):
            raise serializers.ValidationError(_("Give a two-letter country code, like UA or PL."))
        return value


class PersonInput(serializers.Serializer):
    """The ``person`` object of a record helper (OSDI's Person, the fields Spilka keeps)."""

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email_addresses = EmailAddressInput(many=True, allow_empty=False)
    postal_addresses = PostalAddressInput(many=True, required=False)
    languages_spoken = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = " ".join(
            part.strip() for part in (attrs.get("given_name"), attrs.get("family_name")) if part
        ).strip()
        if not name:
            raise serializers.ValidationError({"given_name": _("Please give the person's name.")})
        addresses = attrs["email_addresses"]
        primary = next((a for a in addresses if a.get("primary")), addresses[0])
        postal = (attrs.get("postal_addresses") or [{}])[0]
        spoken = [code.split("-")[0].lower() for code in attrs.get("languages_spoken") or []]
        language = next((code for code in spoken if code in CONTENT_LANGUAGES), "en")
        return {
            "full_name": name[:200],
            "email": primary["address"],
            "asks_for_updates": primary.get("status") == "subscribed",
            "country": postal.get("country", ""),
            "postcode": postal.get("postal_code", ""),
            "language": language,
        }


def base_url(request: Any) -> str:
    """The site address for links in mail (the configured one; else the request's host)."""
    configured = getattr(settings, "SPILKA_BASE_URL", "")
    return configured or request.build_absolute_uri("/").rstrip("/")


def reader(request: Any, family: str) -> Any:
    """Whom a public collection answers for: the key's organisation only when the key holds
    ``<family>:read``; otherwise (no key, or a key for other things) an anonymous visitor.
    A ``supporters`` key must not open the organisation's draft petitions."""

    if key_has_scope(request_key(request), f"{family}:read"):
        return request.user
    return AnonymousUser()
