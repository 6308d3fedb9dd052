"""The worker's side: one attempt at a delivery, the back-off, giving up, pausing.

Exactly-once as far as we can promise it: a delivery recorded delivered is never sent
again by a re-run of its task (the reaper's, after a crash), and every attempt carries the
same delivery id, so a receiver that deduplicates on ``Spilka-Webhook-Id`` processes each
event once even when our record of a success was lost.

An attempt is claimed in one short transaction (the row is moved to "in flight" by
pushing ``next_attempt_at`` a lease ahead), the request is made with no transaction open,
and the outcome is written in a second one.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task, task_backends

from spilka.lib.mail import email_send_after_commit
from spilka.network.models import OrganisationRole, Role
from spilka.webhooks import signing, transport
from spilka.webhooks.models import (
    TEST_EVENT,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, … failed attempt; past the last, or past a day since
# the event, the delivery is given up.
BACKOFF = (60, 300, 1800, 7200, 21600, 43200)
RETRY_WINDOW = datetime.timedelta(days=1)
# An attempt in flight holds the delivery this long (a second run meanwhile does nothing).
LEASE = datetime.timedelta(seconds=60)
USER_AGENT = "Spilka-Webhooks/1"

Poster = Callable[..., transport.Response]


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def headers_for(delivery: WebhookDelivery, body: bytes, now: datetime.datetime) -> dict[str, str]:
    endpoint = delivery.endpoint
    secrets = [endpoint.secret]
    if endpoint.previous_secret and (endpoint.previous_secret_until or now) > now:
        secrets.append(endpoint.previous_secret)
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Spilka-Webhook-Id": str(delivery.id),
        "Spilka-Webhook-Event": delivery.event,
        "Spilka-Webhook-Timestamp": timestamp,
        "Spilka-Webhook-Signature": signing.signature_header(
            secrets=secrets, timestamp=timestamp, body=body
        ),
    }


def next_attempt(delivery: WebhookDelivery, now: datetime.datetime) -> datetime.datetime | None:
    """When to try again after ``delivery.attempts`` failures; None: give up."""
    if delivery.attempts > len(BACKOFF):
        return None
    when = now + datetime.timedelta(seconds=BACKOFF[delivery.attempts - 1])
    return when if when <= delivery.created_at + RETRY_WINDOW else None


def _claim(delivery_id: str, now: datetime.datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "endpoint__organisation")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in {
            DeliveryStatus.DELIVERED,
            DeliveryStatus.GIVEN_UP,
        }:
            return None  # done: a re-run never sends a recorded success again
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None  # not due yet, or another run holds it
        endpoint = delivery.endpoint
        if delivery.event != TEST_EVENT and (not endpoint.active or endpoint.paused_at):
            delivery.next_attempt_at = None  # waits for "Resume"
            delivery.save(update_fields=["next_attempt_at"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def delivery_attempt(
    *, delivery_id: str, now: datetime.datetime | None = None, poster: Poster | None = None
) -> WebhookDelivery | None:
    """Make one attempt if the delivery is due; return it as recorded (None: nothing done)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    body = body_of(delivery)
    headers = headers_for(delivery, body, now)
    status_code, error, excerpt, duration = None, "", "", 0
    try:
        answer = (poster or transport.post)(
            url=delivery.endpoint.url,
            body=body,
            headers=headers,
            timeout=float(settings.SPILKA_WEBHOOKS_TIMEOUT),
        )
        status_code, excerpt, duration = answer.status, answer.excerpt, answer.duration_ms
        if not 200 <= answer.status < 300:
            error = f"HTTP {answer.status}"
    except transport.SendError as failure:
        error = str(failure)[:300]
    return _record(delivery, now=now, code=status_code, error=error, excerpt=excerpt, ms=duration)


@transaction.atomic
def _record(
    delivery: WebhookDelivery,
    *,
    now: datetime.datetime,
    code: int | None,
    error: str,
    excerpt: str,
    ms: int,
) -> WebhookDelivery:
    WebhookAttempt.objects.create(
        delivery=delivery,
        started_at=now,
        duration_ms=ms,
        status_code=code,
        error=error,
        response_excerpt=excerpt,
    )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.last_status_code, delivery.last_error = code, error
    delivery.response_excerpt = excerpt
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures, endpoint.first_failure_at = 0, None
            endpoint.save(update_fields=["consecutive_failures", "first_failure_at"])
    else:
        retry_at = next_attempt(delivery, now)
        delivery.status = DeliveryStatus.FAILED if retry_at else DeliveryStatus.GIVEN_UP
        delivery.next_attempt_at = retry_at
        if delivery.event != TEST_EVENT:
            _count_failure(endpoint, now)
        if retry_at is not None:
            _enqueue_retry(str(delivery.id), retry_at)
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "response_excerpt",
        ]
    )
    return delivery


def _enqueue_retry(delivery_id: str, when: datetime.datetime) -> None:

    if not task_backends[webhook_deliver.backend].supports_defer:
        return  # the immediate backend (tests): retries are driven by the caller
    deferred = webhook_deliver.using(run_after=when)
    transaction.on_commit(lambda: deferred.enqueue(delivery_id=delivery_id))


def _count_failure(endpoint: WebhookEndpoint, now: datetime.datetime) -> None:
    endpoint.consecutive_failures += 1
    endpoint.first_failure_at = endpoint.first_failure_at or now
    fields = ["consecutive_failures", "first_failure_at"]
    too_many = endpoint.consecutive_failures >= settings.SPILKA_WEBHOOKS_PAUSE_FAILURES
    too_long = now - endpoint.first_failure_at >= RETRY_WINDOW
    if endpoint.paused_at is None and (too_many or too_long):
        endpoint.paused_at = now
        fields.append("paused_at")
        _mail_admins(endpoint)
        # The page and the mail word the reason in the reader's language from these counters.
        log.warning(
            "webhook endpoint %s paused: %s failed attempts in a row since %s",
            endpoint.pk,
            endpoint.consecutive_failures,
            endpoint.first_failure_at.isoformat(),
        )
    endpoint.save(update_fields=fields)


def _mail_admins(endpoint: WebhookEndpoint) -> None:
    """Each admin of the organisation, in their own language."""
    organisation = endpoint.organisation
    admins = (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=OrganisationRole.objects.filter(
                organisation=organisation, role=Role.ADMIN
            ).values("user_id"),
        )
        .select_related("person")
    )
    for user in admins:
        person = getattr(user, "person", None)
        language = getattr(person, "preferred_language", "") or organisation.original_language
        context: dict[str, Any] = {
            "endpoint": endpoint,
            "organisation": organisation,
            "base_url": settings.SPILKA_BASE_URL,
            "language": language,
        }
        with translation.override(language or "en"):
            subject = " ".join(
                render_to_string("webhooks/email/paused_subject.txt", context).split()
            )
            body = render_to_string("webhooks/email/paused.txt", context)
        email_send_after_commit(to=[user.email], subject=subject, body=body)


# The background entry point beside the work it runs (spilka/webhooks/tasks.py keeps the
# path for jobs already queued).
@task()
def webhook_deliver(*, delivery_id: str) -> str | None:
    """One attempt at a webhook delivery (retries enqueue themselves with ``run_after``)."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    return None if delivery is None else delivery.status
