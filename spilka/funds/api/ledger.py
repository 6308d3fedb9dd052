"""Ledger entries: exactly the public ledger (``public_ledger``) for every reader, and the
full books of its own organisation's funds for a key with ``funds:books``.

A public entry names a donor only by the name they agreed to show, and a partner
organisation only once it agreed to be named (and only if it is public); the books add the
bank reference, the counterparty, the donor and the receipt, as the treasurer's export does.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.funds import access
from spilka.funds.api.funds import funds_for
from spilka.funds.exports import _counterparty
from spilka.funds.models import Receipt, Transaction, TransactionKind
from spilka.funds.selectors.transparency import public_ledger
from spilka.network.api.base import SpilkaReadOnlyViewSet
from spilka.network.display import public_name

BOOKS_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "Only for keys with funds:books of the fund's organisation.",
    "properties": {
        "reference": {"type": "string"},
        "counterparty": {"type": "string"},
        "has_receipt": {"type": "boolean"},
        "expense": {"type": "integer", "nullable": True},
    },
}


class LedgerEntrySerializer(OsdiModelSerializer):
    fund = serializers.CharField(source="fund.slug", read_only=True)
    category = serializers.CharField(read_only=True)  # an expense category, or empty
    organisation = serializers.CharField(source="fund.organisation.slug", read_only=True)
    partner = serializers.SerializerMethodField()
    donor = serializers.SerializerMethodField()
    reverses: serializers.PrimaryKeyRelatedField[Transaction] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    books = serializers.SerializerMethodField()

    class Meta:
        model = Transaction
        modified_field = None  # the model keeps no change time
        fields = [
            "occurred_on",
            "fund",
            "organisation",
            "kind",
            "category",
            "partner",
            "donor",
            "description",
            "amount",
            "currency",
            "reporting_amount",
            "reporting_currency",
            "rate",
            "rate_date",
            "rate_source",
            "reverses",
            "books",
        ]
        read_only_fields = fields

    # ``partner_named`` is public_ledger's annotation. The hint stays Transaction: drf-spectacular
    # evaluates it when it builds the schema, and WithAnnotations exists only for mypy here.
    def get_partner(self, obj: Transaction) -> str:
        return public_name(obj.counterparty) if obj.partner_named else ""  # type: ignore[attr-defined]

    def get_donor(self, obj: Transaction) -> str:
        name = obj.donor.public_name if obj.donor else ""
        return name or ("anonymous" if obj.kind == TransactionKind.DONATION else "")

    @extend_schema_field(BOOKS_SCHEMA)
    def get_books(self, obj: Transaction) -> dict[str, Any] | None:
        if obj.fund.organisation_id not in self.context.get("books_for", ()):
            return None
        return {
            "reference": obj.reference,
            "counterparty": _counterparty(obj),
            "has_receipt": obj.has_receipt,  # type: ignore[attr-defined]
            "expense": obj.expense_id,
        }


class LedgerEntryViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``fund`` and ``organisation`` (slugs), ``kind``, ``filter=occurred_on gt '…'``."""

    scope_family = "funds"
    osdi_collection = "spilka:ledger_entries"
    serializer_class = LedgerEntrySerializer
    odata_fields = {"created_date": "created_at", "occurred_on": "occurred_on"}

    def books_for(self) -> set[int]:
        """Organisations whose full books this key keeps (``funds:books`` of its own)."""
        if not hasattr(self, "_books_for"):
            treasured = access.organisations_treasured_by(self.viewer())
            self._books_for = set(treasured.values_list("pk", flat=True))
        return self._books_for

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "books_for": self.books_for()}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        funds = funds_for(self.viewer())
        if params.get("fund"):
            funds = funds.filter(slug=params["fund"])
        if params.get("organisation"):
            funds = funds.filter(organisation__slug=params["organisation"])
        receipts = Receipt.objects.filter(expense_id=OuterRef("expense_id"))
        qs = (
            public_ledger(funds)  # type: ignore[arg-type]
            # The books need the columns the public ledger leaves out; one query still.
            .defer(None)
            .select_related("fund__organisation")
            .annotate(has_receipt=Exists(receipts))
        )
        if params.get("kind") in TransactionKind.values:
            qs = qs.filter(kind=params["kind"])
        return qs.order_by("-occurred_on", "-pk")
