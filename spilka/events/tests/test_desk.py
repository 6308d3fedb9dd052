"""Events on the organiser's desk: registrations waiting for approval reach the running
organisation's organisers (who may see attendees), not its viewers."""

from __future__ import annotations

import pytest

from spilka.accounts.desk import desk_for
from spilka.events.models import RegistrationStatus
from spilka.events.services.registrations import event_register, registration_decide
from spilka.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def _items(user, slug):
    rows = {row.organisation.slug: row for row in desk_for(user)}
    return {item.kind: item for item in rows[slug].items} if slug in rows else {}


def test_a_registration_to_approve_waits_for_the_organiser(
    login, ussc, ussc_organiser, ussc_viewer
):
    event = make_event(
        ussc, slug="desk-delegation", requires_approval=True, join_after_email_confirmation=False
    )
    result = event_register(event=event, full_name="Ola Nowak", email="ola@example.org")
    registration = result.registration
    assert registration.status == RegistrationStatus.PENDING
    item = _items(ussc_organiser, "ussc")["events.registrations"]
    assert item.url == "/en/events/desk-delegation/attendees/"
    assert login(ussc_organiser).get(item.url).status_code == 200
    assert "events.registrations" not in _items(ussc_viewer, "ussc")
    registration_decide(registration=registration, by=ussc_organiser, approve=True)
    assert "events.registrations" not in _items(ussc_organiser, "ussc")


def test_the_organiser_can_start_an_event_for_their_organisation(login, ussc_organiser):
    starts = {s.kind: s for row in desk_for(ussc_organiser) for s in row.starts}
    assert starts["events.event"].url == "/en/events/new/?org=ussc"
    assert login(ussc_organiser).get(starts["events.event"].url).status_code == 200
