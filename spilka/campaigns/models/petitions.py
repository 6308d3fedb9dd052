from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.lib.consents import TickedConsent
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
)


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for signatures")
    CLOSED = "closed", _("Closed")


class Petition(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    target = TranslatedField(_("addressed to"), max_length=500, blank=False)
    text = TranslatedField(_("text"), max_length=20000, blank=False)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    goal = models.PositiveIntegerField(_("goal"), default=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # Confirmed, not withdrawn signatures. Kept by the services with F() updates in the
    # same transaction as the signature's change, so it always equals the rows.
    confirmed_count = models.PositiveIntegerField(_("signatures"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("campaigns:petition", kwargs={"slug": self.slug})

    def has_closed_by_time(self, now: datetime.datetime | None = None) -> bool:
        """Whether ``closes_at`` has passed (the status may still say open)."""
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    def accepts_signatures(self, now: datetime.datetime | None = None) -> bool:
        """Open, and its closing time (if any) not yet reached."""
        return self.status == PetitionStatus.OPEN and not self.has_closed_by_time(now)

    @property
    def progress_percent(self) -> int:
        if not self.goal:
            return 100
        return min(100, int(self.confirmed_count * 100 / self.goal))


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Signature(models.Model):
    """One signer of one petition. Counts only once confirmed by email (double opt-in)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)  # normalised
    country = CountryField(_("country"))
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    organisation_name = models.CharField(_("organisation or union"), max_length=200, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    # The sign intake's stream entry this signature came from (empty when signed directly):
    # an entry read again after Redis lost the drain's acknowledgement is recognised and
    # neither written nor mailed twice.
    intake_key = models.CharField(max_length=40, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "email"], name="signature_one_per_email"),
        ]
        indexes = [
            models.Index(
                fields=["petition", "status", "-confirmed_at"], name="signature_recent_idx"
            ),
            models.Index(
                fields=["intake_key"],
                name="signature_intake_key_idx",
                condition=~models.Q(intake_key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.petition}"


class SignatureConsent(TickedConsent):
    """A consent box ticked on the sign form, kept with its wording until confirmation."""

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="consents")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["signature", "organisation"], name="signature_consent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signature_id} → {self.organisation_id}"
