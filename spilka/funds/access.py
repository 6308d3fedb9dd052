"""Who may see or move money. One module, one helper per resource.

Treasurers and administrators of an organisation keep its ledger: they post entries,
import statements, record their bank's manual rates, approve and pay claims, and alone may
open receipts. The official ECB and NBU reference rates are instance data every
organisation's books use: only instance staff who have verified their second factor (or a
management command or task) load them, never an organisation's role holder. Anyone
with a role in the organisation may submit an expense claim and see their own claims.
The public sees only the transparency pages of public funds of visible organisations.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from spilka.accounts.middleware import needs_second_factor
from spilka.funds.models import Expense, Fund, ImportBatch, Receipt, Transaction
from spilka.network.access import has_role, is_superuser, organisation_get_for_user, user_roles
from spilka.network.models import Organisation, Role

TREASURY_ROLES = frozenset({str(Role.ADMIN), str(Role.TREASURER)})


def can_treasure(user: Any, organisation: Organisation) -> bool:
    return has_role(user, organisation, TREASURY_ROLES)


def can_load_reference_rates(user: Any) -> bool:
    """Active instance staff with a verified second factor; no organisation role counts."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    return not needs_second_factor(user)


def can_claim(user: Any, organisation: Organisation) -> bool:
    return has_role(user, organisation)


def organisations_treasured_by(user: Any) -> QuerySet[Organisation]:
    if is_superuser(user):
        return Organisation.objects.all()
    ids = [org for org, held in user_roles(user).items() if held & TREASURY_ROLES]
    return Organisation.objects.filter(pk__in=ids)


def organisations_claimable_by(user: Any) -> QuerySet[Organisation]:
    if is_superuser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=list(user_roles(user)))


def treasury_get_for_user(*, user: Any, slug: str) -> Organisation:
    """The organisation whose books ``user`` keeps (404 if hidden, 403 if not a treasurer)."""
    return organisation_get_for_user(user=user, slug=slug, roles=TREASURY_ROLES)


def member_get_for_user(*, user: Any, slug: str) -> Organisation:
    org = organisation_get_for_user(user=user, slug=slug)
    if not can_claim(user, org):
        raise PermissionDenied
    return org


def fund_get_for_user(*, user: Any, org_slug: str, fund_slug: str) -> Any:
    org = treasury_get_for_user(user=user, slug=org_slug)
    fund = (
        Fund.objects.select_related("organisation", "campaign")
        .filter(organisation=org, slug=fund_slug)
        .first()
    )
    if fund is None:
        raise Http404
    return fund


def expense_get_for_user(*, user: Any, org_slug: str, pk: int) -> Any:
    """A claim: to its claimant and to the organisation's treasurers; 404 to everyone else."""
    org = organisation_get_for_user(user=user, slug=org_slug)
    expense = (
        Expense.objects.select_related("fund", "fund__organisation", "claimant")
        .filter(pk=pk, fund__organisation=org)
        .first()
    )
    if expense is None:
        raise Http404
    if expense.claimant_id != getattr(user, "pk", None) and not can_treasure(user, org):
        raise Http404
    return expense


def receipt_get_for_user(*, user: Any, org_slug: str, pk: int) -> Any:
    """A receipt file: only the organisation's treasurers (never a public URL)."""
    org = treasury_get_for_user(user=user, slug=org_slug)
    receipt = Receipt.objects.filter(pk=pk, expense__fund__organisation=org).first()
    if receipt is None:
        raise Http404
    return receipt


def import_get_for_user(*, user: Any, org_slug: str, pk: int) -> Any:
    org = treasury_get_for_user(user=user, slug=org_slug)
    batch = ImportBatch.objects.select_related("fund").filter(pk=pk, fund__organisation=org).first()
    if batch is None:
        raise Http404
    return batch


def transaction_get_for_user(*, user: Any, org_slug: str, pk: int) -> Any:
    org = treasury_get_for_user(user=user, slug=org_slug)
    entry = Transaction.objects.select_related("fund").filter(pk=pk, fund__organisation=org).first()
    if entry is None:
        raise Http404
    return entry
