"""Test helpers: a key for an organisation, and a client that sends it."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from spilka.api.models import ApiKey
from spilka.api.services import apikey_create


def api_key(
    organisation: Any, scopes: list[str], *, by: Any = "test setup", **kwargs: Any
) -> tuple[ApiKey, str]:
    """A new key of ``organisation`` with ``scopes``, and its secret."""
    return apikey_create(
        organisation=organisation,
        name=kwargs.pop("name", "test key"),
        scopes=scopes,
        by=by,
        **kwargs,
    )


def api_client(
    secret: str | None = None, *, header: str = "osdi", language: str | None = None
) -> APIClient:
    """An APIClient sending ``secret`` in the OSDI-API-TOKEN header (``header="bearer"``:
    as ``Authorization: Bearer``); None: anonymous."""
    client = APIClient()
    extra: dict[str, str] = {}
    if secret is not None:
        if header == "bearer":
            extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        else:
            extra["HTTP_OSDI_API_TOKEN"] = secret
    if language:
        extra["HTTP_ACCEPT_LANGUAGE"] = language
    client.credentials(**extra)
    return client
