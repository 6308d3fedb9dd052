"""Who may work with an organisation's supporters: its organisers and administrators.

One module, one rule. Every organiser page takes the organisation from here and every
object through the ``*_get`` helpers below, which look it up *within* that organisation:
an id from another organisation is simply not found (404), so org B's organisers can never
see, count or mail org A's supporters.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from spilka.network.access import (
    is_superuser,
    organisation_get_for_user,
    organisation_ids_with_role,
)
from spilka.network.models import Organisation, Role

_M = TypeVar("_M", bound=Model)

OUTREACH_ROLES = frozenset({str(Role.ADMIN), str(Role.ORGANISER)})


def outreach_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose supporters ``user`` may work with."""
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, OUTREACH_ROLES))


def outreach_organisation_get(*, user: Any, slug: str) -> Organisation:
    """The organisation, or 404 (not visible) / 403 (visible, but no organiser role)."""
    return organisation_get_for_user(user=user, slug=slug, roles=OUTREACH_ROLES)


def scoped_get(queryset: QuerySet[_M], *, organisation: Organisation, pk: int | str) -> _M:
    """An object of ``organisation`` by id; anything else (or a malformed id) is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    obj = queryset.filter(organisation=organisation, pk=pk).first()
    if obj is None:
        raise Http404
    return obj
