"""OSDI events and attendances through the API, and the record attendance helper.

Personas: USSC runs the forums (``forum``, with a private join link and a question);
Razem runs none of them; an anonymous caller has no key."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.campaigns.tests.api_helpers import Api, key_for, person, rows
from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services.registrations import event_register
from spilka.events.tests.conftest import JOIN_URL, make_event
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def _attendances(event):
    return f"{EVENTS}{event.pk}/attendances/"


def _answers(event):
    return {str(q.pk): "Kyiv" for q in event.questions.all()}


def test_anyone_reads_public_events_and_never_the_join_link(forum):
    members_only = make_event(forum.organiser, slug="members-only", is_public=False)
    listed = rows(Api().get(EVENTS, per_page=100), "events")
    titles = {row["title"] for row in listed}
    assert "Test forum" in titles
    assert all(row["browser_url"] != members_only.get_absolute_url() for row in listed)
    assert Api().get(f"{EVENTS}{members_only.pk}/").status_code == 404
    shown = Api(language="pl").get(f"{EVENTS}{forum.pk}/")
    assert shown.json()["title"] == "Forum testowe"
    assert JOIN_URL not in shown.content.decode() and "4242" not in shown.content.decode()


def test_the_organisers_key_sees_members_only_events_and_another_key_does_not(forum, demo):
    members_only = make_event(forum.organiser, slug="members-only-2", is_public=False)
    own = key_for(forum.organiser, ["events:read"]).get(f"{EVENTS}{members_only.pk}/")
    assert own.status_code == 200 and own.json()["visibility"] == "private"
    other = key_for(demo["razem"], ["events:read"]).get(f"{EVENTS}{members_only.pk}/")
    assert other.status_code == 404


def test_a_key_without_the_events_scope_sees_no_members_only_event(forum):
    members_only = make_event(forum.organiser, slug="members-only-3", is_public=False)
    other_things = key_for(forum.organiser, ["campaigns:write", "supporters:read"])
    assert other_things.get(f"{EVENTS}{members_only.pk}/").status_code == 404


def test_attendances_need_the_events_scope(forum):
    assert Api().get(_attendances(forum)).status_code in (401, 403)
    assert key_for(forum.organiser, ["campaigns:read"]).get(_attendances(forum)).status_code == 403


def test_another_organisations_key_sees_no_attendee(forum, demo):
    event_register(
        event=forum, full_name="Ann Lee", email="ann@example.org", answers=_answers(forum)
    )
    razem = key_for(demo["razem"], ["events:read", "events:write"])
    assert razem.get(_attendances(forum)).status_code == 404
    assert razem.get("/api/v1/attendances/").json()["total_records"] == 0
    registration = Registration.objects.get(email="ann@example.org")
    assert razem.get(f"/api/v1/attendances/{registration.pk}/").status_code == 404
    assert "ann@example.org" not in razem.get("/api/v1/attendances/").content.decode()


def test_the_organisers_key_reads_its_registrations(forum):
    event_register(
        event=forum, full_name="Ann Lee", email="ann@example.org", answers=_answers(forum)
    )
    listed = rows(key_for(forum.organiser, ["events:read"]).get(_attendances(forum)), "attendances")
    assert [row["person"]["email_addresses"][0]["address"] for row in listed] == ["ann@example.org"]
    assert listed[0]["status"] == "accepted"


def test_recorded_attendance_goes_through_the_registration_rules(
    forum, django_capture_on_commit_callbacks
):
    api = key_for(forum.organiser, ["events:write"])
    body = {
        "person": person("api.guest@example.org", name="Ivan Franko"),
        "answers": _answers(forum),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(_attendances(forum), body)
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(event=forum, email="api.guest@example.org")
    assert response.json()["status"] == "accepted"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email_confirmed_at is None  # the guest has not confirmed the address
    assert not registration.consents.exists()
    audit = AuditEntry.objects.get(
        action="events.registration.created", object_id=str(registration.pk)
    )
    assert audit.organisation_id == forum.organiser_id and audit.actor_label != "registrant"
    assert any("api.guest@example.org" in m.to for m in mail.outbox)
    again = api.post(_attendances(forum), body)
    assert again.status_code == 200
    assert Registration.objects.filter(event=forum, email="api.guest@example.org").count() == 1


def test_a_full_event_puts_the_recorded_attendee_on_the_waiting_list(ussc):
    small = make_event(ussc, slug="small-room", capacity=1)
    api = key_for(ussc, ["events:write"])
    first = api.post(_attendances(small), {"person": person("one@example.org")})
    second = api.post(_attendances(small), {"person": person("two@example.org")})
    assert first.json()["status"] == "accepted"
    assert second.json()["status"] == "tentative"
    assert Registration.objects.get(email="two@example.org").status == RegistrationStatus.WAITLISTED


def test_recording_needs_the_organisers_write_key(forum, demo):
    read_only = key_for(forum.organiser, ["events:read"])
    assert (
        read_only.post(_attendances(forum), {"person": person("a@example.org")}).status_code == 403
    )
    razem = key_for(demo["razem"], ["events:write"])
    assert razem.post(_attendances(forum), {"person": person("b@example.org")}).status_code == 404
    assert not Registration.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": person("not-an-address")},
        {"person": person("ok@example.org")},  # the required question left unanswered
        {"person": person("ok@example.org"), "answers": "Kyiv"},
        [1, 2],
        "{",
    ],
)
def test_bad_input_is_a_400_never_a_500(forum, body):
    api = key_for(forum.organiser, ["events:write"], language="uk")
    response = api.post(_attendances(forum), body)
    assert response.status_code == 400, response.content
    assert response.json()
    assert not Registration.objects.filter(email="ok@example.org").exists()


def test_a_cancelled_event_refuses_in_ukrainian(ussc):
    from spilka.events.services.events import event_update

    gone = make_event(ussc, slug="gone")
    event_update(event=gone, by="test", status="cancelled")
    api = key_for(ussc, ["events:write"], language="uk")
    response = api.post(_attendances(gone), {"person": person("late@example.org")})
    assert response.status_code == 400
    assert "Цю подію скасовано." in response.content.decode()
    assert not Registration.objects.filter(email="late@example.org").exists()


def test_queries_do_not_grow_with_the_rows_on_a_page(forum):
    for n in range(3):
        make_event(forum.organiser, slug=f"extra-{n}")
        event_register(
            event=forum, full_name=f"P {n}", email=f"p{n}@example.org", answers=_answers(forum)
        )
    for api, path in [
        (Api(), EVENTS),
        (key_for(forum.organiser, ["events:read"]), _attendances(forum)),
        (key_for(forum.organiser, ["events:read"]), "/api/v1/attendances/"),
    ]:
        api.get(path)  # the key's first use records when it was used: not counted
        counts = []
        for per_page in (1, 3):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path, per_page=per_page).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], path
