"""Teaches drf-spectacular our authentication (imported in ``ApiConfig.ready``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "spilka.api.authentication.ApiKeyAuthentication"
    name = "osdiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        # ``Authorization: Bearer <key>`` works too (docs/api.md); one scheme keeps the
        # schema's "either" simple for clients.
        return {"type": "apiKey", "in": "header", "name": "OSDI-API-TOKEN"}
