import pytest

from spilka.campaigns.models import Campaign, Petition
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


def _campaign_data(**extra):
    data = {
        "slug": "miners-winter-appeal",
        "title_en": "Miners' winter appeal",
        "original_language": "en",
        "summary_en": "Generators and warm clothing for miners' families.",
        "status": "active",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_organiser_starts_a_campaign_in_their_organisations_name(login, usc_admin, usc):
    client = login(usc_admin)
    response = client.post("/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk))
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="miners-winter-appeal")
    assert campaign.lead_organisation == usc
    assert AuditEntry.objects.filter(
        action="campaigns.campaign.created", object_id=str(campaign.pk)
    ).exists()
    assert (
        "Miners&#x27; winter appeal"
        in client.get("/en/campaigns/miners-winter-appeal/").content.decode()
    )


def test_nobody_starts_a_campaign_in_another_organisations_name(login, usc_admin, demo):
    response = login(usc_admin).post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=demo["razem"].pk)
    )
    assert response.status_code == 400
    assert not Campaign.objects.filter(slug="miners-winter-appeal").exists()


def test_users_without_an_organising_role_cannot_start_campaigns(login, ussc_translator, anon):
    assert login(ussc_translator).get("/en/campaigns/new/").status_code == 403
    assert anon.get("/en/campaigns/new/").status_code == 302


def test_organiser_adds_and_opens_a_petition_then_edits_it(login, usc_admin):
    client = login(usc_admin)
    data = {
        "slug": "generators-for-pavlohrad",
        "title_en": "Generators for Pavlohrad",
        "original_language": "en",
        "target_en": "The NUM national executive",
        "text_en": "Fund ten generators.",
        "goal": "500",
        "status": "open",
    }
    response = client.post("/en/campaigns/zaporizhzhia-iaea/petitions/new/", data)
    assert response.status_code == 302
    petition = Petition.objects.get(slug="generators-for-pavlohrad")
    assert petition.status == "open"
    response = client.post(
        "/en/petitions/generators-for-pavlohrad/edit/", {**data, "goal": "800", "status": "closed"}
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.goal, petition.status) == (800, "closed")
    entry = AuditEntry.objects.get(action="campaigns.petition.updated", object_id=str(petition.pk))
    assert entry.before["goal"] == 500 and entry.after["goal"] == 800


def test_outsiders_cannot_edit_campaigns_or_petitions(login, razem_organiser):
    client = login(razem_organiser)
    assert client.get("/en/campaigns/zaporizhzhia-iaea/edit/").status_code == 403
    assert client.get("/en/campaigns/zaporizhzhia-iaea/petitions/new/").status_code == 403
    assert client.get("/en/petitions/iaea-zaporizhzhia/edit/").status_code == 403


def test_bad_campaign_input_is_explained(login, usc_admin, usc):
    client = login(usc_admin)
    response = client.post(
        "/en/campaigns/new/",
        _campaign_data(
            lead_organisation=usc.pk,
            title_en="x" * 10000,
            starts_on="2024-05-01",
            ends_on="2024-01-01",
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "the limit is 200" in body
    response = client.post(
        "/en/campaigns/new/", _campaign_data(lead_organisation=usc.pk, slug="new")
    )
    assert response.status_code == 400
    assert "reserved" in response.content.decode()


def test_campaign_page_hides_private_resolutions_and_draft_statements_from_visitors(
    anon, login, usc_admin
):
    from spilka.campaigns.models import Resolution, Statement

    resolution = Resolution.objects.filter(campaign__slug="full-support-for-ukraine").first()
    Resolution.objects.filter(pk=resolution.pk).update(is_public=False)
    public = anon.get("/en/campaigns/full-support-for-ukraine/").content.decode()
    assert resolution.get_absolute_url() not in public
    assert (
        resolution.get_absolute_url()
        in login(usc_admin).get("/en/campaigns/full-support-for-ukraine/").content.decode()
    )
    statement = Statement.objects.filter(campaign__slug="warsaw-left-unity").first()
    Statement.objects.filter(pk=statement.pk).update(status="draft")
    assert (
        statement.get_absolute_url()
        not in anon.get("/en/campaigns/warsaw-left-unity/").content.decode()
    )


def test_campaign_page_shows_every_kind_of_action(anon):
    body = anon.get("/en/campaigns/cancel-ukraines-debt/").content.decode()
    assert "US House of Representatives" in body
    body = anon.get("/en/campaigns/zaporizhzhia-iaea/").content.decode()
    assert "IAEA control of the Zaporizhzhia nuclear plant, now" in body
