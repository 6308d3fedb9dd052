"""One export asked for by one person: its parameters, its state, and the private file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.lib.storage import private_storage


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Preparing")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


ACTIVE_STATUSES = (ExportStatus.PENDING, ExportStatus.RUNNING)
# Where in private storage the files go; everything under it belongs to an export (the
# cleanup deletes what no row names).
STORAGE_PREFIX = "exports"


class ExportFile(models.Model):
    """A list written in the background and kept, privately, for its requester only."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The registered kind (``campaigns.signatures``) and what it needs to find its subject
    # again through the resource's access helper (``{"slug": ...}``).
    kind = models.CharField(max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    fmt = models.CharField(max_length=4, default="csv")
    # kind, format and parameters hashed: "the same export" for the one-at-a-time rule.
    fingerprint = models.CharField(max_length=64)
    language = models.CharField(max_length=10, default="en")
    base_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(
        storage=private_storage, upload_to=f"{STORAGE_PREFIX}/%Y/%m/", blank=True
    )
    filename = models.CharField(max_length=200, blank=True)
    total_rows = models.IntegerField(default=0)
    row_count = models.IntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("requested_by", "fingerprint"),
                condition=Q(status__in=["pending", "running"]),
                name="exports_one_running_per_requester_and_export",
            )
        ]
        indexes = [models.Index(fields=("status", "expires_at"), name="exports_status_expiry")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.fmt}) #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exports:status", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        """Past its keeping time (the cleanup may not have deleted the file yet)."""
        return self.status == ExportStatus.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now()
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.row_count * 100 // self.total_rows)
