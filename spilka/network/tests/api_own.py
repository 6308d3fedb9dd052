"""Helpers for the tests of Spilka's own API resources (``test_api_own_*.py``)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from spilka.api.testing import api_client, api_key

BASE = "/api/v1/"


def key_client(organisation: Any, scopes: list[str]) -> APIClient:
    """A client sending a new key of ``organisation`` with ``scopes``."""
    _key, secret = api_key(organisation, scopes)
    return api_client(secret)


def anonymous() -> APIClient:
    return APIClient()


def rows(response: Any, collection: str) -> list[dict[str, Any]]:
    """The records of one page of ``spilka:<collection>``."""
    assert response.status_code == 200, response.content[:500]
    return response.json()["_embedded"][f"spilka:{collection}"]


def get_all(client: APIClient, collection: str, **params: Any) -> list[dict[str, Any]]:
    """Every record of the collection, page after page."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(f"{BASE}{collection}/", {**params, "page": page, "per_page": 100})
        found += rows(response, collection)
        if page >= response.json()["total_pages"]:
            return found
        page += 1


def queries_for(client: APIClient, url: str, **params: Any) -> int:
    """Queries one page costs, once the key's "last used" mark is fresh (it is written at
    most once a while, not on every request)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def all_keys(value: Any) -> set[str]:
    """Every key anywhere in a JSON value."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            keys |= all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            keys |= all_keys(inner)
    return keys
