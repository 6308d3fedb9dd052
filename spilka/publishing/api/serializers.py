"""Publications and translation tasks as the API shows them. No translator is named."""

from __future__ import annotations

from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.network.api.base import OrganisationRefField
from spilka.publishing.models import HELD_STATES, Publication, Tag, TranslationTask


class PublicationSerializer(OsdiModelSerializer):
    organisation = OrganisationRefField()
    tags: serializers.SlugRelatedField[Tag] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Publication
        fields = [
            "slug",
            "kind",
            "status",
            "original_language",
            "languages",
            "title",
            "summary",
            "body",
            "tags",
            "published_on",
            "organisation",
        ]
        read_only_fields = fields


class TranslationTaskSerializer(OsdiModelSerializer):
    item_type = serializers.SerializerMethodField()
    item_id = serializers.IntegerField(source="object_id", read_only=True)
    organisation = OrganisationRefField()
    claimed = serializers.SerializerMethodField()

    class Meta:
        model = TranslationTask
        fields = [
            "item_type",
            "item_id",
            "organisation",
            "source_language",
            "target_language",
            "state",
            "claimed",
            "claimed_until",
            "machine_translated",
            "published_at",
        ]
        read_only_fields = fields

    def get_item_type(self, obj: TranslationTask) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_claimed(self, obj: TranslationTask) -> bool:
        # Whether someone holds it, not who: translators are people.
        return obj.state in HELD_STATES and not obj.claim_expired
