"""Bills and motions a campaign follows through parliaments, and their stages."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import (
    Bill,
    BillKind,
    BillOutcome,
    BillStage,
    Campaign,
    Parliament,
    StageKind,
)
from spilka.lib.audit import audit_record, snapshot

# The stages that decide a bill's outcome. Enactment is final; otherwise the latest wins.
STAGE_OUTCOMES: dict[str, BillOutcome] = {
    StageKind.PASSED_CHAMBER: BillOutcome.PASSED,
    StageKind.REJECTED: BillOutcome.REJECTED,
    StageKind.ENACTED: BillOutcome.ENACTED,
}


@transaction.atomic
def bill_create(
    *,
    by: Any,
    campaign: Campaign,
    parliament: str,
    title: dict[str, str],
    kind: str = str(BillKind.BILL),
    number: str = "",
    summary: dict[str, str] | None = None,
    **fields: Any,
) -> Bill:
    bill = Bill(
        campaign=campaign,
        parliament=parliament,
        title=title,
        kind=kind,
        number=number.strip(),
        summary=summary or {},
        **fields,
    )
    if bill.parliament == Parliament.OTHER and not bill.parliament_other.strip():
        raise ValidationError({"parliament_other": _("Name the parliament.")}, code="required")
    bill.full_clean()
    bill.save()
    audit_record(
        actor=by,
        action="campaigns.bill.created",
        obj=bill,
        organisation=campaign.lead_organisation,
        after=snapshot(bill),
    )
    return bill


def _outcome_from_stages(bill: Bill, current: str) -> str:
    decisive = [s.stage for s in bill.stages.order_by("date", "id") if s.stage in STAGE_OUTCOMES]
    if not decisive:
        return current
    if StageKind.ENACTED in decisive:
        return str(BillOutcome.ENACTED)
    return str(STAGE_OUTCOMES[decisive[-1]])


@transaction.atomic
def bill_stage_add(
    *,
    by: Any,
    bill: Bill,
    stage: str,
    date: datetime.date,
    note: str = "",
    url: str = "",
) -> BillStage:
    """Add a dated stage; a passed, rejected or enacted stage sets the bill's outcome."""
    bill = Bill.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=bill.pk)
    entry = BillStage(bill=bill, stage=stage, date=date, note=note.strip(), url=url.strip())
    entry.full_clean()
    entry.save()
    before = bill.outcome
    bill.outcome = _outcome_from_stages(bill, before)
    if bill.outcome != before:
        bill.save(update_fields=["outcome"])
    audit_record(
        actor=by,
        action="campaigns.bill.stage_added",
        obj=bill,
        organisation=bill.campaign.lead_organisation,
        before={"outcome": before},
        after={**snapshot(entry, ["id", "stage", "date", "note", "url"]), "outcome": bill.outcome},
    )
    return entry
