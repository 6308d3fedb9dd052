"""The organiser's desk: claims waiting for this treasurer's approval."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import ngettext

from spilka.funds.access import can_treasure
from spilka.funds.models import Expense, ExpenseApproval, ExpenseStatus
from spilka.lib.desk import DeskItem
from spilka.network.models import Organisation


def desk_items_for(user: Any, organisation: Organisation) -> list[DeskItem]:
    """Submitted claims this user may approve: a treasurer's, not their own, not yet approved
    by them (the same rule as the claim page's Approve button). One query."""
    if not can_treasure(user, organisation):
        return []
    mine = ExpenseApproval.objects.filter(expense=OuterRef("pk"), approver=user)
    row = (
        Expense.objects.filter(fund__organisation=organisation, status=ExpenseStatus.SUBMITTED)
        .exclude(claimant=user)
        .exclude(Exists(mine))
        .aggregate(n=Count("pk"), first=Min("pk"))
    )
    n = row["n"]
    if not n:
        return []
    # One claim: straight to it; several: the books page lists the waiting ones.
    url = (
        reverse("funds:expense", kwargs={"org": organisation.slug, "pk": row["first"]})
        if n == 1
        else reverse("funds:books", kwargs={"org": organisation.slug})
    )
    label = ngettext(
        "%(count)s expense claim to approve", "%(count)s expense claims to approve", n
    ) % {"count": n}
    return [DeskItem(kind="funds.claims", label=label, count=n, url=url)]
