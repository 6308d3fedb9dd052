"""Writes for webhooks: endpoints (audited like permissions: they send the organisation's
data out), the one ``webhook_emit`` every app calls, test events and resends.

The sending itself, retries and pausing live in ``delivery.py`` (the worker's side).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record
from spilka.network.models import Organisation
from spilka.webhooks.delivery import webhook_deliver
from spilka.webhooks.models import (
    TEST_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_secret,
)
from spilka.webhooks.transport import check_url

# How long the secret before a rotation still signs deliveries (beside the new one).
ROTATION_OVERLAP = datetime.timedelta(hours=24)


def _user_or_none(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _state(endpoint: WebhookEndpoint) -> dict[str, Any]:
    # Never the secret: the audit log is read by every admin and kept for years.
    return {
        "url": endpoint.url,
        "events": list(endpoint.events),
        "description": endpoint.description,
        "active": endpoint.active,
    }


def _clean(*, url: str, events: Iterable[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        url = check_url(url)
    except ValidationError as error:
        errors["url"] = error.messages
    chosen = sorted(set(events))
    if not chosen:
        errors["events"] = [_("Choose at least one event.")]
    elif not set(chosen) <= set(WebhookEvent.values):
        errors["events"] = [_("Choose events from the list.")]
    if errors:
        raise ValidationError(errors)
    return url, chosen


@transaction.atomic
def endpoint_create(
    *,
    by: Any,
    organisation: Organisation,
    url: str,
    events: Iterable[str],
    description: str = "",
) -> WebhookEndpoint:
    url, chosen = _clean(url=url, events=events)
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=url,
        events=chosen,
        description=description.strip(),
        created_by=_user_or_none(by),
    )
    endpoint.full_clean()
    endpoint.save()
    audit_record(
        actor=by,
        action="webhooks.endpoint.created",
        obj=endpoint,
        organisation=organisation,
        after=_state(endpoint),
    )
    return endpoint


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


@transaction.atomic
def endpoint_update(
    *,
    by: Any,
    endpoint: WebhookEndpoint,
    url: str,
    events: Iterable[str],
    description: str = "",
    active: bool = True,
) -> WebhookEndpoint:
    url, chosen = _clean(url=url, events=events)
    endpoint = _locked(endpoint)
    before = _state(endpoint)
    endpoint.url, endpoint.events = url, chosen
    endpoint.description, endpoint.active = description.strip(), active
    endpoint.full_clean()
    after = _state(endpoint)
    if after != before:
        endpoint.save()
        audit_record(
            actor=by,
            action="webhooks.endpoint.changed",
            obj=endpoint,
            organisation=endpoint.organisation,
            before=before,
            after=after,
        )
    return endpoint


@transaction.atomic
def endpoint_delete(*, by: Any, endpoint: WebhookEndpoint) -> None:
    endpoint = _locked(endpoint)
    audit_record(
        actor=by,
        action="webhooks.endpoint.deleted",
        obj=endpoint,
        organisation=endpoint.organisation,
        before=_state(endpoint),
    )
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(*, by: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the old one keeps signing beside it for ``ROTATION_OVERLAP``."""
    endpoint = _locked(endpoint)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    audit_record(
        actor=by,
        action="webhooks.endpoint.secret_rotated",
        obj=endpoint,
        organisation=endpoint.organisation,
    )
    return endpoint


@transaction.atomic
def endpoint_resume(*, by: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Un-pause: the failure count starts again, and deliveries still waiting are sent."""
    endpoint = _locked(endpoint)
    if endpoint.paused_at is None:
        return endpoint
    before = {
        "paused_at": endpoint.paused_at,
        "consecutive_failures": endpoint.consecutive_failures,
        "first_failure_at": endpoint.first_failure_at,
    }
    endpoint.paused_at = None
    endpoint.consecutive_failures, endpoint.first_failure_at = 0, None
    endpoint.save(update_fields=["paused_at", "consecutive_failures", "first_failure_at"])
    audit_record(
        actor=by,
        action="webhooks.endpoint.resumed",
        obj=endpoint,
        organisation=endpoint.organisation,
        before=before,
        after={"paused_at": None},
    )
    now = timezone.now()
    waiting = WebhookDelivery.objects.filter(
        endpoint=endpoint, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
    )
    for delivery_id in waiting.values_list("id", flat=True):
        WebhookDelivery.objects.filter(id=delivery_id).update(next_attempt_at=now)
        _enqueue_after_commit(delivery_id)
    return endpoint


# --- Emitting ---------------------------------------------------------------------------


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _enqueue_after_commit(delivery_id: Any) -> None:
    key = str(delivery_id)
    transaction.on_commit(lambda: webhook_deliver.enqueue(delivery_id=key))


def _create_delivery(
    endpoint: WebhookEndpoint, event: str, data: dict[str, Any]
) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=timezone.now())
    delivery.payload = {
        "id": str(delivery.id),
        "event": event,
        "created": timezone.now().isoformat(),
        "organisation": {"id": endpoint.organisation_id, "slug": endpoint.organisation.slug},
        "data": data,
    }
    delivery.save()
    _enqueue_after_commit(delivery.id)
    return delivery


def webhook_emit(
    *,
    organisation: Organisation | int | None,
    event: str,
    data: dict[str, Any] | Callable[[], dict[str, Any]],
) -> list[WebhookDelivery]:
    """A delivery to each of ``organisation``'s active endpoints that listen for ``event``,
    created in the caller's transaction and sent by the worker once it commits.

    ``organisation`` may be given by id; ``data`` is the organisation's own view of its own
    object (``spilka.webhooks.payloads``), or a callable that builds it, called only when
    an endpoint listens: nobody listening costs one query.
    """
    if organisation is None:
        return []
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organisation_id=organisation_id, active=True, paused_at__isnull=True
        ).select_related("organisation")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    payload = _jsonable(data() if callable(data) else data)
    with transaction.atomic():
        return [_create_delivery(endpoint, event, payload) for endpoint in endpoints]


@transaction.atomic
def webhook_send_test(*, by: Any, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` delivery, sent even to a paused or inactive endpoint."""
    return _create_delivery(
        endpoint,
        TEST_EVENT,
        {"message": "Test event from Spilka", "endpoint_id": endpoint.pk},
    )


@transaction.atomic
def delivery_resend(*, by: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """One more attempt now, with the same delivery id (the receiver deduplicates on it).

    A paused or inactive endpoint takes only its test events: resume it first."""
    delivery = (
        WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    )
    endpoint = delivery.endpoint
    if delivery.event != TEST_EVENT and (endpoint.paused_at or not endpoint.active):
        raise ValidationError(_("This webhook is paused or inactive: resume it first."))
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    _enqueue_after_commit(delivery.id)
    return delivery
