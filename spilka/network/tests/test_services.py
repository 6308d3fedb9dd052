"""Network services: each validates, writes, and records its audit row in one transaction."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from spilka.lib.models import AuditEntry
from spilka.network import services
from spilka.network.demo import load_demo
from spilka.network.models import (
    Consent,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    PersonEmail,
    Relationship,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing is not under test here; Argon2 for every new user only makes tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def network(_fast_passwords, demo):
    return demo


def _audit(action: str, obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("id")
    )


def _new_user(email: str):
    return get_user_model().objects.create_user(email, "x" * 20, display_name=email)


# --- organisation_update -------------------------------------------------------------


def test_organisation_update_records_before_and_after(network, usc_admin):
    usc = network[USC]
    services.organisation_update(organisation=usc, by=usc_admin, city="Manchester")
    [entry] = _audit("network.organisation.updated", usc)
    assert entry.actor == usc_admin
    assert entry.organisation_id == usc.pk
    assert entry.before["city"] == "London"
    assert entry.after["city"] == "Manchester"
    assert Organisation.objects.get(pk=usc.pk).city == "Manchester"


def test_organisation_update_without_a_change_writes_no_audit_row(network, usc_admin):
    usc = network[USC]
    services.organisation_update(
        organisation=usc, by=usc_admin, city=usc.city, name=dict(usc.name), kind=usc.kind
    )
    assert _audit("network.organisation.updated", usc) == []


def test_failed_audit_write_undoes_the_organisation_change(network, usc_admin, monkeypatch):
    usc = network[USC]

    def broken_create(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEntry.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        services.organisation_update(organisation=usc, by=usc_admin, city="Manchester")
    monkeypatch.undo()
    assert Organisation.objects.get(pk=usc.pk).city == "London"


def test_organisation_update_refuses_a_parent_cycle(network, usc_admin):
    # USC's private branch is part of USC; USC cannot be made part of its own branch.
    usc = network[USC]
    with pytest.raises(ValidationError) as error:
        services.organisation_update(
            organisation=usc, by=usc_admin, parent=network["usc-convoy-team"]
        )
    assert "parent" in error.value.message_dict
    assert Organisation.objects.get(pk=usc.pk).parent_id is None
    assert _audit("network.organisation.updated", usc) == []


def test_organisation_update_refuses_a_cycle_through_several_levels(network):
    top = network["num"]
    middle = network["num-durham"]
    bottom = services.organisation_create(
        by="test",
        slug="num-durham-lodge",
        name={"en": "Durham lodge"},
        kind="union_branch",
        country="GB",
        parent=middle,
    )
    with pytest.raises(ValidationError):
        services.organisation_update(organisation=top, by="test", parent=bottom)
    assert Organisation.objects.get(pk=top.pk).parent_id is None


def test_organisation_update_refuses_being_its_own_parent(network):
    usc = network[USC]
    with pytest.raises(ValidationError):
        services.organisation_update(organisation=usc, by="test", parent=usc)
    assert Organisation.objects.get(pk=usc.pk).parent_id is None


def test_organisation_update_refuses_unknown_fields(network):
    with pytest.raises(TypeError):
        services.organisation_update(organisation=network[USC], by="test", slug="hijacked")
    assert Organisation.objects.filter(slug=USC).exists()


def test_organisation_update_validates_before_writing(network):
    usc = network[USC]
    with pytest.raises(ValidationError):
        services.organisation_update(organisation=usc, by="test", name={"en": "x" * 201})
    assert Organisation.objects.get(pk=usc.pk).name == usc.name
    assert _audit("network.organisation.updated", usc) == []


def test_organisation_create_records_an_audit_row(db):
    org = services.organisation_create(
        by="test", slug="new-group", name={"en": "New group"}, kind="campaign", country="DE"
    )
    [entry] = _audit("network.organisation.created", org)
    assert entry.actor_label == "test"
    assert entry.after["slug"] == "new-group"
    assert entry.before is None


# --- relationship_create -------------------------------------------------------------


def test_relationship_create_records_an_audit_row_against_the_source(network, usc_admin):
    rel = services.relationship_create(
        by=usc_admin, source=network[USC], target=network["npgu"], kind="supports", since_year=2022
    )
    [entry] = _audit("network.relationship.created", rel)
    assert entry.actor == usc_admin
    assert entry.organisation_id == network[USC].pk
    assert entry.after["kind"] == "supports"
    assert entry.after["target_id"] == network["npgu"].pk


@pytest.mark.parametrize(
    ("target", "kwargs"),
    [
        (USC, {"kind": "supports"}),
        ("kvpu", {"kind": "partner_of"}),  # already recorded by the demo data
        ("npgu", {"kind": "bogus"}),
        ("npgu", {"kind": "supports", "started_on": "2023-01-01", "ended_on": "2022-01-01"}),
    ],
)
def test_relationship_create_refuses_bad_relationships_without_a_trace(network, target, kwargs):
    import datetime

    for key in ("started_on", "ended_on"):
        if key in kwargs:
            kwargs[key] = datetime.date.fromisoformat(kwargs[key])
    relationships = Relationship.objects.count()
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.relationship_create(
            by="test", source=network[USC], target=network[target], **kwargs
        )
    assert Relationship.objects.count() == relationships
    assert AuditEntry.objects.count() == audit_rows


# --- person_create -------------------------------------------------------------------


def test_person_create_stores_email_in_lower_case(network):
    person = services.person_create(
        by="test", full_name="  Ivan Petrenko ", email="  Ivan.Petrenko@Example.ORG ", country="UA"
    )
    assert person.full_name == "Ivan Petrenko"
    assert person.primary_email == "ivan.petrenko@example.org"
    assert PersonEmail.objects.get(person=person).email == "ivan.petrenko@example.org"
    [entry] = _audit("network.person.created", person)
    assert entry.after["email"] == "ivan.petrenko@example.org"


@pytest.mark.parametrize(
    ("phone", "country", "stored"),
    [
        ("+380 50 765 4321", "", "+380507654321"),
        ("050 765 4321", "UA", "+380507654321"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946-0958", "", "+442079460958"),
    ],
)
def test_person_create_stores_phone_in_international_format(network, phone, country, stored):
    person = services.person_create(by="test", full_name="Someone", phone=phone, country=country)
    assert Person.objects.get(pk=person.pk).phone == stored


@pytest.mark.parametrize("phone", ["12345", "abc", "+380 12"])
def test_person_create_refuses_an_invalid_phone(network, phone):
    people = Person.objects.count()
    with pytest.raises(ValidationError):
        services.person_create(by="test", full_name="Someone", phone=phone)
    assert Person.objects.count() == people


def test_person_create_refuses_an_email_already_known_in_another_case(network):
    people = Person.objects.count()
    with pytest.raises(ValidationError) as error:
        services.person_create(
            by="test", full_name="Olena again", email="OLENA@USC.example", organisation=network[USC]
        )
    assert error.value.message_dict["email"] == [
        "This person is already in your organisation's directory."
    ]
    assert Person.objects.count() == people


def test_person_create_with_organisation_records_the_membership(network):
    person = services.person_create(
        by="test", full_name="Ivan", organisation=network[USC], role_title="Driver"
    )
    membership = Membership.objects.get(person=person)
    assert (membership.organisation_id, membership.role_title) == (network[USC].pk, "Driver")
    assert len(_audit("network.membership.created", membership)) == 1


# --- consent_record ------------------------------------------------------------------


def test_consent_withdrawal_is_a_new_row_and_the_grant_remains(network):
    person = services.person_create(by="test", full_name="Ivan", email="ivan@example.org")
    usc = network[USC]
    granted = services.consent_record(
        person=person,
        organisation=usc,
        purpose="updates",
        granted=True,
        wording="Email me updates.",
        source="sign-up form",
    )
    withdrawn = services.consent_record(
        person=person,
        organisation=usc,
        purpose="updates",
        granted=False,
        wording="Stop emailing me.",
        source="unsubscribe link",
    )
    rows = list(Consent.objects.filter(person=person).order_by("id"))
    assert [(c.pk, c.granted) for c in rows] == [(granted.pk, True), (withdrawn.pk, False)]
    assert rows[0].wording == "Email me updates."
    # The latest row is the one in force.
    assert Consent.objects.filter(person=person, purpose="updates").first().pk == withdrawn.pk
    assert len(_audit("network.consent.granted", granted)) == 1
    assert len(_audit("network.consent.withdrawn", withdrawn)) == 1


def test_consent_record_refuses_an_unknown_purpose(network):
    person = services.person_create(by="test", full_name="Ivan")
    with pytest.raises(ValidationError):
        services.consent_record(
            person=person,
            organisation=network[USC],
            purpose="sell_my_data",
            granted=True,
            wording="…",
            source="form",
        )
    assert not Consent.objects.filter(person=person).exists()


# --- roles ---------------------------------------------------------------------------


def test_role_grant_is_idempotent(network):
    user = _new_user("new@usc.test")
    first = services.role_grant(by="test", user=user, organisation=network[USC], role="viewer")
    second = services.role_grant(by="test", user=user, organisation=network[USC], role="viewer")
    assert first.pk == second.pk
    assert OrganisationRole.objects.filter(user=user).count() == 1
    assert len(_audit("network.role.granted", first)) == 1


def test_role_grant_refuses_an_unknown_role(network):
    user = _new_user("new@usc.test")
    with pytest.raises(ValidationError):
        services.role_grant(by="test", user=user, organisation=network[USC], role="emperor")
    assert not OrganisationRole.objects.filter(user=user).exists()


def test_role_revoke_refuses_to_remove_the_last_admin(db):
    org = services.organisation_create(
        by="test", slug="small-group", name={"en": "Small group"}, kind="campaign", country="PL"
    )
    only_admin = services.role_grant(
        by="test", user=_new_user("a@x.test"), organisation=org, role="admin"
    )
    with pytest.raises(ValidationError):
        services.role_revoke(by="test", grant=only_admin)
    assert OrganisationRole.objects.filter(pk=only_admin.pk).exists()
    assert _audit("network.role.revoked", only_admin) == []


def test_role_revoke_removes_an_admin_when_another_remains(db):
    org = services.organisation_create(
        by="test", slug="small-group", name={"en": "Small group"}, kind="campaign", country="PL"
    )
    first = services.role_grant(
        by="test", user=_new_user("a@x.test"), organisation=org, role="admin"
    )
    services.role_grant(by="test", user=_new_user("b@x.test"), organisation=org, role="admin")
    pk = first.pk
    services.role_revoke(by="test", grant=first)
    assert not OrganisationRole.objects.filter(pk=pk).exists()
    [entry] = AuditEntry.objects.filter(action="network.role.revoked", object_id=str(pk))
    assert entry.before == {"user": "a@x.test", "role": "admin"}


def test_role_revoke_of_a_non_admin_role_needs_no_other_admin(db):
    org = services.organisation_create(
        by="test", slug="small-group", name={"en": "Small group"}, kind="campaign", country="PL"
    )
    grant = services.role_grant(
        by="test", user=_new_user("a@x.test"), organisation=org, role="viewer"
    )
    services.role_revoke(by="test", grant=grant)
    assert not OrganisationRole.objects.filter(pk=grant.pk).exists()


# --- load_demo -----------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Relationship,
            WorkingGroup,
            Person,
            PersonEmail,
            Membership,
            Consent,
            OrganisationRole,
            AuditEntry,
            get_user_model(),
        )
    }


def test_load_demo_twice_creates_nothing_new(network):
    load_demo()  # whatever the database held, the demo network is now complete
    assert Organisation.objects.filter(slug=USC).exists()
    assert Person.objects.filter(emails__email="olena@usc.example").exists()
    before = _counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    second = load_demo()
    assert second == {"organisations": 0, "relationships": 0, "people": 0, "users": 0}
    assert _counts() == before
    assert not AuditEntry.objects.filter(id__gt=last_audit).exists()


def test_load_demo_restores_what_is_missing_and_only_that(network):
    rel = Relationship.objects.get(
        source__slug="razem", kind="partner_of", target__slug="sotsialnyi-rukh"
    )
    services.relationship_delete(relationship=rel, by="test")
    before = _counts()
    result = load_demo()
    assert result == {"organisations": 0, "relationships": 1, "people": 0, "users": 0}
    assert Relationship.objects.filter(
        source__slug="razem", kind="partner_of", target__slug="sotsialnyi-rukh"
    ).exists()
    after = _counts()
    assert after["Relationship"] == before["Relationship"] + 1
    assert after["AuditEntry"] == before["AuditEntry"] + 1  # the re-created relationship's row


def test_load_demo_runs_in_one_transaction(network, monkeypatch):
    # A failure half-way leaves nothing behind: the relationship restored before the failing
    # step is rolled back with it.
    rel = Relationship.objects.get(
        source__slug="razem", kind="partner_of", target__slug="sotsialnyi-rukh"
    )
    services.relationship_delete(relationship=rel, by="test")
    before = _counts()

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "working_group_add_organisation", broken)
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Relationship.objects.filter(
        source__slug="razem", kind="partner_of", target__slug="sotsialnyi-rukh"
    ).exists()
    assert _counts() == before
