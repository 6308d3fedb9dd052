"""Property tests over the API's own OpenAPI schema (schemathesis).

For every operation the schema lists, schemathesis generates requests from the schema (valid
and invalid ones, a bounded number per operation) and sends them to the application in
process, with a key holding every scope and anonymously. Every answer must be something other
than a server error, and every documented answer must match the schema: status, content type
and body. What counts as right for a given request (404 for another organisation's object,
400 for bad input) is the isolation sweep's and the resources' own tests' business.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from spilka.api.scopes import ALL_SCOPES
from spilka.api.testing import api_key
from tests.api_routes import PARENT, PARENT_MODELS, model_for, routes

pytestmark = pytest.mark.django_db

# Examples per operation: enough to hit bad ids, bad filters and odd bodies in each, few
# enough that the whole schema runs in well under a minute in CI.
EXAMPLES = 12
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through Django's own WSGI handler, whose request signals would close the
    database connection that holds the test's transaction (Django's test client unhooks
    them the same way)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def _real_ids(operation) -> list[dict[str, str]]:
    """Path parameters naming real objects (the first and the last of each model), so that
    generated bodies and queries reach the code behind the 404 of a random id."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return []
    template = operation.path.removeprefix("/api/v1/").strip("/")
    prefix = template.removesuffix("/{id}")
    by_prefix = {PARENT.sub(lambda m: "{" + m.group("name") + "}", r.prefix): r for r in routes()}
    route = by_prefix.get(prefix)
    choices: list[dict[str, str]] = [{}, {}]
    for name in names:
        model = route.model if name == "id" and route else None
        if name in PARENT_MODELS:
            model = model_for(PARENT_MODELS[name])
        if model is None:
            return []
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return []
        choices[0][name], choices[1][name] = str(ids[0]), str(ids[-1])
    return choices


def _run(
    operation,
    *,
    headers: dict[str, str],
    examples: int,
    path_parameters: dict[str, str] | None = None,
) -> list[str]:
    """Up to ``examples`` generated requests to ``operation``; the failures, described."""
    failures: list[str] = []

    @given(case=operation.as_strategy(path_parameters=path_parameters))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
    )
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
            raise

    # Hypothesis re-raises the first failure; it is already collected.
    with contextlib.suppress(Exception):
        run()
    return failures[:1]


@pytest.fixture
def key_headers(demo):
    _key, secret = api_key(demo["razem"], list(ALL_SCOPES))
    return {"OSDI-API-TOKEN": secret}


def test_every_operation_answers_within_its_schema_for_a_key(key_headers):
    operations = _operations()
    failures = [f for op in operations for f in _run(op, headers=key_headers, examples=EXAMPLES)]
    assert not failures, "\n\n".join(failures)
    assert len(operations) >= 10


def test_operations_on_real_objects_answer_within_their_schema(key_headers):
    failures = []
    for operation in _operations():
        for ids in _real_ids(operation):
            failures += _run(operation, headers=key_headers, examples=6, path_parameters=ids)
    assert not failures, "\n\n".join(failures)


def test_every_operation_answers_within_its_schema_for_anonymous_callers(demo):
    failures = [f for op in _operations() for f in _run(op, headers={}, examples=4)]
    assert not failures, "\n\n".join(failures)
