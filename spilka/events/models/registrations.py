"""People registered for an event, their consents, and organisers' messages to them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.lib.consents import TickedConsent


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Offered a freed place")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Not approved")
    EXPIRED = "expired", _("Offer expired")


# Statuses that hold a place against the capacity.
HOLDS_PLACE = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# Statuses of a registration that is still alive (one per email and event).
ACTIVE = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)


class Registration(models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)  # normalised
    language = models.CharField(_("language"), max_length=8, default="en")
    # The browser's time zone when they registered ("" when unknown): mail gives times and
    # deadlines in it, and their private pages fall back to it.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    # {question id (as text): answer}; escaped wherever shown.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    # The site address the person registered at, for links in mail sent later by tasks.
    base_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the address owner confirmed it from the mailed link: until then no consent given on
    # the form takes effect, and (where the event says so) the join link stays hidden.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # Claimed by a conditional UPDATE before a reminder is queued: each is sent once.
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(status__in=[str(s) for s in ACTIVE]),
                name="registration_one_active_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx"),
            # The attendee and check-in lists, a page at a time in their own order.
            models.Index(
                fields=["event", "status", "full_name", "id"], name="registration_list_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.event_id}"

    @property
    def sees_join_link(self) -> bool:
        """May this registration be shown the event's private joining details?"""
        event = self.event
        if self.status != RegistrationStatus.CONFIRMED or event.is_cancelled:
            return False
        return self.email_confirmed_at is not None or not event.join_waits_for_email


class RegistrationConsent(TickedConsent):
    """A consent box ticked on the registration form, with the wording as shown."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consents"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "organisation"], name="registration_consent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.organisation_id}"


class EventMessage(models.Model):
    """An organiser's message to an event's registrants, delivered by the task queue."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    sent_by = models.CharField(max_length=254)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
