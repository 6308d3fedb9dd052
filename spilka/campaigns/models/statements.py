from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
)


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for co-signing")
    CLOSED = "closed", _("Closed")


class Statement(models.Model):
    """A joint statement organisations co-sign."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    text = TranslatedField(_("text"), max_length=30000, blank=False)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    allow_individuals = models.BooleanField(_("individuals may sign too"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "slug"]
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("campaigns:statement", kwargs={"slug": self.slug})


class CoSignatureMethod(models.TextChoices):
    ROLE_HOLDER = "role_holder", _("Given by a person with a role in the organisation")
    OFFICER_EMAIL = "officer_email", _("Confirmed by an officer's email at a known address")
    EVIDENCE = "evidence", _("Recorded by organisers from evidence")


class CoSignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CoSignature(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="cosignatures")
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    method = models.CharField(
        _("how it was given"), max_length=20, choices=CoSignatureMethod.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CoSignatureStatus.choices,
        default=CoSignatureStatus.PENDING,
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    officer_name = models.CharField(_("officer's name"), max_length=200, blank=True)
    officer_email = models.EmailField(_("officer's email"), max_length=254, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["statement", "organisation"]
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"], name="cosignature_one_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.statement}"


class IndividualSignatory(models.Model):
    """A person signing in their own name, where the statement allows it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="individuals")
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    affiliation = models.CharField(
        _("affiliation (for identification only)"), max_length=200, blank=True
    )
    country = CountryField(_("country"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "full_name"]
        verbose_name = _("individual signatory")
        verbose_name_plural = _("individual signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "email"], name="individual_signatory_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name
