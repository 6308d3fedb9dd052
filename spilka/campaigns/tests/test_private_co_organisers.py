"""A campaign offers as co-organiser only organisations the organiser may pick; the public
pages name a private co-organiser only as "a partner organisation (not public)"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from spilka.campaigns.models import Campaign
from spilka.campaigns.services import campaigns as campaign_services
from spilka.lib.testing import user_with_roles
from spilka.network import services as network_services

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden Campaign Partner"


@pytest.fixture
def hidden(demo):
    return network_services.organisation_create(
        by="test setup",
        slug="hidden-campaign-partner",
        name={"en": HIDDEN, "pl": "Ukryty partner"},
        kind="campaign",
        country="UA",
        is_public=False,
    )


def _data(**extra):
    return {
        "slug": "miners-winter-appeal",
        "title_en": "Miners' winter appeal",
        "original_language": "en",
        "status": "active",
        "is_public": "on",
        **extra,
    }


def test_the_campaign_form_does_not_offer_a_private_organisation(login, usc_admin, hidden):
    page = login(usc_admin).get("/en/campaigns/new/").content.decode()
    assert HIDDEN not in page
    assert "Razem" in page


def test_a_crafted_post_naming_a_private_co_organiser_is_refused(login, usc_admin, usc, hidden):
    response = login(usc_admin).post(
        "/en/campaigns/new/", _data(lead_organisation=usc.pk, co_organisers=[hidden.pk])
    )
    assert response.status_code == 400
    assert not Campaign.objects.filter(slug="miners-winter-appeal").exists()
    with pytest.raises(ValidationError) as refused:
        campaign_services.campaign_create(
            by=usc_admin,
            slug="miners-winter-appeal",
            title={"en": "Miners' winter appeal"},
            lead_organisation=usc,
            co_organisers=[hidden],
        )
    assert "co_organisers" in refused.value.message_dict


def test_a_private_co_organiser_is_not_named_on_public_pages_nor_offered_a_consent_box(
    client, login, usc_admin, usc, hidden
):
    network_services.role_grant(by="test setup", user=usc_admin, organisation=hidden, role="admin")
    usc_admin._spilka_roles = None
    campaign = campaign_services.campaign_create(
        by=usc_admin,
        slug="miners-winter-appeal",
        title={"en": "Miners' winter appeal"},
        lead_organisation=usc,
        co_organisers=[hidden],
        status="active",
    )
    page = campaign.get_absolute_url()  # in English: requests below switch the language
    for url in ("/en/campaigns/", page, "/pl/campaigns/"):
        body = client.get(url).content.decode()
        assert HIDDEN not in body and "Ukryty" not in body and hidden.slug not in body, url
    assert "a partner organisation (not public)" in client.get(page).content.decode()
    # Another organiser of USC, who may not pick the partner, can still edit the campaign.
    colleague = user_with_roles("colleague@usc.test", [(usc, "organiser")])
    page = login(colleague).get(f"/en/campaigns/{campaign.slug}/edit/")
    assert page.status_code == 200
    campaign_services.campaign_update(
        campaign=campaign, by=colleague, co_organisers=[hidden], status="won"
    )
    assert list(Campaign.objects.get(pk=campaign.pk).co_organisers.all()) == [hidden]
