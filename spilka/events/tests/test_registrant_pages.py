"""A visitor registers through the page; their private links; bad and forged input."""

from __future__ import annotations

import re

import pytest
from defusedxml import ElementTree
from django.core import mail

from spilka.events import tokens
from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import JOIN_URL, make_event

pytestmark = pytest.mark.django_db


def test_a_visitor_registers_in_polish_and_sees_the_join_link_on_the_private_page(
    client, forum, register
):
    response = register(forum, language="pl")
    # Changed for issue 13: the page is the same as for an address already registered; the
    # private page's link goes by mail only.
    assert response.status_code == 200
    assert "/events/r/" not in response.content.decode()
    link = re.search(r"https?://[^/\s]+(/pl/events/r/[^/\s]+/)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert JOIN_URL in page.content.decode()
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    registration = Registration.objects.get(event=forum)
    assert registration.language == "pl"
    assert registration.answers == {str(forum.questions.get().pk): "Kraków"}
    message = mail.outbox[0]
    assert message.to == ["ola@example.org"]
    assert JOIN_URL in message.body
    assert [a[0] for a in message.attachments] == ["event.ics", "check-in.svg"]


def test_the_check_in_qr_attachment_is_a_well_formed_svg_document(client, forum, register):
    register(forum)
    (message,) = mail.outbox
    content, mimetype = {name: (body, kind) for name, body, kind in message.attachments}[
        "check-in.svg"
    ]
    assert mimetype == "image/svg+xml"
    # A strict XML parser, as an SVG viewer reads a file: no namespace, no SVG.
    root = ElementTree.fromstring(content.encode() if isinstance(content, str) else content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None


def test_a_missing_required_answer_shows_an_error_and_saves_nothing(client, forum, register):
    question = forum.questions.get()
    response = register(forum, **{f"question_{question.pk}": ""})
    assert response.status_code == 400
    assert "This question needs an answer." in response.content.decode()
    assert not Registration.objects.filter(event=forum).exists()


def test_html_in_answers_and_names_is_escaped_for_organisers(
    client, forum, register, ussc_organiser
):
    question = forum.questions.get()
    register(
        forum,
        full_name="<b>Bold</b>",
        **{f"question_{question.pk}": "<script>alert('x')</script>"},
    )
    client.force_login(ussc_organiser)
    for url in ("attendees/", "checkin/"):
        page = client.get(f"/en/events/{forum.slug}/{url}").content.decode()
        assert "<script>alert" not in page
        assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
        in client.get(f"/en/events/{forum.slug}/attendees/").content.decode()
    )


def test_registering_for_a_cancelled_event_through_the_page_is_refused(client, ussc, register):
    from spilka.events.services.events import event_update

    event = make_event(ussc)
    data_page = client.get(f"/en/events/{event.slug}/")
    assert data_page.status_code == 200
    event_update(event=event, by="t", status="cancelled")
    response = client.post(
        f"/en/events/{event.slug}/register/",
        {"full_name": "A", "email": "a@example.org", "website": "", "altcha": "x"},
    )
    assert response.status_code == 400
    assert "This event has been cancelled." in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_the_honeypot_answers_politely_and_stores_nothing(client, forum, register):
    response = register(forum, website="http://spam.example")
    assert response.status_code == 200
    assert not Registration.objects.filter(event=forum).exists()


def test_a_second_registration_with_the_same_address_shows_no_private_page(client, forum, register):
    register(forum)
    response = register(forum, full_name="Someone else")
    assert response.status_code == 200
    assert JOIN_URL not in response.content.decode()
    assert "Check your email" in response.content.decode()


def test_cancel_link_asks_first_and_cancels_only_on_post(client, forum, register):
    register(forum)
    link = re.search(r"(/en/events/cancel/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    registration = Registration.objects.get(event=forum)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert client.post(link).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    # The private page no longer shows the join link.
    token = tokens.make_token(registration.pk, tokens.REGISTRATION_SALT)
    assert JOIN_URL not in client.get(f"/en/events/r/{token}/").content.decode()


def test_forged_or_cross_purpose_links_do_nothing(client, forum):
    registration = services.event_register(
        event=forum, full_name="A", email="a@example.org", answers={forum.questions.get().pk: "x"}
    ).registration
    forged = tokens.make_token(registration.pk, tokens.CANCEL_SALT)[:-3] + "abc"
    assert client.post(f"/en/events/cancel/{forged}/").status_code == 404
    # A confirmation-page token is not a cancel token.
    page_token = tokens.make_token(registration.pk, tokens.REGISTRATION_SALT)
    assert client.post(f"/en/events/cancel/{page_token}/").status_code == 404
    assert client.get(f"/en/events/r/{'x' * 300}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_an_offer_link_after_expiry_says_so(client, ussc):
    import datetime

    event = make_event(ussc, capacity=1)
    first = services.event_register(event=event, full_name="A", email="a@example.org")
    second = services.event_register(event=event, full_name="B", email="b@example.org")
    services.registration_cancel(registration_id=first.registration.pk)
    Registration.objects.filter(pk=second.registration.pk).update(
        offer_expires_at=event.starts_at - datetime.timedelta(days=10)
    )
    token = tokens.make_token(second.registration.pk, tokens.OFFER_SALT)
    assert client.get(f"/en/events/offer/{token}/").status_code == 200
    assert client.post(f"/en/events/offer/{token}/").status_code == 410


def test_the_ics_download_is_the_registrants_own(client, forum):
    import icalendar

    registration = services.event_register(
        event=forum, full_name="A", email="a@example.org", answers={forum.questions.get().pk: "x"}
    ).registration
    token = tokens.make_token(registration.pk, tokens.REGISTRATION_SALT)
    cal = icalendar.Calendar.from_ical(client.get(f"/en/events/r/{token}/event.ics").content)
    (vevent,) = cal.walk("VEVENT")
    assert JOIN_URL in str(vevent["DESCRIPTION"])
    assert str(vevent["UID"]).startswith(f"event-{forum.pk}@")


def test_a_registration_keeps_nothing_derived_from_the_visitors_address(client, forum, register):
    # Rate limits live in the shared cache for their window; the row needs none of it.
    from django.test import RequestFactory

    from spilka.events.models import Registration
    from spilka.lib import ratelimit

    address_hash = ratelimit.ip_hash(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"))
    assert register(forum).status_code in (200, 302)
    row = Registration.objects.filter(email="ola@example.org").values().get()
    for value in row.values():
        assert address_hash not in str(value)
        assert "127.0.0.1" not in str(value)
