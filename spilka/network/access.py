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


def is_superuser(user: Any) -> bool:
    """Whether ``user`` may act as a superuser here and now."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


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
    if is_superuser(user):
        return True
    held = user_roles(user).get(organisation.pk, set())
    return bool(held) if roles is None else bool(held & set(roles))


def organisation_visible_q(user: Any, prefix: str = "") -> Q:
    """A filter for organisations ``user`` may see, reached through ``prefix`` (``"parent__"``)."""
    if is_superuser(user):
        return Q()
    return Q(**{f"{prefix}is_public": True}) | Q(**{f"{prefix}pk__in": list(user_roles(user))})


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(organisation_visible_q(user))


def organisation_is_visible(user: Any, organisation: Organisation) -> bool:
    return organisation.is_public or has_role(user, organisation)


def organisation_parent_for_user(*, user: Any, organisation: Organisation) -> Organisation | None:
    """The organisation's parent, or None when there is none or ``user`` may not see it.

    A public branch of a private organisation must not reveal even the parent's name.
    """
    parent = organisation.parent if organisation.parent_id else None
    if parent is None or not organisation_is_visible(user, parent):
        return None
    return parent


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
    if is_superuser(user):
        return qs
    org_ids = [org_id for org_id, held in user_roles(user).items() if held & PEOPLE_WRITE_ROLES]
    return qs.filter(pk__in=org_ids)


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People linked (by membership or consent) to an organisation where ``user`` has a role."""
    if is_superuser(user):
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
    if is_superuser(user):
        return True
    roles = user_roles(user)
    linked = set(person.memberships.values_list("organisation_id", flat=True)) | set(
        person.consents.values_list("organisation_id", flat=True)
    )
    return any(roles.get(org_id, set()) & PEOPLE_WRITE_ROLES for org_id in linked)
