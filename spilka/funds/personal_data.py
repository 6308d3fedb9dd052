"""Personal data held by funds: donors (name, email) and expense claimants.

Erasure anonymises the donor row; the ledger entries that point at it keep their amounts,
so totals never change. Claims keep their amounts; a claimant's account is handled by
the accounts app, and no claimant email is stored here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone

from spilka.funds.models import Donor, Expense
from spilka.lib.personal_data import personal_data_register


def export_donors(email: str) -> list[dict[str, Any]]:
    rows = (
        Donor.objects.filter(email=email, erased_at__isnull=True)
        .select_related("organisation")
        .annotate(entries=Count("transactions"))
    )
    return [
        {
            "organisation": row.organisation.slug,
            "name": row.name,
            "email": row.email,
            "may_be_named_publicly": row.show_name,
            "agreed_to_updates": row.consented_updates,
            "donations": [
                {"date": t.occurred_on.isoformat(), "amount": str(t.amount), "currency": t.currency}
                for t in row.transactions.all()
            ],
        }
        for row in rows
    ]


def erase_donors(email: str) -> int:
    return Donor.objects.filter(email=email, erased_at__isnull=True).update(
        name="", email="", show_name=False, consented_updates=False, erased_at=timezone.now()
    )


def export_claims(email: str) -> list[dict[str, Any]]:
    claims = Expense.objects.filter(claimant__email__iexact=email).select_related("fund")
    return [
        {
            "fund": str(c.fund),
            "title": c.title,
            "date": c.incurred_on.isoformat(),
            "status": c.status,
        }
        for c in claims
    ]


def erase_claims(email: str) -> int:
    # Claims are the organisation's financial records; their link to the account goes
    # when the account is erased. Titles may name the claimant: they are kept, counted.
    return 0


def register() -> None:
    personal_data_register("funds.donors", export=export_donors, erase=erase_donors)
    personal_data_register("funds.claims", export=export_claims, erase=erase_claims)
