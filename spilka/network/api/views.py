"""Organisations and relationships: the public directory, read only.

Both collections show what the public directory shows to anyone, whatever the key: public
organisations and confirmed relationships between public organisations. A private
organisation is absent (404 by slug or id), and never named through a relationship.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from spilka.network.access import organisations_visible_to
from spilka.network.api.base import SpilkaReadOnlyViewSet
from spilka.network.api.serializers import OrganisationSerializer, RelationshipSerializer
from spilka.network.models import OrganisationKind, Relationship
from spilka.network.selectors import directory_organisations

# The same for every reader: the directory as an anonymous visitor sees it.
PUBLIC = AnonymousUser()


class OrganisationViewSet(SpilkaReadOnlyViewSet):
    """Public organisations. Filters: ``country`` (ISO code), ``kind``, ``filter``."""

    scope_family = "campaigns"
    osdi_collection = "spilka:organisations"
    serializer_class = OrganisationSerializer
    odata_fields = {"modified_date": "updated_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        country = params.get("country", "")[:2].upper()
        kind = params.get("kind", "")
        return directory_organisations(
            user=PUBLIC,
            country=country,
            kind=kind if kind in OrganisationKind.values else "",
        ).order_by("slug", "pk")


class RelationshipViewSet(SpilkaReadOnlyViewSet):
    """Confirmed relationships between public organisations. Filter: ``organisation`` (slug)."""

    scope_family = "campaigns"
    osdi_collection = "spilka:relationships"
    serializer_class = RelationshipSerializer
    odata_fields = {"created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        visible = organisations_visible_to(PUBLIC).values("pk")
        qs = Relationship.objects.filter(
            confirmed=True, source__in=visible, target__in=visible
        ).select_related("source", "target")
        slug = self.params.get("organisation", "")
        if slug:
            qs = qs.filter(Q(source__slug=slug) | Q(target__slug=slug))
        return qs.order_by("pk")
