"""Publications (published ones public; the key's organisation's drafts with
``publishing:read``) and translation tasks (only the key's organisation's), read only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spilka.network.api.base import SpilkaReadOnlyViewSet
from spilka.publishing import access
from spilka.publishing.api.serializers import PublicationSerializer, TranslationTaskSerializer
from spilka.publishing.models import PublicationKind, PublicationStatus, TaskState


class PublicationViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``kind``, ``status``, ``tag``, ``organisation`` (slug), ``language``
    (available in), ``filter=modified_date gt '…'``."""

    scope_family = "publishing"
    osdi_collection = "spilka:publications"
    serializer_class = PublicationSerializer
    odata_fields = {"modified_date": "updated_at", "created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = (
            access.publications_visible_to(self.viewer())
            .select_related("organisation")
            .prefetch_related("tags")
        )
        if params.get("kind") in PublicationKind.values:
            qs = qs.filter(kind=params["kind"])
        if params.get("status") in PublicationStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("tag"):
            qs = qs.filter(tags__slug=params["tag"][:50])
        if params.get("organisation"):
            qs = qs.filter(organisation__slug=params["organisation"][:80])
        if params.get("language"):
            qs = qs.filter(title__has_key=params["language"][:8])
        return qs.order_by("-pk")


class TranslationTaskViewSet(SpilkaReadOnlyViewSet):
    """Filters: ``state``, ``target_language``, ``filter=modified_date gt '…'``."""

    scope_family = "publishing"
    public_read = False
    osdi_collection = "spilka:translation_tasks"
    serializer_class = TranslationTaskSerializer
    odata_fields = {"modified_date": "updated_at", "created_date": "created_at"}

    def get_queryset(self) -> QuerySet[Any]:
        params = self.params
        qs = access.tasks_visible_to(self.viewer()).select_related("organisation", "content_type")
        if params.get("state") in TaskState.values:
            qs = qs.filter(state=params["state"])
        if params.get("target_language"):
            qs = qs.filter(target_language=params["target_language"][:8])
        return qs.order_by("-pk")
