"""Funds: the public ones the transparency pages show, for everyone; a key with
``funds:books`` also sees every fund of its own organisation (private ones included)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.funds import access
from spilka.funds.models import Fund
from spilka.funds.selectors.transparency import public_funds
from spilka.lib.money import money_sum
from spilka.network.api.base import OrganisationRefField, SpilkaReadOnlyViewSet, links_to


def funds_for(user: Any) -> QuerySet[Fund]:
    """Public funds of public organisations, and every fund of the organisations whose
    books ``user`` keeps (a key's user keeps them only with ``funds:books``)."""
    return Fund.objects.filter(
        Q(pk__in=public_funds().values("pk"))
        | Q(organisation__in=access.organisations_treasured_by(user).values("pk"))
    )


class FundSerializer(OsdiModelSerializer):
    organisation = OrganisationRefField()
    campaign = serializers.SerializerMethodField()
    balance = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Fund
        modified_field = None  # the model keeps no change time
        fields = [
            "slug",
            "name",
            "description",
            "currency",
            "is_public",
            "organisation",
            "campaign",
            "balance",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_campaign(self, obj: Fund) -> str | None:
        campaign = obj.campaign
        if campaign is None or not campaign.is_visible_publicly:
            return None
        return campaign.slug

    def get_links(self, obj: Fund) -> dict[str, dict[str, str]]:
        return links_to(
            self,
            ledger_entries=(
                "spilka-ledger-entry",
                {"organisation": obj.organisation.slug, "fund": obj.slug},
            ),
        )


class FundViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``organisation`` (slug), ``campaign`` (slug)."""

    scope_family = "funds"
    osdi_collection = "spilka:funds"
    serializer_class = FundSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = funds_for(self.viewer()).select_related("organisation", "campaign")
        if params.get("organisation"):
            qs = qs.filter(organisation__slug=params["organisation"])
        if params.get("campaign"):
            qs = qs.filter(campaign__slug=params["campaign"])
        # The balance the transparency page shows: the sum of the monthly totals.
        return qs.annotate(balance=money_sum("monthly__total")).order_by("organisation_id", "slug")
