from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from spilka.campaigns.selectors import campaign_check_pickable
from spilka.funds.models import Fund, TreasurySettings
from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation


@transaction.atomic
def fund_create(
    *, by: Any, organisation: Organisation, slug: str, name: dict[str, str], **fields: Any
) -> Fund:
    # A fund joins only a campaign its organisation runs: it counts on that campaign's page.
    campaign_check_pickable(campaign=fields.get("campaign"), organisation=organisation)
    fund = Fund(organisation=organisation, slug=slug, name=name, **fields)
    fund.full_clean()
    fund.save()
    audit_record(
        actor=by,
        action="funds.fund.created",
        obj=fund,
        organisation=organisation,
        after=snapshot(fund),
    )
    return fund


@transaction.atomic
def fund_update(*, by: Any, fund: Fund, **fields: Any) -> Fund:
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    before = snapshot(fund)
    if "campaign" in fields and fields["campaign"] != fund.campaign:
        campaign_check_pickable(campaign=fields["campaign"], organisation=fund.organisation)
    for name, value in fields.items():
        setattr(fund, name, value)
    fund.full_clean()
    fund.save()
    audit_record(
        actor=by,
        action="funds.fund.updated",
        obj=fund,
        organisation=fund.organisation,
        before=before,
        after=snapshot(fund),
    )
    return fund


@transaction.atomic
def treasury_settings_update(
    *,
    by: Any,
    organisation: Organisation,
    reporting_currency: str | None = None,
    second_approver_above: Decimal | None = None,
    rate_fallback_days: int | None = None,
) -> TreasurySettings:
    row, _created = TreasurySettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = snapshot(row)
    if reporting_currency is not None:
        row.reporting_currency = reporting_currency
    if second_approver_above is not None:
        row.second_approver_above = second_approver_above
    if rate_fallback_days is not None:
        row.rate_fallback_days = rate_fallback_days
    row.full_clean()
    row.save()
    audit_record(
        actor=by,
        action="funds.settings.updated",
        obj=row,
        organisation=organisation,
        before=before,
        after=snapshot(row),
    )
    return row
