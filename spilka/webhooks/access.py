"""Who may see and change an organisation's webhooks: its admins only (and verified
superusers). Everyone else gets 404, whether or not the organisation is public: the list of
a partner's integrations is nobody else's business."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from spilka.network.access import WRITE_ROLES, has_role
from spilka.network.models import Organisation
from spilka.webhooks.models import WebhookDelivery, WebhookEndpoint


def webhooks_organisation_for_user(*, user: Any, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not has_role(user, organisation, WRITE_ROLES):
        raise Http404
    return organisation


def endpoint_get_for_user(*, user: Any, slug: str, pk: int) -> WebhookEndpoint:
    organisation = webhooks_organisation_for_user(user=user, slug=slug)
    endpoint = WebhookEndpoint.objects.filter(organisation=organisation, pk=pk).first()
    if endpoint is None:
        raise Http404
    endpoint.organisation = organisation
    return endpoint


def delivery_get_for_user(*, user: Any, slug: str, pk: int, delivery_id: Any) -> WebhookDelivery:
    endpoint = endpoint_get_for_user(user=user, slug=slug, pk=pk)
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, id=delivery_id).first()
    if delivery is None:
        raise Http404
    delivery.endpoint = endpoint
    return delivery
