"""OSDI people: the key's organisation's supporters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from spilka.api.permissions import request_key
from spilka.outreach.api.serializers import PersonSerializer
from spilka.outreach.models import Supporter


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People: the supporters of the key's organisation (``supporters:read``)."""

    scope_family = "supporters"
    osdi_collection = "people"
    odata_fields = {"modified_date": "updated_at", "email_address": "email"}
    serializer_class = PersonSerializer
    queryset = Supporter.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Supporter]:
        key = request_key(self.request)
        if key is None:
            return Supporter.objects.none()
        # Oldest first by id: stable while new supporters arrive at the end.
        return Supporter.objects.filter(organisation_id=key.organisation_id).order_by("id")

    def get_object(self) -> Any:
        # A malformed id is a 404 like a missing one (never a 500).
        pk = self.kwargs.get("pk", "")
        if not str(pk).isdigit() or len(str(pk)) > 18:
            from django.http import Http404

            raise Http404
        return super().get_object()
