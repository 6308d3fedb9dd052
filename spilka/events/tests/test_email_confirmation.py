"""A registrant's address is confirmed from a mailed link before anything they agreed to takes
effect, and (where the event says so) before they see the private join link."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.test import Client

from spilka.events.models import Registration
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import JOIN_URL, make_event
from spilka.outreach.models import Supporter, SupporterStatus
from spilka.outreach.services.supporters import supporter_unsubscribe

pytestmark = pytest.mark.django_db


def _links(body: str) -> dict[str, str]:
    confirm = re.search(r"http://testserver(/en/events/confirm/[^\s]+/)", body)
    page = re.search(r"http://testserver(/en/events/r/[^\s]+/)", body)
    assert confirm is not None and page is not None
    return {"confirm": confirm.group(1), "page": page.group(1)}


def test_a_members_only_forum_shows_check_your_mail_until_the_address_is_confirmed(
    ussc, ussc_viewer, client, register
):
    event = make_event(ussc, slug="members-forum", is_public=False)
    client.force_login(ussc_viewer)
    response = register(event, email="viewer@ussc.test")
    assert response.status_code == 200
    assert "events/registration_check_mail.html" in [t.name for t in response.templates]
    assert JOIN_URL not in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.email_confirmed_at is None
    [message] = mail.outbox
    assert JOIN_URL not in message.body
    assert not [a for a in message.attachments if a[0] == "event.ics"]
    links = _links(message.body)

    page = Client().get(links["page"]).content.decode()
    assert JOIN_URL not in page and 'id="check-mail"' in page
    assert Client().get(links["page"] + "event.ics").status_code == 404
    opened = Client().get(links["confirm"])  # a mail scanner opening the link changes nothing
    assert opened.status_code == 200 and JOIN_URL not in opened.content.decode()
    registration.refresh_from_db()
    assert registration.email_confirmed_at is None

    confirmed = Client().post(links["confirm"], follow=True)
    assert JOIN_URL in confirmed.content.decode()
    registration.refresh_from_db()
    assert registration.email_confirmed_at is not None
    assert Client().get(links["page"] + "event.ics").status_code == 200


def test_approval_and_members_only_events_wait_for_email_by_default_and_organisers_choose(ussc):
    assert not make_event(ussc, slug="open").join_waits_for_email
    assert make_event(ussc, slug="approval", requires_approval=True).join_waits_for_email
    assert make_event(ussc, slug="members", is_public=False).join_waits_for_email
    chosen = make_event(ussc, slug="chosen", join_after_email_confirmation=True)
    assert chosen.join_waits_for_email
    relaxed = make_event(
        ussc, slug="relaxed", requires_approval=True, join_after_email_confirmation=False
    )
    assert not relaxed.join_waits_for_email
    # A members-only event's link never goes to an unconfirmed address, whatever the choice.
    private = make_event(ussc, slug="private", is_public=False, join_after_email_confirmation=False)
    assert private.join_waits_for_email


def test_an_organiser_chooses_automatic_yes_or_no_on_the_event_form(ussc, ussc_organiser):
    from spilka.events.forms import EventForm

    form = EventForm(
        instance=make_event(ussc, slug="form-choice"), organiser=ussc, user=ussc_organiser
    )
    field = form["join_after_email_confirmation"]
    assert '<option value="unknown" selected>' in str(field)
    assert [field.field.clean(v) for v in ("unknown", "true", "false")] == [None, True, False]


def test_the_confirmation_link_is_only_ever_mailed_never_shown_on_a_page(forum, register):
    response = register(forum, email="ola@example.org")
    # The same "check your email" answer for every address; the private page's link is mailed.
    assert response.status_code == 200
    assert "/events/confirm/" not in response.content.decode()
    body = mail.outbox[0].body
    assert "/events/confirm/" in body
    own_page = re.search(r"(/[a-z]{2}/events/r/[^/\s]+/)", body).group(1)
    page = Client().get(own_page).content.decode()
    assert JOIN_URL in page  # a public event without approval: the link on the private page
    assert "/events/confirm/" not in page


def test_an_event_registration_does_not_resubscribe_a_co_organisers_unsubscribed_supporter(
    forum, demo, django_capture_on_commit_callbacks
):
    """Anyone could undo anyone's unsubscribe by registering their address for an event."""
    usc = demo["ukraine-solidarity-campaign"]
    forum.co_organisers.add(usc)
    supporter = Supporter.objects.create(
        organisation=usc, email="olena@example.org", status=SupporterStatus.SUBSCRIBED
    )
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.event_register(
            event=forum,
            full_name="Someone else",
            email="olena@example.org",
            answers={forum.questions.get().pk: "x"},
            consents=[services.ConsentChoice(usc, "I want USC's updates.")],
        ).registration
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.UNSUBSCRIBED
    assert not supporter.consents.filter(granted=True).exists()

    # The address owner confirms from the mail: their own opt-in, and it counts.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_email_confirm(registration_id=registration.pk)
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.SUBSCRIBED


def test_a_consent_on_the_form_creates_no_supporter_before_confirmation(forum, demo):
    services.event_register(
        event=forum,
        full_name="Ola",
        email="new@example.org",
        answers={forum.questions.get().pk: "x"},
        consents=[services.ConsentChoice(forum.organiser, "Updates, please.")],
    )
    assert not Supporter.objects.filter(email="new@example.org").exists()


def test_a_forged_or_wrong_purpose_confirmation_link_is_refused(forum, register):
    register(forum, email="ola@example.org")
    page_link = _links(mail.outbox[0].body)["page"]
    page_token = page_link.rstrip("/").rsplit("/", 1)[1]
    assert Client().post(f"/en/events/confirm/{page_token}/").status_code == 404
    assert Client().post("/en/events/confirm/forged/").status_code == 404
    assert Registration.objects.get().email_confirmed_at is None


def test_confirming_a_cancelled_registration_does_nothing(forum, register):
    register(forum, email="ola@example.org")
    links = _links(mail.outbox[0].body)
    registration = Registration.objects.get()
    services.registration_cancel(registration_id=registration.pk)
    assert Client().post(links["confirm"]).status_code == 410
    registration.refresh_from_db()
    assert registration.email_confirmed_at is None


def test_the_confirmation_page_says_which_organisations_the_owner_agrees_to_hear_from(
    forum, register
):
    register(forum, email="ola@example.org", **{f"consent_{forum.organiser_id}": "on"})
    consent = Registration.objects.get().consents.get()
    page = Client().get(_links(mail.outbox[0].body)["confirm"]).content.decode()
    assert forum.organiser.display_name in page
    assert consent.wording in page or html.escape(consent.wording) in page
