"""The Django admin cannot change what must be audited: staff may only look.

Organisations, relationships, roles, consents and audit entries are read-only there;
the pages and services that change them write the audit rows. The User admin stays.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from spilka.accounts.tests.otp import verified_client
from spilka.lib.models import AuditEntry
from spilka.network.models import Consent, Organisation, OrganisationRole, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(demo):
    # The demo's superuser, past the second factor.
    return verified_client(get_user_model().objects.get(email="admin@spilka.example"))


READ_ONLY = [
    ("network", "organisation", lambda: Organisation.objects.get(slug="razem")),
    ("network", "relationship", lambda: Relationship.objects.first()),
    ("network", "organisationrole", lambda: OrganisationRole.objects.first()),
    ("network", "consent", lambda: Consent.objects.first()),
    ("lib", "auditentry", lambda: AuditEntry.objects.first()),
]


@pytest.mark.parametrize(("app", "model", "get"), READ_ONLY)
def test_staff_may_list_and_view(admin_client, app, model, get):
    obj = get()
    assert admin_client.get(f"/admin/{app}/{model}/").status_code == 200
    page = admin_client.get(f"/admin/{app}/{model}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize(("app", "model", "get"), READ_ONLY)
def test_staff_may_not_add_change_or_delete(admin_client, app, model, get):
    obj = get()
    count = type(obj).objects.count()
    assert admin_client.get(f"/admin/{app}/{model}/add/").status_code == 403
    assert admin_client.post(f"/admin/{app}/{model}/{obj.pk}/change/", {}).status_code == 403
    assert (
        admin_client.post(f"/admin/{app}/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert type(obj).objects.count() == count
    bulk = admin_client.post(
        f"/admin/{app}/{model}/",
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert type(obj).objects.count() == count


def test_a_relationship_cannot_be_confirmed_behind_the_targets_back(admin_client, demo):
    rel = Relationship.objects.get(source__slug="razem", target__slug="ensu")
    Relationship.objects.filter(pk=rel.pk).update(confirmed=False)
    response = admin_client.post(
        f"/admin/network/relationship/{rel.pk}/change/",
        {"source": rel.source_id, "target": rel.target_id, "kind": rel.kind, "confirmed": "on"},
    )
    assert response.status_code == 403
    rel.refresh_from_db()
    assert rel.confirmed is False


def test_the_user_admin_still_edits_users(admin_client, usc_admin):
    page = admin_client.get(f"/admin/accounts/user/{usc_admin.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
