"""Outbound webhooks: an organisation's endpoints, and one delivery per (endpoint, event).

A ``WebhookDelivery``'s uuid is the id the receiver deduplicates on: every retry and every
"Resend" of it carries the same id. Each try is a ``WebhookAttempt`` row, for the log.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.network.models import Organisation


class WebhookEvent(models.TextChoices):
    SIGNATURE_CONFIRMED = "signature.confirmed", _("Petition signature confirmed")
    SUPPORTER_SUBSCRIBED = "supporter.subscribed", _("Supporter subscribed")
    SUPPORTER_UNSUBSCRIBED = "supporter.unsubscribed", _("Supporter unsubscribed")
    REGISTRATION_CREATED = "registration.created", _("Event registration created")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Event registration cancelled")
    DONATION_RECORDED = "donation.recorded", _("Donation recorded")
    PLEDGE_MADE = "pledge.made", _("Aid pledge made")
    HANDOVER_CONFIRMED = "handover.confirmed", _("Aid handover confirmed")
    ADOPTION_VERIFIED = "adoption.verified", _("Resolution adoption verified")
    COSIGNATURE_CONFIRMED = "cosignature.confirmed", _("Statement co-signature confirmed")
    PUBLICATION_PUBLISHED = "publication.published", _("Publication published")


# The event a "Send test event" button sends; never subscribed to, always delivered.
TEST_EVENT = "webhook.test"


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=80, default=new_secret)
    # The secret before the last rotation, still signed with for a while (see signing.py).
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")


class WebhookDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.id}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
