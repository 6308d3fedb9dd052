"""OSDI donations, from the ledger's donation entries.

Amounts are strings with their currency (never floats). What everyone sees is what the
transparency page shows: the amount, its date, the fund, and a donor's name only if they
opted in. The donor's details go only to the fund's own organisation's treasurer-scoped
keys (``funds:books``), as the books do on the web."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer, api_url
from spilka.campaigns.api.helpers import PersonInput
from spilka.funds.models import Transaction
from spilka.lib.money import CURRENCY_CHOICES
from spilka.lib.numbers import NumberError, parse_decimal
from spilka.lib.translated import pick

# The ledger's columns hold 14 digits, two after the point.
MAX_AMOUNT = Decimal("1000000000000")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class DonationSerializer(OsdiModelSerializer):
    origin_system = serializers.SerializerMethodField()
    action_date = serializers.DateField(source="occurred_on")
    amount = serializers.SerializerMethodField()
    currency = serializers.CharField()
    reporting_amount = serializers.SerializerMethodField()
    reporting_currency = serializers.CharField()
    recipients = serializers.SerializerMethodField()
    voided = serializers.SerializerMethodField()
    donor_public_name = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    payment = serializers.SerializerMethodField()

    class Meta:
        model = Transaction
        fields = [
            "origin_system",
            "action_date",
            "amount",
            "currency",
            "reporting_amount",
            "reporting_currency",
            "recipients",
            "voided",
            "donor_public_name",
            "person",
            "payment",
        ]
        modified_field = "created_at"  # ledger entries never change
        self_view = "osdi-donation-detail"

    def _books(self, obj: Transaction) -> bool:
        # The view names the one organisation whose books this key keeps (or none).
        return obj.fund.organisation_id == self.context.get("books_organisation_id")

    def get_origin_system(self, obj: Transaction) -> str:
        return "Spilka"

    def get_amount(self, obj: Transaction) -> str:
        return _money(obj.amount)

    def get_reporting_amount(self, obj: Transaction) -> str:
        return _money(obj.reporting_amount)

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_recipients(self, obj: Transaction) -> list[dict[str, str]]:
        return [{"display_name": pick(obj.fund.name).text, "amount": _money(obj.amount)}]

    def get_voided(self, obj: Transaction) -> bool:
        return getattr(obj, "voided", False)

    def get_donor_public_name(self, obj: Transaction) -> str:
        return obj.donor.public_name if obj.donor else ""

    @extend_schema_field({"type": "object", "nullable": True})
    def get_person(self, obj: Transaction) -> dict[str, Any] | None:
        donor = obj.donor if self._books(obj) else None
        if donor is None or donor.erased_at:
            return None
        return {
            "name": donor.name,
            "email_addresses": [{"address": donor.email}] if donor.email else [],
            "consented_updates": donor.consented_updates,
        }

    @extend_schema_field({"type": "object", "nullable": True})
    def get_payment(self, obj: Transaction) -> dict[str, str] | None:
        if not self._books(obj):
            return None
        return {"reference_number": obj.reference}

    def get_links(self, obj: Transaction) -> dict[str, Any]:
        request = self.context.get("request")
        path = obj.fund.get_absolute_url()
        href = request.build_absolute_uri(path) if request is not None else path
        links = {"spilka:fund": {"href": href}}
        if self._books(obj):
            helper = api_url(request, "osdi-fund-donation-list", obj.fund_id)
            links["osdi:record_donation_helper"] = {"href": helper}
        return links


class RecordDonationInput(serializers.Serializer):
    """POST /fundraising_pages/<fund id>/donations/ (OSDI's record donation helper)."""

    person = PersonInput(required=False)
    amount = serializers.CharField(max_length=40, help_text=_('A string, e.g. "42.50".'))
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    action_date = serializers.DateField()
    show_name = serializers.BooleanField(required=False, default=False)
    reference_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> Any:
        # OSDI puts the reference in payment.reference_number; JSON numbers are read as text.
        if isinstance(data, dict):
            data = dict(data)
            payment = data.get("payment")
            if isinstance(payment, dict) and "reference_number" not in data:
                data["reference_number"] = payment.get("reference_number", "")
            if isinstance(data.get("amount"), int | float) and not isinstance(
                data.get("amount"), bool
            ):
                data["amount"] = repr(data["amount"])
        return super().to_internal_value(data)

    def validate_amount(self, value: str) -> Decimal:
        try:
            # Read as the caller writes numbers (Accept-Language), as every Spilka form does.
            amount = parse_decimal(value)
        except NumberError:
            raise serializers.ValidationError(
                _("“%(value)s” is not an amount.") % {"value": value[:40]}
            ) from None
        if amount <= 0:
            raise serializers.ValidationError(_("Give the amount as a positive number."))
        if amount >= MAX_AMOUNT:
            raise serializers.ValidationError(_("The amount is too large."))
        return amount
