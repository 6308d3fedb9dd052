"""Isolation sweep: a person with roles in one organisation never reaches another's private data.

Every named URL of the apps below is collected from the URL resolver. Each one is filled in
with a *foreign* object (one owned by an organisation other than the visitor's organisation
B) from the demo network, then requested by a user holding exactly one role in B:

- GET of a private URL answers 403, 404 or a redirect to sign-in; never 200 or 500.
- POST with an empty body to any URL writes no audit row (nothing changed) and never 500s;
  on a private URL it is refused like the GET.
- Every page that does answer 200 (public pages, the visitor's own lists) shows none of
  the foreign organisations' private addresses or personal email addresses.

Public-by-design URLs are listed in ``PUBLIC`` with the reason they are public. Token
links are requested with a garbage token. Failures are collected and reported together.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import translation

from spilka.accounts.tests.otp import mark_verified
from spilka.network import services as network_services
from tests.isolation_foreign import B_SLUG
from tests.isolation_targets import APPS, PUBLIC, ROLES, SHARED_WRITES, targets_for
from tests.leaks import Secrets


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and "/accounts/login" in response.get("Location", "")


def _request(client: Client, method: str, path: str):
    try:
        return getattr(client, method)(path), None
    except Exception as exc:  # a 500: report it with the others
        return None, f"{type(exc).__name__}: {exc}"


@pytest.fixture
def sweep(demo):
    with translation.override("en"):
        b = demo[B_SLUG]
        targets, skipped, secrets = targets_for(b)
    return b, targets, skipped, secrets


@pytest.mark.parametrize("role", ROLES)
def test_a_person_with_one_role_in_b_never_sees_or_changes_another_organisations_private_data(
    sweep, role
):
    from spilka.lib.models import AuditEntry

    b, targets, skipped, secrets = sweep
    user = get_user_model().objects.create_user(f"{role}@b.sweep.test", "x" * 20)
    network_services.role_grant(by="test setup", user=user, organisation=b, role=role)
    client = mark_verified(Client(), user)  # admins and treasurers verify a second factor
    leaks = Secrets(secrets)
    failures: list[str] = []
    # Every request is rolled back: an audit row it wrote is one past this mark.
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    for target in targets:
        for method in ("get", "post"):
            with transaction.atomic():
                response, error = _request(client, method, target.path)
                written = AuditEntry.objects.filter(pk__gt=mark).count()
                transaction.set_rollback(True)
            where = f"{method.upper()} {target.name} {target.path}"
            if error:
                failures.append(f"{where}: raised {error}")
                continue
            status = response.status_code
            if status >= 500:
                failures.append(f"{where}: {status}")
                continue
            if written and not (method == "post" and target.name in SHARED_WRITES):
                failures.append(f"{where}: {status} wrote {written} audit row(s)")
            refused = status in (403, 404, 405) or _is_login_redirect(response)
            # An empty POST may be turned away as bad input (200 form, 302 with a message)
            # as long as it changed nothing (audit rows above) and shows nothing (below).
            if not target.public and not refused and method == "get":
                failures.append(f"{where}: answered {status} ({response.get('Location', '')})")
            if status == 200 and not getattr(response, "streaming", False):
                body = response.content.decode("utf-8", "replace")
                found = leaks.first_in(body)
                if found:
                    failures.append(f"{where}: 200 shows foreign {found!r}")

    assert not failures, f"{len(failures)} isolation failures for a {role} of {b.slug}:\n" + (
        "\n".join(failures)
    )
    assert len(targets) > 150, skipped


def test_the_sweep_covers_every_url_of_the_swept_apps(sweep):
    _, targets, skipped, _ = sweep
    counts: dict[str, int] = {}
    for target in targets:
        counts[target.name.split(":")[0]] = counts.get(target.name.split(":")[0], 0) + 1
    assert set(counts) == set(APPS)
    assert not skipped, f"URLs without a foreign object to aim at: {skipped}"
    assert set(PUBLIC) <= {t.name for t in targets}
