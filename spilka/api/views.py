"""The API entry point (AEP), the schema and its documentation page."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from spilka.api.routes import router

OSDI_DOCS = "https://opensupporter.github.io/osdi-docs/{rel}"
SPILKA_DOCS = "/api/v1/docs/#{rel}"

# Helpers that are a POST to a collection, as Action Network names them.
HELPERS = {"osdi:person_signup_helper": "people"}


def collection_links(request: Request) -> dict[str, dict[str, str]]:
    """``_links`` to every collection registered on the router, by its curie."""

    links: dict[str, dict[str, str]] = {}
    for prefix, _viewset, basename in router.registry:
        if "/" in prefix or "(" in prefix:
            continue  # nested routes are reached through their parents' links
        curie = "osdi" if basename.startswith("osdi-") else "spilka"
        links[f"{curie}:{prefix}"] = {"href": request.build_absolute_uri(f"/api/v1/{prefix}/")}
    for rel, prefix in HELPERS.items():
        if f"osdi:{prefix}" in links:
            links[rel] = {"href": links[f"osdi:{prefix}"]["href"]}
    return links


class EntryPointView(APIView):
    """OSDI's API entry point: what this server offers, with a link to each collection."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "properties": {
                    "motd": {"type": "string"},
                    "vendor_name": {"type": "string"},
                    "product_name": {"type": "string"},
                    "osdi_version": {"type": "string"},
                    "max_pagesize": {"type": "integer"},
                    "_links": {"type": "object"},
                },
            }
        }
    )
    def get(self, request: Request) -> Response:
        links: dict[str, Any] = {
            "self": {"href": request.build_absolute_uri("/api/v1/")},
            "curies": [
                {"name": "osdi", "href": OSDI_DOCS, "templated": True},
                {
                    "name": "spilka",
                    "href": request.build_absolute_uri(SPILKA_DOCS),
                    "templated": True,
                },
            ],
            "docs": {"href": request.build_absolute_uri("/api/v1/docs/")},
            "schema": {"href": request.build_absolute_uri("/api/v1/schema/")},
        }
        links.update(collection_links(request))
        return Response(
            {
                "motd": _("Welcome to the Spilka API."),
                "vendor_name": "Spilka",
                "product_name": "Spilka",
                "osdi_version": "1.1.1",
                "max_pagesize": 100,
                "_links": links,
            }
        )


SCHEMA_CACHE_SECONDS = 300


# The schema is public and the same for everyone: built once per language every five
# minutes (drf-spectacular takes 140-170 ms to build it), not on every request.
@method_decorator(cache_page(SCHEMA_CACHE_SECONDS), name="get")
@method_decorator(vary_on_headers("Accept", "Accept-Language"), name="get")
class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []


def docs(request: Any) -> Any:
    """Swagger UI from our own static files (drf-spectacular-sidecar); no inline script."""
    return render(request, "api/docs.html", {"schema_url": "/api/v1/schema/?format=json"})
