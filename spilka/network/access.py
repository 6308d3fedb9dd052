"""Who may see or change what in the network directory.

One helper per private resource. Views never fetch private objects any other way.
Not found and not allowed look the same to outsiders (404), so private organisations
and people cannot be probed for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from spilka.network.models import (
    Consent,
    LinkRequest,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    Role,
    TwoFactorRoles,
)


def _roles(*roles: object) -> frozenset[str]:
    return frozenset(str(role) for role in roles)


WRITE_ROLES = _roles(Role.ADMIN)
# Who may see an organisation's people, and who may add and change them. Translators,
# treasurers and logistics work with the organisation, not with its contact list.
PEOPLE_READ_ROLES = _roles(Role.ADMIN, Role.ORGANISER, Role.VIEWER)
PEOPLE_WRITE_ROLES = _roles(Role.ADMIN, Role.ORGANISER)
# Who may answer (or withdraw) a request to link organisations in a campaign or event.
LINK_ANSWER_ROLES = _roles(Role.ADMIN, Role.ORGANISER)
# Roles that need a second factor in every organisation; an organisation may add those who
# see its people (``Organisation.two_factor_roles``).
TWO_FACTOR_ROLES = _roles(Role.ADMIN, Role.TREASURER)


def is_superuser(user: Any) -> bool:
    """Whether ``user`` may act as a superuser here and now.

    A superuser who has not verified a second factor this session (see
    ``accounts.middleware``) is treated as an ordinary user: a stolen password alone must
    not open every organisation's people.
    """
    if not (getattr(user, "is_superuser", False) and user.is_active):
        return False
    if settings.SPILKA_STAFF_2FA:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())
    return True


def two_factor_required(user: Any) -> bool:
    """Whether ``user`` holds a role for which its organisation requires a second factor.

    Cached on the user for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_spilka_two_factor_required", None)
    if cached is None:
        cached = (
            OrganisationRole.objects.filter(user=user)
            .filter(
                Q(role__in=TWO_FACTOR_ROLES)
                | Q(
                    role__in=PEOPLE_READ_ROLES,
                    organisation__two_factor_roles=TwoFactorRoles.PEOPLE_TOO,
                )
            )
            .exists()
        )
        user._spilka_two_factor_required = cached
    return cached


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


def organisations_administered_by(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` administers (every one, for a superuser)."""
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, WRITE_ROLES))


def organisation_ids_with_role(user: Any, roles: Iterable[str]) -> list[int]:
    """Ids of the organisations where ``user`` holds one of ``roles`` (not for superusers)."""
    wanted = set(roles)
    return sorted(org_id for org_id, held in user_roles(user).items() if held & wanted)


def organisations_managing_people(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may add people and record their consents."""
    qs = organisations_visible_to(user)
    if is_superuser(user):
        return qs
    return qs.filter(pk__in=organisation_ids_with_role(user, PEOPLE_WRITE_ROLES))


def organisations_reading_people(user: Any) -> QuerySet[Organisation]:
    """Organisations whose people ``user`` may see."""
    qs = organisations_visible_to(user)
    if is_superuser(user):
        return qs
    return qs.filter(pk__in=organisation_ids_with_role(user, PEOPLE_READ_ROLES))


def current_memberships_q(today: datetime.date | None = None) -> Q:
    """Memberships that have not ended (ending today still counts)."""
    today = today or timezone.localdate()
    return Q(ended_on__isnull=True) | Q(ended_on__gte=today)


def consents_in_force() -> QuerySet[Consent]:
    """Granted consents that are the latest decision for their (person, organisation, purpose)."""
    later = Consent.objects.filter(
        person=OuterRef("person"),
        organisation=OuterRef("organisation"),
        purpose=OuterRef("purpose"),
    ).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )
    return Consent.objects.filter(granted=True).filter(~Exists(later))


def linked_to_q(org_ids: Iterable[int] | QuerySet[Any]) -> Q:
    """People with a current membership of, or a consent in force for, one of ``org_ids``.

    Ended memberships and withdrawn consents do not link: once someone leaves or says
    no, the organisation stops seeing them.
    """
    memberships = Membership.objects.filter(
        current_memberships_q(), person=OuterRef("pk"), organisation_id__in=org_ids
    )
    consents = consents_in_force().filter(person=OuterRef("pk"), organisation_id__in=org_ids)
    return Q(Exists(memberships)) | Q(Exists(consents))


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People linked to an organisation where ``user`` may read people (see ``linked_to_q``)."""
    if is_superuser(user):
        return Person.objects.all()
    org_ids = organisation_ids_with_role(user, PEOPLE_READ_ROLES)
    if not org_ids:
        return Person.objects.none()
    return Person.objects.filter(linked_to_q(org_ids))


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
    org_ids = organisation_ids_with_role(user, PEOPLE_WRITE_ROLES)
    return bool(org_ids) and Person.objects.filter(linked_to_q(org_ids), pk=person.pk).exists()


def organisations_for_person(
    *, user: Any, person: Person, write: bool = False, current_only: bool = True
) -> QuerySet:
    """Organisations ``person`` is linked to where ``user`` may read (or, with ``write``,
    manage) people: the ones in whose name ``user`` sees or changes this person.

    With ``current_only=False``, ended memberships and withdrawn consents count too: an
    organisation may record a new decision from someone who once withdrew.
    """
    orgs = organisations_managing_people(user) if write else organisations_reading_people(user)
    memberships = Membership.objects.filter(person=person)
    consents = Consent.objects.filter(person=person)
    if current_only:
        memberships = memberships.filter(current_memberships_q())
        consents = consents_in_force().filter(person=person)
    return orgs.filter(
        Q(pk__in=memberships.values("organisation_id"))
        | Q(pk__in=consents.values("organisation_id"))
    ).order_by("slug")


def link_request_get_for_user(*, user: Any, pk: int, side: str) -> LinkRequest:
    """A link request ``user`` may act on: ``side="invited"`` to accept or decline it (an
    admin or organiser of the invited organisation), ``side="proposer"`` to withdraw it.
    One already answered is returned too: the service says so in words."""
    request = LinkRequest.objects.select_related("organisation", "proposer").filter(pk=pk).first()
    if request is None:
        raise Http404
    org = request.organisation if side == "invited" else request.proposer
    if not has_role(user, org, LINK_ANSWER_ROLES):
        # Outsiders cannot tell a request exists.
        if not (has_role(user, request.organisation) or has_role(user, request.proposer)):
            raise Http404
        raise PermissionDenied
    return request
