"""Every one of Spilka's own collections answers as the OpenAPI schema says: checked by
schemathesis against the served schema, with the demo network and a private partner
linked to everything, for a visitor and for a key with every scope."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from spilka.api.testing import api_key
from spilka.network.tests.test_api_own_private_partner import KEY_COLLECTIONS
from tests.private_partner import link_private_partner

pytestmark = pytest.mark.django_db

CHECKS = [response_schema_conformance, content_type_conformance, not_a_server_error]


@pytest.fixture
def wsgi_app():
    # Served in-process in the test's transaction: keep its connection open between calls,
    # as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_own_collections_answer_as_the_schema_says(demo, settings, wsgi_app):
    settings.SPILKA_API_KEY_RATE = "100000/hour"
    settings.SPILKA_API_ANON_RATE = "100000/hour"
    link_private_partner()
    _key, secret = api_key(
        demo["ukraine-solidarity-campaign"],
        ["campaigns:write", "aid:write", "funds:books", "publishing:write"],
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    problems = []
    for collection in KEY_COLLECTIONS:
        operation = schema[f"/api/v1/{collection}/"]["GET"]
        for headers in ({}, {"OSDI-API-TOKEN": secret}):
            if not headers and collection in {"pledges", "convoys", "translation_tasks"}:
                continue  # a 401 for visitors, documented by the foundation
            case = operation.Case(headers=headers, query={"per_page": 100})
            try:
                case.call_and_validate(checks=CHECKS)
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                problems.append(f"{collection} ({'key' if headers else 'visitor'}): {error}")
    assert not problems, "\n\n".join(problems)
