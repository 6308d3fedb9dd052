"""Recording a consent decision: the wording's own language, in a linked organisation's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.lib.testing import user_with_roles
from spilka.network import services
from spilka.network.models import Consent, Person

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def two_hats(demo):
    """Organiser at USC and at Razem."""
    return user_with_roles(
        "two-hats@example.test", [(demo[USC], "organiser"), (demo["razem"], "organiser")]
    )


def _olena() -> Person:
    return Person.objects.get(emails__email="olena@usc.example")


def _url(person: Person) -> str:
    return reverse("network:consent_create", kwargs={"pk": person.pk})


def _data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "purpose": "updates",
        "granted": "yes",
        "wording": "Хочу отримувати новини електронною поштою.",
        "wording_language": "uk",
        "source": "stall at a union conference",
    }
    data.update(overrides)
    return data


def test_the_wording_is_recorded_in_the_language_chosen_not_the_interface(login, two_hats, demo):
    response = login(two_hats).post(_url(_olena()), _data(demo[USC]))  # an English page
    assert response.status_code == 302
    consent = Consent.objects.filter(person=_olena()).first()
    assert (consent.wording_language, consent.organisation) == ("uk", demo[USC])


def test_the_language_starts_as_the_persons_preferred_one(login, two_hats):
    form = login(two_hats).get(_url(_olena())).context["form"]
    assert form["wording_language"].value() == "uk"


def test_only_organisations_the_person_is_linked_to_are_offered(login, two_hats, demo):
    client = login(two_hats)
    form = client.get(_url(_olena())).context["form"]
    assert list(form.fields["organisation"].queryset) == [demo[USC]]
    consents = Consent.objects.count()
    response = client.post(_url(_olena()), _data(demo["razem"]))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Consent.objects.count() == consents


def test_a_person_in_both_organisations_may_be_recorded_for_either(login, two_hats, demo):
    person = services.person_create(
        by="test", full_name="Marta Both", email="marta@example.org", organisation=demo[USC]
    )
    services.membership_create(by="test", person=person, organisation=demo["razem"])
    form = login(two_hats).get(_url(person)).context["form"]
    assert set(form.fields["organisation"].queryset) == {demo[USC], demo["razem"]}
    assert login(two_hats).post(_url(person), _data(demo["razem"])).status_code == 302


def test_a_linked_organisation_the_user_only_views_is_not_offered(login, demo):
    person = services.person_create(
        by="test", full_name="Marta Both", email="marta@example.org", organisation=demo[USC]
    )
    services.membership_create(by="test", person=person, organisation=demo["razem"])
    user = user_with_roles(
        "mixed@example.test", [(demo[USC], "organiser"), (demo["razem"], "viewer")]
    )
    form = login(user).get(_url(person)).context["form"]
    assert list(form.fields["organisation"].queryset) == [demo[USC]]


def test_someone_who_withdrew_can_give_a_new_decision(login, two_hats, demo):
    person = services.person_create(
        by="test", full_name="Marta Both", email="marta@example.org", organisation=demo[USC]
    )
    for granted in (True, False):
        services.consent_record(
            person=person,
            organisation=demo["razem"],
            purpose="updates",
            granted=granted,
            wording="…",
            source="test",
        )
    form = login(two_hats).get(_url(person)).context["form"]
    assert demo["razem"] in form.fields["organisation"].queryset
