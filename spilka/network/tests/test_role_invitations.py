"""The roles form never says whether an account uses an address (issue 13).

A role given to an address with an account is granted; one given to an address without an
account waits as an invitation and becomes a role when that account first signs in. The
form's answer, the roles page, the audit log and the work done are the same either way;
only the mail to the address says which.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from spilka.lib.models import AuditEntry
from spilka.lib.testing import answer_of, assert_same_answer, post_and_observe
from spilka.network.access import user_roles
from spilka.network.models import OrganisationRole, RoleInvitation

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
KNOWN = "translator@ussc.test"  # the ussc_translator persona's account
UNKNOWN = "no.account.yet@example.org"


def _roles_url() -> str:
    return reverse("network:roles", kwargs={"slug": USC})


@pytest.fixture
def admin_client(login, usc_admin, ussc_translator):
    return login(usc_admin)


def test_the_roles_form_answers_the_same_whether_or_not_an_account_uses_the_address(
    admin_client, django_capture_on_commit_callbacks
):
    answers = [
        post_and_observe(
            admin_client,
            _roles_url(),
            {"email": email, "role": "viewer"},
            capture=django_capture_on_commit_callbacks,
            inputs=[email],
        )
        for email in (KNOWN, UNKNOWN)
    ]
    assert answers[0].status == 302
    assert_same_answer(*answers, known_email=KNOWN, unknown_email=UNKNOWN)
    # The list on the roles page shows both rows alike.
    page = answer_of(admin_client.get(_roles_url())).body
    assert _row(page, KNOWN) == _row(page, UNKNOWN)


def _row(page: str, email: str) -> str:
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if email in r)
    return row.replace(email, "«address»")


def test_the_audit_log_records_a_grant_and_an_invitation_alike(admin_client, usc_admin):
    for email in (KNOWN, UNKNOWN):
        admin_client.post(_roles_url(), {"email": email, "role": "viewer"})
    rows = AuditEntry.objects.filter(action="network.role.granted", actor=usc_admin)
    shapes = {(row.object_type, row.object_repr, tuple(sorted(row.after))) for row in rows}
    assert len(rows) == 2 and len(shapes) == 1


def test_only_the_mail_to_the_address_says_whether_it_has_an_account(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_roles_url(), {"email": KNOWN, "role": "viewer"})
        admin_client.post(_roles_url(), {"email": UNKNOWN, "role": "viewer"})
    assert [m.to for m in mail.outbox] == [[KNOWN], [UNKNOWN]]
    assert "gave your Spilka account" in mail.outbox[0].body
    assert "no account with this address yet" in mail.outbox[1].body


def test_an_invitation_becomes_a_role_when_the_account_first_signs_in(admin_client, demo):
    admin_client.post(_roles_url(), {"email": UNKNOWN.upper(), "role": "organiser"})
    assert RoleInvitation.objects.filter(email=UNKNOWN).exists()
    user = get_user_model().objects.create_user(UNKNOWN, PASSWORD)
    assert not user_roles(user)
    response = Client().post(
        reverse("accounts:login"), {"email": UNKNOWN, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert OrganisationRole.objects.filter(
        user=user, organisation=demo[USC], role="organiser"
    ).exists()
    assert not RoleInvitation.objects.exists()


def test_a_grant_and_an_invitation_are_revoked_from_the_same_list(admin_client, ussc_translator):
    for email in (KNOWN, UNKNOWN):
        admin_client.post(_roles_url(), {"email": email, "role": "viewer"})
    take_back = reverse("network:role_take_back", kwargs={"slug": USC})
    for email in (KNOWN, UNKNOWN):
        response = admin_client.post(take_back, {"email": email, "role": "viewer"})
        assert response["Location"] == _roles_url()
    assert not RoleInvitation.objects.exists()
    assert not OrganisationRole.objects.filter(user=ussc_translator, role="viewer").exists()
    assert AuditEntry.objects.filter(action="network.role.revoked").count() == 2


def test_the_last_administrator_cannot_be_revoked_by_address(admin_client, usc_admin, demo):
    OrganisationRole.objects.filter(organisation=demo[USC], role="admin").exclude(
        user=usc_admin
    ).delete()
    take_back = reverse("network:role_take_back", kwargs={"slug": USC})
    response = admin_client.post(
        take_back, {"email": usc_admin.email, "role": "admin"}, follow=True
    )
    assert "at least one administrator" in response.content.decode()
    assert OrganisationRole.objects.filter(user=usc_admin, role="admin").exists()


def test_only_the_organisations_admins_may_give_or_take_back_roles(login, razem_organiser):
    client = login(razem_organiser)
    take_back = reverse("network:role_take_back", kwargs={"slug": USC})
    assert client.post(_roles_url(), {"email": UNKNOWN, "role": "admin"}).status_code == 403
    assert client.post(take_back, {"email": UNKNOWN, "role": "admin"}).status_code == 403
    assert Client().post(take_back, {"email": UNKNOWN, "role": "admin"}).status_code == 302
    assert not RoleInvitation.objects.exists()
