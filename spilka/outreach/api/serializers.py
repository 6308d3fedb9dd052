"""OSDI people: an organisation's supporters, as OSDI clients expect them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer, api_url
from spilka.outreach.models import Supporter, SupporterList, SupporterStatus, Tag

# OSDI's email address statuses for Spilka's supporter statuses. Not subscribed (never
# asked, or asked to stop) are both "unsubscribed" to OSDI; ``custom_fields`` keep ours.
OSDI_EMAIL_STATUS: dict[str, str] = {
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
        # The stored code itself: the field's Country object looks up translated names,
        # which costs more than the rest of the person together on a long list.
        country = str(obj.__dict__.get("country") or "")
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
        href = api_url(request, "osdi-person-tagging-list", obj.pk)
        return {"osdi:taggings": {"href": href}} if href else {}


# --- Signup helper --------------------------------------------------------------------


class SignupEmailSerializer(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False)
    # "unsubscribed": record the person without asking them for updates.
    status = serializers.ChoiceField(
        choices=["subscribed", "unsubscribed"], required=False, default="subscribed"
    )


class SignupCountrySerializer(serializers.Serializer):
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True)


class SignupPersonSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    # ListSerializer takes min_length/max_length (DRF 3.14+); djangorestframework-stubs miss them.
    email_addresses = SignupEmailSerializer(many=True, min_length=1, max_length=5)  # type: ignore[call-arg]
    languages_spoken = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, max_length=10
    )
    postal_addresses = SignupCountrySerializer(many=True, required=False, max_length=5)  # type: ignore[call-arg]


class PersonSignupSerializer(serializers.Serializer):
    """OSDI's person signup helper: ``{"person": {...}, "add_tags": ["..."]}``."""

    person = SignupPersonSerializer()
    add_tags = serializers.ListField(
        child=serializers.CharField(max_length=60, trim_whitespace=True),
        required=False,
        max_length=20,
    )


# --- Tags, taggings, lists ------------------------------------------------------------


class TagSerializer(OsdiModelSerializer):
    class Meta:
        model = Tag
        identifier_field = "pk"
        created_field = None
        modified_field = None
        fields = ["name"]

    def get_links(self, obj: Tag) -> dict[str, dict[str, str]]:
        link = self.link("osdi-tagging-list", obj.pk)
        return {"osdi:taggings": link} if link else {}


TaggingThrough = Supporter.tags.through


class TaggingSerializer(OsdiModelSerializer):
    """One supporter carrying one tag (a row of the supporter–tag link)."""

    class Meta:
        model = TaggingThrough
        identifier_field = "pk"
        created_field = None
        modified_field = None
        fields: list[str] = []

    def get_self_href(self, obj: Any) -> str | None:
        return api_url(self.context.get("request"), "osdi-tagging-detail", obj.tag_id, obj.pk)

    def get_links(self, obj: Any) -> dict[str, dict[str, str]]:
        links = {}
        if tag := self.link("osdi-tag-detail", obj.tag_id):
            links["osdi:tag"] = tag
        if person := self.link("osdi-person-detail", obj.supporter_id):
            links["osdi:person"] = person
        return links


class TaggingCreateSerializer(serializers.Serializer):
    """``{"_links": {"osdi:person": {"href": ".../api/v1/people/<id>"}}}``, as OSDI posts it."""

    _links = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))

    def validate__links(self, value: dict[str, dict[str, str]]) -> int:
        href = (value.get("osdi:person") or {}).get("href", "")
        last = href.rstrip("/").rsplit("/", 1)[-1]
        if "/people/" not in href or not last.isdecimal() or len(last) > 18:
            raise serializers.ValidationError(
                _("Give the person as _links.osdi:person.href, a link to /api/v1/people/<id>.")
            )
        return int(last)


class ListSerializer(OsdiModelSerializer):
    class Meta:
        model = SupporterList
        identifier_field = "pk"
        created_field = None
        modified_field = None
        fields = ["name", "description"]

    def get_links(self, obj: SupporterList) -> dict[str, dict[str, str]]:
        link = self.link("osdi-list-item-list", obj.pk)
        return {"osdi:items": link} if link else {}


ListItemThrough = Supporter.lists.through


class ListItemSerializer(OsdiModelSerializer):
    class Meta:
        model = ListItemThrough
        identifier_field = "pk"
        created_field = None
        modified_field = None
        fields: list[str] = []

    def get_self_href(self, obj: Any) -> str | None:
        return api_url(
            self.context.get("request"), "osdi-list-item-detail", obj.supporterlist_id, obj.pk
        )

    def get_links(self, obj: Any) -> dict[str, dict[str, str]]:
        links = {}
        if owner := self.link("osdi-list-detail", obj.supporterlist_id):
            links["osdi:list"] = owner
        if person := self.link("osdi-person-detail", obj.supporter_id):
            links["osdi:person"] = person
        return links
