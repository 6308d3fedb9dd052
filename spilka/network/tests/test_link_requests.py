"""Requests to link organisations: the invited organisation answers them on its own page."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from spilka.campaigns.services.campaigns import campaign_create
from spilka.network import services
from spilka.network.link_requests import link_request_propose
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def razem(demo):
    return demo["razem"]


@pytest.fixture
def invitation(usc, usc_admin, razem):
    """USC asks Razem to co-organise a campaign."""
    campaign = campaign_create(
        by=usc_admin,
        slug="miners-winter-appeal",
        title={"en": "Miners' winter appeal"},
        lead_organisation=usc,
        co_organisers=[razem],
        status="active",
    )
    return LinkRequest.objects.get(campaign=campaign, organisation=razem)


def test_the_invited_organisations_organiser_can_accept_or_decline_on_its_page(
    login, razem_organiser, invitation
):
    page = login(razem_organiser).get("/en/org/razem/").content.decode()
    assert 'id="link-requests"' in page
    assert "Miners&#x27; winter appeal" in page
    assert f"/en/links/{invitation.pk}/accept/" in page
    assert f"/en/links/{invitation.pk}/decline/" in page


def test_the_proposer_sees_the_request_awaiting_an_answer_and_may_withdraw_it(
    login, usc_admin, invitation
):
    client = login(usc_admin)
    page = client.get("/en/org/ukraine-solidarity-campaign/").content.decode()
    assert "Awaiting an answer" in page
    assert f"/en/links/{invitation.pk}/accept/" not in page
    assert client.post(f"/en/links/{invitation.pk}/withdraw/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == LinkRequestStatus.WITHDRAWN
    assert not invitation.campaign.co_organisers.exists()


def test_outsiders_neither_see_nor_answer_requests(login, anon, ussc_translator, invitation):
    assert f"/en/links/{invitation.pk}/" not in anon.get("/en/org/razem/").content.decode()
    assert login(ussc_translator).post(f"/en/links/{invitation.pk}/accept/").status_code == 404
    assert anon.post(f"/en/links/{invitation.pk}/accept/").status_code == 302  # to sign in
    invitation.refresh_from_db()
    assert invitation.status == LinkRequestStatus.PENDING


def test_the_proposer_cannot_accept_for_the_invited_organisation(login, usc_admin, invitation):
    assert login(usc_admin).post(f"/en/links/{invitation.pk}/accept/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == LinkRequestStatus.PENDING
    assert not invitation.campaign.co_organisers.exists()


def test_a_translator_of_the_invited_organisation_cannot_answer(login, razem, invitation):
    from django.contrib.auth import get_user_model

    translator = get_user_model().objects.create_user("translator@razem.test", "a long password")
    services.role_grant(by="test setup", user=translator, organisation=razem, role="translator")
    assert login(translator).post(f"/en/links/{invitation.pk}/accept/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == LinkRequestStatus.PENDING


def test_answering_twice_says_so_and_changes_nothing(login, razem_organiser, invitation):
    client = login(razem_organiser)
    assert client.post(f"/en/links/{invitation.pk}/decline/").status_code == 302
    response = client.post(f"/en/links/{invitation.pk}/accept/", follow=True)
    assert response.status_code == 200
    assert "already been answered" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    invitation.refresh_from_db()
    assert invitation.status == LinkRequestStatus.DECLINED
    assert not invitation.campaign.co_organisers.exists()


def test_someone_who_answers_for_both_organisations_links_them_at_once(usc, usc_admin, razem):
    services.role_grant(by="test setup", user=usc_admin, organisation=razem, role="organiser")
    campaign = campaign_create(
        by=usc_admin,
        slug="miners-winter-appeal",
        title={"en": "Miners' winter appeal"},
        lead_organisation=usc,
        co_organisers=[razem],
    )
    assert list(campaign.co_organisers.all()) == [razem]
    assert LinkRequest.objects.get(campaign=campaign).status == LinkRequestStatus.ACCEPTED


def test_an_organisation_cannot_invite_itself(usc, usc_admin, invitation):
    with pytest.raises(ValidationError):
        link_request_propose(
            by=usc_admin,
            kind=LinkKind.CAMPAIGN_CO_ORGANISER,
            organisation=usc,
            proposer=usc,
            campaign=invitation.campaign,
        )
