"""An event names a co-organiser, and asks registrants to consent to it, only once that
organisation has accepted."""

import pytest

from spilka.events.services.events import event_duplicate, event_update
from spilka.events.tests.conftest import make_event
from spilka.lib.models import AuditEntry
from spilka.network.link_requests import link_request_accept
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def razem(demo):
    return demo["razem"]


def test_an_event_co_organiser_is_only_asked(
    login, ussc, ussc_organiser, razem, razem_organiser, anon
):
    event = make_event(ussc)
    event_update(event=event, by=ussc_organiser, co_organisers=[razem])

    assert not event.co_organisers.exists()
    request = LinkRequest.objects.get(event=event, organisation=razem)
    assert request.kind == LinkKind.EVENT_CO_ORGANISER
    page = anon.get(f"/en/events/{event.slug}/").content.decode()
    assert razem.get_absolute_url() not in page
    assert f'name="consent_{razem.pk}"' not in page
    # The organiser sees the question waiting.
    manage = login(ussc_organiser).get(f"/en/events/{event.slug}/manage/").content.decode()
    assert "pending-links" in manage

    assert login(razem_organiser).post(f"/en/links/{request.pk}/accept/").status_code == 302
    assert list(event.co_organisers.all()) == [razem]
    page = anon.get(f"/en/events/{event.slug}/").content.decode()
    assert razem.get_absolute_url() in page
    assert f'name="consent_{razem.pk}"' in page
    for org in (ussc, razem):
        assert AuditEntry.objects.filter(
            organisation=org, action="events.event.co_organiser_added", object_id=str(event.pk)
        ).exists()


def test_a_duplicated_event_asks_its_co_organisers_again(ussc, ussc_organiser, razem):
    event = make_event(ussc)
    event_update(event=event, by=ussc_organiser, co_organisers=[razem])
    request = LinkRequest.objects.get(event=event, organisation=razem)
    link_request_accept(request=request, by="test setup")
    copy = event_duplicate(event=event, by=ussc_organiser)
    assert not copy.co_organisers.exists()
    assert LinkRequest.objects.filter(
        event=copy, organisation=razem, status=LinkRequestStatus.PENDING
    ).exists()


def test_removing_a_co_organiser_is_on_its_own_audit_log(ussc, ussc_organiser, razem):
    event = make_event(ussc)
    event_update(event=event, by=ussc_organiser, co_organisers=[razem])
    link_request_accept(
        request=LinkRequest.objects.get(event=event, organisation=razem), by="test setup"
    )
    event_update(event=event, by=ussc_organiser, co_organisers=[])
    assert not event.co_organisers.exists()
    assert AuditEntry.objects.filter(
        organisation=razem, action="events.event.updated", object_id=str(event.pk)
    ).exists()
