"""Contact records are per organisation, and the person services are safe under races.

An organisation learns nothing about the people other organisations know: adding an
address someone else already holds is neither refused nor hinted at. Only a person
already in the same organisation's directory is refused.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from spilka.lib.models import AuditEntry
from spilka.network import selectors, services
from spilka.network.models import Membership, Person, PersonEmail

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
OLENA = "olena@usc.example"
ALREADY = "This person is already in your organisation&#x27;s directory."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _add(client, slug: str, **data: str):
    payload = {"full_name": "Olena K.", "email": OLENA, "preferred_language": "uk", **data}
    return client.post(reverse("network:person_create", kwargs={"slug": slug}), payload)


def _olena() -> Person:
    return Person.objects.get(emails__email=OLENA, memberships__organisation__slug=USC)


# --- No oracle across organisations ----------------------------------------------------


def test_another_organisation_may_add_an_address_usc_already_knows(login, razem_organiser, demo):
    response = _add(login(razem_organiser), "razem")
    assert response.status_code == 302
    body = login(razem_organiser).get(response["Location"]).content.decode()
    assert "Union liaison" not in body  # nothing of USC's record comes along
    assert "already" not in body
    razem_person = Person.objects.get(emails__email=OLENA, memberships__organisation__slug="razem")
    assert razem_person.pk != _olena().pk
    assert PersonEmail.objects.filter(email=OLENA).count() == 2
    assert _olena().full_name == "Olena Kovalenko"  # USC's record is untouched


def test_the_same_organisation_is_told_the_person_is_already_there(login, usc_admin):
    people = Person.objects.count()
    response = _add(login(usc_admin), USC, email=" OLENA@usc.example ")
    assert response.status_code == 400
    assert ALREADY in response.content.decode()
    assert Person.objects.count() == people


def test_someone_who_left_may_be_added_again(login, usc_admin, demo):
    membership = Membership.objects.get(person=_olena(), organisation=demo[USC])
    services.membership_end(
        membership=membership, by="test", ended_on=timezone.localdate() - datetime.timedelta(1)
    )
    services.consent_record(
        person=_olena(),
        organisation=demo[USC],
        purpose="updates",
        granted=False,
        wording="Stop.",
        source="test",
    )
    assert _add(login(usc_admin), USC).status_code == 302


# --- person_find_for_organisation ----------------------------------------------------


def test_find_returns_the_organisations_own_record(demo):
    found = selectors.person_find_for_organisation(
        email=" Olena@USC.example ", organisation=demo[USC]
    )
    assert found == _olena()


def test_find_never_returns_another_organisations_person(demo):
    assert selectors.person_find_for_organisation(email=OLENA, organisation=demo["razem"]) is None


def test_find_picks_the_record_of_the_organisation_asked_for(demo):
    razem_person = services.person_create(
        by="test", full_name="Olena K.", email=OLENA, organisation=demo["razem"]
    )
    assert selectors.person_find_for_organisation(email=OLENA, organisation=demo["razem"]) == (
        razem_person
    )
    assert selectors.person_find_for_organisation(email=OLENA, organisation=demo[USC]) == _olena()


def test_find_keeps_the_record_of_someone_who_withdrew(demo):
    person = services.person_create(by="test", full_name="Nina", email="nina@example.org")
    for granted in (True, False):
        services.consent_record(
            person=person,
            organisation=demo[USC],
            purpose="updates",
            granted=granted,
            wording="…",
            source="test",
        )
    assert selectors.person_find_for_organisation(email="nina@example.org", organisation=demo[USC])
    assert (
        selectors.person_find_for_organisation(
            email="nina@example.org", organisation=demo[USC], current_only=True
        )
        is None
    )


def test_find_with_a_malformed_address_finds_nobody(demo):
    assert (
        selectors.person_find_for_organisation(email="not-an-email", organisation=demo[USC]) is None
    )


# --- person_update: country cleared, phone kept (was a 500) ---------------------------


def test_clearing_the_country_while_keeping_the_phone_saves(login, usc_admin):
    olena = _olena()
    services.person_update(
        person=olena, by="test", organisation=None, phone="+442079460958", country="GB"
    )
    response = login(usc_admin).post(
        reverse("network:person_edit", kwargs={"pk": olena.pk}),
        {
            "full_name": "Olena Kovalenko",
            "phone": "+44 20 7946 0958",
            "country": "",
            "preferred_language": "uk",
        },
    )
    assert response.status_code == 302
    olena.refresh_from_db()
    assert (olena.phone, olena.country.code or "") == ("+442079460958", "")


def test_a_national_number_without_a_country_is_explained(login, usc_admin):
    response = login(usc_admin).post(
        reverse("network:person_edit", kwargs={"pk": _olena().pk}),
        {
            "full_name": "Olena Kovalenko",
            "phone": "020 7946 0958",
            "country": "",
            "preferred_language": "uk",
        },
    )
    assert response.status_code == 400
    assert "with its country code" in response.content.decode()


def test_person_update_refuses_a_phone_that_is_not_normalised(demo):
    with pytest.raises(ValidationError) as error:
        services.person_update(
            person=_olena(), by="test", organisation=demo[USC], phone="020 7946 0958", country=""
        )
    assert "phone" in error.value.message_dict
    assert _olena().phone == ""


# --- Audit rows carry the organisation acted through -----------------------------------


def test_person_edit_is_audited_against_the_organisation(login, usc_admin, demo):
    olena = _olena()
    login(usc_admin).post(
        reverse("network:person_edit", kwargs={"pk": olena.pk}),
        {
            "full_name": "Olena Kovalenko-Smith",
            "phone": "",
            "country": "GB",
            "preferred_language": "uk",
        },
    )
    entry = AuditEntry.objects.get(action="network.person.updated", object_id=str(olena.pk))
    assert entry.organisation == demo[USC]
    assert entry in AuditEntry.objects.filter(organisation=demo[USC])


def test_person_services_require_the_organisation_acted_through(demo):
    with pytest.raises(TypeError):
        services.person_update(person=_olena(), by="test", full_name="X")
    with pytest.raises(TypeError):
        services.person_add_email(person=_olena(), by="test", email="o2@usc.example")


def test_an_added_email_is_audited_against_the_organisation(demo, usc_admin):
    record = services.person_add_email(
        person=_olena(), by=usc_admin, email="Olena.Two@USC.example", organisation=demo[USC]
    )
    assert (record.email, record.is_primary) == ("olena.two@usc.example", False)
    entry = AuditEntry.objects.get(action="network.person.email_added", object_id=str(_olena().pk))
    assert entry.organisation == demo[USC]


def test_adding_an_email_held_by_another_person_of_the_same_organisation_is_refused(demo):
    other = services.person_create(
        by="test", full_name="Taras", email="taras@usc.example", organisation=demo[USC]
    )
    with pytest.raises(ValidationError) as error:
        services.person_add_email(person=other, by="test", email=OLENA, organisation=demo[USC])
    assert "email" in error.value.message_dict
    assert not other.emails.filter(email=OLENA).exists()


def test_make_primary_moves_the_primary_flag(demo):
    record = services.person_add_email(
        person=_olena(),
        by="test",
        email="new@usc.example",
        organisation=demo[USC],
        make_primary=True,
    )
    assert record.is_primary
    assert list(_olena().emails.filter(is_primary=True).values_list("email", flat=True)) == [
        "new@usc.example"
    ]


# --- Races end in a clear message, not a 500 -----------------------------------------


def _raise_integrity_error(*args, **kwargs):
    raise IntegrityError("duplicate key value violates unique constraint")


def test_a_race_while_creating_a_person_is_a_validation_error(demo, monkeypatch):
    people = Person.objects.count()
    monkeypatch.setattr(PersonEmail.objects, "create", _raise_integrity_error)
    with pytest.raises(ValidationError) as error:
        services.person_create(
            by="test", full_name="Racer", email="racer@usc.example", organisation=demo[USC]
        )
    assert "at the same time" in " ".join(error.value.messages)
    assert Person.objects.count() == people


def test_a_race_while_adding_an_email_is_a_validation_error(demo, monkeypatch):
    monkeypatch.setattr(PersonEmail.objects, "create", _raise_integrity_error)
    with pytest.raises(ValidationError) as error:
        services.person_add_email(
            person=_olena(),
            by="test",
            email="new@usc.example",
            organisation=demo[USC],
            make_primary=True,
        )
    assert "at the same time" in " ".join(error.value.messages)
    monkeypatch.undo()
    # The primary address was not lost with the failed insert.
    assert _olena().primary_email == OLENA


def test_a_race_on_the_person_form_shows_a_message(login, usc_admin, monkeypatch):
    monkeypatch.setattr(PersonEmail.objects, "create", _raise_integrity_error)
    response = _add(login(usc_admin), USC, email="racer@usc.example")
    assert response.status_code == 400
    assert "at the same time" in response.content.decode()


# --- membership_create validates before saving ---------------------------------------


def test_membership_create_validates_before_saving(demo, monkeypatch):
    person = services.person_create(by="test", full_name="Taras")
    saved = []
    monkeypatch.setattr(Membership, "save", lambda self, *a, **k: saved.append(self))
    with pytest.raises(ValidationError):
        services.membership_create(
            by="test", person=person, organisation=demo[USC], role_title="x" * 500
        )
    assert saved == []


def test_membership_create_returns_the_existing_membership(demo):
    existing = Membership.objects.get(person=_olena(), organisation=demo[USC])
    audit_rows = AuditEntry.objects.count()
    again = services.membership_create(by="test", person=_olena(), organisation=demo[USC])
    assert again.pk == existing.pk
    assert AuditEntry.objects.count() == audit_rows
