"""Working groups of a network and who takes part in them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation, Person, WorkingGroup

__all__ = ["working_group_add_organisation", "working_group_add_person", "working_group_create"]


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
