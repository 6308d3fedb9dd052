"""Bounce and complaint reports that mail providers posted to the inbound webhooks.

One row per provider event, whatever became of it: the row is what makes a provider's
retry (or a replayed request) change nothing the second time, and what counts the soft
bounces that do not stop mail. The address itself is never kept: only a salted hash of it,
enough to count one address's bounces and to erase them with the supporter.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BounceKind(models.TextChoices):
    BOUNCE = "bounce", _("Permanent bounce")
    SOFT_BOUNCE = "soft_bounce", _("Temporary bounce")
    COMPLAINT = "complaint", _("Spam complaint")


class InboundMailEvent(models.Model):
    provider = models.CharField(_("provider"), max_length=20)
    # The provider's own id for the event (see spilka/outreach/bounces/): what a replay repeats.
    event_id = models.CharField(_("provider's event id"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=BounceKind.choices)
    address_hash = models.CharField(max_length=32)
    # What the receiving server said, with any address in it blanked out.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    supporters_marked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound mail event")
        verbose_name_plural = _("inbound mail events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="inbound_mail_event_once")
        ]
        indexes = [
            models.Index(fields=["address_hash", "kind"], name="inbound_mail_address_idx"),
            models.Index(fields=["received_at"], name="inbound_mail_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} #{self.pk}"
