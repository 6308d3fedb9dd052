"""Who may see a bill (whoever may see its campaign) and who may record its stages
(whoever runs the campaign)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from spilka.campaigns.access.campaigns import campaign_can_run, campaigns_visible_to
from spilka.campaigns.models import Bill

__all__ = ["bill_can_run", "bill_get_for_user"]


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
