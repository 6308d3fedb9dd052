"""Who must verify a second factor: administrators and treasurers always, those who see
people where their organisation asks; every other role may, but need not.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from spilka.accounts.tests.otp import verified_client
from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles
from spilka.network import services as network_services
from spilka.network.models import Organisation, TwoFactorRoles
from spilka.network.tests.test_bad_input_organisations import _edit_data

pytestmark = pytest.mark.django_db

TWO_FACTOR_URL = "/en/accounts/two-factor/"
USC_PEOPLE = "/en/org/ukraine-solidarity-campaign/people/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _holder(usc: Organisation, role: str):
    return user_with_roles(f"{role}@usc.test", [(usc, role)])


@pytest.mark.parametrize("role", ["admin", "treasurer"])
def test_admins_and_treasurers_must_verify_before_any_page(usc, login, role):
    client = login(_holder(usc, role), verified=False)
    for path in ("/en/accounts/", "/en/", USC_PEOPLE):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{TWO_FACTOR_URL}?next={path}"


@pytest.mark.parametrize("role", ["organiser", "viewer", "translator", "logistics"])
def test_other_roles_are_not_asked_by_default(usc, login, role):
    client = login(_holder(usc, role), verified=False)
    assert client.get("/en/accounts/").status_code == 200


def test_a_verified_admin_reaches_the_private_pages(usc, usc_admin):
    client = verified_client(usc_admin)
    assert client.get("/en/accounts/").status_code == 200
    assert client.get(USC_PEOPLE).status_code == 200


def test_an_admin_signing_in_is_sent_to_enrol_first(usc, usc_admin, anon):
    response = anon.post(
        "/en/accounts/login/",
        {"email": "admin@usc.test", "password": PASSWORD, "next": USC_PEOPLE},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR_URL}?next={USC_PEOPLE}"
    page = anon.get(response["Location"])
    assert page.status_code == 200
    assert "Your role needs a second factor" in page.content.decode()


def test_an_organisation_may_require_it_of_everyone_who_sees_people(usc, usc_admin, login):
    organiser = _holder(usc, "organiser")
    translator = _holder(usc, "translator")
    admin = verified_client(usc_admin)

    response = admin.post(
        reverse("network:organisation_edit", kwargs={"slug": usc.slug}),
        _edit_data(usc, two_factor_roles=TwoFactorRoles.PEOPLE_TOO),
    )

    assert response.status_code == 302
    usc.refresh_from_db()
    assert usc.two_factor_roles == TwoFactorRoles.PEOPLE_TOO
    entry = AuditEntry.objects.filter(action="network.organisation.updated").latest("pk")
    assert entry.actor == usc_admin
    assert entry.before["two_factor_roles"] == TwoFactorRoles.ADMINS_AND_TREASURERS
    assert entry.after["two_factor_roles"] == TwoFactorRoles.PEOPLE_TOO
    assert login(organiser, verified=False).get("/en/accounts/").status_code == 302
    # Translators do not see people: still not asked.
    assert login(translator, verified=False).get("/en/accounts/").status_code == 200


def test_the_requirement_binds_only_in_the_organisation_that_set_it(demo, usc, login):
    network_services.organisation_update(
        organisation=usc, by="test", two_factor_roles=TwoFactorRoles.PEOPLE_TOO
    )
    elsewhere = user_with_roles("organiser@razem.test", [(demo["razem"], "organiser")])
    assert login(elsewhere, verified=False).get("/en/accounts/").status_code == 200


def test_only_an_admin_may_change_the_setting(usc, login):
    organiser = _holder(usc, "organiser")
    response = login(organiser).post(
        reverse("network:organisation_edit", kwargs={"slug": usc.slug}),
        _edit_data(usc, two_factor_roles=TwoFactorRoles.PEOPLE_TOO),
    )
    assert response.status_code == 403
    usc.refresh_from_db()
    assert usc.two_factor_roles == TwoFactorRoles.ADMINS_AND_TREASURERS


def test_a_form_without_the_setting_keeps_it(usc, usc_admin):
    network_services.organisation_update(
        organisation=usc, by="test", two_factor_roles=TwoFactorRoles.PEOPLE_TOO
    )
    usc.refresh_from_db()
    data = _edit_data(usc)
    data.pop("two_factor_roles", None)
    verified_client(usc_admin).post(
        reverse("network:organisation_edit", kwargs={"slug": usc.slug}), data
    )
    usc.refresh_from_db()
    assert usc.two_factor_roles == TwoFactorRoles.PEOPLE_TOO


def test_an_unknown_setting_is_refused_with_a_message(usc, usc_admin):
    response = verified_client(usc_admin).post(
        reverse("network:organisation_edit", kwargs={"slug": usc.slug}),
        _edit_data(usc, two_factor_roles="nobody"),
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    usc.refresh_from_db()
    assert usc.two_factor_roles == TwoFactorRoles.ADMINS_AND_TREASURERS


def test_new_organisations_require_it_of_admins_and_treasurers():
    assert Organisation().two_factor_roles == TwoFactorRoles.ADMINS_AND_TREASURERS
