"""Who may see, run and co-sign joint statements; who may see and change bills.

A statement is run by the organisers of its campaign. Co-signing in an organisation's name
needs an admin or organiser role in that organisation itself: roles elsewhere, even as a
superuser, never let someone speak for an organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spilka.campaigns.access.campaigns import (
    _is_superuser,
    campaign_can_run,
    campaigns_visible_to,
)
from spilka.campaigns.models import (
    Bill,
    CoSignature,
    CoSignatureStatus,
    IndividualSignatory,
    Statement,
    StatementStatus,
)
from spilka.network.access import organisations_visible_to, user_roles
from spilka.network.models import Organisation, Role

__all__ = [
    "COSIGN_ROLES",
    "bill_can_run",
    "bill_get_for_user",
    "cosign_can_act_for",
    "cosign_organisations_for_user",
    "cosignature_get_for_user",
    "cosignature_get_pending",
    "individual_get_unconfirmed",
    "statement_can_run",
    "statement_evidence_organisations",
    "statement_get_for_user",
]

COSIGN_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})


def statement_can_run(*, user: Any, statement: Statement) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if statement.campaign is None:
        return _is_superuser(user)
    return campaign_can_run(user=user, campaign=statement.campaign)


def statement_get_for_user(*, user: Any, slug: str, write: bool = False) -> Statement:
    """A statement of a visible campaign; drafts only to those who run it."""
    statement = (
        Statement.objects.select_related("campaign", "campaign__lead_organisation")
        .filter(Q(campaign__isnull=True) | Q(campaign__in=campaigns_visible_to(user)), slug=slug)
        .first()
    )
    if statement is None:
        raise Http404
    needs_run = write or statement.status == StatementStatus.DRAFT
    if needs_run and not statement_can_run(user=user, statement=statement):
        raise Http404 if statement.status == StatementStatus.DRAFT else PermissionDenied
    return statement


def cosign_can_act_for(*, user: Any, organisation: Organisation) -> bool:
    """True when ``user`` is an admin or organiser of ``organisation`` itself."""
    return bool(user_roles(user).get(organisation.pk, set()) & COSIGN_ROLES)


def cosign_organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may co-sign."""
    ids = [org_id for org_id, held in user_roles(user).items() if held & COSIGN_ROLES]
    return Organisation.objects.filter(pk__in=ids).order_by("slug")


def cosignature_get_for_user(
    *, user: Any, statement: Statement, organisation_slug: str
) -> CoSignature:
    """A co-signature its organisation's admins or organisers may withdraw."""
    cosignature = (
        CoSignature.objects.select_related("organisation", "statement")
        .filter(statement=statement, organisation__slug=organisation_slug)
        .first()
    )
    if cosignature is None:
        raise Http404
    if not cosign_can_act_for(user=user, organisation=cosignature.organisation):
        raise PermissionDenied
    return cosignature


def cosignature_get_pending(*, pk: int) -> CoSignature | None:
    """The co-signature a confirmation link points at (the signed link is the permission)."""
    return (
        CoSignature.objects.select_related("statement", "organisation")
        .filter(pk=pk)
        .exclude(status=CoSignatureStatus.WITHDRAWN)
        .first()
    )


def individual_get_unconfirmed(*, pk: int) -> IndividualSignatory | None:
    return IndividualSignatory.objects.select_related("statement").filter(pk=pk).first()


def statement_evidence_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations an organiser may record a co-signature for: those they can see."""
    return organisations_visible_to(user).order_by("slug")


def bill_can_run(*, user: Any, bill: Bill) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return campaign_can_run(user=user, campaign=bill.campaign)


def bill_get_for_user(*, user: Any, pk: int, write: bool = False) -> Bill:
    bill = (
        Bill.objects.select_related("campaign", "campaign__lead_organisation")
        .filter(pk=pk, campaign__in=campaigns_visible_to(user))
        .first()
    )
    if bill is None:
        raise Http404
    if write and not bill_can_run(user=user, bill=bill):
        raise PermissionDenied
    return bill
