"""Who may see or change needs, pledges, convoys and handovers.

Admins, organisers and logistics volunteers of an organisation manage its needs, its
pledges and its convoys. A convoy is also visible (read-only) to the recipients it carries
for and to the donors whose goods are on it, so a donor sees any discrepancy. Not found and
not allowed look alike to outsiders (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spilka.aid.models import Convoy, Handover, Need, Pledge
from spilka.network.access import is_superuser, organisation_visible_q, user_roles
from spilka.network.models import Organisation, Role

MANAGE_ROLES = frozenset({Role.ADMIN, Role.ORGANISER, Role.LOGISTICS})


def managed_org_ids(user: Any) -> set[int]:
    return {org_id for org_id, held in user_roles(user).items() if held & MANAGE_ROLES}


def can_manage(user: Any, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return is_superuser(user) or organisation_id in managed_org_ids(user)


def organisations_managed_by(user: Any) -> QuerySet[Organisation]:
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=managed_org_ids(user))


def needs_visible_to(user: Any) -> QuerySet[Need]:
    public = Q(is_public=True) & organisation_visible_q(user, "organisation__")
    if is_superuser(user):
        return Need.objects.all()
    own = list(user_roles(user))
    return (
        Need.objects.filter(public | Q(organisation_id__in=own))
        if own
        else Need.objects.filter(public)
    )


def need_get_for_user(*, user: Any, pk: int, write: bool = False) -> Need:
    need = needs_visible_to(user).select_related("organisation", "campaign").filter(pk=pk).first()
    if need is None:
        raise Http404
    if write and not can_manage(user, need.organisation_id):
        raise PermissionDenied
    return need


def convoys_visible_to(user: Any) -> QuerySet[Convoy]:
    if is_superuser(user):
        return Convoy.objects.all()
    ids = managed_org_ids(user)
    if not ids:
        return Convoy.objects.none()
    return Convoy.objects.filter(
        Q(organisation_id__in=ids)
        | Q(pk__in=Handover.objects.filter(recipient_id__in=ids).values("convoy_id"))
        | Q(manifest__donor_organisation_id__in=ids)
    ).distinct()


def convoy_get_for_user(*, user: Any, pk: int, write: bool = False) -> Convoy:
    convoy = convoys_visible_to(user).filter(pk=pk).first()
    if convoy is None:
        raise Http404
    convoy = Convoy.objects.select_related("organisation", "campaign").get(pk=convoy.pk)
    if write and not can_manage(user, convoy.organisation_id):
        raise PermissionDenied
    return convoy


def handover_get_for_user(*, user: Any, pk: int, write: bool = False) -> Handover:
    handover = (
        Handover.objects.select_related("convoy", "convoy__organisation", "recipient")
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise Http404
    convoy_get_for_user(user=user, pk=handover.convoy_id, write=write)
    return handover


def handover_can_see_personal(*, user: Any, handover: Handover) -> bool:
    """Signer's name and photo: the convoy's organisers and the recipient, not every donor."""
    return can_manage(user, handover.convoy.organisation_id) or can_manage(
        user, handover.recipient_id
    )


def pledge_can_change(*, user: Any, pledge: Pledge) -> bool:
    """The donor organisation's managers, or the managers of the need's organisation."""
    return can_manage(user, pledge.donor_organisation_id) or (
        pledge.need is not None and can_manage(user, pledge.need.organisation_id)
    )


def pledge_get_for_user(*, user: Any, pk: int, write: bool = False) -> Pledge:
    """A pledge is seen by those who may change it: the donor and the need's recipient."""
    pledge = (
        Pledge.objects.select_related("need", "need__organisation", "donor_organisation")
        .filter(pk=pk)
        .first()
    )
    if pledge is None or not pledge_can_change(user=user, pledge=pledge):
        raise Http404
    return pledge
