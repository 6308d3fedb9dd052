"""Who sees a person, and how much of them.

Only administrators, organisers and viewers see an organisation's people; translators,
treasurers and logistics do not. Someone whose membership has ended, or whose latest
consent decision is a withdrawal, is no longer linked to the organisation. A person page
shows only the memberships and consents of organisations whose people the user may read.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from spilka.lib.testing import user_with_roles
from spilka.network import access, services
from spilka.network.models import Membership, Person

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def usc_viewer(demo):
    return user_with_roles("viewer@usc.test", [(demo[USC], "viewer")])


def _person_url(person: Person) -> str:
    return reverse("network:person", kwargs={"pk": person.pk})


def _people_url(slug: str = USC) -> str:
    return reverse("network:people", kwargs={"slug": slug})


def _olena() -> Person:
    return Person.objects.get(emails__email="olena@usc.example")


# --- Roles that see people -----------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "organiser", "viewer"])
def test_people_roles_see_the_people_list_and_the_person(login, demo, role):
    user = user_with_roles(f"{role}@usc.test", [(demo[USC], role)])
    client = login(user)
    people = client.get(_people_url())
    assert people.status_code == 200
    assert "Olena Kovalenko" in people.content.decode()
    assert client.get(_person_url(_olena())).status_code == 200


@pytest.mark.parametrize("role", ["translator", "treasurer", "logistics"])
def test_other_roles_see_no_people(login, demo, role):
    user = user_with_roles(f"{role}@usc.test", [(demo[USC], role)])
    client = login(user)
    people = client.get(_people_url())
    assert people.status_code == 403
    assert "Olena Kovalenko" not in people.content.decode()
    person = client.get(_person_url(_olena()))
    assert person.status_code == 404
    assert "Olena Kovalenko" not in person.content.decode()
    page = client.get(reverse("network:organisation", kwargs={"slug": USC})).content.decode()
    assert _people_url() not in page


def test_translator_sees_no_working_group_members(login, demo):
    translator = user_with_roles("translator@ensu.test", [(demo["ensu"], "translator")])
    body = login(translator).get("/en/org/ensu/").content.decode()
    assert "Feminist" in body
    assert "Agnieszka Nowak" not in body


# --- Ended memberships ---------------------------------------------------------------


def _volunteer(demo, email: str = "volunteer@usc.example") -> Person:
    return services.person_create(
        by="test", full_name="Taras Volunteer", email=email, organisation=demo[USC]
    )


def test_a_person_whose_membership_ended_is_no_longer_seen(login, demo, usc_viewer):
    person = _volunteer(demo)
    client = login(usc_viewer)
    assert client.get(_person_url(person)).status_code == 200
    membership = Membership.objects.get(person=person)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.membership_end(membership=membership, by="test", ended_on=yesterday)

    assert client.get(_person_url(person)).status_code == 404
    assert "Taras Volunteer" not in client.get(_people_url()).content.decode()
    assert not access.people_visible_to(usc_viewer).filter(pk=person.pk).exists()


def test_a_membership_ending_today_still_counts(login, demo, usc_viewer):
    person = _volunteer(demo)
    membership = Membership.objects.get(person=person)
    services.membership_end(membership=membership, by="test", ended_on=timezone.localdate())
    assert login(usc_viewer).get(_person_url(person)).status_code == 200


# --- Withdrawn consents --------------------------------------------------------------


def _consent(person: Person, organisation, granted: bool, purpose: str = "updates"):
    return services.consent_record(
        person=person,
        organisation=organisation,
        purpose=purpose,
        granted=granted,
        wording="Email me." if granted else "Stop.",
        source="test",
    )


def test_a_person_linked_only_by_a_withdrawn_consent_is_no_longer_seen(login, demo, usc_viewer):
    person = services.person_create(by="test", full_name="Nina Signer", email="nina@example.org")
    client = login(usc_viewer)
    assert client.get(_person_url(person)).status_code == 404  # not linked yet

    _consent(person, demo[USC], granted=True)
    assert client.get(_person_url(person)).status_code == 200

    _consent(person, demo[USC], granted=False)
    assert client.get(_person_url(person)).status_code == 404

    _consent(person, demo[USC], granted=True)  # changed their mind again
    assert client.get(_person_url(person)).status_code == 200


def test_another_purpose_still_in_force_keeps_the_link(login, demo, usc_viewer):
    person = services.person_create(by="test", full_name="Nina Signer", email="nina@example.org")
    _consent(person, demo[USC], granted=True, purpose="updates")
    _consent(person, demo[USC], granted=True, purpose="contact")
    _consent(person, demo[USC], granted=False, purpose="updates")
    assert login(usc_viewer).get(_person_url(person)).status_code == 200


def test_a_consent_for_another_organisation_does_not_link(login, demo, usc_viewer):
    person = services.person_create(by="test", full_name="Nina Signer", email="nina@example.org")
    _consent(person, demo["razem"], granted=True)
    assert login(usc_viewer).get(_person_url(person)).status_code == 404


def test_people_query_uses_subqueries_not_a_distinct_join(usc_viewer):
    sql = str(access.people_visible_to(usc_viewer).query).upper()
    assert "EXISTS" in sql
    assert "DISTINCT" not in sql


# --- What a person page shows --------------------------------------------------------


@pytest.fixture
def shared_person(demo):
    """Someone who is a member of USC and of Razem, with a consent for each."""
    person = services.person_create(
        by="test",
        full_name="Marta Both",
        email="marta@example.org",
        organisation=demo[USC],
        role_title="USC steward",
    )
    services.membership_create(
        by="test", person=person, organisation=demo["razem"], role_title="Razem treasurer"
    )
    _consent(person, demo["razem"], granted=True, purpose="data_sharing")
    return person


def test_person_page_shows_only_the_users_own_organisations(login, usc_viewer, shared_person):
    response = login(usc_viewer).get(_person_url(shared_person))
    body = response.content.decode()
    assert response.status_code == 200
    assert "USC steward" in body
    assert "Razem treasurer" not in body
    assert "Left Together (Razem)" not in body
    assert [m.organisation.slug for m in response.context["memberships"]] == [USC]
    assert all(c.organisation.slug == USC for c in response.context["consents"])


def test_a_role_that_cannot_read_people_does_not_widen_the_person_page(login, demo, shared_person):
    # Viewer at USC, but only a translator at Razem: Razem's links stay hidden.
    user = user_with_roles("mixed@usc.test", [(demo[USC], "viewer"), (demo["razem"], "translator")])
    body = login(user).get(_person_url(shared_person)).content.decode()
    assert "USC steward" in body
    assert "Razem treasurer" not in body


def test_people_roles_in_both_organisations_see_both(login, demo, shared_person):
    user = user_with_roles("both@usc.test", [(demo[USC], "viewer"), (demo["razem"], "viewer")])
    body = login(user).get(_person_url(shared_person)).content.decode()
    assert "USC steward" in body
    assert "Razem treasurer" in body


def test_verified_superuser_sees_every_membership(demo, shared_person):
    admin = get_user_model().objects.get(email="admin@spilka.example")
    from spilka.network.selectors import person_detail

    admin.is_verified = lambda: True
    detail = person_detail(person=shared_person, user=admin)
    assert {m.organisation.slug for m in detail["memberships"]} == {USC, "razem"}


def test_superuser_without_a_second_factor_is_an_ordinary_user(demo, shared_person):
    admin = get_user_model().objects.get(email="admin@spilka.example")
    from spilka.network.selectors import person_detail

    admin.is_verified = lambda: False
    assert not access.people_visible_to(admin).exists()
    detail = person_detail(person=shared_person, user=admin)
    assert detail["memberships"] == []
    assert not access.organisations_visible_to(admin).filter(slug="usc-convoy-team").exists()
