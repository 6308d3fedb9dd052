"""Imports, mailings, and the requests anonymous people make (sign-up, data rights)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class SupporterImport(models.Model):
    """A CSV of supporters on its way in. The file's text is dropped once it has run."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    filename = models.CharField(_("file"), max_length=200, blank=True)
    content = models.TextField(blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # field -> column header
    consent_given = models.BooleanField(
        _("these people agreed to receive updates from us"), default=False
    )
    consent_source = models.CharField(_("where the consent was given"), max_length=200, blank=True)
    consent_wording = models.TextField(_("wording they agreed to"), max_length=2000, blank=True)
    default_language = models.CharField(
        _("language when the file gives none"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )
    tag = models.ForeignKey(
        "outreach.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_list = models.ForeignKey(
        "outreach.SupporterList",
        verbose_name=_("add to list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "reason": "..."}]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supporter import")
        verbose_name_plural = _("supporter imports")

    def __str__(self) -> str:
        return f"import #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Mailing(models.Model):
    """One mass email, written in one or more languages."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = TranslatedField(_("subject"), max_length=200, blank=False)
    body = TranslatedField(_("text"), max_length=50000, blank=False)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    segment = models.ForeignKey(
        "outreach.Segment",
        verbose_name=_("send to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailings",
        help_text=_("Leave empty to send to every subscribed supporter."),
    )
    reply_to = models.EmailField(_("replies go to"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.DRAFT
    )
    run_after = models.DateTimeField(_("send at"), null=True, blank=True)
    base_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return pick(self.subject, self.original_language).text or f"mailing #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.recipient_count:
            return 100 if self.status == MailingStatus.SENT else 0
        done = self.sent_count + self.failed_count
        return min(100, int(done * 100 / self.recipient_count))


class RecipientStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Handed to the mail server")
    SKIPPED = "skipped", _("Skipped (no longer subscribed)")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Marked as spam")


class MailingRecipient(models.Model):
    """Who a mailing went to, in which language, and what came of it. No tracking pixel."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    # Kept after a supporter is deleted by retention, so the report's counts stay.
    supporter = models.ForeignKey(
        "outreach.Supporter", null=True, on_delete=models.SET_NULL, related_name="receipts"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(
        max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "supporter"], name="recipient_once_per_mailing"
            )
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="recipient_status_idx")]

    def __str__(self) -> str:
        return f"recipient #{self.pk}"


class PendingSignup(models.Model):
    """A public sign-up waiting for its email confirmation (double opt-in)."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    language = models.CharField(max_length=8, default="en")
    wording = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"sign-up #{self.pk}"


class DataRequestKind(models.TextChoices):
    EXPORT = "export", _("A copy of my data")
    ERASE = "erase", _("Erase my data")


class DataRequest(models.Model):
    """A data-subject request. The address is kept only until the request is done."""

    kind = models.CharField(max_length=10, choices=DataRequestKind.choices)
    email = models.EmailField(max_length=254, blank=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # records per handler, no data

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} request #{self.pk}"
