"""OSDI events (public ones to anyone) and attendances (registrations, to the organiser
organisation's keys only), with the record attendance helper: the registration service, so
capacity, approval, waiting list and mail confirmation work as on the web."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.audit import api_actor
from spilka.api.permissions import request_key_required
from spilka.campaigns.api.helpers import base_url, reader
from spilka.events import access
from spilka.events.api.serializers import (
    AttendanceSerializer,
    EventSerializer,
    RecordAttendanceInput,
)
from spilka.events.forms import consent_wording
from spilka.events.models import Event, Registration
from spilka.events.services.registrations import event_register
from spilka.outreach.services.public import updates_request


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    scope_family = "events"
    public_read = True
    osdi_collection = "events"
    lookup_value_regex = "[0-9]+"
    odata_fields = {"modified_date": "updated_at"}

    def get_queryset(self) -> Any:
        return (
            access.events_listed_for(reader(self.request, "events"))
            .select_related("organiser")
            .order_by("-starts_at", "-pk")
        )


class AttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Registrations for the events the key's organisation organises (co-organisers see no
    attendee data, as on the web). POST on an event's collection records an attendance."""

    serializer_class = AttendanceSerializer
    scope_family = "events"
    osdi_collection = "attendances"
    lookup_value_regex = "[0-9]+"
    odata_fields = {"modified_date": "created_at"}

    def _event(self) -> Event | None:
        pk = self.kwargs.get("event_pk")
        if pk is None:
            return None
        try:
            event = (
                access.events_visible_to(self.request.user)
                .select_related("organiser")
                .get(pk=int(pk))
            )
        except (Event.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if not access.event_can_run(user=self.request.user, event=event):
            raise Http404
        return event

    def get_queryset(self) -> Any:
        event = self._event()
        if event is not None:
            rows = Registration.objects.filter(event=event)
        else:
            rows = Registration.objects.filter(
                event__organiser__in=access.organisations_running_events(self.request.user)
            )
        return rows.order_by("-created_at", "-pk")


class EventAttendanceViewSet(AttendanceViewSet):
    """One event's attendances; POST is the record attendance helper."""

    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=RecordAttendanceInput, responses={201: AttendanceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self._event()
        if event is None:
            raise Http404
        data = RecordAttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = data.validated_data["person"]
        # A refusal (closed, cancelled, an unanswered question) is a ValidationError: the
        # API's exception handler answers it as a 400 in the caller's language.
        result = event_register(
            event=event,
            full_name=person["full_name"],
            email=person["email"],
            answers=data.validated_data.get("answers") or {},
            consents=None,  # never ticked on the person's behalf: see updates_request
            language=person["language"],
            base_url=base_url(request),
            actor=api_actor(request),
        )
        organisation = request_key_required(request).organisation
        with translation.override(person["language"]):
            wording = data.validated_data.get("consent_wording") or consent_wording(organisation)
        updates_request(
            organisation=organisation, person=person, wording=wording, base_url=base_url(request)
        )
        body = AttendanceSerializer(result.registration, context={"request": request}).data
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )
