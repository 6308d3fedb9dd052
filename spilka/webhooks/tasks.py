from __future__ import annotations

from django_tasks import task


@task()
def webhook_deliver(*, delivery_id: str) -> str | None:
    """One attempt at a webhook delivery (retries enqueue themselves with ``run_after``)."""
    from spilka.webhooks.delivery import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    return None if delivery is None else delivery.status
