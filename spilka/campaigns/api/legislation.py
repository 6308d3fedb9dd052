"""Bills and motions a campaign follows, with their stages (embedded), read only.

A bill is read by whoever may see its campaign (``bill_get_for_user`` as a queryset).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.campaigns.access import campaigns_visible_to
from spilka.campaigns.models import Bill, BillOutcome, BillStage, Campaign
from spilka.network.api.base import SpilkaReadOnlyViewSet


class BillStageSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)  # may be empty: not always a URI

    class Meta:
        model = BillStage
        fields = ["stage", "date", "note", "url"]
        read_only_fields = fields


class BillSerializer(OsdiModelSerializer):
    url = serializers.CharField(read_only=True)
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    stages = BillStageSerializer(many=True, read_only=True)

    class Meta:
        model = Bill
        modified_field = None  # the model keeps no change time
        fields = [
            "campaign",
            "parliament",
            "parliament_other",
            "kind",
            "number",
            "title",
            "summary",
            "original_language",
            "url",
            "outcome",
            "stages",
        ]
        read_only_fields = fields


class BillViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``campaign`` (slug), ``parliament``, ``outcome``."""

    scope_family = "campaigns"
    osdi_collection = "spilka:bills"
    serializer_class = BillSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = Bill.objects.filter(
            campaign__in=campaigns_visible_to(self.viewer()).values("pk")
        ).select_related("campaign")
        if params.get("campaign"):
            qs = qs.filter(campaign__slug=params["campaign"])
        if params.get("parliament"):
            qs = qs.filter(parliament=params["parliament"][:30])
        if params.get("outcome") in BillOutcome.values:
            qs = qs.filter(outcome=params["outcome"])
        stages = BillStage.objects.order_by("date", "pk")
        return qs.prefetch_related(Prefetch("stages", queryset=stages)).order_by("pk")
