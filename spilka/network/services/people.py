"""People in an organisation's records: their details, addresses and memberships."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Membership, Organisation, Person, PersonEmail
from spilka.network.normalise import normalise_email, normalise_phone
from spilka.network.selectors import person_find_for_organisation

__all__ = [
    "PERSON_FIELDS",
    "membership_create",
    "membership_end",
    "person_add_email",
    "person_create",
    "person_update",
]


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
