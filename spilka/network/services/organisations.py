"""Organisations: creating them (with their first administrator) and changing their details."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation, Role
from spilka.network.services.role_grants import role_grant

__all__ = [
    "ORGANISATION_FIELDS",
    "organisation_create",
    "organisation_create_with_admin",
    "organisation_search_text",
    "organisation_update",
]

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
