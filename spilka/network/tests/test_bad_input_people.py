"""Odd, oversized and hostile input to the people, consent and role forms and the private
lists: a clear message and a 4xx, never a 500 or a change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation, Person, PersonEmail

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _demo_network(settings, request):
    # Hashing is not under test here; Argon2 for every persona only makes tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return request.getfixturevalue("demo")


@pytest.fixture
def admin_client(login, usc_admin):
    return login(usc_admin)


def _org_url(name: str, slug: str = USC) -> str:
    return reverse(f"network:{name}", kwargs={"slug": slug})


# --- People --------------------------------------------------------------------------


def _person_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Iryna Bondarenko",
        "email": "iryna@usc.example",
        "phone": "",
        "country": "GB",
        "preferred_language": "uk",
        "role_title": "Volunteer",
    }
    data.update(overrides)
    return data


def test_person_form_accepts_good_input(admin_client):
    # The control for the refusals below: the same form, well filled, creates a person.
    response = admin_client.post(_org_url("person_create"), _person_data(phone="020 7946 0958"))
    assert response.status_code == 302
    person = Person.objects.get(emails__email="iryna@usc.example")
    assert person.phone == "+442079460958"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "two@@example.org"}, "email", "Enter a valid email address."),
        ({"phone": "12345", "country": ""}, "phone", "with its country code"),
        ({"phone": "abc"}, "phone", "with its country code"),
        ({"phone": "12345", "country": "GB"}, "phone", "This phone number is not valid."),
        ({"email": "OLENA@usc.example"}, "email", "already in your organisation's directory"),
        ({"email": " olena@USC.EXAMPLE "}, "email", "already in your organisation's directory"),
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"full_name": "x" * 10_000}, "full_name", "at most 200 characters"),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"preferred_language": "xx"}, "preferred_language", "Select a valid choice."),
    ],
)
def test_bad_person_input_gets_a_field_error_and_creates_nothing(
    admin_client, overrides, field, message
):
    people = Person.objects.count()
    emails = PersonEmail.objects.count()
    audit_rows = AuditEntry.objects.count()
    response = admin_client.post(_org_url("person_create"), _person_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Person.objects.count() == people
    assert PersonEmail.objects.count() == emails
    assert AuditEntry.objects.count() == audit_rows


def _consent_data(for_organisation: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organisation": for_organisation.pk,
        "purpose": "updates",
        "granted": "yes",
        "wording": "I would like email updates.",
        "wording_language": "en",
        "source": "stall at a union conference",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": "sell_my_data"}, "Select a valid choice."),
        ({"granted": "maybe"}, "Select a valid choice."),
        ({"wording": ""}, "This field is required."),
        ({"wording": "x" * 10_000}, "at most 2000 characters"),
        ({"source": "x" * 10_000}, "at most 200 characters"),
        ({"organisation": "999999"}, "Select a valid choice."),
        ({"wording_language": "xx"}, "Select a valid choice."),
        ({"wording_language": ""}, "This field is required."),
    ],
)
def test_bad_consent_input_is_refused_and_records_nothing(admin_client, overrides, message):
    from spilka.network.models import Consent

    olena = Person.objects.get(emails__email="olena@usc.example")
    consents = Consent.objects.count()
    response = admin_client.post(
        reverse("network:consent_create", kwargs={"pk": olena.pk}),
        _consent_data(Organisation.objects.get(slug=USC), **overrides),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Consent.objects.count() == consents


def test_consent_cannot_be_recorded_for_an_organisation_the_user_does_not_run(admin_client, demo):
    from spilka.network.models import Consent

    olena = Person.objects.get(emails__email="olena@usc.example")
    consents = Consent.objects.count()
    response = admin_client.post(
        reverse("network:consent_create", kwargs={"pk": olena.pk}), _consent_data(demo["razem"])
    )
    assert response.status_code == 400
    assert Consent.objects.count() == consents


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Issue 13: an address without an account is no longer refused (it would say whether
        # the address has an account); see test_role_invitations.py.
        ({"email": "not-an-email", "role": "viewer"}, "Enter a valid email address."),
        ({"email": "organiser@razem.test", "role": "emperor"}, "Select a valid choice."),
    ],
)
def test_bad_role_grant_is_refused(admin_client, razem_organiser, data, message):
    from spilka.network.models import OrganisationRole

    grants = OrganisationRole.objects.count()
    response = admin_client.post(_org_url("roles"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert OrganisationRole.objects.count() == grants


@pytest.mark.parametrize("page", ["people", "audit"])
@pytest.mark.parametrize("number", ["abc", "-1", "0", "99999999999"])
def test_odd_page_numbers_on_private_lists_show_a_page(admin_client, page, number):
    response = admin_client.get(_org_url(page), {"page": number})
    assert response.status_code == 200
    if page == "people":
        assert "Olena Kovalenko" in response.content.decode()
