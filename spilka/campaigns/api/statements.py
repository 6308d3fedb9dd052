"""Joint statements and their co-signatures.

Statements of visible campaigns (or of none); drafts only to keys of an organisation that
runs the campaign, as ``statement_get_for_user`` decides. Co-signatures: the confirmed ones
of public organisations, as the statement page lists them, plus, for a key with
``campaigns:read``, its own organisation's (pending or withdrawn too).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.serializers import OsdiModelSerializer
from spilka.campaigns import access
from spilka.campaigns.access import campaigns_visible_to, organisations_running_campaigns
from spilka.campaigns.models import (
    Campaign,
    CoSignature,
    CoSignatureStatus,
    Statement,
    StatementStatus,
)
from spilka.campaigns.services.cosignatures import cosign_request_officer
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.network.api.base import (
    OrganisationRefField,
    SpilkaReadOnlyViewSet,
    key_of,
    links_to,
)


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
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Statement
        modified_field = None  # the model keeps no change time
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

    def get_links(self, obj: Statement) -> dict[str, dict[str, str]]:
        return links_to(self, cosignatures=("spilka-cosignature", {"statement": obj.slug}))


class StatementViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``status``, ``campaign`` (slug)."""

    scope_family = "campaigns"
    osdi_collection = "spilka:statements"
    serializer_class = StatementSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = statements_for(self.viewer()).select_related("campaign")
        if params.get("status") in StatementStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("campaign"):
            qs = qs.filter(campaign__slug=params["campaign"])
        return qs.order_by("-created_at", "-pk")


class CoSignatureSerializer(OsdiModelSerializer):
    statement: serializers.SlugRelatedField[Statement] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    organisation = OrganisationRefField()

    class Meta:
        model = CoSignature
        modified_field = None  # the model keeps no change time
        fields = ["statement", "organisation", "method", "status", "confirmed_at"]
        read_only_fields = fields


class CoSignatureRequestInput(serializers.Serializer):
    """Ask an officer of the key's organisation to co-sign: they confirm from their email."""

    statement = serializers.CharField(max_length=80)
    officer_name = serializers.CharField(max_length=200)
    officer_email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(choices=CONTENT_LANGUAGES, required=False)


class CoSignatureViewSet(mixins.CreateModelMixin, SpilkaReadOnlyViewSet):
    """Filters: ``statement`` (slug), ``status``.

    ``POST`` asks an officer of the key's organisation to co-sign, through
    ``cosign_request_officer``: the officer confirms from an emailed link, and the answer is
    the same (202) whether or not the address may speak for the organisation, which only
    the mail to that address tells.
    """

    scope_family = "campaigns"
    osdi_collection = "spilka:cosignatures"
    serializer_class = CoSignatureSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        shown = Q(status=CoSignatureStatus.CONFIRMED, organisation__is_public=True)
        own = self.key_organisation_id()
        if own is not None:
            shown |= Q(organisation_id=own)
        qs = (
            CoSignature.objects.filter(shown)
            .filter(
                statement__in=statements_for(self.viewer()).exclude(status="draft").values("pk")
            )
            .select_related("statement", "organisation")
        )
        if params.get("statement"):
            qs = qs.filter(statement__slug=params["statement"])
        if params.get("status") in CoSignatureStatus.values:
            qs = qs.filter(status=params["status"])
        return qs.order_by("pk")

    @extend_schema(
        request=CoSignatureRequestInput,
        responses={
            202: inline_serializer(
                "CoSignatureRequestAccepted", {"message": serializers.CharField()}
            )
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = CoSignatureRequestInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        key = key_of(request)
        statement = access.statement_get_for_user(user=request.user, slug=data["statement"])
        cosign_request_officer(
            statement=statement,
            organisation=key.organisation,
            officer_name=data["officer_name"],
            officer_email=data["officer_email"],
            language=data.get("language") or get_language() or "en",
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        message = _(
            "If this address may speak for the organisation, a link to confirm the "
            "co-signature has been sent to it."
        )
        return Response({"message": str(message)}, status=status.HTTP_202_ACCEPTED)
