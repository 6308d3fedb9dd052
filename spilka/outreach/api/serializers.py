"""OSDI people: an organisation's supporters, as OSDI clients expect them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer, api_url
from spilka.outreach.models import Supporter, SupporterStatus

# OSDI's email address statuses for Spilka's supporter statuses. Not subscribed (never
# asked, or asked to stop) are both "unsubscribed" to OSDI; ``custom_fields`` keep ours.
OSDI_EMAIL_STATUS = {
    SupporterStatus.SUBSCRIBED: "subscribed",
    SupporterStatus.NO_CONSENT: "unsubscribed",
    SupporterStatus.UNSUBSCRIBED: "unsubscribed",
    SupporterStatus.BOUNCED: "bouncing",
    SupporterStatus.COMPLAINED: "spam complaint",
}


def split_name(name: str) -> tuple[str, str]:
    given, _sep, family = (name or "").strip().partition(" ")
    return given, family.strip()


class EmailAddressSerializer(serializers.Serializer):
    address = serializers.EmailField()
    primary = serializers.BooleanField(default=True)
    status = serializers.CharField(read_only=True)


class PersonSerializer(OsdiModelSerializer):
    given_name = serializers.SerializerMethodField()
    family_name = serializers.SerializerMethodField()
    email_addresses = serializers.SerializerMethodField()
    phone_numbers = serializers.SerializerMethodField()
    postal_addresses = serializers.SerializerMethodField()
    languages_spoken = serializers.SerializerMethodField()
    custom_fields = serializers.SerializerMethodField()

    class Meta:
        model = Supporter
        identifier_field = "pk"
        fields = [
            "given_name",
            "family_name",
            "email_addresses",
            "phone_numbers",
            "postal_addresses",
            "languages_spoken",
            "custom_fields",
        ]

    def get_given_name(self, obj: Supporter) -> str:
        return split_name(obj.name)[0]

    def get_family_name(self, obj: Supporter) -> str:
        return split_name(obj.name)[1]

    @extend_schema_field(EmailAddressSerializer(many=True))
    def get_email_addresses(self, obj: Supporter) -> list[dict[str, Any]]:
        return [
            {
                "address": obj.email,
                "primary": True,
                "status": OSDI_EMAIL_STATUS.get(obj.status, "unsubscribed"),
            }
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"number": {"type": "string"}, "primary": {"type": "boolean"}},
            },
        }
    )
    def get_phone_numbers(self, obj: Supporter) -> list[dict[str, Any]]:
        return [{"number": obj.phone, "primary": True}] if obj.phone else []

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"country": {"type": "string"}, "primary": {"type": "boolean"}},
            },
        }
    )
    def get_postal_addresses(self, obj: Supporter) -> list[dict[str, Any]]:
        country = str(obj.country or "")
        return [{"country": country, "primary": True}] if country else []

    def get_languages_spoken(self, obj: Supporter) -> list[str]:
        return [obj.language] if obj.language else []

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "nullable": True}}
    )
    def get_custom_fields(self, obj: Supporter) -> dict[str, str | None]:
        return {
            "spilka_status": obj.status,
            "source": obj.source,
            "last_action_date": obj.last_action_at.isoformat() if obj.last_action_at else None,
        }

    def get_links(self, obj: Supporter) -> dict[str, dict[str, str]]:
        request = self.context.get("request")
        href = api_url(request, "osdi-person-taggings", obj.pk)
        return {"osdi:taggings": {"href": href}} if href else {}
