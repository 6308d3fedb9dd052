"""Isolation sweep over the API: another organisation's key reads and writes nothing private.

Every route registered on the API's one router (``spilka.api.routes.router``) is walked with
a key of organisation B holding every scope, and anonymously:

- each collection, page after page, and each object of the route's model by id (nested
  collections under every parent): never a 500, and no 200 shows a foreign private address,
  a foreign supporter's, registrant's or signer's email, or anything of the private
  organisation that ``tests.private_partner`` links to every public thing;
- an empty POST to each collection, and an empty PATCH, PUT and DELETE of each object:
  never a 500, and no audit row written for an organisation other than B (a write that
  concerns B, such as cancelling its own pledge, names B among its audit rows).

Requests run in a rolled-back transaction each, so one cannot prepare another.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model
from django.utils import translation

from spilka.api.scopes import ALL_SCOPES
from spilka.api.testing import api_client, api_key
from tests.api_routes import PARENT_MODELS, Route, model_for, routes
from tests.leaks import Secrets
from tests.private_partner import NAMES, SHORT_NAME, SLUG, link_private_partner

pytestmark = pytest.mark.django_db

B_SLUG = "razem"
PREFIX = "/api/v1/"
# Objects tried per model: all of them when few, else both ends (the private partner's rows
# are made last, the demo's first).
PER_MODEL = 40
PAGES = 20


def _sample(model: type[Model]) -> list[Any]:
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    if len(ids) <= PER_MODEL:
        return ids
    half = PER_MODEL // 2
    return ids[:half] + ids[-half:]


def _collection_paths(route: Route) -> list[str]:
    """The route's collection URL, under each sampled parent for a nested route."""
    paths = [route.prefix]
    for name in route.parents:
        group = re.compile(rf"\(\?P<{name}>[^)]*\)")
        parent_ids = _sample(model_for(PARENT_MODELS[name]))
        paths = [group.sub(str(value), path) for path in paths for value in parent_ids]
    return [f"{PREFIX}{path}/" for path in paths]


def _secrets(b) -> list[str]:
    """What B must never read: foreign personal addresses and the private organisation."""
    from spilka.campaigns.models import Signature
    from spilka.events.models import Registration
    from spilka.network.models import Organisation, PersonEmail
    from spilka.outreach.models import Supporter

    mine = {b.pk, *Organisation.objects.filter(parent=b).values_list("pk", flat=True)}
    found = set(NAMES.values()) | {SHORT_NAME, SLUG}
    found |= set(
        PersonEmail.objects.exclude(person__memberships__organisation__in=mine).values_list(
            "email", flat=True
        )[:200]
    )
    found |= set(
        Supporter.objects.exclude(organisation__in=mine).values_list("email", flat=True)[:200]
    )
    found |= set(
        Registration.objects.exclude(event__organiser__in=mine).values_list("email", flat=True)[
            :200
        ]
    )
    found |= set(
        Signature.objects.exclude(petition__campaign__lead_organisation__in=mine).values_list(
            "email", flat=True
        )[:200]
    )
    # An address B itself holds (the same person supporting two organisations) is not foreign.
    found -= set(Supporter.objects.filter(organisation__in=mine).values_list("email", flat=True))
    found -= set(
        PersonEmail.objects.filter(person__memberships__organisation__in=mine).values_list(
            "email", flat=True
        )
    )
    found -= set(
        Registration.objects.filter(event__organiser__in=mine).values_list("email", flat=True)
    )
    found -= set(
        Signature.objects.filter(petition__campaign__lead_organisation__in=mine).values_list(
            "email", flat=True
        )
    )
    return sorted(s for s in found if s and len(s) > 3)


def _call(client, method: str, path: str):
    from spilka.lib.models import AuditEntry

    with transaction.atomic():
        mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            if method in ("post", "put", "patch"):
                response = getattr(client, method)(path, {}, format="json")
            else:
                response = getattr(client, method)(path)
        except Exception as exc:  # a 500 raised through the test client: report with the rest
            transaction.set_rollback(True)
            return None, f"raised {type(exc).__name__}: {exc}", []
        audit = list(
            AuditEntry.objects.filter(pk__gt=mark).values_list("organisation_id", flat=True)
        )
        transaction.set_rollback(True)
    return response, None, audit


@pytest.fixture
def swept(demo):
    with translation.override("en"):
        private = link_private_partner()
        b = demo[B_SLUG]
        _key, secret = api_key(b, list(ALL_SCOPES))
        secrets = _secrets(b)
    assert private.pk != b.pk
    return b, secret, secrets


def _sweep(client, own: int | None, secrets: list[str]) -> tuple[list[str], int]:
    """Walk every route; ``own``: the key's organisation (None: anonymous)."""
    leaks = Secrets(secrets)
    failures: list[str] = []
    requests = 0

    def check(method: str, path: str) -> Any:
        nonlocal requests
        requests += 1
        response, error, audit = _call(client, method, path)
        where = f"{method.upper()} {path}"
        if error:
            failures.append(f"{where}: {error}")
            return None
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
            return None
        if audit and (own is None or own not in audit):
            failures.append(f"{where}: {response.status_code} wrote audit rows for {audit}")
        if response.status_code == 200:
            body = response.content.decode("utf-8", "replace")
            found = leaks.first_in(body)
            if found:
                failures.append(f"{where}: 200 shows foreign {found!r}")
        return response

    for route in routes():
        for collection in _collection_paths(route):
            page_path = f"{collection}?per_page=100"
            for _page in range(PAGES):
                response = check("get", page_path)
                if response is None or response.status_code != 200:
                    break
                following = response.json().get("_links", {}).get("next", {}).get("href")
                if not following:
                    break
                page_path = following.split("testserver", 1)[-1]
            check("post", collection)
        if not route.detail or route.model is None or route.parents:
            continue
        for pk in _sample(route.model):
            path = f"{PREFIX}{route.prefix}/{pk}/"
            check("get", path)
            for method in ("patch", "put", "delete"):
                check(method, path)
    return failures, requests


def test_a_key_of_another_organisation_reads_and_writes_nothing_private_through_the_api(swept):
    b, secret, secrets = swept
    failures, requests = _sweep(api_client(secret), b.pk, secrets)
    assert not failures, f"{len(failures)} API isolation failures for a key of {b.slug}:\n" + (
        "\n".join(failures[:80])
    )
    assert requests > 200


def test_anonymous_callers_read_nothing_private_and_write_nothing_through_the_api(swept):
    b, _secret, secrets = swept
    failures, requests = _sweep(api_client(None), None, secrets)
    assert not failures, f"{len(failures)} API failures for an anonymous caller:\n" + (
        "\n".join(failures[:80])
    )
    assert requests > 200


def test_the_sweep_knows_every_nested_route_and_every_model():
    unknown = []
    for route in routes():
        unknown += [name for name in route.parents if name not in PARENT_MODELS]
        if route.detail and route.model is None:
            unknown.append(f"{route.basename}: no model to draw ids from")
    assert not unknown, unknown
    assert len(routes()) >= 5
