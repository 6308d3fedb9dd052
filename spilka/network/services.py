"""Writes to the network directory. Each validates, writes and records an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import (
    Consent,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    PersonEmail,
    Relationship,
    RelationshipKind,
    WorkingGroup,
)
from spilka.network.normalise import normalise_email, normalise_phone

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
    from spilka.network.models import Role

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
) -> Relationship:
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": _("Choose a kind of relationship.")})
    rel = Relationship(
        source=source,
        target=target,
        kind=kind,
        since_year=since_year,
        started_on=started_on,
        ended_on=ended_on,
        note=note or {},
        evidence_url=evidence_url,
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
    """Create a person (with a primary email) and, optionally, their membership."""
    normalised = normalise_email(email) if email else ""
    if normalised and PersonEmail.objects.filter(email=normalised).exists():
        raise ValidationError(
            {"email": _("Someone with this email address is already in the directory.")}
        )
    person = Person(
        full_name=full_name.strip(),
        phone=normalise_phone(phone, country) if phone else "",
        country=country,
        preferred_language=preferred_language,
    )
    person.full_clean()
    person.save()
    if normalised:
        PersonEmail.objects.create(person=person, email=normalised, is_primary=True)
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


@transaction.atomic
def person_update(
    *, person: Person, by: Any, organisation: Organisation | None = None, **fields: Any
) -> Person:
    allowed = {"full_name", "phone", "country", "preferred_language"}
    if set(fields) - allowed:
        raise TypeError(f"Unknown person fields: {sorted(set(fields) - allowed)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, sorted(allowed))
    if "phone" in fields:
        fields["phone"] = normalise_phone(fields["phone"], fields.get("country") or person.country)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    after = snapshot(person, sorted(allowed))
    if before != after:
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
    *, person: Person, email: str, by: Any, make_primary: bool = False
) -> PersonEmail:
    normalised = normalise_email(email)
    existing = PersonEmail.objects.filter(email=normalised).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise ValidationError(
                {"email": _("Someone with this email address is already in the directory.")}
            )
        return existing
    has_primary = person.emails.filter(is_primary=True).exists()
    if make_primary and has_primary:
        person.emails.filter(is_primary=True).update(is_primary=False)
    record = PersonEmail.objects.create(
        person=person, email=normalised, is_primary=make_primary or not has_primary
    )
    audit_record(
        actor=by,
        action="network.person.email_added",
        obj=person,
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
    membership, created = Membership.objects.get_or_create(
        person=person,
        organisation=organisation,
        defaults={"role_title": role_title, "started_on": started_on},
    )
    if created:
        membership.full_clean()
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
    from spilka.network.models import Role

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
    from spilka.network.models import Role

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
