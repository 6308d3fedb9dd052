"""The base serializer of every API resource: OSDI's ``identifiers``, ``created_date``,
``modified_date`` (ISO 8601, UTC) and ``_links.self``.

Subclasses set ``Meta.model`` and ``Meta.fields`` as usual, and may set
``Meta.created_field`` / ``Meta.modified_field`` (default ``created_at`` / ``updated_at``;
None leaves the date out) and ``Meta.identifier_field`` (default: ``uuid`` if the model has
one, else ``pk``). The self link is ``api:<view basename>-detail`` with the object's pk.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

BASE_FIELDS = ("identifiers", "created_date", "modified_date", "_links")


def identifier(obj: Any, field: str | None = None) -> str:
    if field is None:
        field = "uuid" if hasattr(obj, "uuid") else "pk"
    return f"spilka:{getattr(obj, field)}"


_SENTINEL = 7_918_273_645_501
_templates: dict[tuple[str, int], str | None] = {}


def _template(name: str, nargs: int) -> str | None:
    """The route's path with placeholders, reversed once (reverse() per row is slow)."""
    found = _templates.get((name, nargs), "")
    if found == "":
        args = [_SENTINEL + n for n in range(nargs)]
        try:
            path = reverse(f"api:{name}", args=args).rstrip("/")
        except NoReverseMatch:
            found = None
        else:
            for n in range(nargs):
                path = path.replace(str(_SENTINEL + n), f"{{{n}}}")
            found = path
        _templates[(name, nargs)] = found
    return found


def _origin(request: Any) -> str:
    origin = getattr(request, "_spilka_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/").rstrip("/")
        request._spilka_origin = origin
    return origin


def api_url(request: Any, name: str, *args: Any) -> str | None:
    """The absolute address of an API route, without a trailing slash (as OSDI writes them,
    and as clients that take an id from a link's last segment expect); routes take both."""
    template = _template(name, len(args))
    if template is None:
        return None
    path = template.format(*args)
    return _origin(request) + path if request is not None else path


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "self": {"type": "object", "properties": {"href": {"type": "string"}}},
        },
        "additionalProperties": {"type": "object", "properties": {"href": {"type": "string"}}},
    }
)
class LinksField(serializers.Field):
    """``{"self": {"href": …}}`` plus what the serializer's ``get_links(obj)`` adds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj: Any) -> dict[str, dict[str, str]]:
        parent = cast(OsdiModelSerializer, self.parent)  # the field serves only these
        links: dict[str, dict[str, str]] = {}
        href = parent.get_self_href(obj)
        if href:
            links["self"] = {"href": href}
        links.update(parent.get_links(obj))
        return links


@extend_schema_field({"type": "array", "items": {"type": "string"}, "example": ["spilka:42"]})
class IdentifiersField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj: Any) -> list[str]:
        meta = getattr(self.parent, "Meta", None)
        return [identifier(obj, getattr(meta, "identifier_field", None))]


class UtcDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", datetime.UTC)
        kwargs["read_only"] = True
        super().__init__(**kwargs)


class OsdiModelSerializer(serializers.ModelSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        meta = self.Meta
        created = getattr(meta, "created_field", "created_at")
        modified = getattr(meta, "modified_field", "updated_at")
        base: dict[str, serializers.Field] = {"identifiers": IdentifiersField()}
        if created:
            base["created_date"] = UtcDateTimeField(source=created)
        if modified:
            base["modified_date"] = UtcDateTimeField(source=modified)
        base["_links"] = LinksField()
        for name in BASE_FIELDS:
            fields.pop(name, None)
        return {**base, **fields}

    def self_view_name(self) -> str | None:
        explicit = getattr(self.Meta, "self_view", None)
        if explicit:
            return explicit
        view = self.context.get("view")
        basename = getattr(view, "basename", None)
        return f"{basename}-detail" if basename else None

    def get_self_href(self, obj: Any) -> str | None:
        """``api:<self_view_name>`` with the object's pk; override for nested routes."""
        name = self.self_view_name()
        return api_url(self.context.get("request"), name, obj.pk) if name else None

    def link(self, name: str, *args: Any) -> dict[str, str] | None:
        href = api_url(self.context.get("request"), name, *args)
        return {"href": href} if href else None

    def get_links(self, obj: Any) -> dict[str, dict[str, str]]:
        """Links beyond ``self`` (``osdi:taggings`` …); override in subclasses."""
        return {}
