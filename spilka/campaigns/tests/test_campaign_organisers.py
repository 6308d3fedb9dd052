"""Nobody is bound by another organisation's act: co-organisers and a new lead are asked
first, and named (and sent data) only once they accept."""

import re

import pytest

from spilka.campaigns.access import campaign_can_run
from spilka.campaigns.models import Campaign
from spilka.campaigns.services.campaigns import campaign_create, campaign_update
from spilka.campaigns.services.petitions import petition_create
from spilka.lib.models import AuditEntry
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus

pytestmark = pytest.mark.django_db

SLUG = "miners-winter-appeal"


def _campaign_data(**extra):
    data = {
        "slug": SLUG,
        "title_en": "Miners' winter appeal",
        "original_language": "en",
        "summary_en": "Generators and warm clothing for miners' families.",
        "status": "active",
        "is_public": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def razem(demo):
    return demo["razem"]


@pytest.fixture
def co_organised(usc, razem):
    """A public campaign led by USC, with Razem as an accepted co-organiser."""
    return campaign_create(
        by="test setup",
        slug=SLUG,
        title={"en": "Miners' winter appeal"},
        lead_organisation=usc,
        co_organisers=[razem],
        co_organisers_confirmed=True,
        status="active",
    )


def _accept(client, request):
    return client.post(f"/en/links/{request.pk}/accept/")


def test_naming_a_co_organiser_only_asks_it(login, usc_admin, usc, razem, anon):
    response = login(usc_admin).post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk, co_organisers=[razem.pk])
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug=SLUG)
    assert not campaign.co_organisers.exists()
    request = LinkRequest.objects.get(campaign=campaign, organisation=razem)
    assert request.status == LinkRequestStatus.PENDING
    assert request.kind == LinkKind.CAMPAIGN_CO_ORGANISER
    assert razem.get_absolute_url() not in anon.get(f"/en/campaigns/{SLUG}/").content.decode()


def test_signers_are_not_asked_to_consent_to_an_organisation_that_has_not_accepted(
    login, usc_admin, razem_organiser, usc, razem, anon
):
    login(usc_admin).post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk, co_organisers=[razem.pk])
    )
    campaign = Campaign.objects.get(slug=SLUG)
    petition_create(
        by=usc_admin,
        campaign=campaign,
        slug="warm-winter",
        title={"en": "Warm winter"},
        target={"en": "The coal board"},
        text={"en": "Heat the miners' homes."},
        status="open",
    )
    page = anon.get("/en/petitions/warm-winter/").content.decode()
    assert f'name="consent_{usc.pk}"' in page
    assert f'name="consent_{razem.pk}"' not in page

    request = LinkRequest.objects.get(campaign=campaign, organisation=razem)
    assert _accept(login(razem_organiser), request).status_code == 302

    assert list(campaign.co_organisers.all()) == [razem]
    assert razem.get_absolute_url() in anon.get(f"/en/campaigns/{SLUG}/").content.decode()
    # (Anonymous visitors share a cached page for a minute; a signed-in one sees it now.)
    page = login(usc_admin).get("/en/petitions/warm-winter/").content.decode()
    assert f'name="consent_{razem.pk}"' in page


def test_a_declined_request_links_nothing_and_both_audit_logs_say_so(
    login, usc_admin, razem_organiser, usc, razem
):
    login(usc_admin).post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk, co_organisers=[razem.pk])
    )
    request = LinkRequest.objects.get(campaign__slug=SLUG, organisation=razem)
    response = login(razem_organiser).post(f"/en/links/{request.pk}/decline/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == LinkRequestStatus.DECLINED
    assert not Campaign.objects.get(slug=SLUG).co_organisers.exists()
    for org in (usc, razem):
        assert AuditEntry.objects.filter(
            organisation=org, action="network.link_request.declined", object_id=str(request.pk)
        ).exists()


def test_saving_the_campaign_again_keeps_the_open_invitation(login, usc_admin, usc, razem):
    client = login(usc_admin)
    client.post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk, co_organisers=[razem.pk])
    )
    form = client.get(f"/en/campaigns/{SLUG}/edit/").content.decode()
    box = re.search(rf'<input type="checkbox" name="co_organisers" value="{razem.pk}"[^>]*>', form)
    assert box is not None and "checked" in box.group(0)
    client.post(
        f"/en/campaigns/{SLUG}/edit/",
        _campaign_data(lead_organisation=usc.pk, co_organisers=[razem.pk]),
    )
    assert LinkRequest.objects.filter(
        campaign__slug=SLUG, organisation=razem, status=LinkRequestStatus.PENDING
    ).exists()


