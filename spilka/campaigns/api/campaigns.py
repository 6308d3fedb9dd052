"""Campaigns: public ones for everyone; the key's organisation's own (drafts, private ones)
for keys with ``campaigns:read``, through ``campaigns_visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.campaigns.access import campaigns_visible_to
from spilka.campaigns.models import Campaign, CampaignStatus
from spilka.network.api.base import (
    ORGANISATION_REF_SCHEMA,
    OrganisationRefField,
    SpilkaReadOnlyViewSet,
    links_to,
    organisation_ref,
)


class CampaignSerializer(OsdiModelSerializer):
    lead_organisation = OrganisationRefField()
    co_organisers = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        modified_field = None  # the model keeps no change time
        fields = [
            "slug",
            "title",
            "summary",
            "original_language",
            "status",
            "is_public",
            "starts_on",
            "ends_on",
            "lead_organisation",
            "co_organisers",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": ORGANISATION_REF_SCHEMA})
    def get_co_organisers(self, obj: Campaign) -> list[Any]:
        # The prefetched rows, in a stable order, without another query.
        return [
            organisation_ref(org) for org in sorted(obj.co_organisers.all(), key=lambda o: o.slug)
        ]

    def get_links(self, obj: Campaign) -> dict[str, dict[str, str]]:
        only = {"campaign": str(obj.slug)}
        return links_to(
            self,
            resolutions=("spilka-resolution", only),
            statements=("spilka-statement", only),
            bills=("spilka-bill", only),
            funds=("spilka-fund", only),
        )


class CampaignViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``status``, ``filter=created_date gt '…'``."""

    scope_family = "campaigns"
    osdi_collection = "spilka:campaigns"
    serializer_class = CampaignSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        qs = (
            campaigns_visible_to(self.viewer())
            .select_related("lead_organisation")
            .prefetch_related("co_organisers")
        )
        status = self.params.get("status", "")
        if status in CampaignStatus.values:
            qs = qs.filter(status=status)
        return qs.order_by("-created_at", "-pk")
