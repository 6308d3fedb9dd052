"""Calling the API as a key holder or as nobody, for the OSDI resources' tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Api:
    """A client that sends a key (or none) and JSON bodies."""

    def __init__(self, secret: str | None = None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
        if secret is not None:
            self.headers["HTTP_OSDI_API_TOKEN"] = secret

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers)

    def post(self, path: str, body: Any) -> Any:
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(path, raw, content_type="application/json", **self.headers)


def key_for(organisation: Any, scopes: list[str], language: str = "en") -> Api:
    from spilka.api.testing import api_key

    _key, secret = api_key(organisation, scopes)
    return Api(secret, language)


def rows(response: Any, collection: str) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["_embedded"][f"osdi:{collection}"]


def person(
    email: str,
    *,
    name: str = "Olena Petrenko",
    country: str = "UA",
    status: str | None = None,
    **extra: Any,
) -> dict:
    given, _sep, family = name.partition(" ")
    address: dict[str, Any] = {"address": email, "primary": True}
    if status is not None:
        address["status"] = status
    return {
        "given_name": given,
        "family_name": family,
        "email_addresses": [address],
        "postal_addresses": [{"country": country, "postal_code": ""}],
        **extra,
    }
