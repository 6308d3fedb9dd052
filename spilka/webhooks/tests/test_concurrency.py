"""Several workers on the same delivery at once (a reaped task and its original, two lanes):
on PostgreSQL the claim's row lock lets exactly one of them send."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from spilka.lib.testing import run_in_threads
from spilka.webhooks import services
from spilka.webhooks.delivery import delivery_attempt
from spilka.webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]


def test_eight_workers_on_one_due_delivery_send_it_once(demo, receiver):
    usc = demo["ukraine-solidarity-campaign"]
    endpoint = services.endpoint_create(
        by="test", organisation=usc, url=receiver.url, events=["pledge.made"]
    )
    # Created outside a transaction: on_commit runs at once, so take the first send back.
    (delivery,) = services.webhook_emit(organisation=usc, event="pledge.made", data={"n": 1})
    receiver.requests.clear()
    receiver.processed.clear()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )

    outcomes = run_in_threads(lambda n: delivery_attempt(delivery_id=str(delivery.id)), 8)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert sum(o is not None for o in outcomes) == 1
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert endpoint.deliveries.count() == 1
