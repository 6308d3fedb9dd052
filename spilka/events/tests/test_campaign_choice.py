"""An event joins a campaign several organisations co-organise: the campaign is offered
once, and saving the event works (it gave a 500 and lost the form)."""

from __future__ import annotations

import re

import pytest

from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.campaigns.services.campaigns import campaign_create
from spilka.events.models import Event
from spilka.events.tests.conftest import make_event
from spilka.events.tests.test_organiser_pages import _event_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_campaign(demo, ussc, usc):
    # Led by Razem, co-organised by USSC, USC and ENSU: three rows in the through table.
    return campaign_create(
        by="load_demo",
        slug="shared-campaign",
        title={"en": "A campaign run together"},
        lead_organisation=demo["razem"],
        co_organisers=[ussc, usc, demo["ensu"]],
        co_organisers_confirmed=True,
    )


@pytest.fixture
def organiser_of_two(demo, ussc, usc):
    """An organiser in two of the co-organisers: one campaign reached twice over."""
    from spilka.lib.testing import user_with_roles

    return user_with_roles("both@ussc.test", [(ussc, "organiser"), (usc, "organiser")])


def _options(page: str, campaign) -> int:
    """How often the campaign select offers ``campaign``."""
    match = re.search(r'<select name="campaign".*?</select>', page, re.S)
    assert match is not None
    select = match.group(0)
    return select.count(f'<option value="{campaign.pk}"')


def test_every_caller_gets_each_campaign_once(shared_campaign, organiser_of_two, ussc, usc):
    assert shared_campaign.co_organisers.count() == 3
    for organisation in (None, ussc, usc):
        picked = list(campaigns_pickable_for(user=organiser_of_two, organisation=organisation))
        assert picked.count(shared_campaign) == 1, organisation
    # A queryset the form widens with the event's own campaign stays one row per campaign.
    qs = campaigns_pickable_for(user=organiser_of_two, organisation=ussc)
    assert qs.filter(pk=shared_campaign.pk).count() == 1


@pytest.mark.parametrize("persona", ["ussc_organiser", "organiser_of_two"])
def test_an_event_is_created_in_a_campaign_with_several_co_organisers(
    client, shared_campaign, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/en/events/new/?org=ussc").content.decode()
    assert _options(page, shared_campaign) == 1
    response = client.post(
        "/en/events/new/?org=ussc", _event_form(campaign=str(shared_campaign.pk))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.get(slug="new-forum").campaign == shared_campaign


def test_an_event_in_such_a_campaign_is_edited_and_saved(
    client, ussc, shared_campaign, organiser_of_two
):
    event = make_event(ussc, campaign=shared_campaign)
    client.force_login(organiser_of_two)
    page = client.get(f"/en/events/{event.slug}/edit/").content.decode()
    assert _options(page, shared_campaign) == 1
    response = client.post(
        f"/en/events/{event.slug}/edit/",
        _event_form(campaign=str(shared_campaign.pk), title_en="Moved"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.campaign == shared_campaign


def test_the_form_lists_a_campaign_once_even_from_a_rule_that_joins(
    monkeypatch, client, shared_campaign, ussc_organiser, ussc, usc
):
    """The form does not rely on the rule's shape: a rule that joins the co-organisers
    (one row per co-organiser, as the picker once did) still gives one choice, and saves."""
    from django.db.models import Q

    from spilka.campaigns.models import Campaign
    from spilka.events import forms as event_forms

    def joined(*, user, organisation=None):
        orgs = [ussc.pk, usc.pk]
        return Campaign.objects.filter(Q(lead_organisation_id__in=orgs) | Q(co_organisers__in=orgs))

    assert joined(user=ussc_organiser).filter(pk=shared_campaign.pk).count() == 2
    monkeypatch.setattr(event_forms, "campaigns_pickable_for", joined)
    client.force_login(ussc_organiser)
    page = client.get("/en/events/new/?org=ussc").content.decode()
    assert _options(page, shared_campaign) == 1
    response = client.post(
        "/en/events/new/?org=ussc", _event_form(campaign=str(shared_campaign.pk))
    )
    assert response.status_code == 302
    assert Event.objects.get(slug="new-forum").campaign == shared_campaign
