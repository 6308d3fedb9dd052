"""Joint statements and their co-signatures.

Statements of visible campaigns (or of none); drafts only to keys of an organisation that
runs the campaign, as ``statement_get_for_user`` decides. Co-signatures: the confirmed ones
of public organisations, as the statement page lists them, plus, for a key with
``campaigns:read``, its own organisation's (pending or withdrawn too).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.campaigns.access import campaigns_visible_to, organisations_running_campaigns
from spilka.campaigns.models import (
    Campaign,
    CoSignature,
    CoSignatureStatus,
    Statement,
    StatementStatus,
)
from spilka.network.api.base import OrganisationRefField, SpilkaReadOnlyViewSet


def statements_for(user: Any) -> QuerySet[Statement]:
    running = organisations_running_campaigns(user).values("pk")
    run = Campaign.objects.filter(
        Q(lead_organisation__in=running) | Q(co_organisers__in=running)
    ).values("pk")
    visible = Statement.objects.filter(
        Q(campaign__isnull=True) | Q(campaign__in=campaigns_visible_to(user).values("pk"))
    )
    return visible.filter(~Q(status=StatementStatus.DRAFT) | Q(campaign__in=run))


class StatementSerializer(OsdiModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Statement
        fields = [
            "slug",
            "title",
            "text",
            "original_language",
            "status",
            "allow_individuals",
            "published_on",
            "campaign",
        ]
        read_only_fields = fields


class StatementViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``status``, ``campaign`` (slug)."""

    scope_family = "campaigns"
    osdi_collection = "spilka:statements"
    serializer_class = StatementSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        qs = statements_for(self.viewer()).select_related("campaign")
        if params.get("status") in StatementStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("campaign"):
            qs = qs.filter(campaign__slug=params["campaign"])
        return qs.order_by("-created_at", "-pk")


class CoSignatureSerializer(OsdiModelSerializer):
    statement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = OrganisationRefField()

    class Meta:
        model = CoSignature
        fields = ["statement", "organisation", "method", "status", "confirmed_at"]
        read_only_fields = fields


class CoSignatureViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``statement`` (slug), ``status``."""

    scope_family = "campaigns"
    osdi_collection = "spilka:cosignatures"
    serializer_class = CoSignatureSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        shown = Q(status=CoSignatureStatus.CONFIRMED, organisation__is_public=True)
        own = self.key_organisation_id()
        if own is not None:
            shown |= Q(organisation_id=own)
        qs = (
            CoSignature.objects.filter(shown)
            .filter(statement__in=statements_for(self.viewer()).exclude(status="draft").values("pk"))
            .select_related("statement", "organisation")
        )
        if params.get("statement"):
            qs = qs.filter(statement__slug=params["statement"])
        if params.get("status") in CoSignatureStatus.values:
            qs = qs.filter(status=params["status"])
        return qs.order_by("pk")
