"""Delivering to a real local receiver: signature, retries, exactly-once, give-up, pause."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from spilka.webhooks import services
from spilka.webhooks.delivery import BACKOFF, delivery_attempt
from spilka.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from spilka.webhooks.tests.conftest import CLOSED_PORT_URL, documented_check

pytestmark = pytest.mark.django_db


def _endpoint(usc, usc_admin, url, events=("donation.recorded",)):
    return services.endpoint_create(by=usc_admin, organisation=usc, url=url, events=list(events))


def _emit(usc, django_capture_on_commit_callbacks, amount="12.50"):
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.webhook_emit(
            organisation=usc, event="donation.recorded", data={"amount": amount}
        )
    return delivery


def test_the_receiver_checks_the_signature_with_the_documented_recipe(
    usc, usc_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(usc, usc_admin, receiver.url)
    receiver.secret = endpoint.secret
    delivery = _emit(usc, django_capture_on_commit_callbacks)

    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert documented_check(endpoint.secret, headers, body)
    assert not documented_check("whsec_someone_else", headers, body)
    assert headers["Spilka-Webhook-Id"] == str(delivery.id)
    payload = json.loads(body)
    assert payload["id"] == str(delivery.id) and payload["event"] == "donation.recorded"
    assert payload["organisation"] == {"id": usc.pk, "slug": usc.slug}
    assert payload["data"] == {"amount": "12.50"}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_status_code == 200


def test_a_500_then_a_200_is_one_retry_and_the_receiver_processes_the_event_once(
    usc, usc_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(usc, usc_admin, receiver.url)
    receiver.secret = endpoint.secret
    receiver.answers = [500]
    delivery = _emit(usc, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 500
    assert len(delivery.response_excerpt) <= 500  # the receiver's long answer, cut short
    first_try = delivery.next_attempt_at

    # The worker picks it up when due (the database backend defers it with run_after).
    assert (
        delivery_attempt(
            delivery_id=str(delivery.id), now=first_try - datetime.timedelta(seconds=1)
        )
        is None
    )
    delivery_attempt(delivery_id=str(delivery.id), now=first_try)
    # A re-run of the same task after a crash (the reaper's) sends nothing more.
    assert (
        delivery_attempt(delivery_id=str(delivery.id), now=first_try + datetime.timedelta(hours=1))
        is None
    )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(receiver.requests) == 2
    assert {r["headers"]["Spilka-Webhook-Id"] for r in receiver.requests} == {str(delivery.id)}
    assert receiver.processed == [str(delivery.id)] and receiver.bad_signatures == 0
    assert list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)
    ) == [500, 200]


def test_a_lost_success_record_is_sent_again_with_the_same_id_and_processed_once(
    usc, usc_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(usc, usc_admin, receiver.url)
    receiver.secret = endpoint.secret
    delivery = _emit(usc, django_capture_on_commit_callbacks)
    # As if the worker died after the POST and before recording the answer.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    delivery_attempt(delivery_id=str(delivery.id))
    assert len(receiver.requests) == 2
    assert receiver.processed == [str(delivery.id)]


def test_failures_back_off_then_give_up_within_a_day(
    usc, usc_admin, django_capture_on_commit_callbacks
):
    _endpoint(usc, usc_admin, CLOSED_PORT_URL)
    delivery = _emit(usc, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    gaps = []
    while delivery.status == DeliveryStatus.FAILED:
        due = delivery.next_attempt_at
        gaps.append(round((due - delivery.tries.last().started_at).total_seconds()))
        delivery_attempt(delivery_id=str(delivery.id), now=due)
        delivery.refresh_from_db()
    assert gaps == list(BACKOFF)
    assert delivery.status == DeliveryStatus.GIVEN_UP and delivery.attempts == len(BACKOFF) + 1
    assert delivery.last_error and delivery.last_status_code is None
    assert delivery.tries.last().started_at - delivery.created_at < datetime.timedelta(days=1)


def test_an_endpoint_that_keeps_failing_is_paused_and_its_admins_are_mailed_in_their_language(
    usc, usc_admin, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_WEBHOOKS_PAUSE_FAILURES = 3
    usc_admin_person_language = "uk"
    from spilka.network.services import person_create

    person = person_create(
        by="test",
        full_name="Admin",
        email="admin@usc.test",
        preferred_language=usc_admin_person_language,
    )
    usc_admin.person = person
    usc_admin.save()
    endpoint = _endpoint(usc, usc_admin, CLOSED_PORT_URL)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.webhook_emit(organisation=usc, event="donation.recorded", data={"n": n})
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None and endpoint.consecutive_failures == 3
    to_admin = [m for m in mail.outbox if m.to == ["admin@usc.test"]]
    assert len(to_admin) == 1
    with translation.override(usc_admin_person_language):
        since = date_format(timezone.localtime(endpoint.first_failure_at), "SHORT_DATETIME_FORMAT")
        reason = ngettext(
            "%(count)s failed attempt in a row since %(since)s.",
            "%(count)s failed attempts in a row since %(since)s.",
            3,
        ) % {"count": 3, "since": since}
    assert reason in to_admin[0].body  # worded from the counters, in the admin's language
    assert endpoint.url in to_admin[0].body and f"/uk/org/{usc.slug}/webhooks/" in to_admin[0].body
    # Paused: nothing new is created for it, and waiting deliveries wait for "Resume".
    assert services.webhook_emit(organisation=usc, event="donation.recorded", data={}) == []


def test_a_day_of_failures_pauses_the_endpoint_even_below_the_count(
    usc, usc_admin, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(usc, usc_admin, CLOSED_PORT_URL)
    delivery = _emit(usc, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1 and endpoint.paused_at is None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    delivery_attempt(
        delivery_id=str(delivery.id), now=timezone.now() + datetime.timedelta(days=1, minutes=1)
    )
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None


def test_resume_sends_what_waited_and_resend_keeps_the_id(
    usc, usc_admin, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_WEBHOOKS_PAUSE_FAILURES = 1
    endpoint = _endpoint(usc, usc_admin, receiver.url)
    receiver.answers = [503]
    delivery = _emit(usc, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_resume(by=usc_admin, endpoint=endpoint)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(by=usc_admin, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert [r["headers"]["Spilka-Webhook-Id"] for r in receiver.requests] == [str(delivery.id)] * 3


def test_after_rotation_both_secrets_sign_for_a_day(
    usc, usc_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(usc, usc_admin, receiver.url)
    old = endpoint.secret
    endpoint = services.endpoint_rotate_secret(by=usc_admin, endpoint=endpoint)
    assert endpoint.secret != old
    _emit(usc, django_capture_on_commit_callbacks)
    (request,) = receiver.requests
    assert documented_check(old, request["headers"], request["body"])
    assert documented_check(endpoint.secret, request["headers"], request["body"])
    assert request["headers"]["Spilka-Webhook-Signature"].count("v1=") == 2
