"""Who may see or change what in the network directory.

One helper per private resource. Views never fetch private objects any other way.
Not found and not allowed look the same to outsiders (404), so private organisations
and people cannot be probed for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spilka.network.models import Organisation, OrganisationRole, Person, Role

WRITE_ROLES = frozenset({Role.ADMIN})
PEOPLE_WRITE_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})


def user_roles(user: Any) -> dict[int, set[str]]:
    """``{organisation_id: {role, …}}`` for ``user``, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_spilka_roles", None)
    if cached is None:
        cached = {}
        for org_id, role in OrganisationRole.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cached.setdefault(org_id, set()).add(role)
        user._spilka_roles = cached
    return cached


def has_role(user: Any, organisation: Organisation, roles: Iterable[str] | None = None) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    held = user_roles(user).get(organisation.pk, set())
    return bool(held) if roles is None else bool(held & set(roles))


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if getattr(user, "is_superuser", False) and user.is_active:
        return qs
    role_orgs = list(user_roles(user))
    return qs.filter(Q(is_public=True) | Q(pk__in=role_orgs))


def organisation_get_for_user(
    *, user: Any, slug: str, write: bool = False, roles: Iterable[str] | None = None
) -> Organisation:
    """The organisation if ``user`` may see it (and change it, with ``write``)."""
    org = organisations_visible_to(user).select_related("parent").filter(slug=slug).first()
    if org is None:
        raise Http404
    if write or roles is not None:
        needed = set(roles) if roles is not None else set(WRITE_ROLES)
        if not has_role(user, org, needed):
            raise PermissionDenied
    return org


def organisation_require_member(*, user: Any, slug: str) -> Organisation:
    """The organisation if ``user`` holds any role in it (its private pages)."""
    org = organisations_visible_to(user).filter(slug=slug).first()
    if org is None:
        raise Http404
    if not has_role(user, org):
        raise PermissionDenied
    return org


def organisations_managing_people(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may add people and record their consents."""
    qs = organisations_visible_to(user)
    if getattr(user, "is_superuser", False) and user.is_active:
        return qs
    org_ids = [org_id for org_id, held in user_roles(user).items() if held & PEOPLE_WRITE_ROLES]
    return qs.filter(pk__in=org_ids)


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People linked (by membership or consent) to an organisation where ``user`` has a role."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Person.objects.all()
    org_ids = list(user_roles(user))
    if not org_ids:
        return Person.objects.none()
    return Person.objects.filter(
        Q(memberships__organisation_id__in=org_ids) | Q(consents__organisation_id__in=org_ids)
    ).distinct()


def person_get_for_user(*, user: Any, pk: int, write: bool = False) -> Person:
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write and not person_can_edit(user=user, person=person):
        raise PermissionDenied
    return person


def person_can_edit(*, user: Any, person: Person) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    roles = user_roles(user)
    linked = set(person.memberships.values_list("organisation_id", flat=True)) | set(
        person.consents.values_list("organisation_id", flat=True)
    )
    return any(roles.get(org_id, set()) & PEOPLE_WRITE_ROLES for org_id in linked)
