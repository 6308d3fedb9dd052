"""Aid resources (scope family ``aid``): thin views over ``spilka.aid.access``.

- needs: public ones for everyone (oblast only); the key's organisation's own too.
- pledges: only those the key's organisation gave or received (``pledge_can_change``);
  ``POST`` makes a pledge of the key's organisation through ``pledge_create``.
- convoys: only those the key's organisation runs, receives from or has goods on.
- handovers: the confirmed, published ones the public report counts; the key's own
  convoys' with their lines.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.aid import access
from spilka.aid.api.serializers import (
    ConvoySerializer,
    HandoverSerializer,
    NeedSerializer,
    PledgeInput,
    PledgeSerializer,
)
from spilka.aid.models import (
    Convoy,
    Handover,
    ManifestLine,
    NeedLine,
    NeedStatus,
    Oblast,
    Pledge,
    PledgeLine,
    Priority,
)
from spilka.aid.selectors.reports import public_handovers
from spilka.aid.services.needs import pledge_create
from spilka.api.audit import api_actor
from spilka.network.api.base import SpilkaReadOnlyViewSet, key_of

NOT_A_LINE = _("That line belongs to another need.")


class NeedViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``status``, ``oblast``, ``priority``, ``filter=modified_date gt '…'``."""

    scope_family = "aid"
    osdi_collection = "spilka:needs"
    serializer_class = NeedSerializer
    odata_fields = {"modified_date": "updated_at", "created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        lines = NeedLine.objects.select_related("item").order_by("pk")
        qs = (
            access.needs_visible_to(self.viewer())
            .select_related("organisation", "campaign")
            .prefetch_related(Prefetch("lines", queryset=lines))
        )
        for name, choices in (
            ("status", NeedStatus.values),
            ("oblast", Oblast.values),
            ("priority", Priority.values),
        ):
            if params.get(name) in choices:
                qs = qs.filter(**{name: params[name]})
        return qs.order_by("-pk")


class PledgeViewSet(mixins.CreateModelMixin, SpilkaReadOnlyViewSet):
    scope_family = "aid"
    public_read = False
    osdi_collection = "spilka:pledges"
    serializer_class = PledgeSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        managed = access.managed_org_ids(self.viewer())
        if not managed:
            return Pledge.objects.none()
        lines = PledgeLine.objects.select_related("item").order_by("pk")
        return (
            Pledge.objects.filter(
                Q(donor_organisation_id__in=managed) | Q(need__organisation_id__in=managed)
            )
            .select_related("donor_organisation")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-pk")
        )

    @extend_schema(request=PledgeInput, responses={201: PledgeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PledgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = key_of(request)
        need = access.need_get_for_user(user=request.user, pk=data.validated_data["need"])
        if not access.can_manage(request.user, key.organisation_id):
            raise NotFound()
        by_id = {line.pk: line for line in need.lines.select_related("item")}
        lines = []
        for n, line in enumerate(data.validated_data["lines"]):
            need_line = by_id.get(line["need_line"])
            if need_line is None:
                # Keyed by the line's position, as DRF keys list errors (the stubs want str keys).
                raise ApiValidationError({"lines": {n: {"need_line": [NOT_A_LINE]}}})  # type: ignore[dict-item]
            lines.append({**line, "need_line": need_line})
        pledge = pledge_create(
            by=api_actor(request),
            need=need,
            donor_organisation=key.organisation,
            lines=lines,
            note=data.validated_data.get("note", ""),
        )
        pledge = self.get_queryset().get(pk=pledge.pk)
        body = PledgeSerializer(pledge, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ConvoyViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``status``, ``filter=modified_date gt '…'``."""

    scope_family = "aid"
    public_read = False
    osdi_collection = "spilka:convoys"
    serializer_class = ConvoySerializer
    odata_fields = {"modified_date": "updated_at", "created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        visible = access.convoys_visible_to(self.viewer()).values("pk")
        qs = (
            Convoy.objects.filter(pk__in=visible)
            .select_related("organisation", "campaign")
            .annotate(handover_count=Count("handovers"))
        )
        wanted = self.params.get("status")
        if wanted:
            qs = qs.filter(status=wanted[:12])
        return qs.order_by("-pk")


class HandoverViewSet(SpilkaReadOnlyViewSet):
    scope_family = "aid"
    osdi_collection = "spilka:handovers"
    serializer_class = HandoverSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        own = access.convoys_visible_to(self.viewer()).values("pk")
        in_scope = Exists(Convoy.objects.filter(pk=OuterRef("convoy_id"), pk__in=own))
        lines = ManifestLine.objects.select_related("item").order_by("pk")
        return (
            Handover.objects.filter(Q(pk__in=public_handovers().values("pk")) | Q(convoy__in=own))
            .annotate(in_scope=in_scope)
            .select_related("recipient", "convoy", "convoy__organisation")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-pk")
        )
