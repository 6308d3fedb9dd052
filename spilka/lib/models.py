"""Models shared by every app: the audit log and the development outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, with the state before and after.

    Written by services in the same transaction as the change, so a change without its
    audit row cannot be committed. Rows are never edited.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the row still says who acted after the account is deleted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_created_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )


class OutboxMessage(models.Model):
    """A mail 'sent' in development: kept here so staff can read it in the browser."""

    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename", "content", "mimetype"}]: text files as text, others base64-encoded
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class WorkerHeartbeat(models.Model):
    """A task worker process saying it is alive (spilka/lib/worker.py): /healthz reads the
    newest, and the reaper re-queues only the tasks of workers that stopped beating."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    queues = models.CharField(_("queues"), max_length=200)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class TaskMailSent(models.Model):
    """A mail a task is sending (claimed before it leaves) or has sent (marked once it has
    left) to one recipient: the same task run again (after an outage, or a crash and the
    reaper) skips those sent (spilka/lib/worker.py ``mail_once``). ``recipient`` is a key
    inside the task (``signature:12``), never an address."""

    class State(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    task_id = models.CharField(_("task"), max_length=64)
    recipient = models.CharField(_("recipient"), max_length=100)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.SENT)
    # Which run holds a ``sending`` claim: a token new to each claim, so a run whose claim
    # another run took over (its worker taken for dead) neither sends nor frees it.
    claim_token = models.CharField(_("claim"), max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mail sent by a task")
        verbose_name_plural = _("mails sent by tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["task_id", "recipient"], name="lib_taskmailsent_once_per_task_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.recipient}"
