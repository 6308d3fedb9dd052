"""Organisations and relationships, as the public directory shows them: no people."""

from __future__ import annotations

from rest_framework import serializers

from spilka.api.serializers import OsdiModelSerializer
from spilka.network.api.base import OrganisationRefField
from spilka.network.models import Organisation, Relationship


class OrganisationSerializer(OsdiModelSerializer):
    website = serializers.CharField(read_only=True)  # may be empty: not always a URI
    country = serializers.CharField(source="country.code", read_only=True)
    # Field.parent (the enclosing serializer) to the stubs; DRF keeps declared fields apart.
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "short_name",
            "description",
            "points_of_unity",
            "original_language",
            "kind",
            "country",
            "region",
            "city",
            "languages",
            "website",
            "founded_year",
            "parent",
        ]
        read_only_fields = fields

    def get_parent(self, obj: Organisation) -> str | None:
        # ``parent_visible`` comes from the directory selector: a private parent the reader
        # may not see is never named, not even by its address.
        if obj.parent_id and getattr(obj, "parent_visible", False) and obj.parent is not None:
            return obj.parent.slug
        return None


class RelationshipSerializer(OsdiModelSerializer):
    evidence_url = serializers.CharField(read_only=True)
    # Field.source to the stubs; DRF keeps declared fields apart.
    source = OrganisationRefField()  # type: ignore[assignment]
    target = OrganisationRefField()

    class Meta:
        model = Relationship
        modified_field = None  # the model keeps no change time
        fields = [
            "source",
            "kind",
            "target",
            "since_year",
            "started_on",
            "ended_on",
            "note",
            "evidence_url",
        ]
        read_only_fields = fields
