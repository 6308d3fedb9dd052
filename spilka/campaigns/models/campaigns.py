from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    WON = "won", _("Won")
    ENDED = "ended", _("Ended")


class Campaign(models.Model):
    """One campaign: petitions, resolutions, statements and bills under one roof."""

    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    summary = TranslatedField(_("summary"), max_length=5000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    lead_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="campaigns_led",
    )
    co_organisers = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="campaigns_co_organised",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "slug"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", kwargs={"slug": self.slug})

    @property
    def is_visible_publicly(self) -> bool:
        return self.is_public and self.status != CampaignStatus.DRAFT
