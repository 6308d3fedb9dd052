"""OSDI messages: the key's organisation's mailings, read only (``supporters`` scope).

In a module of its own: ``outreach/api/views.py`` holds the people, tags and lists."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from spilka.api.serializers import OsdiModelSerializer
from spilka.lib.translated import pick
from spilka.outreach.access import outreach_organisations
from spilka.outreach.models import Mailing


class MessageSerializer(OsdiModelSerializer):
    origin_system = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    # OSDI's "from" is a Python keyword: declared as from_, renamed in get_fields.
    from_ = serializers.SerializerMethodField(method_name="get_sender")
    reply_to = serializers.CharField()
    status = serializers.CharField()
    languages = serializers.SerializerMethodField()
    scheduled_start_date = serializers.DateTimeField(source="run_after", allow_null=True)
    sent_start_date = serializers.DateTimeField(source="started_at", allow_null=True)
    sent_end_date = serializers.DateTimeField(source="finished_at", allow_null=True)
    total_targeted = serializers.IntegerField(source="recipient_count")
    statistics = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Mailing
        fields = [
            "origin_system",
            "subject",
            "body",
            "from_",
            "reply_to",
            "status",
            "languages",
            "scheduled_start_date",
            "sent_start_date",
            "sent_end_date",
            "total_targeted",
            "statistics",
            "targets",
        ]
        modified_field = "created_at"  # a mailing keeps no time of change

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {("from" if name == "from_" else name): field for name, field in fields.items()}

    def get_origin_system(self, obj: Mailing) -> str:
        return "Spilka"

    def get_subject(self, obj: Mailing) -> str:
        return pick(obj.subject, obj.original_language).text

    def get_body(self, obj: Mailing) -> str:
        return pick(obj.body, obj.original_language).text

    def get_sender(self, obj: Mailing) -> str:
        return obj.organisation.display_name

    def get_languages(self, obj: Mailing) -> list[str]:
        return sorted(code for code, text in (obj.subject or {}).items() if text)

    @extend_schema_field({"type": "object"})
    def get_statistics(self, obj: Mailing) -> dict[str, int]:
        return {"sent": obj.sent_count, "failed": obj.failed_count}

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_targets(self, obj: Mailing) -> list[dict[str, Any]]:
        if obj.segment is None:
            return [{"spilka:audience": "all subscribed supporters"}]
        return [{"spilka:segment": obj.segment.name}]


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MessageSerializer
    scope_family = "supporters"
    osdi_collection = "messages"
    lookup_value_regex = "[0-9]+"
    # Mailings keep no time of change: modified_date filters on when they were written.
    odata_fields = {"modified_date": "created_at"}

    def get_queryset(self) -> Any:
        return (
            Mailing.objects.filter(organisation__in=outreach_organisations(self.request.user))
            .select_related("organisation", "segment")
            .order_by("-created_at", "-pk")
        )
