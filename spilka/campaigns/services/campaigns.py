from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.campaigns.models import Campaign
from spilka.lib.audit import audit_record, snapshot
from spilka.network.access import WRITE_ROLES, has_role
from spilka.network.link_requests import campaign_lead_propose, co_organisers_request
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
    co_organisers_confirmed: bool | None = None,
    **fields: Any,
) -> Campaign:
    """Create a campaign. Each co-organiser named is asked, and joins once it accepts
    (at once when ``by`` answers for it too; the demo passes ``co_organisers_confirmed``)."""
    organisations_check_pickable(
        user=by, organisations=co_organisers or [], field="co_organisers", purpose="co_organiser"
    )
    campaign = Campaign(slug=slug, title=title, lead_organisation=lead_organisation, **fields)
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=by,
        action="campaigns.campaign.created",
        obj=campaign,
        organisation=lead_organisation,
        after=snapshot(campaign),
    )
    if co_organisers:
        co_organisers_request(
            by=by, desired=co_organisers, campaign=campaign, confirmed=co_organisers_confirmed
        )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, by: Any, co_organisers: list[Organisation] | None = None, **fields: Any
) -> Campaign:
    """Change a campaign. A different ``lead_organisation`` is only proposed, by the
    current lead's administrator (``campaign_lead_propose``), and changes when the new lead
    accepts. New co-organisers are asked; the ones left out are removed."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("lead_organisation")
        .get(pk=campaign.pk)
    )
    new_lead = fields.pop("lead_organisation", None)
    lead_changes = new_lead is not None and new_lead.pk != campaign.lead_organisation_id
    if lead_changes and not has_role(by, campaign.lead_organisation, WRITE_ROLES):
        raise ValidationError(
            {
                "lead_organisation": _(
                    "Only the lead organisation's administrators can hand the campaign "
                    "to another organisation."
                )
            }
        )
    before_co = sorted(campaign.co_organisers.values_list("pk", flat=True))
    before = {**snapshot(campaign), "co_organisers": before_co}
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    invited: list[int] = []
    if co_organisers is not None:
        organisations_check_pickable(
            user=by,
            organisations=co_organisers,
            already=campaign.co_organisers.all(),
            field="co_organisers",
            purpose="co_organiser",
        )
        invited = co_organisers_request(by=by, desired=co_organisers, campaign=campaign)["invited"]
    after_co = sorted(campaign.co_organisers.values_list("pk", flat=True))
    after = {**snapshot(campaign), "co_organisers": after_co}
    if before != after:
        campaign.save()
        # Every organisation running the campaign, and any that just left it, sees it.
        involved = Organisation.objects.filter(pk__in={*before_co, *after_co})
        audit_record(
            actor=by,
            action="campaigns.campaign.updated",
            obj=campaign,
            organisation=campaign.lead_organisation,
            also=involved,
            before=before,
            after={**after, "invited": invited} if invited else after,
        )
    if lead_changes:
        # Asked, not done: the lead changes when the new lead accepts (at once if ``by``
        # answers for it too). Last, so the save above cannot undo an accepted change.
        campaign_lead_propose(by=by, campaign=campaign, organisation=new_lead)
        campaign.refresh_from_db()
    return campaign
