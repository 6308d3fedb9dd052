from __future__ import annotations

from typing import Any

from django.db import transaction

from spilka.campaigns.models import Campaign
from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation
from spilka.network.selectors import organisations_check_pickable


@transaction.atomic
def campaign_create(
    *,
    by: Any,
    slug: str,
    title: dict[str, str],
    lead_organisation: Organisation,
    co_organisers: list[Organisation] | None = None,
    **fields: Any,
) -> Campaign:
    organisations_check_pickable(
        user=by, organisations=co_organisers or [], field="co_organisers", purpose="co_organiser"
    )
    campaign = Campaign(slug=slug, title=title, lead_organisation=lead_organisation, **fields)
    campaign.full_clean()
    campaign.save()
    if co_organisers:
        campaign.co_organisers.set(co_organisers)
    audit_record(
        actor=by,
        action="campaigns.campaign.created",
        obj=campaign,
        organisation=lead_organisation,
        after={**snapshot(campaign), "co_organisers": [o.pk for o in co_organisers or []]},
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, by: Any, co_organisers: list[Organisation] | None = None, **fields: Any
) -> Campaign:
    campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    before = {
        **snapshot(campaign),
        "co_organisers": sorted(campaign.co_organisers.values_list("pk", flat=True)),
    }
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    if co_organisers is not None:
        organisations_check_pickable(
            user=by,
            organisations=co_organisers,
            already=campaign.co_organisers.all(),
            field="co_organisers",
            purpose="co_organiser",
        )
        campaign.co_organisers.set(co_organisers)
    after = {
        **snapshot(campaign),
        "co_organisers": sorted(campaign.co_organisers.values_list("pk", flat=True)),
    }
    if before != after:
        campaign.save()
        audit_record(
            actor=by,
            action="campaigns.campaign.updated",
            obj=campaign,
            organisation=campaign.lead_organisation,
            before=before,
            after=after,
        )
    return campaign
