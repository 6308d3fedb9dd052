"""Needs, pledges, convoys and handovers as the API shows them.

Never a route, a stop, a time on the road, crew, drivers, vehicles or their plates, a
signer's name or photo, a person who pledged, or a place finer than the oblast: the
serializers below name every field they output, and none of those is among them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.aid.models import Convoy, Handover, Need, NeedLine, Pledge, PledgeLine
from spilka.api.serializers import OsdiModelSerializer
from spilka.lib.money import CURRENCY_CHOICES
from spilka.lib.numbers import NumberError, parse_decimal
from spilka.network.api.base import OrganisationRefField


def public_campaign_slug(campaign: Any) -> str | None:
    """A campaign is named only when anyone may see it: a draft's address is no one's business."""
    if campaign is None or not campaign.is_visible_publicly:
        return None
    return campaign.slug


class NeedLineSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.JSONField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = NeedLine
        fields = [
            "id",
            "item",
            "item_name",
            "unit",
            "quantity",
            "pledged",
            "dispatched",
            "received",
        ]
        read_only_fields = fields


class NeedSerializer(OsdiModelSerializer):
    organisation = OrganisationRefField()
    campaign = serializers.SerializerMethodField()
    lines = NeedLineSerializer(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "original_language",
            "oblast",
            "priority",
            "needed_by",
            "status",
            "organisation",
            "campaign",
            "lines",
        ]
        read_only_fields = fields

    def get_campaign(self, obj: Need) -> str | None:
        return public_campaign_slug(obj.campaign)


class PledgeLineSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    need_line: serializers.PrimaryKeyRelatedField[NeedLine] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = PledgeLine
        fields = [
            "need_line",
            "item",
            "quantity",
            "dispatched",
            "over_pledge_reason",
            "estimated_value",
            "currency",
        ]
        read_only_fields = fields


class PledgeSerializer(OsdiModelSerializer):
    need: serializers.PrimaryKeyRelatedField[Need] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    donor_organisation = OrganisationRefField()
    donor_kind = serializers.SerializerMethodField()
    lines = PledgeLineSerializer(many=True, read_only=True)

    class Meta:
        model = Pledge
        modified_field = None  # the model keeps no change time
        fields = ["need", "donor_organisation", "donor_kind", "status", "note", "lines"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["organisation", "individual"]})
    def get_donor_kind(self, obj: Pledge) -> str:
        # An individual donor is a person: said to exist, never named.
        return "organisation" if obj.donor_organisation_id else "individual"


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "2,5"}]})
class LocalDecimalField(serializers.Field):
    """A quantity or amount as a JSON number or a string in the reader's way of writing it
    ("2,5" in Ukrainian or Polish), read by ``spilka.lib.numbers.parse_decimal``."""

    default_error_messages = {
        "invalid": _("%(value)s is not a number."),
        "ambiguous": _("%(value)s could be read two ways: write it without a thousands mark."),
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise serializers.ValidationError(self.error_messages["invalid"] % {"value": "?"})
        if isinstance(data, int | float):
            return Decimal(str(data))
        try:
            return parse_decimal(data[:40])
        except NumberError as error:
            key = "ambiguous" if error.reason == "ambiguous" else "invalid"
            raise serializers.ValidationError(
                self.error_messages[key] % {"value": repr(data[:40])}
            ) from None

    def to_representation(self, value: Any) -> str:
        return str(value)


class PledgeLineInput(serializers.Serializer):
    need_line = serializers.IntegerField(min_value=1)
    quantity = LocalDecimalField()
    over_pledge_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    estimated_value = LocalDecimalField(required=False)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("estimated_value") is not None and not attrs.get("currency"):
            raise serializers.ValidationError({"currency": _("Give the currency of the values.")})
        return attrs


class PledgeInput(serializers.Serializer):
    """A pledge by the key's organisation to the lines of one need."""

    need = serializers.IntegerField(min_value=1)
    # ListSerializer takes max_length (DRF 3.14+); djangorestframework-stubs miss it.
    lines = PledgeLineInput(many=True, allow_empty=False, max_length=200)  # type: ignore[call-arg]
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ConvoySerializer(OsdiModelSerializer):
    organisation = OrganisationRefField()
    campaign = serializers.SerializerMethodField()
    arrived_at = serializers.SerializerMethodField()
    handovers = serializers.IntegerField(source="handover_count", read_only=True)

    class Meta:
        model = Convoy
        fields = [
            "reference",
            "title",
            "status",
            "organisation",
            "campaign",
            "arrived_at",
            "handovers",
        ]
        read_only_fields = fields

    def get_campaign(self, obj: Convoy) -> str | None:
        return public_campaign_slug(obj.campaign)

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_arrived_at(self, obj: Convoy) -> Any:
        # Times on the road stay private; arrival is told once it has happened.
        if not obj.has_arrived or obj.arrived_at is None:
            return None
        return serializers.DateTimeField().to_representation(obj.arrived_at)


class HandoverSerializer(OsdiModelSerializer):
    """What the public aid report tells of a confirmed delivery (month, organiser, recipient,
    region); the convoy's own organisations also see its status, lines and discrepancies."""

    convoy_organisation = OrganisationRefField(source="convoy.organisation")
    recipient = OrganisationRefField()
    recipient_region = serializers.SerializerMethodField()
    confirmed_month = serializers.SerializerMethodField()
    details = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        modified_field = None  # the model keeps no change time
        fields = [
            "convoy_organisation",
            "recipient",
            "recipient_region",
            "confirmed_month",
            "details",
        ]
        read_only_fields = fields

    def get_recipient_region(self, obj: Handover) -> str:
        return obj.recipient.region if obj.recipient.is_public else ""

    def get_confirmed_month(self, obj: Handover) -> str | None:
        return obj.confirmed_at.strftime("%Y-%m") if obj.confirmed_at else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "convoy": {"type": "string"},
                "status": {"type": "string"},
                "confirmed_at": {"type": "string", "format": "date-time", "nullable": True},
                "has_discrepancy": {"type": "boolean"},
                "lines": {"type": "array", "items": {"type": "object"}},
            },
        }
    )
    def get_details(self, obj: Handover) -> dict[str, Any] | None:
        if not getattr(obj, "in_scope", False):
            return None
        return {
            "convoy": obj.convoy.reference,
            "status": obj.status,
            "confirmed_at": serializers.DateTimeField().to_representation(obj.confirmed_at)
            if obj.confirmed_at
            else None,
            "has_discrepancy": obj.has_discrepancy,
            "lines": [
                {
                    "item": line.item.code,
                    "quantity": str(line.quantity),
                    "received_quantity": None
                    if line.received_quantity is None
                    else str(line.received_quantity),
                    "discrepancy": line.discrepancy,
                }
                for line in obj.lines.all()
            ],
        }
