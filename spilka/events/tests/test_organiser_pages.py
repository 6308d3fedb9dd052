"""Organisers' pages: who may use them, and what they refuse."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from spilka.events import tokens
from spilka.events.models import Event, Registration
from spilka.events.services import events as event_services
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import JOIN_URL
from spilka.exports.testing import export_body, export_through_pages

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = ["edit/", "manage/", "attendees/", "attendees.csv", "checkin/", "message/"]


@pytest.fixture
def registered(forum):
    return services.event_register(
        event=forum,
        full_name='=HYPERLINK("http://evil")',
        email="a@example.org",
        answers={forum.questions.get().pk: "+cmd|' /C calc'!A0"},
    ).registration


def test_anonymous_visitors_are_sent_to_sign_in(client, forum):
    for page in ORGANISER_PAGES:
        assert client.get(f"/en/events/{forum.slug}/{page}").status_code == 302, page


@pytest.mark.parametrize("persona", ["razem_organiser", "ussc_translator", "ussc_viewer"])
def test_people_without_an_organiser_role_in_the_organiser_are_refused(
    client, forum, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    for page in ORGANISER_PAGES:
        assert client.get(f"/en/events/{forum.slug}/{page}").status_code == 403, page
    assert client.post(f"/en/events/{forum.slug}/attendees.csv").status_code == 403
    assert client.post(f"/en/events/{forum.slug}/duplicate/").status_code == 403


def test_the_organiser_sees_attendees_with_answers(client, forum, registered, ussc_organiser):
    client.force_login(ussc_organiser)
    page = client.get(f"/en/events/{forum.slug}/attendees/").content.decode()
    assert "a@example.org" in page
    assert "calc" in page


def _exported(client, forum, capture) -> bytes:
    _export, response = export_through_pages(
        client, f"/en/events/{forum.slug}/attendees.csv", capture=capture
    )
    assert response.status_code == 200
    return export_body(response)


def test_the_csv_is_formula_safe_and_carries_no_join_link(
    client, forum, registered, ussc_organiser, django_capture_on_commit_callbacks
):
    client.force_login(ussc_organiser)
    text = _exported(client, forum, django_capture_on_commit_callbacks).decode("utf-8-sig")
    assert JOIN_URL not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0].startswith("'=")
    assert rows[1][-1].startswith("'+")


def test_question_labels_in_the_csv_header_cannot_carry_a_formula(
    client, forum, registered, ussc_organiser, django_capture_on_commit_callbacks
):
    event_services.question_add(
        event=forum, by="test", label={"en": '=HYPERLINK("http://evil","Name")'}, kind="text"
    )
    client.force_login(ussc_organiser)
    body = _exported(client, forum, django_capture_on_commit_callbacks)
    assert body.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[-1] == '\'=HYPERLINK("http://evil","Name")'


def test_the_organiser_checks_someone_in_from_the_list(client, forum, registered, ussc_organiser):
    client.force_login(ussc_organiser)
    page = client.get(f"/en/events/{forum.slug}/checkin/?q=a@example").content.decode()
    assert "a@example.org" in page
    response = client.post(f"/en/events/{forum.slug}/checkin/{registered.pk}/")
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.checked_in_at is not None
    client.post(f"/en/events/{forum.slug}/checkin/{registered.pk}/", {"undo": "1"})
    registered.refresh_from_db()
    assert registered.checked_in_at is None


def test_checking_in_someone_of_another_event_is_not_found(
    client, forum, registered, ussc_organiser, ussc
):
    from spilka.events.tests.conftest import make_event

    other = make_event(ussc, slug="other")
    client.force_login(ussc_organiser)
    assert client.post(f"/en/events/{other.slug}/checkin/{registered.pk}/").status_code == 404


def test_the_qr_link_checks_in_only_for_an_organiser_session(
    client, forum, registered, ussc_organiser, razem_organiser
):
    token = tokens.make_token(registered.pk, tokens.CHECKIN_SALT)
    url = f"/en/events/checkin/{token}/"
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(razem_organiser)
    assert client.post(url).status_code == 403
    client.force_login(ussc_organiser)
    assert client.get(url).status_code == 200
    registered.refresh_from_db()
    assert registered.checked_in_at is None  # GET changes nothing
    assert client.post(url).status_code == 200
    registered.refresh_from_db()
    assert registered.checked_in_at is not None
    assert client.post(f"/en/events/checkin/{token}x/").status_code == 404


def test_the_organiser_messages_registered_people_through_the_queue(
    client, forum, registered, ussc_organiser, django_capture_on_commit_callbacks
):
    client.force_login(ussc_organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/events/{forum.slug}/message/",
            {"subject": "Speakers changed", "body": "Hanna joins us. <b>Not bold</b>"},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "Hanna joins us. <b>Not bold</b>" in mail.outbox[0].body


def test_an_empty_message_is_refused(client, forum, ussc_organiser):
    client.force_login(ussc_organiser)
    response = client.post(f"/en/events/{forum.slug}/message/", {"subject": "", "body": ""})
    assert response.status_code == 400


def test_the_organiser_approves_a_delegation_registration(client, ussc, ussc_organiser):
    from spilka.events.tests.conftest import make_event

    event = make_event(ussc, slug="delegation", kind="delegation", requires_approval=True)
    pending = services.event_register(event=event, full_name="MP", email="mp@example.org")
    client.force_login(ussc_organiser)
    client.post(
        f"/en/events/delegation/attendees/{pending.registration.pk}/decide/",
        {"decision": "approve"},
    )
    assert Registration.objects.get(pk=pending.registration.pk).status == "confirmed"
    response = client.post(
        f"/en/events/delegation/attendees/{pending.registration.pk}/decide/",
        {"decision": "maybe"},
    )
    assert response.status_code == 302


def test_the_organiser_duplicates_an_event(client, forum, ussc_organiser):
    client.force_login(ussc_organiser)
    response = client.post(f"/en/events/{forum.slug}/duplicate/")
    assert response.status_code == 302
    assert Event.objects.filter(slug__startswith=f"{forum.slug}-copy").exists()


def _event_form(**overrides):
    data = {
        "slug": "new-forum",
        "kind": "online_forum",
        "title_en": "New forum",
        "original_language": "en",
        "time_zone": "Europe/Warsaw",
        "starts_at": "2027-03-27T18:00",
        "ends_at": "2027-03-27T20:00",
        "is_online": "on",
        "join_url": "https://meet.example.org/j/1",
        "is_public": "on",
        "status": "scheduled",
        "registration_enabled": "on",
        "languages": "en, pl",
    }
    data.update(overrides)
    return data


def test_the_organiser_creates_an_event_in_warsaw_time(client, ussc_organiser):
    client.force_login(ussc_organiser)
    response = client.post("/en/events/new/?org=ussc", _event_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="new-forum")
    assert event.starts_at == datetime.datetime(2027, 3, 27, 17, 0, tzinfo=datetime.UTC)
    assert event.languages == ["en", "pl"]


def test_an_end_before_the_start_is_refused_on_the_form(client, ussc_organiser):
    client.force_login(ussc_organiser)
    response = client.post("/en/events/new/?org=ussc", _event_form(ends_at="2027-03-27T17:00"))
    assert response.status_code == 400
    assert "The end must come after the start." in response.content.decode()
    assert not Event.objects.filter(slug="new-forum").exists()


def test_creating_for_an_organisation_one_does_not_run_is_refused(client, razem_organiser):
    client.force_login(razem_organiser)
    response = client.post("/en/events/new/?org=ussc", _event_form())
    assert response.status_code == 200  # the chooser: USSC is not offered
    assert not Event.objects.filter(slug="new-forum").exists()


def test_editing_keeps_the_address_and_moves_the_event(client, forum, ussc_organiser):
    client.force_login(ussc_organiser)
    page = client.get(f"/en/events/{forum.slug}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/en/events/{forum.slug}/edit/",
        _event_form(slug="hijack", time_zone="America/Los_Angeles", title_en="Moved"),
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.slug == "test-forum"
    assert forum.starts_at.astimezone(forum.zone).hour == 18


def test_adding_a_recording_and_a_bad_question(client, forum, ussc_organiser):
    client.force_login(ussc_organiser)
    response = client.post(
        f"/en/events/{forum.slug}/manage/",
        {
            "form": "recording",
            "recording-url": "https://peertube.example.org/w/abc",
            "recording-title": "Video",
            "recording-language": "en",
        },
    )
    assert response.status_code == 302
    assert forum.recordings.count() == 1
    response = client.post(
        f"/en/events/{forum.slug}/manage/",
        {
            "form": "question",
            "question-label_en": "Meal?",
            "question-kind": "choice",
            "question-choices_text": "Only one",
        },
    )
    assert response.status_code == 400
    assert "Give at least two options." in response.content.decode()
    assert client.post(f"/en/events/{forum.slug}/manage/", {"form": "nope"}).status_code == 404


def test_registration_closes_at_the_stored_time(forum):
    from spilka.events.services.registrations import registration_refusal

    assert registration_refusal(forum) is None
    assert registration_refusal(forum, now=forum.ends_at + datetime.timedelta(minutes=1))
    assert timezone.now() < forum.starts_at