def test_a_co_organiser_cannot_move_the_lead_to_itself(
    login, usc_admin, razem_organiser, usc, razem, co_organised
):
    response = login(razem_organiser).post(
        f"/en/campaigns/{SLUG}/edit/", _campaign_data(lead_organisation=razem.pk)
    )
    assert response.status_code in (302, 400)
    co_organised.refresh_from_db()
    assert co_organised.lead_organisation == usc
    assert campaign_can_run(user=usc_admin, campaign=co_organised)
    assert not LinkRequest.objects.filter(campaign=co_organised, kind=LinkKind.CAMPAIGN_LEAD)


def test_only_the_leads_administrator_may_propose_a_new_lead(razem_organiser, razem, co_organised):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        campaign_update(campaign=co_organised, by=razem_organiser, lead_organisation=razem)
    co_organised.refresh_from_db()
    assert co_organised.lead_organisation_id != razem.pk


def test_a_new_lead_takes_over_only_once_it_accepts(
    login, usc_admin, razem_organiser, usc, razem, co_organised, anon
):
    client = login(usc_admin)
    response = client.post(
        f"/en/campaigns/{SLUG}/edit/", _campaign_data(lead_organisation=razem.pk)
    )
    assert response.status_code == 302
    co_organised.refresh_from_db()
    assert co_organised.lead_organisation == usc
    request = LinkRequest.objects.get(campaign=co_organised, kind=LinkKind.CAMPAIGN_LEAD)
    assert request.organisation == razem
    # The proposer sees it waiting.
    assert "pending-links" in client.get(f"/en/campaigns/{SLUG}/").content.decode()

    assert _accept(login(razem_organiser), request).status_code == 302
    co_organised.refresh_from_db()
    assert co_organised.lead_organisation == razem
    # The old lead handed it over and stays on as a co-organiser.
    assert list(co_organised.co_organisers.all()) == [usc]


def test_a_lead_change_is_on_the_audit_page_of_both_leads(
    login, usc_admin, razem_organiser, usc, razem, co_organised
):
    login(usc_admin).post(f"/en/campaigns/{SLUG}/edit/", _campaign_data(lead_organisation=razem.pk))
    request = LinkRequest.objects.get(campaign=co_organised, kind=LinkKind.CAMPAIGN_LEAD)
    _accept(login(razem_organiser), request)

    audit_page = login(usc_admin).get("/en/org/ukraine-solidarity-campaign/audit/?area=campaigns")
    assert "campaigns.campaign.lead_changed" in audit_page.content.decode()
    for org in (usc, razem):
        assert AuditEntry.objects.filter(
            organisation=org,
            action="campaigns.campaign.lead_changed",
            object_id=str(co_organised.pk),
        ).exists()


def test_a_lead_admin_who_also_organises_the_new_lead_hands_it_over_at_once(
    login, usc_admin, usc, razem, co_organised
):
    from spilka.network.services import role_grant

    role_grant(by="test setup", user=usc_admin, organisation=razem, role="organiser")
    response = login(usc_admin).post(
        f"/en/campaigns/{SLUG}/edit/", _campaign_data(lead_organisation=razem.pk)
    )
    assert response.status_code == 302
    co_organised.refresh_from_db()
    assert co_organised.lead_organisation == razem
    assert list(co_organised.co_organisers.all()) == [usc]
