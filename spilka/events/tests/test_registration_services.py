"""Registering, the waiting list, offers, approval and cancelling, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from spilka.events.models import RegistrationStatus
from spilka.events.services import events as event_services
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import make_event
from spilka.lib.models import AuditEntry
from spilka.lib.supporters import supporter_action

pytestmark = pytest.mark.django_db


def _register(event, email, **kwargs):
    return services.event_register(
        event=event, full_name=kwargs.pop("name", "Person"), email=email, **kwargs
    ).registration


def test_a_registration_is_confirmed_and_audited(forum, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reg = _register(forum, "A@Example.org", answers={forum.questions.get().pk: "Oakland"})
    assert reg.status == RegistrationStatus.CONFIRMED
    assert reg.email == "a@example.org"
    assert AuditEntry.objects.filter(action="events.registration.created", object_id=str(reg.pk))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "secret-forum-123" in message.body
    assert message.attachments[0][0] == "event.ics"


def test_a_required_question_left_empty_is_refused_and_nothing_is_saved(forum):
    with pytest.raises(ValidationError) as error:
        _register(forum, "a@example.org", answers={})
    assert f"question_{forum.questions.get().pk}" in error.value.message_dict
    assert not forum.registrations.exists()


def test_a_choice_outside_the_options_is_refused(ussc):
    event = make_event(ussc)
    question = event_services.question_add(
        event=event, by="t", label={"en": "Meal"}, kind="choice", choices=["Vegan", "Any"]
    )
    with pytest.raises(ValidationError):
        _register(event, "a@example.org", answers={question.pk: "Steak"})


def test_registering_after_registration_closed_is_refused(ussc):
    event = make_event(ussc, registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="closed"):
        _register(event, "a@example.org")


def test_registering_for_a_cancelled_event_is_refused(ussc):
    event = make_event(ussc)
    event_services.event_update(event=event, by="t", status="cancelled")
    with pytest.raises(ValidationError, match="cancelled"):
        _register(event, "a@example.org")


def test_registering_for_a_past_event_is_refused(ussc):
    start = timezone.now() - datetime.timedelta(days=2)
    event = make_event(ussc, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        _register(event, "a@example.org")


def test_an_event_ending_before_it_starts_is_refused(ussc):
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_event(ussc, starts_at=start, ends_at=start - datetime.timedelta(hours=1))
    assert "ends_at" in error.value.message_dict


def test_the_same_address_twice_is_one_registration_and_the_links_go_to_its_inbox(
    forum, django_capture_on_commit_callbacks
):
    answers = {forum.questions.get().pk: "x"}
    first = _register(forum, "a@example.org", answers=answers)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.event_register(
            event=forum, full_name="Other", email="A@example.org", answers=answers
        )
    assert result.created is False
    assert result.registration.pk == first.pk
    assert forum.registrations.count() == 1
    assert mail.outbox[-1].to == ["a@example.org"]


def test_when_full_people_join_the_waiting_list(ussc):
    event = make_event(ussc, capacity=1)
    assert _register(event, "a@example.org").status == RegistrationStatus.CONFIRMED
    assert _register(event, "b@example.org").status == RegistrationStatus.WAITLISTED


def test_a_freed_place_is_offered_to_the_first_waiting_and_accepted_by_link(
    ussc, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_EVENTS_OFFER_HOURS = 6
    event = make_event(ussc, capacity=1)
    first = _register(event, "a@example.org")
    second = _register(event, "b@example.org")
    third = _register(event, "c@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration_id=first.pk)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED
    assert third.status == RegistrationStatus.WAITLISTED
    hours = (second.offer_expires_at - timezone.now()).total_seconds() / 3600
    assert 5.9 < hours <= 6
    assert any("/events/offer/" in m.body for m in mail.outbox if m.to == ["b@example.org"])
    accepted = services.offer_accept(registration_id=second.pk)
    assert accepted.status == RegistrationStatus.CONFIRMED


def test_an_expired_offer_moves_on_to_the_next_person(ussc):
    event = make_event(ussc, capacity=1)
    first = _register(event, "a@example.org")
    second = _register(event, "b@example.org")
    third = _register(event, "c@example.org")
    services.registration_cancel(registration_id=first.pk)
    second.refresh_from_db()
    # Too early: the task finds the offer still open and leaves it.
    assert services.offer_expire_due(registration_id=second.pk) is None
    later = second.offer_expires_at + datetime.timedelta(minutes=1)
    offered = services.offer_expire_due(registration_id=second.pk, now=later)
    assert offered.pk == third.pk
    second.refresh_from_db()
    assert second.status == RegistrationStatus.EXPIRED
    assert services.offer_accept(registration_id=second.pk, now=later) is None
    # Run twice (a worker restart): nothing more happens.
    assert services.offer_expire_due(registration_id=second.pk, now=later) is None


def test_cancelling_twice_frees_one_place_only(ussc):
    event = make_event(ussc, capacity=1)
    first = _register(event, "a@example.org")
    _register(event, "b@example.org")
    _register(event, "c@example.org")
    services.registration_cancel(registration_id=first.pk)
    services.registration_cancel(registration_id=first.pk)
    statuses = sorted(event.registrations.values_list("status", flat=True))
    assert statuses == ["cancelled", "offered", "waitlisted"]


def test_delegations_wait_for_approval_and_approval_respects_capacity(ussc, ussc_organiser):
    event = make_event(ussc, kind="delegation", requires_approval=True, capacity=1)
    a = _register(event, "a@example.org")
    b = _register(event, "b@example.org")
    assert a.status == b.status == RegistrationStatus.PENDING
    services.registration_decide(registration=a, by=ussc_organiser, approve=True)
    with pytest.raises(ValidationError, match="full"):
        services.registration_decide(registration=b, by=ussc_organiser, approve=True)
    services.registration_decide(registration=b, by=ussc_organiser, approve=False)
    b.refresh_from_db()
    assert b.status == RegistrationStatus.DECLINED
    assert AuditEntry.objects.filter(action="events.registration.approved").exists()


def test_consent_is_announced_only_to_the_organisation_that_got_it(forum, demo):
    heard = []

    def listener(sender, action, **kwargs):
        heard.append(action)

    supporter_action.connect(listener)
    try:
        a = _register(
            forum,
            "a@example.org",
            answers={forum.questions.get().pk: "x"},
            consents=[services.ConsentChoice(forum.organiser, "I agree to USSC updates.")],
        )
        b = _register(forum, "b@example.org", answers={forum.questions.get().pk: "x"})
        assert heard == []  # nothing takes effect before the address owner confirms
        services.registration_email_confirm(registration_id=a.pk)
        services.registration_email_confirm(registration_id=b.pk)
    finally:
        supporter_action.disconnect(listener)
    assert [(a.organisation_id, a.kind, a.consent_wording) for a in heard] == [
        (forum.organiser_id, "event_registered", "I agree to USSC updates.")
    ]


def test_check_in_is_audited_and_only_for_confirmed_people(ussc, ussc_organiser):
    event = make_event(ussc, capacity=1)
    a = _register(event, "a@example.org")
    b = _register(event, "b@example.org")
    services.registration_check_in(registration=a, by=ussc_organiser)
    a.refresh_from_db()
    assert a.checked_in_at is not None
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=b, by=ussc_organiser)
    assert AuditEntry.objects.filter(action="events.registration.checked_in").count() == 1


def test_a_duplicate_copies_texts_speakers_and_questions_but_no_people(forum):
    event_services.speaker_add(event=forum, by="t", name="A speaker")
    _register(forum, "a@example.org", answers={forum.questions.get().pk: "x"})
    copy = event_services.event_duplicate(event=forum, by="t")
    assert copy.slug != forum.slug
    assert copy.title == forum.title
    assert copy.speakers.count() == 1
    assert copy.questions.count() == 1
    assert copy.registrations.count() == 0


def test_personal_data_export_and_erase_keep_the_count(forum):
    from spilka.events.personal_data import erase, export

    _register(forum, "a@example.org", answers={forum.questions.get().pk: "Lviv"})
    rows = export("a@example.org")
    assert rows[0]["answers"] and rows[0]["name"] == "Person"
    assert erase("a@example.org") == 1
    assert forum.registrations.count() == 1
    assert export("a@example.org") == []
