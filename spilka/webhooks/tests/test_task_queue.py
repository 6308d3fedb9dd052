"""Through the real task queue: the delivery is enqueued after commit, the worker sends it,
and a failure puts the retry in the queue for its back-off time (``run_after``)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from spilka.webhooks import services
from spilka.webhooks.models import DeliveryStatus, WebhookDelivery

# The worker closes database connections as it goes: no test-wide transaction here.
pytestmark = pytest.mark.django_db(transaction=True)


def _worker_batch() -> None:
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )


def test_the_worker_sends_retries_at_the_back_off_time_and_delivers_once(settings, demo, receiver):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    usc = demo["ukraine-solidarity-campaign"]
    endpoint = services.endpoint_create(
        by="test", organisation=usc, url=receiver.url, events=["donation.recorded"]
    )
    receiver.secret = endpoint.secret
    receiver.answers = [500]
    with transaction.atomic():
        (delivery,) = services.webhook_emit(
            organisation=usc, event="donation.recorded", data={"amount": "5.00"}
        )
        assert DBTaskResult.objects.count() == 0  # nothing before commit
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    _worker_batch()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and len(receiver.requests) == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at > timezone.now()
    assert retry.args_kwargs["kwargs"] == {"delivery_id": str(delivery.id)}

    _worker_batch()  # not due yet: the worker leaves it
    assert len(receiver.requests) == 1

    # A minute later.
    now = timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=now)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now)
    _worker_batch()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert receiver.processed == [str(delivery.id)] and receiver.bad_signatures == 0
    assert not DBTaskResult.objects.filter(status="READY").exists()
