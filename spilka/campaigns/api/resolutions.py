"""Model resolutions and their adoptions by bodies.

A resolution is read by whoever may see its campaign, a non-public one only by the
campaign's organisations (``campaigns_pickable_for``: those the key's organisation leads or
co-organises). Adoptions are shown only for public bodies, as on the progress page; the
minutes link only once verified.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.audit import api_actor
from spilka.api.serializers import OsdiModelSerializer
from spilka.campaigns import access
from spilka.campaigns.access import campaigns_visible_to
from spilka.campaigns.models import (
    Adoption,
    AdoptionStatus,
    Campaign,
    Resolution,
    ResolutionVersion,
)
from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.campaigns.services.resolutions import adoption_report
from spilka.network.api.base import (
    OrganisationRefField,
    SpilkaReadOnlyViewSet,
    key_of,
    links_to,
)


def resolutions_for(user: Any) -> QuerySet[Resolution]:
    """Resolutions ``user`` may read: public ones of visible campaigns, and every one of the
    campaigns ``user``'s organisations run (``resolution_get_for_user`` as a queryset)."""
    own = campaigns_pickable_for(user=user).values("pk")
    return Resolution.objects.filter(campaign__in=campaigns_visible_to(user).values("pk")).filter(
        Q(is_public=True) | Q(campaign__in=own)
    )


class ResolutionSerializer(OsdiModelSerializer):
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        modified_field = None  # the model keeps no change time
        fields = ["slug", "title", "original_language", "is_public", "campaign", "current_version"]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "number": {"type": "integer"},
                "text": {"type": "object", "additionalProperties": {"type": "string"}},
                "note": {"type": "string"},
            },
        }
    )
    def get_current_version(self, obj: Resolution) -> dict[str, Any] | None:
        versions = obj.latest_versions  # type: ignore[attr-defined]
        if not versions:
            return None
        latest = versions[0]
        return {"number": latest.number, "text": latest.text, "note": latest.note}

    def get_links(self, obj: Resolution) -> dict[str, dict[str, str]]:
        return links_to(self, adoptions=("spilka-adoption", {"resolution": obj.slug}))


class ResolutionViewSet(SpilkaReadOnlyViewSet):
    scope_family = "campaigns"
    osdi_collection = "spilka:resolutions"
    serializer_class = ResolutionSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        latest = ResolutionVersion.objects.order_by("-number")[:1]
        qs = resolutions_for(self.viewer()).select_related("campaign")
        campaign = self.params.get("campaign", "")
        if campaign:
            qs = qs.filter(campaign__slug=campaign)
        return qs.prefetch_related(
            Prefetch("versions", queryset=latest, to_attr="latest_versions")
        ).order_by("slug", "pk")


class AdoptionSerializer(OsdiModelSerializer):
    resolution: serializers.SlugRelatedField[Resolution] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    body = OrganisationRefField()
    version = serializers.IntegerField(
        source="version.number", read_only=True, default=None, allow_null=True
    )
    verified = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Adoption
        created_field = None
        modified_field = "reported_at"  # the last report
        fields = [
            "resolution",
            "body",
            "status",
            "meeting_date",
            "version",
            "amended_text",
            "note",
            "verified",
            "verified_at",
            "reported_at",
            "evidence_url",
        ]
        read_only_fields = fields

    def get_verified(self, obj: Adoption) -> bool:
        return obj.verified_at is not None

    def get_evidence_url(self, obj: Adoption) -> str:
        # The public page links the minutes only once an organiser has verified them.
        return obj.evidence_url if obj.verified_at else ""


class AdoptionReportInput(serializers.Serializer):
    """A body's progress with a resolution: the key's organisation, or (for a key of an
    organisation running the campaign) any public body by slug."""

    resolution = serializers.CharField(max_length=80)
    body = serializers.CharField(max_length=80, required=False)
    status = serializers.ChoiceField(choices=AdoptionStatus.choices)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    amended_text = serializers.CharField(required=False, allow_blank=True, max_length=30000)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class AdoptionViewSet(mixins.CreateModelMixin, SpilkaReadOnlyViewSet):
    """Filters: ``resolution`` (slug), ``status``, ``country`` (the body's, ISO code).

    ``POST`` reports progress through ``adoption_report`` (one audit row, verified again
    by the campaign's organisers when a verified fact changes)."""

    scope_family = "campaigns"
    osdi_collection = "spilka:adoptions"
    serializer_class = AdoptionSerializer
    odata_fields = {"modified_date": "reported_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = Adoption.objects.filter(
            resolution__in=resolutions_for(self.viewer()).values("pk"), body__is_public=True
        ).select_related("resolution", "body", "version")
        if params.get("resolution"):
            qs = qs.filter(resolution__slug=params["resolution"])
        if params.get("status") in AdoptionStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("country"):
            qs = qs.filter(body__country=params["country"][:2].upper())
        return qs.order_by("pk")

    @extend_schema(request=AdoptionReportInput, responses={201: AdoptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = AdoptionReportInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        key = key_of(request)
        resolution = access.resolution_get_for_user(user=request.user, slug=data["resolution"])
        bodies = access.resolution_bodies_for_reporter(user=request.user, resolution=resolution)
        body = bodies.filter(slug=data.get("body") or key.organisation.slug).first()
        if body is None:
            raise ApiValidationError({"body": [_("Choose a body from the list.")]})
        adoption = adoption_report(
            by=api_actor(request),
            resolution=resolution,
            body=body,
            status=data["status"],
            meeting_date=data.get("meeting_date"),
            amended_text=data.get("amended_text"),
            evidence_url=data.get("evidence_url"),
            note=data.get("note"),
        )
        adoption = self.get_queryset().get(pk=adoption.pk)
        body_json = AdoptionSerializer(adoption, context=self.get_serializer_context()).data
        return Response(body_json, status=status.HTTP_201_CREATED)
