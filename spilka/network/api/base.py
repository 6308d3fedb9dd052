"""What every Spilka-own API resource shares: who is looking, and how an organisation is named.

Views pass ``viewer()`` to the existing access helpers and selectors. It is the key's
user (the key's organisation and its roles) when the key carries ``<family>:read`` for the
view's family, and an anonymous visitor otherwise: a key without the scope, like a visitor
with no key, reads only what public pages show.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from spilka.api.permissions import key_has_scope, request_key
from spilka.api.serializers import api_url
from spilka.network.display import public_name


def key_of(request: Any) -> Any:
    """The ``ApiKey`` that authenticated ``request``, or None."""
    return request_key(request)


def key_has(request: Any, scope: str) -> bool:
    """Whether the request's key holds ``scope`` (``write`` covers ``read``)."""
    return key_has_scope(request_key(request), scope)


class SpilkaReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection under the ``spilka:`` curie."""

    scope_family = ""
    public_read = True
    # Ids are numbers: anything else names no record, and never reaches the database.
    lookup_value_regex = "[0-9]{1,18}"

    @property
    def params(self) -> dict[str, str]:
        """The query's parameters, each cut to a sane length and without NUL characters
        (which PostgreSQL refuses in a string, and which no slug or code contains)."""
        return {
            name: str(value).replace("\x00", "")[:200]  # the last value: a str (stubs say list too)
            for name, value in self.request.query_params.items()
        }

    def viewer(self) -> Any:
        if key_has(self.request, f"{self.scope_family}:read"):
            return self.request.user
        return AnonymousUser()

    def key_organisation_id(self) -> int | None:
        """The key's organisation, when the key may read this family's private rows."""
        key = key_of(self.request)
        if key is None or not key_has(self.request, f"{self.scope_family}:read"):
            return None
        return key.organisation_id


def organisation_ref(organisation: Any) -> dict[str, Any] | None:
    """An organisation as any public page names it: a private one only as the placeholder,
    with no slug, so neither its name nor its address leaves the database."""
    if organisation is None:
        return None
    if not organisation.is_public:
        return {"slug": None, "name": public_name(organisation), "public": False}
    return {"slug": organisation.slug, "name": public_name(organisation), "public": True}


ORGANISATION_REF_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "slug": {"type": "string", "nullable": True},
        "name": {"type": "string"},
        "public": {"type": "boolean"},
    },
}


@extend_schema_field(ORGANISATION_REF_SCHEMA)
class OrganisationRefField(serializers.Field):
    """Read-only: ``organisation_ref`` of the related organisation."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return organisation_ref(value)


def collection_link(serializer: Any, basename: str, **params: str) -> dict[str, str] | None:
    """``{"href": …}`` to a Spilka collection filtered by ``params``, for ``_links``."""

    href = api_url(serializer.context.get("request"), f"{basename}-list")
    if not href:
        return None
    return {"href": f"{href}?{urlencode(params)}" if params else href}


def links_to(serializer: Any, **rels: tuple[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """``_links`` entries ``spilka:<rel>`` → a filtered collection, for ``get_links``."""
    links = {}
    for rel, (basename, params) in rels.items():
        link = collection_link(serializer, basename, **params)
        if link:
            links[f"spilka:{rel}"] = link
    return links
