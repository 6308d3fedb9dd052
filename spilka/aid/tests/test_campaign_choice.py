"""Needs and convoys join only a campaign their organisation leads or co-organises.

What joins a campaign counts in its public aid report, so no organisation may add to
another's campaign on its own word: the form offers only the campaigns its organisation
runs, and the services refuse any other (a crafted request gets the same answer).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from spilka.aid.forms import ConvoyForm, NeedForm
from spilka.aid.models import Convoy, Need
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.campaigns.models import Campaign
from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.campaigns.services import campaigns as campaign_services
from spilka.network.link_requests import link_request_accept
from spilka.network.models import LinkRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_campaign(demo):
    """A public campaign Razem leads, which Pavlohrad and Durham have nothing to do with."""
    return campaign_services.campaign_create(
        by="test setup",
        slug="razem-public",
        title={"en": "Razem's campaign"},
        lead_organisation=demo["razem"],
        status="active",
    )


def test_the_need_form_offers_only_campaigns_the_users_organisations_run(
    recipient_logistics, recipient_org, others_campaign
):
    campaigns = campaigns_pickable_for(user=recipient_logistics)
    form = NeedForm(organisations=type(recipient_org).objects.all(), campaigns=campaigns)
    offered = set(form.fields["campaign"].queryset)
    assert others_campaign not in offered
    for campaign in offered:
        assert campaign.lead_organisation_id == recipient_org.pk or (
            campaign.co_organisers.filter(pk=recipient_org.pk).exists()
        )


def test_a_crafted_need_post_naming_another_organisations_campaign_is_refused(
    login, recipient_logistics, recipient_org, items, others_campaign
):
    response = login(recipient_logistics).post(
        "/en/aid/needs/new/",
        {
            "organisation": recipient_org.pk,
            "campaign": others_campaign.pk,
            "title_en": "Radios",
            "original_language": "en",
            "oblast": "donetsk",
            "priority": "high",
            "publish_only_oblast": "on",
            "is_public": "on",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "40",
            "lines-0-item": items["radio"].pk,
            "lines-0-quantity": "2",
        },
    )
    assert response.status_code == 400
    assert not Need.objects.filter(title__en="Radios").exists()


def test_the_need_service_refuses_another_organisations_campaign(
    recipient_logistics, recipient_org, items, others_campaign
):
    with pytest.raises(ValidationError) as refused:
        need_services.need_create(
            by=recipient_logistics,
            organisation=recipient_org,
            title={"en": "Radios"},
            oblast="donetsk",
            lines=[(items["radio"], D(2))],
            campaign=others_campaign,
        )
    assert "campaign" in refused.value.message_dict
    assert not Need.objects.filter(title__en="Radios").exists()


def test_the_convoy_form_and_service_refuse_another_organisations_campaign(
    donor_organiser, donor_org, others_campaign
):
    form = ConvoyForm(
        {"organisation": donor_org.pk, "campaign": others_campaign.pk, "title": "Van"},
        organisations=type(donor_org).objects.filter(pk=donor_org.pk),
        campaigns=campaigns_pickable_for(user=donor_organiser),
    )
    assert not form.is_valid() and "campaign" in form.errors
    with pytest.raises(ValidationError):
        convoy_services.convoy_create(
            by=donor_organiser, organisation=donor_org, title="Van", campaign=others_campaign
        )
    assert not Convoy.objects.filter(title="Van").exists()


def test_a_co_organiser_may_attach_its_convoy_to_the_campaign(donor_organiser, donor_org):
    campaign = Campaign.objects.get(slug="full-support-for-ukraine")
    assert campaign not in campaigns_pickable_for(user=donor_organiser)
    campaign_services.campaign_update(campaign=campaign, by="test setup", co_organisers=[donor_org])
    # Only asked so far: the campaign is not the donor's to use until it accepts.
    assert campaign not in campaigns_pickable_for(user=donor_organiser)
    link_request_accept(
        request=LinkRequest.objects.get(campaign=campaign, organisation=donor_org),
        by=donor_organiser,
    )
    assert campaign in campaigns_pickable_for(user=donor_organiser)
    convoy = convoy_services.convoy_create(
        by=donor_organiser, organisation=donor_org, title="Van", campaign=campaign
    )
    assert convoy.campaign == campaign
