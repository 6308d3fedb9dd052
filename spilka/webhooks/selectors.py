from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from spilka.network.models import Organisation
from spilka.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


def endpoints_of(organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints with their delivery counts, for the list page."""
    return (
        WebhookEndpoint.objects.filter(organisation=organisation)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            waiting=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
            ),
            given_up=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.GIVEN_UP)),
        )
        .order_by("pk")
    )


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related("tries")
        .order_by("-created_at")
    )
