"""An event offers as co-organiser only organisations the organiser may pick, and its public
page, feed and structured data never name a private one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from spilka.events.forms import EventForm
from spilka.events.services import events as event_services
from spilka.lib.testing import user_with_roles
from spilka.network import services as network_services
from spilka.network.models import LinkRequest, LinkRequestStatus

from .conftest import make_event

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden Partner Collective"


@pytest.fixture
def hidden(demo):
    return network_services.organisation_create(
        by="test setup",
        slug="hidden-collective",
        name={"en": HIDDEN, "uk": "Прихований колектив"},
        kind="campaign",
        country="UA",
        is_public=False,
    )


def test_the_event_form_does_not_offer_a_private_organisation(ussc, ussc_organiser, hidden):
    form = EventForm(organiser=ussc, user=ussc_organiser)
    offered = form.fields["co_organisers"].queryset
    assert not offered.filter(pk=hidden.pk).exists()
    assert not offered.filter(is_public=False).exists()
    assert offered.filter(slug="razem").exists()


def test_a_crafted_post_naming_a_private_co_organiser_is_refused(
    login, ussc, ussc_organiser, hidden
):
    event = make_event(ussc)
    page = login(ussc_organiser).get(f"/en/events/{event.slug}/edit/")
    assert HIDDEN not in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        event_services.event_update(event=event, by=ussc_organiser, co_organisers=[hidden])
    assert "co_organisers" in refused.value.message_dict
    assert not event.co_organisers.exists()


def test_the_organisers_own_private_partner_is_offered_but_never_named_publicly(
    client, login, ussc, ussc_organiser, hidden
):
    network_services.role_grant(
        by="test setup", user=ussc_organiser, organisation=hidden, role="organiser"
    )
    ussc_organiser._spilka_roles = None
    form = EventForm(organiser=ussc, user=ussc_organiser)
    assert form.fields["co_organisers"].queryset.filter(pk=hidden.pk).exists()
    event = make_event(ussc)
    event_services.event_update(event=event, by=ussc_organiser, co_organisers=[hidden])
    for url in (f"/en/events/{event.slug}/", "/en/events/", "/en/events/feed.ics"):
        body = client.get(url).content.decode()
        assert HIDDEN not in body and "hidden-collective" not in body, url
    page = client.get(f"/uk/events/{event.slug}/").content.decode()
    assert "Прихований" not in page
    # No consent box offers the person's details to an organisation they cannot know.
    assert f"consent_{hidden.pk}" not in page


def test_a_colleague_who_may_not_pick_the_partner_still_edits_and_duplicates_the_event(
    login, ussc, ussc_organiser, hidden
):
    network_services.role_grant(
        by="test setup", user=ussc_organiser, organisation=hidden, role="organiser"
    )
    ussc_organiser._spilka_roles = None
    event = make_event(ussc)
    event_services.event_update(event=event, by=ussc_organiser, co_organisers=[hidden])
    colleague = user_with_roles("colleague@ussc.test", [(ussc, "organiser")])
    form = EventForm(instance=event, organiser=ussc, user=colleague)
    assert form.fields["co_organisers"].queryset.filter(pk=hidden.pk).exists()
    event_services.event_update(
        event=event, by=colleague, co_organisers=[hidden], title={"en": "Renamed"}
    )
    copy = event_services.event_duplicate(event=event, by=colleague)
    # The partner is asked again for the copy (not refused as unpickable); it joins on yes.
    assert not copy.co_organisers.exists()
    assert LinkRequest.objects.filter(
        event=copy, organisation=hidden, status=LinkRequestStatus.PENDING
    ).exists()
