"""The entry point lists every collection; the schema generates; the docs page is ours."""

from __future__ import annotations

import re

import pytest

from spilka.api.routes import router
from spilka.api.testing import api_client

pytestmark = pytest.mark.django_db


def test_the_entry_point_links_every_registered_collection():
    body = api_client().get("/api/v1/").json()
    assert body["product_name"] == "Spilka"
    for prefix, _viewset, basename in router.registry:
        if "/" in prefix:
            continue
        curie = "osdi" if basename.startswith("osdi-") else "spilka"
        assert body["_links"][f"{curie}:{prefix}"]["href"].endswith(f"/api/v1/{prefix}/")
    assert body["_links"]["osdi:people"]


def test_the_schema_is_openapi_3_and_lists_people():
    response = api_client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/people/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["osdiToken"]["name"] == "OSDI-API-TOKEN"


def test_the_schema_is_built_once_and_kept_per_language(monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    built = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    client = api_client()
    first = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    again = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and len(built) == 1
    assert "Accept-Language" in again["Vary"]
    client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="uk")
    assert len(built) == 2  # another language, its own copy


def test_the_docs_page_loads_only_our_own_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in html  # the site's policy allows no inline script
    assert "swagger-ui-bundle.js" in html
