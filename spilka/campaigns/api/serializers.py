"""OSDI petitions and signatures, as Action Network shapes them, from Spilka's models."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer, api_url
from spilka.campaigns.api.helpers import PersonInput
from spilka.campaigns.models import Petition, Signature
from spilka.lib.translated import pick


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PetitionSerializer(OsdiModelSerializer):
    origin_system = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    petition_text = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    browser_url = serializers.SerializerMethodField()
    total_signatures = serializers.IntegerField(source="confirmed_count")
    status = serializers.CharField()
    goal = serializers.IntegerField()
    closes_at = serializers.DateTimeField(allow_null=True)
    languages = serializers.SerializerMethodField()
    campaign = serializers.SlugField(source="campaign.slug")

    class Meta:
        model = Petition
        fields = [
            "origin_system",
            "title",
            "description",
            "petition_text",
            "target",
            "browser_url",
            "total_signatures",
            "status",
            "goal",
            "closes_at",
            "languages",
            "campaign",
        ]
        modified_field = "created_at"  # a petition keeps no time of change

    def get_origin_system(self, obj: Petition) -> str:
        return "Spilka"

    def get_title(self, obj: Petition) -> str:
        return pick(obj.title, obj.original_language).text

    def get_description(self, obj: Petition) -> str:
        return pick(obj.text, obj.original_language).text

    def get_petition_text(self, obj: Petition) -> str:
        return pick(obj.text, obj.original_language).text

    @extend_schema_field(
        {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
    )
    def get_target(self, obj: Petition) -> list[dict[str, str]]:
        return [{"name": pick(obj.target, obj.original_language).text}]

    def get_browser_url(self, obj: Petition) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())

    def get_languages(self, obj: Petition) -> list[str]:
        return sorted(code for code, text in (obj.text or {}).items() if text)

    def get_links(self, obj: Petition) -> dict[str, Any]:
        signatures = api_url(self.context.get("request"), "osdi-petition-signature-list", obj.pk)
        return {
            "osdi:signatures": {"href": signatures},
            "osdi:record_signature_helper": {"href": signatures},
        }


class SignatureSerializer(OsdiModelSerializer):
    """A signature. The signer's details are here only for the petition's organisers' keys
    (the view picks :class:`SignerSerializer` for them)."""

    origin_system = serializers.SerializerMethodField()
    action_date = serializers.DateTimeField(source="created_at")
    status = serializers.CharField()
    confirmed_date = serializers.DateTimeField(source="confirmed_at", allow_null=True)
    petition = serializers.IntegerField(source="petition_id")

    class Meta:
        model = Signature
        fields = ["origin_system", "action_date", "status", "confirmed_date", "petition"]
        modified_field = "created_at"
        self_view = "osdi-signature-detail"

    def get_origin_system(self, obj: Signature) -> str:
        return "Spilka"

    def get_links(self, obj: Signature) -> dict[str, Any]:
        href = api_url(self.context.get("request"), "osdi-petition-detail", obj.petition_id)
        return {"osdi:petition": {"href": href}}


class SignerSerializer(SignatureSerializer):
    person = serializers.SerializerMethodField()
    country = serializers.CharField(source="country.code", allow_blank=True)
    organisation_name = serializers.CharField()
    show_name = serializers.BooleanField()
    language = serializers.CharField()

    class Meta(SignatureSerializer.Meta):
        fields = [
            *SignatureSerializer.Meta.fields,
            "person",
            "country",
            "organisation_name",
            "show_name",
            "language",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "given_name": {"type": "string"},
                "family_name": {"type": "string"},
                "email_addresses": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"address": {"type": "string"}}},
                },
                "postal_addresses": {"type": "array", "items": {"type": "object"}},
            },
        }
    )
    def get_person(self, obj: Signature) -> dict[str, Any]:
        given, _sep, family = obj.full_name.partition(" ")
        return {
            "given_name": given,
            "family_name": family,
            "email_addresses": [{"address": obj.email, "primary": True}],
            "postal_addresses": [{"postal_code": obj.postcode, "country": str(obj.country or "")}],
        }


class RecordSignatureInput(serializers.Serializer):
    """POST /petitions/<id>/signatures/ (OSDI's record signature helper)."""

    person = PersonInput()
    show_name = serializers.BooleanField(required=False, default=False)
    organisation_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    consent_wording = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text=_(
            "The exact sentence the person agreed to, when email_addresses[0].status is "
            "subscribed; the confirmation mail repeats it."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["person"]["country"]:
            raise serializers.ValidationError(
                {"person": {"postal_addresses": [_("Give the signer's country (e.g. UA).")]}}
            )
        return attrs
