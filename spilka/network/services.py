"""Writes to the network directory. Each validates, writes and records an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.access import WRITE_ROLES, has_role
from spilka.network.models import (
    Consent,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    PersonEmail,
    Relationship,
    RelationshipKind,
    Role,
    WorkingGroup,
)
from spilka.network.normalise import normalise_email, normalise_phone
from spilka.network.selectors import organisations_check_pickable, person_find_for_organisation

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "description",
    "points_of_unity",
    "original_language",
    "kind",
    "country",
    "region",
    "city",
    "languages",
    "website",
    "logo",
    "founded_year",
    "parent",
    "is_public",
    "two_factor_roles",
)


def organisation_search_text(org: Organisation) -> str:
    """What the directory search matches: names in every language, short name, city."""
    parts = [*(org.name or {}).values(), org.short_name, org.city, org.slug]
    return " ".join(part for part in parts if part).casefold()


@transaction.atomic
def organisation_create(*, by: Any, slug: str, **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    parent = fields.get("parent")
    if "is_public" not in fields and parent is not None and not parent.is_public:
        # A branch of a private organisation is private unless someone says otherwise.
        fields["is_public"] = False
    org = Organisation(slug=slug, **fields)
    org.full_clean()
    org.search_text = organisation_search_text(org)
    org.save()
    audit_record(
        actor=by,
        action="network.organisation.created",
        obj=org,
        organisation=org,
        after=snapshot(org),
    )
    return org


@transaction.atomic
def organisation_create_with_admin(*, by: Any, slug: str, **fields: Any) -> Organisation:
    """Create an organisation and make its creator its first administrator."""
    org = organisation_create(by=by, slug=slug, **fields)
    role_grant(by=by, user=by, organisation=org, role=Role.ADMIN)
    return org


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: Any, **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(org)
    for name, value in fields.items():
        setattr(org, name, value)
    if org.parent_id and _is_descendant(org.parent_id, org.pk):
        raise ValidationError({"parent": _("An organisation cannot be part of its own branch.")})
    org.full_clean()
    org.search_text = organisation_search_text(org)
    after = snapshot(org)
    if before != after:
        org.save()
        audit_record(
            actor=by,
            action="network.organisation.updated",
            obj=org,
            organisation=org,
            before=before,
            after=after,
        )
    return org


def _is_descendant(candidate_id: int, ancestor_id: int) -> bool:
    seen: set[int] = set()
    current: int | None = candidate_id
    while current is not None and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        current = (
            Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        )
    return False


@transaction.atomic
def relationship_create(
    *,
    by: Any,
    source: Organisation,
    target: Organisation,
    kind: str,
    since_year: int | None = None,
    started_on: Any = None,
    ended_on: Any = None,
    note: dict[str, str] | None = None,
    evidence_url: str = "",
    confirmed: bool | None = None,
) -> Relationship:
    """Record that ``source`` stands in ``kind`` to ``target``.

    It is confirmed (and shown publicly) at once only when ``by`` also administers the
    target, or is a superuser; otherwise the target's administrators accept it with
    ``relationship_confirm``. Callers acting for the system (the demo) pass ``confirmed``.
    """
    if confirmed is None:
        confirmed = has_role(by, target, WRITE_ROLES)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": _("Choose a kind of relationship.")})

    organisations_check_pickable(
        user=by, organisations=[target], field="target", purpose="relationship"
    )
    rel = Relationship(
        source=source,
        target=target,
        kind=kind,
        since_year=since_year,
        started_on=started_on,
        ended_on=ended_on,
        note=note or {},
        evidence_url=evidence_url,
        confirmed=confirmed,
    )
    if source.pk == target.pk:
        raise ValidationError(
            {"target": _("An organisation cannot have a relationship with itself.")}
        )
    rel.full_clean()
    try:
        with transaction.atomic():
            rel.save()
    except IntegrityError:
        raise ValidationError(_("This relationship is already recorded.")) from None
    audit_record(
        actor=by,
        action="network.relationship.created",
        obj=rel,
        organisation=source,
        after=snapshot(rel),
    )
    return rel


@transaction.atomic
def relationship_confirm(*, relationship: Relationship, by: Any) -> Relationship:
    """The target organisation accepts a relationship the source recorded."""
    rel = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if rel.confirmed:
        return rel
    rel.confirmed = True
    rel.save(update_fields=["confirmed"])
    audit_record(
        actor=by,
        action="network.relationship.confirmed",
        obj=rel,
        organisation=rel.target,
        before={"confirmed": False},
        after={"confirmed": True},
    )
    return rel


@transaction.atomic
def relationship_delete(*, relationship: Relationship, by: Any) -> None:
    before = snapshot(relationship)
    audit_record(
        actor=by,
        action="network.relationship.deleted",
        obj=relationship,
        organisation=relationship.source,
        before=before,
    )
    relationship.delete()


@transaction.atomic
def working_group_create(
    *,
    by: Any,
    network: Organisation,
    slug: str,
    name: dict[str, str],
    description: dict[str, str] | None = None,
    original_language: str = "en",
    is_public: bool = True,
) -> WorkingGroup:
    group = WorkingGroup(
        network=network,
        slug=slug,
        name=name,
        description=description or {},
        original_language=original_language,
        is_public=is_public,
    )
    group.full_clean()
    group.save()
    audit_record(
        actor=by,
        action="network.working_group.created",
        obj=group,
        organisation=network,
        after=snapshot(group),
    )
    return group


@transaction.atomic
def working_group_add_organisation(
    *, by: Any, group: WorkingGroup, organisation: Organisation
) -> None:
    if group.organisations.filter(pk=organisation.pk).exists():
        return
    group.organisations.add(organisation)
    audit_record(
        actor=by,
        action="network.working_group.organisation_added",
        obj=group,
        organisation=group.network,
        after={"organisation": organisation.pk},
    )


@transaction.atomic
def working_group_add_person(*, by: Any, group: WorkingGroup, person: Person) -> None:
    if group.people.filter(pk=person.pk).exists():
        return
    group.people.add(person)
    audit_record(
        actor=by,
        action="network.working_group.person_added",
        obj=group,
        organisation=group.network,
        after={"person": person.pk},
    )


@transaction.atomic
def person_create(
    *,
    by: Any,
    full_name: str,
    email: str = "",
    phone: str = "",
    country: str = "",
    preferred_language: str = "en",
    organisation: Organisation | None = None,
    role_title: str = "",
) -> Person:
    """Create a person (with a primary email) and, optionally, their membership.

    Contact records are per organisation: the same address may belong to people in other
    organisations' records, and nothing here says whether it does. Only a person already
    linked to ``organisation`` with this address is refused.
    """
    normalised = normalise_email(email) if email else ""
    if organisation is not None:
        # Serialise additions to one organisation, so two organisers adding the same
        # address at the same moment cannot both pass the check below.
        list(
            Organisation.objects.select_for_update()
            .filter(pk=organisation.pk)
            .values_list("pk", flat=True)
        )
        if normalised and person_find_for_organisation(
            email=normalised, organisation=organisation, current_only=True
        ):
            raise ValidationError(
                {"email": _("This person is already in your organisation's directory.")}
            )
    person = Person(
        full_name=full_name.strip(),
        phone=normalise_phone(phone, country) if phone else "",
        country=country,
        preferred_language=preferred_language,
    )
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
            if normalised:
                PersonEmail.objects.create(person=person, email=normalised, is_primary=True)
    except IntegrityError:
        raise ValidationError(
            _("The person could not be saved because of a change made at the same time. Try again.")
        ) from None
    audit_record(
        actor=by,
        action="network.person.created",
        obj=person,
        organisation=organisation,
        after={
            **snapshot(person, ["full_name", "country", "preferred_language"]),
            "email": normalised,
        },
    )
    if organisation is not None:
        membership_create(by=by, person=person, organisation=organisation, role_title=role_title)
    return person


PERSON_FIELDS = frozenset({"full_name", "phone", "country", "preferred_language"})


@transaction.atomic
def person_update(
    *, person: Person, by: Any, organisation: Organisation | None, **fields: Any
) -> Person:
    """Change a person's own details. ``organisation``: the one the user acts through,
    whose audit log records the change.

    The phone number arrives normalised (``PersonForm`` does it, with the country in the
    same form); the model's validator refuses anything that is not.
    """
    if set(fields) - PERSON_FIELDS:
        raise TypeError(f"Unknown person fields: {sorted(set(fields) - PERSON_FIELDS)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, sorted(PERSON_FIELDS))
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    after = snapshot(person, sorted(PERSON_FIELDS))
    if before != after:
        person.save()
        audit_record(
            actor=by,
            action="network.person.updated",
            obj=person,
            organisation=organisation,
            before=before,
            after=after,
        )
    return person


@transaction.atomic
def person_add_email(
    *,
    person: Person,
    email: str,
    by: Any,
    organisation: Organisation | None,
    make_primary: bool = False,
) -> PersonEmail:
    """Add an address to this person's record. ``organisation``: the one the user acts
    through; another person in its records with the same address is refused."""
    normalised = normalise_email(email)
    # Lock the person: adding and switching the primary address must not interleave.
    person = Person.objects.select_for_update().get(pk=person.pk)
    existing = person.emails.filter(email=normalised).first()
    if existing is not None:
        return existing
    if organisation is not None:
        other = person_find_for_organisation(
            email=normalised, organisation=organisation, current_only=True
        )
        if other is not None and other.pk != person.pk:
            raise ValidationError(
                {"email": _("Someone else in your organisation's directory has this address.")}
            )
    has_primary = person.emails.filter(is_primary=True).exists()
    try:
        with transaction.atomic():
            if make_primary and has_primary:
                person.emails.filter(is_primary=True).update(is_primary=False)
            record = PersonEmail.objects.create(
                person=person, email=normalised, is_primary=make_primary or not has_primary
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("The addresses of this person were changed at the same time. Try again.")}
        ) from None
    audit_record(
        actor=by,
        action="network.person.email_added",
        obj=person,
        organisation=organisation,
        after={"email": normalised, "primary": record.is_primary},
    )
    return record


@transaction.atomic
def membership_create(
    *,
    by: Any,
    person: Person,
    organisation: Organisation,
    role_title: str = "",
    started_on: Any = None,
) -> Membership:
    """The person's membership of ``organisation``; created (validated first) if missing."""
    existing = Membership.objects.filter(person=person, organisation=organisation).first()
    if existing is not None:
        return existing
    membership = Membership(
        person=person, organisation=organisation, role_title=role_title, started_on=started_on
    )
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Created at the same moment by someone else: theirs is the membership.
        return Membership.objects.get(person=person, organisation=organisation)
    audit_record(
        actor=by,
        action="network.membership.created",
        obj=membership,
        organisation=organisation,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by: Any, ended_on: Any) -> Membership:
    before = snapshot(membership)
    membership.ended_on = ended_on
    membership.full_clean()
    membership.save(update_fields=["ended_on"])
    audit_record(
        actor=by,
        action="network.membership.ended",
        obj=membership,
        organisation=membership.organisation,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def consent_record(
    *,
    person: Person,
    organisation: Organisation,
    purpose: str,
    granted: bool,
    wording: str,
    source: str,
    wording_language: str = "en",
    by: Any = None,
) -> Consent:
    """Record a consent decision with the wording shown. Never edits earlier decisions."""
    consent = Consent(
        person=person,
        organisation=organisation,
        purpose=purpose,
        granted=granted,
        wording=wording,
        wording_language=wording_language,
        source=source,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=by or "self",
        action="network.consent.granted" if granted else "network.consent.withdrawn",
        obj=consent,
        organisation=organisation,
        after=snapshot(consent, ["person_id", "purpose", "granted", "source"]),
    )
    return consent


@transaction.atomic
def role_grant(*, by: Any, user: Any, organisation: Organisation, role: str) -> OrganisationRole:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    grant, created = OrganisationRole.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit_record(
            actor=by,
            action="network.role.granted",
            obj=grant,
            organisation=organisation,
            after={"user": user.get_username(), "role": role},
        )
    return grant


@transaction.atomic
def role_revoke(*, by: Any, grant: OrganisationRole) -> None:
    if grant.role == Role.ADMIN:
        admins = OrganisationRole.objects.select_for_update().filter(
            organisation=grant.organisation, role=Role.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("An organisation needs at least one administrator."))
    audit_record(
        actor=by,
        action="network.role.revoked",
        obj=grant,
        organisation=grant.organisation,
        before={"user": grant.user.get_username(), "role": grant.role},
    )
    grant.delete()
