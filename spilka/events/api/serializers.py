"""OSDI events and attendances, from Spilka's events and registrations.

Never in any output: the join link and joining details (registrants only, by mail)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer, api_url
from spilka.campaigns.api.helpers import PersonInput
from spilka.events.models import Event, EventStatus, Registration, RegistrationStatus
from spilka.lib.translated import pick

# Spilka's statuses in OSDI's words (OSDI: confirmed, tentative, cancelled).
EVENT_STATUS: dict[str, str] = {
    EventStatus.SCHEDULED: "confirmed",
    EventStatus.MOVED_ONLINE: "confirmed",
    EventStatus.POSTPONED: "tentative",
    EventStatus.CANCELLED: "cancelled",
}
# OSDI attendance statuses: accepted, tentative, declined, needs action.
ATTENDANCE_STATUS: dict[str, str] = {
    RegistrationStatus.CONFIRMED: "accepted",
    RegistrationStatus.PENDING: "needs action",
    RegistrationStatus.WAITLISTED: "tentative",
    RegistrationStatus.OFFERED: "needs action",
    RegistrationStatus.CANCELLED: "declined",
    RegistrationStatus.DECLINED: "declined",
    RegistrationStatus.EXPIRED: "declined",
}


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class EventSerializer(OsdiModelSerializer):
    origin_system = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    browser_url = serializers.SerializerMethodField()
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    time_zone = serializers.CharField()
    status = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()
    capacity = serializers.IntegerField(allow_null=True)
    location = serializers.SerializerMethodField()
    kind = serializers.CharField()
    is_online = serializers.BooleanField()
    languages = serializers.JSONField()
    organiser = serializers.SlugField(source="organiser.slug")

    class Meta:
        model = Event
        fields = [
            "origin_system",
            "title",
            "description",
            "browser_url",
            "start_date",
            "end_date",
            "time_zone",
            "status",
            "visibility",
            "capacity",
            "location",
            "kind",
            "is_online",
            "languages",
            "organiser",
        ]

    def get_origin_system(self, obj: Event) -> str:
        return "Spilka"

    def get_title(self, obj: Event) -> str:
        return pick(obj.title, obj.original_language).text

    def get_description(self, obj: Event) -> str:
        return pick(obj.description, obj.original_language).text

    def get_browser_url(self, obj: Event) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())

    def get_status(self, obj: Event) -> str:
        return EVENT_STATUS.get(obj.status, "confirmed")

    def get_visibility(self, obj: Event) -> str:
        return "public" if obj.is_public else "private"

    @extend_schema_field({"type": "object"})
    def get_location(self, obj: Event) -> dict[str, Any]:
        # Coarse by design (a public hall and a city); never a private address.
        return {
            "venue": obj.venue_name,
            "address_lines": [obj.address] if obj.address else [],
            "locality": obj.city,
            "country": str(obj.country or ""),
        }

    def get_links(self, obj: Event) -> dict[str, Any]:
        href = api_url(self.context.get("request"), "osdi-event-attendance-list", obj.pk)
        return {"osdi:attendances": {"href": href}, "osdi:record_attendance_helper": {"href": href}}


class AttendanceSerializer(OsdiModelSerializer):
    """A registration, to the event's organiser organisation only."""

    origin_system = serializers.SerializerMethodField()
    action_date = serializers.DateTimeField(source="created_at")
    status = serializers.SerializerMethodField()
    spilka_status = serializers.CharField(source="status")
    email_confirmed_date = serializers.DateTimeField(source="email_confirmed_at", allow_null=True)
    checked_in_date = serializers.DateTimeField(source="checked_in_at", allow_null=True)
    event = serializers.IntegerField(source="event_id")
    person = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "origin_system",
            "action_date",
            "status",
            "spilka_status",
            "email_confirmed_date",
            "checked_in_date",
            "event",
            "person",
        ]
        modified_field = "created_at"
        self_view = "osdi-attendance-detail"

    def get_origin_system(self, obj: Registration) -> str:
        return "Spilka"

    def get_status(self, obj: Registration) -> str:
        return ATTENDANCE_STATUS.get(obj.status, "needs action")

    @extend_schema_field({"type": "object"})
    def get_person(self, obj: Registration) -> dict[str, Any]:
        given, _sep, family = obj.full_name.partition(" ")
        return {
            "given_name": given,
            "family_name": family,
            "email_addresses": [{"address": obj.email, "primary": True}],
            "languages_spoken": [obj.language],
        }

    def get_links(self, obj: Registration) -> dict[str, Any]:
        href = api_url(self.context.get("request"), "osdi-event-detail", obj.event_id)
        return {"osdi:event": {"href": href}}


class RecordAttendanceInput(serializers.Serializer):
    """POST /events/<id>/attendances/ (OSDI's record attendance helper)."""

    person = PersonInput()
    answers = serializers.DictField(child=serializers.JSONField(), required=False)
    consent_wording = serializers.CharField(max_length=2000, required=False, allow_blank=True)
